// Package srvs is the MS-SRVS (Server Service Remote Protocol) interface,
// srvsvc: its data types (MS-SRVS 2.2), one request and one response type
// per operation (3.1.4), each able to marshal and unmarshal itself as an
// NDR20 stub, and a Client that calls them through any DCE/RPC transport.
//
// The client encodes requests and decodes responses; lanman's server decodes
// requests and encodes responses with the very same types.
//
// Strings are Go strings. In info structures a NULL string pointer decodes
// as "" and "" encodes as a pointer to an empty string, which is what
// Windows servers send (callers of netapi32 assume non-NULL members). Request
// qualifiers (ServerName, ClientName, UserName, BasePath, ...) encode "" as
// NULL, which MS-SRVS treats as "no qualifier".
package srvs

import (
	"errors"
	"fmt"

	"github.com/lanman/lanman/ndr"
)

// InterfaceUUID is the srvsvc interface identifier
// 4B324FC8-1670-01D3-1278-5A47BF6EE188 in its wire (little-endian GUID)
// order, as a bind's abstract syntax carries it (MS-SRVS 2.1).
var InterfaceUUID = [16]byte{
	0xC8, 0x4F, 0x32, 0x4B, 0x70, 0x16, 0xD3, 0x01,
	0x12, 0x78, 0x5A, 0x47, 0xBF, 0x6E, 0xE1, 0x88,
}

// InterfaceVersionMajor and InterfaceVersionMinor are the srvsvc interface
// version, 3.0.
const (
	InterfaceVersionMajor uint16 = 3
	InterfaceVersionMinor uint16 = 0
)

// InterfaceVersion is the version as a bind's p_syntax_id_t.if_version
// carries it: the major version in the low 16 bits, the minor in the high.
const InterfaceVersion = uint32(InterfaceVersionMajor) | uint32(InterfaceVersionMinor)<<16

// PipeName is the named pipe the interface is reached on, on IPC$.
const PipeName = `srvsvc`

// Operation numbers (MS-SRVS 3.1.4).
const (
	OpNetrConnectionEnum uint16 = 8
	OpNetrFileEnum       uint16 = 9
	OpNetrFileGetInfo    uint16 = 10
	OpNetrFileClose      uint16 = 11
	OpNetrSessionEnum    uint16 = 12
	OpNetrSessionDel     uint16 = 13
	OpNetrShareEnum      uint16 = 15
	OpNetrShareGetInfo   uint16 = 16
	OpNetrServerGetInfo  uint16 = 21
)

// MAX_PREFERRED_LENGTH asks the server to return every entry
// (MS-SRVS 2.2.2.2).
const MAX_PREFERRED_LENGTH uint32 = 0xFFFFFFFF

// Session user flags (MS-SRVS 2.2.2.3).
const (
	SESS_GUEST        uint32 = 0x00000001
	SESS_NOENCRYPTION uint32 = 0x00000002
)

// Share types (MS-SRVS 2.2.2.4). The low bits are the kind; STYPE_SPECIAL
// and STYPE_TEMPORARY may be OR'd in.
const (
	STYPE_DISKTREE     uint32 = 0x00000000
	STYPE_PRINTQ       uint32 = 0x00000001
	STYPE_DEVICE       uint32 = 0x00000002
	STYPE_IPC          uint32 = 0x00000003
	STYPE_CLUSTER_FS   uint32 = 0x02000000
	STYPE_CLUSTER_SOFS uint32 = 0x04000000
	STYPE_CLUSTER_DFS  uint32 = 0x08000000
	STYPE_SPECIAL      uint32 = 0x80000000
	STYPE_TEMPORARY    uint32 = 0x40000000
	// STYPE_MASK isolates the kind from the flags.
	STYPE_MASK uint32 = 0x000000FF
)

// Client-side caching states carried in share flags (MS-SRVS 2.2.2.5).
const (
	CSC_CACHE_MANUAL_REINT uint32 = 0x00
	CSC_CACHE_AUTO_REINT   uint32 = 0x10
	CSC_CACHE_VDO          uint32 = 0x20
	CSC_CACHE_NONE         uint32 = 0x30
)

// Platform ids (MS-SRVS 2.2.2.6).
const (
	PLATFORM_ID_DOS uint32 = 300
	PLATFORM_ID_OS2 uint32 = 400
	PLATFORM_ID_NT  uint32 = 500
	PLATFORM_ID_OSF uint32 = 600
	PLATFORM_ID_VMS uint32 = 700
)

// Software type flags, sv*_type (MS-SRVS 2.2.2.7).
const (
	SV_TYPE_WORKSTATION       uint32 = 0x00000001
	SV_TYPE_SERVER            uint32 = 0x00000002
	SV_TYPE_SQLSERVER         uint32 = 0x00000004
	SV_TYPE_DOMAIN_CTRL       uint32 = 0x00000008
	SV_TYPE_DOMAIN_BAKCTRL    uint32 = 0x00000010
	SV_TYPE_TIME_SOURCE       uint32 = 0x00000020
	SV_TYPE_AFP               uint32 = 0x00000040
	SV_TYPE_NOVELL            uint32 = 0x00000080
	SV_TYPE_DOMAIN_MEMBER     uint32 = 0x00000100
	SV_TYPE_PRINTQ_SERVER     uint32 = 0x00000200
	SV_TYPE_DIALIN_SERVER     uint32 = 0x00000400
	SV_TYPE_XENIX_SERVER      uint32 = 0x00000800
	SV_TYPE_NT                uint32 = 0x00001000
	SV_TYPE_WFW               uint32 = 0x00002000
	SV_TYPE_SERVER_MFPN       uint32 = 0x00004000
	SV_TYPE_SERVER_NT         uint32 = 0x00008000
	SV_TYPE_POTENTIAL_BROWSER uint32 = 0x00010000
	SV_TYPE_BACKUP_BROWSER    uint32 = 0x00020000
	SV_TYPE_MASTER_BROWSER    uint32 = 0x00040000
	SV_TYPE_DOMAIN_MASTER     uint32 = 0x00080000
	SV_TYPE_WINDOWS           uint32 = 0x00400000
	SV_TYPE_DFS               uint32 = 0x00800000
	SV_TYPE_CLUSTER_NT        uint32 = 0x01000000
	SV_TYPE_TERMINALSERVER    uint32 = 0x02000000
	SV_TYPE_CLUSTER_VS_NT     uint32 = 0x04000000
	SV_TYPE_DCE               uint32 = 0x10000000
	SV_TYPE_ALTERNATE_XPORT   uint32 = 0x20000000
	SV_TYPE_LOCAL_LIST_ONLY   uint32 = 0x40000000
	SV_TYPE_DOMAIN_ENUM       uint32 = 0x80000000
	SV_TYPE_ALL               uint32 = 0xFFFFFFFF
)

// File permissions, fi3_permissions (MS-SRVS 2.2.4.7).
const (
	PERM_FILE_READ   uint32 = 0x00000001
	PERM_FILE_WRITE  uint32 = 0x00000002
	PERM_FILE_CREATE uint32 = 0x00000004
	ACCESS_EXEC      uint32 = 0x00000008
	ACCESS_DELETE    uint32 = 0x00000010
	ACCESS_ATRIB     uint32 = 0x00000020
	ACCESS_PERM      uint32 = 0x00000040
)

// Share permissions for share-level security, shi2_permissions
// (MS-SRVS 2.2.4.24); ignored by servers with user-level security.
const (
	ACCESS_READ   uint32 = 0x00000001
	ACCESS_WRITE  uint32 = 0x00000002
	ACCESS_CREATE uint32 = 0x00000004
	ACCESS_ALL    uint32 = 0x0000007F
)

// ErrInvalidLevel is wrapped (with ndr.ErrMalformed) when a stub names an
// information level its union has no arm for.
var ErrInvalidLevel = errors.New("srvs: invalid information level")

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
	return fmt.Errorf("srvs: %s: %w", name, err)
}

// strSize is the bytes a string takes in a Windows NetApi buffer: its
// UTF-16 code units and the terminating NUL.
func strSize(s string) int { return 2 * (ndr.UTF16Len(s) + 1) }
