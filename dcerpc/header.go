package dcerpc

import (
	"encoding/binary"
	"fmt"
)

// PacketType is the PTYPE of the common header (C706 12.6.4, MS-RPCE
// 2.2.2.10). The connectionless-only types are listed so that they print.
type PacketType uint8

const (
	PTypeRequest          PacketType = 0
	PTypePing             PacketType = 1
	PTypeResponse         PacketType = 2
	PTypeFault            PacketType = 3
	PTypeWorking          PacketType = 4
	PTypeNoCall           PacketType = 5
	PTypeReject           PacketType = 6
	PTypeAck              PacketType = 7
	PTypeClCancel         PacketType = 8
	PTypeFack             PacketType = 9
	PTypeCancelAck        PacketType = 10
	PTypeBind             PacketType = 11
	PTypeBindAck          PacketType = 12
	PTypeBindNak          PacketType = 13
	PTypeAlterContext     PacketType = 14
	PTypeAlterContextResp PacketType = 15
	PTypeAuth3            PacketType = 16
	PTypeShutdown         PacketType = 17
	PTypeCoCancel         PacketType = 18
	PTypeOrphaned         PacketType = 19
)

var ptypeNames = [...]string{"request", "ping", "response", "fault", "working", "nocall",
	"reject", "ack", "cl_cancel", "fack", "cancel_ack", "bind", "bind_ack", "bind_nak",
	"alter_context", "alter_context_resp", "rpc_auth_3", "shutdown", "co_cancel", "orphaned"}

func (t PacketType) String() string {
	if int(t) < len(ptypeNames) {
		return ptypeNames[t]
	}
	return fmt.Sprintf("ptype(%d)", uint8(t))
}

// pfc_flags (C706 12.6.3.1, MS-RPCE 2.2.2.3).
const (
	FlagFirstFrag = 0x01
	FlagLastFrag  = 0x02
	// FlagPendingCancel on request/response PDUs; the same bit is
	// FlagSupportHeaderSign on bind, bind_ack, alter_context,
	// alter_context_resp and rpc_auth_3 (MS-RPCE 2.2.2.3).
	FlagPendingCancel     = 0x04
	FlagSupportHeaderSign = 0x04
	FlagConcMpx           = 0x10
	FlagDidNotExecute     = 0x20
	FlagMaybe             = 0x40
	FlagObjectUUID        = 0x80
)

// HeaderLen is the size of the common header of every connection-oriented
// PDU.
const HeaderLen = 16

// drepLE is the packed data representation this package sends: integers
// little-endian, characters ASCII, floating point IEEE.
var drepLE = [4]byte{0x10, 0, 0, 0}

// Header is the common header (C706 12.6.3.1). FragLength and AuthLength
// are filled in by the Append methods of the PDU types; after Unmarshal
// they hold what the wire said.
type Header struct {
	Type       PacketType
	Flags      uint8
	FragLength uint16
	AuthLength uint16
	CallID     uint32
}

// ParseHeader decodes the common header from the start of b. It checks the
// version, the data representation and that frag_length can hold the
// header and the auth verifier, but not that b holds all of the PDU.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < HeaderLen {
		return h, ErrTruncated
	}
	if b[0] != 5 || b[1] != 0 {
		return h, fmt.Errorf("%w: %d.%d", ErrVersion, b[0], b[1])
	}
	// C706 14.1: the high nibble of the first drep octet is the integer
	// representation, 1 meaning little-endian.
	if b[4]&0xF0 != 0x10 {
		return h, ErrDataRepresentation
	}
	h.Type = PacketType(b[2])
	h.Flags = b[3]
	h.FragLength = binary.LittleEndian.Uint16(b[8:])
	h.AuthLength = binary.LittleEndian.Uint16(b[10:])
	h.CallID = binary.LittleEndian.Uint32(b[12:])
	if int(h.FragLength) < HeaderLen {
		return h, fmt.Errorf("%w: frag_length %d below header size", ErrMalformed, h.FragLength)
	}
	if h.AuthLength != 0 && int(h.FragLength) < HeaderLen+secTrailerLen+int(h.AuthLength) {
		return h, fmt.Errorf("%w: auth_length %d does not fit frag_length %d", ErrMalformed, h.AuthLength, h.FragLength)
	}
	return h, nil
}

// PDULength reports the length of the PDU that starts b, or 0 when fewer
// than HeaderLen bytes are there to tell. Callers that read a PDU in
// pieces use it to know how much more to read; it does not validate
// beyond the header.
func PDULength(b []byte) (int, error) {
	if len(b) < HeaderLen {
		return 0, nil
	}
	h, err := ParseHeader(b)
	if err != nil {
		return 0, err
	}
	return int(h.FragLength), nil
}

// appendHeader starts a PDU at the end of b; finishPDU fills in the
// lengths once the body and auth verifier are appended.
func appendHeader(b []byte, t PacketType, flags uint8, callID uint32) []byte {
	b = append(b, 5, 0, byte(t), flags, drepLE[0], drepLE[1], drepLE[2], drepLE[3], 0, 0, 0, 0)
	return binary.LittleEndian.AppendUint32(b, callID)
}

func finishPDU(b []byte, start int, authLen int) ([]byte, error) {
	n := len(b) - start
	if n > 0xFFFF {
		return b[:start], fmt.Errorf("dcerpc: PDU of %d bytes exceeds frag_length limit", n)
	}
	if authLen > 0xFFFF {
		return b[:start], fmt.Errorf("dcerpc: auth token of %d bytes too large", authLen)
	}
	binary.LittleEndian.PutUint16(b[start+8:], uint16(n))
	binary.LittleEndian.PutUint16(b[start+10:], uint16(authLen))
	return b, nil
}

// pduBytes checks that b holds the whole PDU its header announces, of the
// expected type, and returns the header and b cut to frag_length.
func pduBytes(b []byte, want PacketType) (Header, []byte, error) {
	h, err := ParseHeader(b)
	if err != nil {
		return h, nil, err
	}
	if h.Type != want {
		return h, nil, fmt.Errorf("%w: got %s, want %s", ErrMalformed, h.Type, want)
	}
	if len(b) < int(h.FragLength) {
		return h, nil, ErrTruncated
	}
	return h, b[:h.FragLength], nil
}
