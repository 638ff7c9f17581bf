package dcerpc

import (
	"fmt"

	"github.com/lanman/lanman/win32"
)

// Fault is the status of a fault PDU: an NCA status code (C706 appendix
// N.2) or a Win32 error code. It is an error that prints its name and
// number, and compares with errors.Is both to Fault values and to the
// win32.Errno that MS-RPCE 3.1.1.5.5 maps it to, so
//
//	errors.Is(err, dcerpc.FaultOpRangeError)
//	errors.Is(err, win32.Errno(1745)) // RPC_S_PROCNUM_OUT_OF_RANGE
//
// both hold for a call whose opnum the server does not know.
//
// A server Handler returns a Fault (possibly wrapped) to send that status.
type Fault uint32

// The fault statuses lanman sends or tests for. Names follow C706 N.2 and
// Samba/impacket usage.
const (
	FaultAccessDenied   Fault = 0x00000005 // rpc_s_access_denied (Samba: DCERPC_FAULT_ACCESS_DENIED)
	FaultCantPerform    Fault = 0x000006D8 // ept_s_cant_perform_op
	FaultNDR            Fault = 0x000006F7 // nca_s_fault_ndr: RPC_X_BAD_STUB_DATA
	FaultSecPkgError    Fault = 0x00000721 // rpc_s_sec_pkg_error
	FaultUnknownAuthn   Fault = 0x000006D3 // rpc_s_unknown_authn_service
	FaultCommFailure    Fault = 0x1C010001 // nca_s_comm_failure
	FaultOpRangeError   Fault = 0x1C010002 // nca_s_op_rng_error
	FaultUnknownIf      Fault = 0x1C010003 // nca_s_unk_if
	FaultWrongBootTime  Fault = 0x1C010006 // nca_s_wrong_boot_time
	FaultYouCrashed     Fault = 0x1C010009 // nca_s_you_crashed
	FaultProtoError     Fault = 0x1C01000B // nca_s_proto_error
	FaultOutArgsTooBig  Fault = 0x1C010013 // nca_s_out_args_too_big
	FaultServerTooBusy  Fault = 0x1C010014 // nca_s_server_too_busy
	FaultStringTooLong  Fault = 0x1C010015 // nca_s_fault_string_too_long
	FaultUnsupportedTyp Fault = 0x1C010017 // nca_s_unsupported_type
	FaultIntDivByZero   Fault = 0x1C000001 // nca_s_fault_int_div_by_zero
	FaultAddrError      Fault = 0x1C000002 // nca_s_fault_addr_error
	FaultInvalidTag     Fault = 0x1C000006 // nca_s_fault_invalid_tag
	FaultInvalidBound   Fault = 0x1C000007 // nca_s_fault_invalid_bound
	FaultVersionMismat  Fault = 0x1C000008 // nca_rpc_version_mismatch
	FaultUnspecReject   Fault = 0x1C000009 // nca_unspec_reject
	FaultBadActID       Fault = 0x1C00000A // nca_s_bad_actid
	FaultCancel         Fault = 0x1C00000D // nca_s_fault_cancel
	FaultUnspec         Fault = 0x1C000012 // nca_s_fault_unspec
	FaultContextMismatc Fault = 0x1C00001A // nca_s_fault_context_mismatch
	FaultRemoteNoMemory Fault = 0x1C00001B // nca_s_fault_remote_no_memory
	FaultInvalidPresCtx Fault = 0x1C00001C // nca_s_invalid_pres_context_id
	FaultUnsupAuthnLvl  Fault = 0x1C00001D // nca_s_unsupported_authn_level
	FaultInvalidChecksm Fault = 0x1C00001F // nca_s_invalid_checksum
	FaultInvalidCRC     Fault = 0x1C000020 // nca_s_invalid_crc
	FaultUserDefined    Fault = 0x1C000021 // nca_s_fault_user_defined
	FaultNoClientStub   Fault = 0x1C000025 // nca_s_fault_no_client_stub
)

var faultNames = map[Fault]string{
	FaultAccessDenied:   "rpc_s_access_denied",
	FaultCantPerform:    "ept_s_cant_perform_op",
	FaultNDR:            "nca_s_fault_ndr",
	FaultSecPkgError:    "rpc_s_sec_pkg_error",
	FaultUnknownAuthn:   "rpc_s_unknown_authn_service",
	FaultCommFailure:    "nca_s_comm_failure",
	FaultOpRangeError:   "nca_s_op_rng_error",
	FaultUnknownIf:      "nca_s_unk_if",
	FaultWrongBootTime:  "nca_s_wrong_boot_time",
	FaultYouCrashed:     "nca_s_you_crashed",
	FaultProtoError:     "nca_s_proto_error",
	FaultOutArgsTooBig:  "nca_s_out_args_too_big",
	FaultServerTooBusy:  "nca_s_server_too_busy",
	FaultStringTooLong:  "nca_s_fault_string_too_long",
	FaultUnsupportedTyp: "nca_s_unsupported_type",
	FaultIntDivByZero:   "nca_s_fault_int_div_by_zero",
	FaultAddrError:      "nca_s_fault_addr_error",
	0x1C000003:          "nca_s_fault_fp_div_zero",
	0x1C000004:          "nca_s_fault_fp_underflow",
	0x1C000005:          "nca_s_fault_fp_overflow",
	FaultInvalidTag:     "nca_s_fault_invalid_tag",
	FaultInvalidBound:   "nca_s_fault_invalid_bound",
	FaultVersionMismat:  "nca_rpc_version_mismatch",
	FaultUnspecReject:   "nca_unspec_reject",
	FaultBadActID:       "nca_s_bad_actid",
	0x1C00000B:          "nca_who_are_you_failed",
	0x1C00000C:          "nca_manager_not_entered",
	FaultCancel:         "nca_s_fault_cancel",
	0x1C00000E:          "nca_s_fault_ill_inst",
	0x1C00000F:          "nca_s_fault_fp_error",
	0x1C000010:          "nca_s_fault_int_overflow",
	FaultUnspec:         "nca_s_fault_unspec",
	0x1C000013:          "nca_s_fault_remote_comm_failure",
	0x1C000014:          "nca_s_fault_pipe_empty",
	0x1C000015:          "nca_s_fault_pipe_closed",
	0x1C000016:          "nca_s_fault_pipe_order",
	0x1C000017:          "nca_s_fault_pipe_discipline",
	0x1C000018:          "nca_s_fault_pipe_comm_error",
	0x1C000019:          "nca_s_fault_pipe_memory",
	FaultContextMismatc: "nca_s_fault_context_mismatch",
	FaultRemoteNoMemory: "nca_s_fault_remote_no_memory",
	FaultInvalidPresCtx: "nca_s_invalid_pres_context_id",
	FaultUnsupAuthnLvl:  "nca_s_unsupported_authn_level",
	FaultInvalidChecksm: "nca_s_invalid_checksum",
	FaultInvalidCRC:     "nca_s_invalid_crc",
	FaultUserDefined:    "nca_s_fault_user_defined",
	0x1C000022:          "nca_s_fault_tx_open_failed",
	0x1C000023:          "nca_s_fault_codeset_conv_error",
	0x1C000024:          "nca_s_fault_object_not_found",
	FaultNoClientStub:   "nca_s_fault_no_client_stub",
}

// faultWin32 is the MS-RPCE 3.1.1.5.5 mapping from NCA status to the
// Win32 code a Windows client returns to its caller. Codes not listed are
// "not mapped": the Win32 code is the status itself.
var faultWin32 = map[Fault]win32.Errno{
	FaultCommFailure:    0x71C, // RPC_S_COMM_FAILURE
	FaultOpRangeError:   0x6D1, // RPC_S_PROCNUM_OUT_OF_RANGE
	FaultUnknownIf:      0x6B5, // RPC_S_UNKNOWN_IF
	FaultYouCrashed:     0x6BE, // RPC_S_CALL_FAILED
	FaultProtoError:     0x6C0, // RPC_S_PROTOCOL_ERROR
	FaultOutArgsTooBig:  0x46A, // RPC_S_SERVER_OUT_OF_MEMORY
	FaultServerTooBusy:  0x6BB, // RPC_S_SERVER_TOO_BUSY
	FaultUnsupportedTyp: 0x6C4, // RPC_S_UNSUPPORTED_TYPE
	FaultIntDivByZero:   0x6E7, // RPC_S_ZERO_DIVIDE
	FaultAddrError:      0x6E8, // RPC_S_ADDRESS_ERROR
	0x1C000003:          0x6E9, // RPC_S_FP_DIV_ZERO
	0x1C000004:          0x6EA, // RPC_S_FP_UNDERFLOW
	0x1C000005:          0x6EB, // RPC_S_FP_OVERFLOW
	FaultInvalidTag:     0x6C5, // RPC_S_INVALID_TAG
	FaultInvalidBound:   0x6C6, // RPC_S_INVALID_BOUND
	FaultVersionMismat:  0x6C0, // RPC_S_PROTOCOL_ERROR
	FaultUnspecReject:   0x6BE, // RPC_S_CALL_FAILED
	FaultBadActID:       0x6BF, // RPC_S_CALL_FAILED_DNE
	0x1C00000B:          0x6BE, // RPC_S_CALL_FAILED
	0x1C00000C:          0x6BF, // RPC_S_CALL_FAILED_DNE
	FaultCancel:         0x71A, // RPC_S_CALL_CANCELLED
	0x1C00000E:          0x6E8, // RPC_S_ADDRESS_ERROR
	0x1C00000F:          0x6EB, // RPC_S_FP_OVERFLOW
	0x1C000010:          0x6E8, // RPC_S_ADDRESS_ERROR
	FaultUnspec:         0x6BE, // RPC_S_CALL_FAILED
	0x1C000014:          0x77E, // RPC_X_PIPE_EMPTY
	0x1C000015:          0x77C, // RPC_X_PIPE_CLOSED
	0x1C000016:          0x727, // RPC_X_WRONG_PIPE_ORDER
	0x1C000017:          0x77D, // RPC_X_PIPE_DISCIPLINE_ERROR
	0x1C000018:          0x71C, // RPC_S_COMM_FAILURE
	0x1C000019:          0x00E, // RPC_S_OUT_OF_MEMORY (ERROR_OUTOFMEMORY)
	FaultContextMismatc: 0x006, // RPC_X_SS_CONTEXT_MISMATCH (ERROR_INVALID_HANDLE)
	FaultRemoteNoMemory: 0x46A, // RPC_S_SERVER_OUT_OF_MEMORY
	FaultInvalidPresCtx: 0x6C0, // RPC_S_PROTOCOL_ERROR
	FaultUnsupAuthnLvl:  0x71D, // RPC_S_UNSUPPORTED_AUTHN_LEVEL
	FaultInvalidChecksm: 0x6BF, // RPC_S_CALL_FAILED_DNE
	FaultInvalidCRC:     0x6BF, // RPC_S_CALL_FAILED_DNE
}

// Error prints the name and the number: "nca_s_op_rng_error (0x1C010002)".
func (f Fault) Error() string {
	return "dcerpc fault " + f.String()
}

// String is the name and number without the "dcerpc fault" prefix.
func (f Fault) String() string {
	if n := f.Name(); n != "" {
		return fmt.Sprintf("%s (0x%08X)", n, uint32(f))
	}
	return fmt.Sprintf("0x%08X", uint32(f))
}

// Name is the symbolic name of the status: the NCA name, or the MS-ERREF
// name of a Win32 code, or "".
func (f Fault) Name() string {
	if n, ok := faultNames[f]; ok {
		return n
	}
	return win32.Errno(f).Name()
}

// Win32 is the Win32 error code a Windows client reports for this fault
// (MS-RPCE 3.1.1.5.5); unmapped codes are returned unchanged.
func (f Fault) Win32() win32.Errno {
	if e, ok := faultWin32[f]; ok {
		return e
	}
	return win32.Errno(f)
}

// Is lets errors.Is match a Fault against the win32.Errno it maps to.
func (f Fault) Is(target error) bool {
	if e, ok := target.(win32.Errno); ok {
		return f.Win32() == e
	}
	return false
}
