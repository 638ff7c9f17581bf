// Package smb2 is the SMB2/3 wire protocol (MS-SMB2): one Go type per
// message, each of which marshals and unmarshals itself, shared by lanman's
// client connection and by its server; and the SMB 3.x cryptography that
// goes with it: key derivation, the pre-authentication integrity hash,
// message signing and message encryption.
//
// # Encoding conventions
//
// A message is a 64-byte [Header] followed by a command-specific body.
// Body types have two methods:
//
//	Marshal(b []byte) []byte   // appends the body to b
//	Unmarshal(body []byte) error
//
// Offsets inside an SMB2 body are counted from the start of the message's
// header, so Marshal assumes the body it appends is preceded by exactly
// [HeaderSize] bytes of header (as [AppendMessage] arranges), and
// Unmarshal takes the bytes that follow the header (msg[HeaderSize:]).
//
// Decoders check every count, offset and length against the bytes present
// before slicing or allocating, and return an error wrapping
// [ErrMalformed] otherwise. Variable-length payloads (READ and WRITE data,
// security blobs, IOCTL buffers, ...) are returned as sub-slices of the
// input rather than copies: they alias the caller's buffer and stay valid
// only as long as it does. Strings are decoded into new Go strings.
//
// # Cryptography
//
// A connection hashes the NEGOTIATE exchange into a [PreauthHash] (3.1.1),
// each session forks it and hashes its SESSION_SETUP exchange, then
// [DeriveSessionKeys] turns the GSS session key into [SessionKeys]. A
// [Signer] signs and verifies messages in place; a [Cipher] wraps
// messages in a TRANSFORM_HEADER and unwraps them. AES-CMAC and AES-CCM,
// which the standard library lacks, are implemented here from RFC 4493
// and NIST SP 800-38C.
package smb2
