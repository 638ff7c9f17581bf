// Package ntlm implements the NT LAN Manager authentication protocol
// (MS-NLMP), NTLMv2 only, as both initiator (Client) and acceptor (Server),
// together with NTLM session security (signing and sealing, MS-NLMP 3.4).
//
// The package deliberately refuses the weak parts of NTLM: it never sends
// or accepts LM or NTLMv1 responses, and as a client it refuses a server
// that does not offer extended session security or 128-bit keys.
//
// A Client and a Server each run one security context: they exchange the
// three NTLMSSP messages (NEGOTIATE, CHALLENGE, AUTHENTICATE) through Step,
// as the gss.Initiator and gss.Acceptor interfaces describe, and once done
// they yield the exported session key and a *Security that signs and seals
// messages. DCE/RPC's RPC_C_AUTHN_WINNT (auth type 10) carries these bare
// tokens; SMB2 and RPC_C_AUTHN_GSS_NEGOTIATE wrap them in SPNEGO (package
// spnego).
//
// Each wire message (Negotiate, Challenge, Authenticate, AVPairs) has its
// own type that marshals and unmarshals itself; decoders check every length
// and offset against the bytes they were given and never panic.
package ntlm
