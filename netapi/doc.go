// Package netapi is lanman's public API: the LAN Manager network-management
// functions of netapi32.dll (NetSessionEnum, NetConnectionEnum,
// NetFileEnum, NetShareEnum, NetServerGetInfo, NetWkstaUserEnum,
// NetSessionDel, NetFileClose, and the NetUse* functions) for any
// operating system.
//
// It offers the calls in two shapes:
//
//   - Win32-faithful functions with the parameters and semantics of the
//     Win32 API: a server name as `\\name` or `name`, an information level,
//     PreferedMaximumLength (MAX_PREFERRED_LENGTH for everything), entries
//     read, total entries, a resume handle, and ERROR_MORE_DATA when there
//     is more. The buffer comes back as a slice of the level's type
//     ([]SessionInfo502 for level 502), with nothing to free.
//
//   - Idiomatic Go on top: a Client dialled once and reused for many calls,
//     and iterators (Sessions, Connections, Files, Shares, LoggedOn) whose
//     type parameter chooses the level and which page through
//     ERROR_MORE_DATA themselves.
//
// Remote calls travel as MS-SRVS and MS-WKST over DCE/RPC on SMB2/3 named
// pipes, authenticated with NTLMv2, signed, and encrypted when the server
// asks or Options.RequireEncryption does. On Windows, the package-level
// functions call netapi32.dll itself unless explicit credentials are set,
// so that the logged-on user's single sign-on works.
//
// Errors are values: a NET_API_STATUS or Win32 code (Errno), an NTSTATUS
// from the SMB layer (NTStatus), or a DCE/RPC fault (Fault), each usable
// with errors.Is and printed with its name and number:
//
//	if errors.Is(err, netapi.ERROR_ACCESS_DENIED) { … }
package netapi
