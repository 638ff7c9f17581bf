// Package dcerpc is connection-oriented DCE/RPC (C706 chapter 12 with the
// Microsoft extensions of MS-RPCE 2.2.2 and 3.3) over any byte stream or
// message pipe, with the NDR20 transfer syntax.
//
// One codec serves both halves: every PDU of the connection-oriented
// protocol is a Go type that appends itself to a byte slice and decodes
// itself from one (bind, bind_ack, bind_nak, alter_context,
// alter_context_resp, request, response, fault, rpc_auth_3, shutdown,
// co_cancel, orphaned). On top of it:
//
//   - Client binds an interface, optionally authenticating through a
//     gss.Initiator (NTLM: auth type 10, three legs ending in rpc_auth_3;
//     SPNEGO: auth type 9, extra legs in alter_context), and performs calls
//     with fragmentation in both directions and packet integrity or privacy
//     through a gss.MessageSecurity. It runs over a Transport, which an SMB2
//     named pipe implements with one IOCTL (FSCTL_PIPE_TRANSCEIVE) per call,
//     and can also be driven in "staged" form, where the caller moves the
//     bytes itself (to put a bind into an SMB2 compound, for instance).
//     The rest of a long reply is read one fragment per read, or, over a
//     Transport that is also a MessageReader (an SMB2 pipe), with the
//     fragments the first one's alloc_hint announces read in one flight.
//
//   - Server holds a registry of interfaces in the style of net/http; an
//     Association is one pipe open or TCP connection, driven by the bytes
//     the transport delivers, producing the reply messages to return.
//
// Only little-endian, ASCII, IEEE data representations are spoken; a PDU
// whose drep says big-endian is refused with ErrDataRepresentation (every
// Windows and Samba peer sends little-endian).
//
// Signing and sealing follow what Windows does with NTLM (and what
// impacket and Samba interoperate with): the signature covers the whole
// PDU — header, body, padding and sec_trailer — and, at the privacy level,
// only the stub and its authentication padding are encrypted
// (MS-RPCE 3.3.1.5.2.2).
package dcerpc
