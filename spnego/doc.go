// Package spnego implements the Simple and Protected GSS-API Negotiation
// Mechanism (RFC 4178) with Microsoft's extensions (MS-SPNG) as lanman uses
// it: to carry NTLM inside SMB2 SESSION_SETUP and DCE/RPC
// RPC_C_AUTHN_GSS_NEGOTIATE. Kerberos is not supported, so NTLMSSP is the
// only mechanism offered or accepted.
//
// The token types (NegTokenInit, including the NegTokenInit2 form a server
// sends in its SMB2 NEGOTIATE response, and NegTokenResp) encode and decode
// themselves with a small hand-written DER codec that checks every length
// against the bytes left. Initiator and Acceptor run a context over an
// ntlm.Client or ntlm.Server, including the mechListMIC exchange that
// protects the mechanism list (MS-SPNG 3.1.5.1).
package spnego
