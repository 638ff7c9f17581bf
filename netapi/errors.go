package netapi

import (
	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/win32"
)

// Errno is a NET_API_STATUS or Win32 error code. It prints its name and
// number: "ERROR_ACCESS_DENIED (5)".
type Errno = win32.Errno

// NTStatus is an NTSTATUS from the SMB layer, such as STATUS_LOGON_FAILURE.
type NTStatus = ntstatus.Status

// Fault is a DCE/RPC fault status, such as nca_s_op_rng_error.
type Fault = dcerpc.Fault

// The NET_API_STATUS values the functions return. Every code a server can
// send converts to Errno and prints by name, listed here or not.
const (
	NERR_Success               = win32.NERR_Success
	ERROR_FILE_NOT_FOUND       = win32.ERROR_FILE_NOT_FOUND
	ERROR_ACCESS_DENIED        = win32.ERROR_ACCESS_DENIED
	ERROR_NOT_ENOUGH_MEMORY    = win32.ERROR_NOT_ENOUGH_MEMORY
	ERROR_BAD_NETPATH          = win32.ERROR_BAD_NETPATH
	ERROR_NOT_SUPPORTED        = win32.ERROR_NOT_SUPPORTED
	ERROR_INVALID_PARAMETER    = win32.ERROR_INVALID_PARAMETER
	ERROR_CALL_NOT_IMPLEMENTED = win32.ERROR_CALL_NOT_IMPLEMENTED
	ERROR_INVALID_NAME         = win32.ERROR_INVALID_NAME
	ERROR_INVALID_LEVEL        = win32.ERROR_INVALID_LEVEL
	ERROR_MORE_DATA            = win32.ERROR_MORE_DATA
	ERROR_ALREADY_ASSIGNED     = win32.ERROR_ALREADY_ASSIGNED
	ERROR_BAD_DEVICE           = win32.ERROR_BAD_DEVICE
	ERROR_NOT_CONNECTED        = win32.ERROR_NOT_CONNECTED
	ERROR_OPEN_FILES           = win32.ERROR_OPEN_FILES
	ERROR_DEVICE_IN_USE        = win32.ERROR_DEVICE_IN_USE
	NERR_BufTooSmall           = win32.NERR_BufTooSmall
	NERR_WkstaNotStarted       = win32.NERR_WkstaNotStarted
	NERR_UserNotFound          = win32.NERR_UserNotFound
	NERR_UseNotFound           = win32.NERR_UseNotFound
	NERR_NetNameNotFound       = win32.NERR_NetNameNotFound
	NERR_ClientNameNotFound    = win32.NERR_ClientNameNotFound
	NERR_FileIdNotFound        = win32.NERR_FileIdNotFound
	NERR_InvalidComputer       = win32.NERR_InvalidComputer
	NERR_OpenFiles             = win32.NERR_OpenFiles
	NERR_DevInUse              = win32.NERR_DevInUse
)

// ErrMoreData is ERROR_MORE_DATA under the name Go code expects: the
// Win32-faithful functions return it together with the entries that fit.
const ErrMoreData = win32.ERROR_MORE_DATA

// MAX_PREFERRED_LENGTH asks for all entries in one reply.
const MAX_PREFERRED_LENGTH uint32 = 0xFFFFFFFF
