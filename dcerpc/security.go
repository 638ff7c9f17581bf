package dcerpc

import (
	"fmt"

	"github.com/lanman/lanman/gss"
)

// MessageSecurer is implemented by mechanism contexts (the ntlm and spnego
// initiators and acceptors) that yield per-message protection once
// established. Client and Server use it when no explicit function is
// configured.
type MessageSecurer interface {
	MessageSecurity() (gss.MessageSecurity, error)
}

// secContext is an established security context of one connection: what
// protects request and response PDUs (MS-RPCE 3.3.1.5.2.2).
type secContext struct {
	typ   AuthType
	level AuthLevel
	ctxID uint32
	ms    gss.MessageSecurity // nil below packet integrity
}

// protects reports whether PDUs carry a signature.
func (s *secContext) protects() bool { return s != nil && s.level >= AuthLevelIntegrity }

// stubPad is the authentication padding after a stub of n octets: the
// sec_trailer is 16-byte aligned relative to the start of the stub, as
// Windows and Samba do (MS-RPCE 2.2.2.11).
func stubPad(n int) uint8 { return uint8((16 - n%16) % 16) }

var zeroSig [64]byte

// verifier returns the auth verifier to append for a stub of n octets,
// with a zero placeholder for the signature.
func (s *secContext) verifier(n int, av *AuthVerifier) *AuthVerifier {
	size := s.ms.SignatureSize()
	*av = AuthVerifier{Type: s.typ, Level: s.level, PadLength: stubPad(n), ContextID: s.ctxID}
	if size <= len(zeroSig) {
		av.Value = zeroSig[:size]
	} else {
		av.Value = make([]byte, size)
	}
	return av
}

// seal signs, and at the privacy level encrypts, the PDU p that was just
// appended with a placeholder verifier. stubOff is where the stub starts
// in p; the stub and its padding run up to the sec_trailer.
func (s *secContext) seal(p []byte, stubOff int) error {
	size := s.ms.SignatureSize()
	signed := p[:len(p)-size]
	trailer := len(signed) - secTrailerLen
	var sig []byte
	var err error
	if s.level == AuthLevelPrivacy {
		sig, err = s.ms.Seal(p[stubOff:trailer], signed)
	} else {
		sig, err = s.ms.Sign(signed)
	}
	if err != nil {
		return fmt.Errorf("dcerpc: protecting PDU: %w", err)
	}
	if len(sig) != size {
		return fmt.Errorf("dcerpc: security provider returned a %d-byte signature, announced %d", len(sig), size)
	}
	copy(p[len(signed):], sig)
	return nil
}

// open checks the verifier of a received request or response fragment p
// (cut to frag_length) and, at the privacy level, decrypts its stub in
// place. stubOff is where the stub starts. av is the decoded verifier (nil
// when the PDU has none).
func (s *secContext) open(p []byte, stubOff int, av *AuthVerifier) error {
	if av == nil {
		return fmt.Errorf("%w: PDU without auth verifier at level %s", ErrAuth, s.level)
	}
	if av.Type != s.typ || av.Level != s.level || av.ContextID != s.ctxID {
		return fmt.Errorf("%w: auth verifier type %d level %d context %d, want %d/%d/%d",
			ErrAuth, av.Type, av.Level, av.ContextID, s.typ, s.level, s.ctxID)
	}
	size := s.ms.SignatureSize()
	if len(av.Value) < size {
		return fmt.Errorf("%w: %d-byte signature, want %d", ErrAuth, len(av.Value), size)
	}
	signed := p[:len(p)-len(av.Value)]
	sig := av.Value[:size]
	trailer := len(signed) - secTrailerLen
	var err error
	if s.level == AuthLevelPrivacy {
		err = s.ms.Unseal(p[stubOff:trailer], signed, sig)
	} else {
		err = s.ms.Verify(signed, sig)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAuth, err)
	}
	return nil
}
