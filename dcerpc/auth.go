package dcerpc

import (
	"encoding/binary"
	"fmt"
)

// AuthType is the security provider of a sec_trailer (MS-RPCE 2.2.1.1.7).
type AuthType uint8

const (
	AuthTypeNone     AuthType = 0x00
	AuthTypeSPNEGO   AuthType = 0x09 // RPC_C_AUTHN_GSS_NEGOTIATE
	AuthTypeWinNT    AuthType = 0x0A // RPC_C_AUTHN_WINNT: bare NTLMSSP
	AuthTypeSchannel AuthType = 0x0E
	AuthTypeKerberos AuthType = 0x10
	AuthTypeNetlogon AuthType = 0x44
	AuthTypeDefault  AuthType = 0xFF
)

// AuthLevel is the protection level of a sec_trailer (MS-RPCE 2.2.1.1.8).
type AuthLevel uint8

const (
	AuthLevelDefault   AuthLevel = 0
	AuthLevelNone      AuthLevel = 1
	AuthLevelConnect   AuthLevel = 2
	AuthLevelCall      AuthLevel = 3
	AuthLevelPkt       AuthLevel = 4
	AuthLevelIntegrity AuthLevel = 5
	AuthLevelPrivacy   AuthLevel = 6
)

func (l AuthLevel) String() string {
	switch l {
	case AuthLevelDefault:
		return "default"
	case AuthLevelNone:
		return "none"
	case AuthLevelConnect:
		return "connect"
	case AuthLevelCall:
		return "call"
	case AuthLevelPkt:
		return "packet"
	case AuthLevelIntegrity:
		return "packet integrity"
	case AuthLevelPrivacy:
		return "packet privacy"
	}
	return fmt.Sprintf("authn_level(%d)", uint8(l))
}

// secTrailerLen is the size of the sec_trailer before the token.
const secTrailerLen = 8

// AuthVerifier is the auth_verifier_co_t of C706 12.6 — in MS-RPCE 2.2.2.11
// terms the authentication padding, the sec_trailer and the authentication
// token — that ends a PDU whose auth_length is not zero.
//
// PadLength is the number of padding octets between the PDU body and the
// sec_trailer. Decoding reads it from the wire; encoding writes that many
// zero octets, so a sender sets it to align the trailer (16 for request
// and response stubs, as Windows does; bind-type bodies are already
// 4-aligned and need none). Value aliases the decoded bytes.
type AuthVerifier struct {
	Type      AuthType
	Level     AuthLevel
	PadLength uint8
	Reserved  uint8
	ContextID uint32
	Value     []byte
}

// appendAuth appends padding, sec_trailer and token.
func appendAuth(b []byte, a *AuthVerifier) []byte {
	for range a.PadLength {
		b = append(b, 0)
	}
	b = append(b, byte(a.Type), byte(a.Level), a.PadLength, a.Reserved)
	b = binary.LittleEndian.AppendUint32(b, a.ContextID)
	return append(b, a.Value...)
}

// splitAuth finds the auth verifier of a PDU p (cut to frag_length) whose
// body starts at bodyStart, per MS-RPCE 2.2.2.11: the sec_trailer starts
// at frag_length - auth_length - 8, and auth_pad_length octets before it
// end the body. It returns the end of the body. With auth_length zero
// there is no verifier and the body runs to the end.
func splitAuth(p []byte, h Header, bodyStart int, a *AuthVerifier) (bodyEnd int, present bool, err error) {
	if h.AuthLength == 0 {
		return len(p), false, nil
	}
	t := len(p) - int(h.AuthLength) - secTrailerLen
	if t < bodyStart {
		return 0, false, fmt.Errorf("%w: sec_trailer at %d overlaps the %s header", ErrMalformed, t, h.Type)
	}
	a.Type = AuthType(p[t])
	a.Level = AuthLevel(p[t+1])
	a.PadLength = p[t+2]
	a.Reserved = p[t+3]
	a.ContextID = binary.LittleEndian.Uint32(p[t+4:])
	a.Value = p[t+secTrailerLen:]
	end := t - int(a.PadLength)
	if end < bodyStart {
		return 0, false, fmt.Errorf("%w: auth_pad_length %d exceeds the body", ErrMalformed, a.PadLength)
	}
	return end, true, nil
}
