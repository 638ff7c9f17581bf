// Package wkst is the MS-WKST (Workstation Service Remote Protocol)
// interface, wkssvc: the data types and messages of NetrWkstaGetInfo,
// NetrWkstaUserEnum and the NetrUse* operations, one request and one
// response type per operation, each able to marshal and unmarshal itself as
// an NDR20 stub, and a Client over any DCE/RPC transport.
//
// Windows serves the NetrUse* operations to local callers only; lanman's
// workstation serves them over a local endpoint with these same types.
//
// Strings follow the srvs package's rules: in info structures "" is sent as
// a pointer to an empty string and NULL decodes as ""; request qualifiers
// send "" as NULL. The USE_INFO password, user name and domain name are
// *string because NULL ("use the default credentials") and "" ("an empty
// one") differ for NetUseAdd.
package wkst

import (
	"errors"
	"fmt"

	"github.com/lanman/lanman/ndr"
)

// InterfaceUUID is the wkssvc interface identifier
// 6BFFD098-A112-3610-9833-46C3F87E345A in wire (little-endian GUID) order.
var InterfaceUUID = [16]byte{
	0x98, 0xD0, 0xFF, 0x6B, 0x12, 0xA1, 0x10, 0x36,
	0x98, 0x33, 0x46, 0xC3, 0xF8, 0x7E, 0x34, 0x5A,
}

// InterfaceVersionMajor and InterfaceVersionMinor are the wkssvc interface
// version, 1.0.
const (
	InterfaceVersionMajor uint16 = 1
	InterfaceVersionMinor uint16 = 0
)

// InterfaceVersion is the version as a bind's p_syntax_id_t.if_version
// carries it: the major version in the low 16 bits, the minor in the high.
const InterfaceVersion = uint32(InterfaceVersionMajor) | uint32(InterfaceVersionMinor)<<16

// PipeName is the named pipe the interface is reached on, on IPC$.
const PipeName = `wkssvc`

// Operation numbers (MS-WKST 3.2.4).
const (
	OpNetrWkstaGetInfo  uint16 = 0
	OpNetrWkstaUserEnum uint16 = 2
	OpNetrUseAdd        uint16 = 8
	OpNetrUseGetInfo    uint16 = 9
	OpNetrUseDel        uint16 = 10
	OpNetrUseEnum       uint16 = 11
)

// MAX_PREFERRED_LENGTH asks the server to return every entry.
const MAX_PREFERRED_LENGTH uint32 = 0xFFFFFFFF

// Use status, ui1_status (MS-WKST 2.2.5.23).
const (
	USE_OK       uint32 = 0
	USE_PAUSED   uint32 = 1
	USE_SESSLOST uint32 = 2
	USE_DISCONN  uint32 = 2 // lmuse.h's alias of USE_SESSLOST
	USE_NETERR   uint32 = 3
	USE_CONN     uint32 = 4
	USE_RECONN   uint32 = 5
)

// Use assignment types, ui1_asg_type (MS-WKST 2.2.5.23).
const (
	USE_WILDCARD uint32 = 0xFFFFFFFF
	USE_DISKDEV  uint32 = 0
	USE_SPOOLDEV uint32 = 1
	USE_CHARDEV  uint32 = 2
	USE_IPC      uint32 = 3
)

// ForceLevel values of NetrUseDel (MS-WKST 3.2.4.9).
const (
	USE_NOFORCE       uint32 = 0
	USE_FORCE         uint32 = 1
	USE_LOTS_OF_FORCE uint32 = 2
)

// Platform ids, wki*_platform_id.
const (
	PLATFORM_ID_DOS uint32 = 300
	PLATFORM_ID_OS2 uint32 = 400
	PLATFORM_ID_NT  uint32 = 500
	PLATFORM_ID_OSF uint32 = 600
	PLATFORM_ID_VMS uint32 = 700
)

// ErrInvalidLevel is wrapped (with ndr.ErrMalformed) when a stub names an
// information level this package does not model.
var ErrInvalidLevel = errors.New("wkst: invalid information level")

// Message is a request or response stub that codes itself; every request
// and response type of the package is one.
type Message = ndr.Stub

// Marshal encodes m as a new stub.
func Marshal(m Message) []byte { return ndr.MarshalStub(m) }

// Unmarshal decodes stub into m.
func Unmarshal(stub []byte, m Message) error { return ndr.UnmarshalStub(stub, m) }

// wrap adds the message name to a decoding error.
func wrap(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("wkst: %s: %w", name, err)
}

// strSize is the bytes a string takes in a NetApi buffer: its UTF-16 code
// units and the NUL.
func strSize(s string) int { return 2 * (ndr.UTF16Len(s) + 1) }

// pstrSize is strSize for a nullable string; NULL takes no bytes.
func pstrSize(p *string) int {
	if p == nil {
		return 0
	}
	return strSize(*p)
}
