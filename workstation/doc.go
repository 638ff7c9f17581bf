// Package workstation is lanman's redirector and its local Workstation
// service: the counterpart, on every operating system, of Windows'
// LanmanWorkstation.
//
// A Redirector keeps a table of uses (MS-WKST 3.2.1.8, the Connection
// table): each use is a tree connect to \\server\share over an SMB2/3
// session, with an optional local name ("X:", "LPT1:", or on Unix any name
// the user chooses). Uses to one server with one set of credentials share a
// single SMB session; the last use of a session logs it off. Files opened
// through a use are counted in its refcount (ui*_refcount), and NetUseDel's
// force levels decide what happens to them.
//
// The Workstation service serves the table to the user's processes as
// MS-WKST (NetrUseAdd, NetrUseGetInfo, NetrUseDel, NetrUseEnum,
// NetrWkstaGetInfo) over DCE/RPC on a Unix socket that only the user can
// reach: the socket is mode 0600 in a directory of mode 0700 owned by the
// user, and every connection's peer uid is checked (SO_PEERCRED on Linux,
// LOCAL_PEERCRED on the BSDs and macOS). Dial is the client side; it
// reports NERR_WkstaNotStarted, as Windows does, when no service runs.
// Credentials given to a use stay in the service's memory only.
package workstation
