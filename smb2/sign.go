package smb2

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
)

// Signer signs and verifies SMB2 messages in place (MS-SMB2 3.1.4.1)
// with one signing key and algorithm. It is safe for concurrent use.
type Signer struct {
	alg  SigningAlgorithm
	key  []byte      // HMAC-SHA256
	cmac *cmac       // AES-CMAC
	gcm  cipher.AEAD // AES-GMAC
}

// SigningAlgorithmFor is the algorithm a session signs with: HMAC-SHA256
// for 2.0.2 and 2.1, AES-CMAC for 3.0 and 3.0.2, and for 3.1.1 the one
// SIGNING_CAPABILITIES negotiated (pass negotiated=false when the server
// sent none, which means AES-CMAC).
func SigningAlgorithmFor(d Dialect, alg SigningAlgorithm, negotiated bool) SigningAlgorithm {
	switch {
	case !d.Is3x():
		return SigningHMACSHA256
	case d == Dialect311 && negotiated:
		return alg
	}
	return SigningAESCMAC
}

// NewSigner returns a Signer for the key (SessionKeys.Signing; 16 bytes
// for the AES algorithms).
func NewSigner(alg SigningAlgorithm, key []byte) (*Signer, error) {
	s := &Signer{alg: alg}
	switch alg {
	case SigningHMACSHA256:
		s.key = append([]byte(nil), key...)
	case SigningAESCMAC, SigningAESGMAC:
		if len(key) != 16 {
			return nil, fmt.Errorf("smb2: %v signing key of %d bytes, want 16", alg, len(key))
		}
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("smb2: %v signing key: %w", alg, err)
		}
		if alg == SigningAESCMAC {
			s.cmac = newCMAC(b)
		} else if s.gcm, err = cipher.NewGCM(b); err != nil {
			return nil, fmt.Errorf("smb2: %v: %w", alg, err)
		}
	default:
		return nil, fmt.Errorf("smb2: unknown signing algorithm %v", alg)
	}
	return s, nil
}

// Algorithm returns the signer's algorithm.
func (s *Signer) Algorithm() SigningAlgorithm { return s.alg }

// Sign sets FlagSigned in msg's header and writes the signature over the
// whole of msg (which, in a compound, must include the padding up to the
// next message: use the slices SplitCompound returns).
func (s *Signer) Sign(msg []byte) error {
	if len(msg) < HeaderSize {
		return malformed("sign: %d-byte message", len(msg))
	}
	f := binary.LittleEndian.Uint32(msg[headerFlagsOffset:])
	binary.LittleEndian.PutUint32(msg[headerFlagsOffset:], f|uint32(FlagSigned))
	sig := msg[headerSignatureOffset:HeaderSize]
	clear(sig)
	mac := s.compute(msg)
	copy(sig, mac[:])
	return nil
}

// Verify checks msg's signature, leaving msg unchanged. It returns an
// error wrapping ErrBadSignature on mismatch.
func (s *Signer) Verify(msg []byte) error {
	if len(msg) < HeaderSize {
		return malformed("verify: %d-byte message", len(msg))
	}
	sig := msg[headerSignatureOffset:HeaderSize]
	var got [16]byte
	copy(got[:], sig)
	clear(sig)
	want := s.compute(msg)
	copy(sig, got[:])
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return fmt.Errorf("%w: %v, message %d", ErrBadSignature, Command(le.Uint16(msg[12:])), le.Uint64(msg[headerMessageIDOffset:]))
	}
	return nil
}

// compute is the signature of msg, whose signature field is zero.
func (s *Signer) compute(msg []byte) [16]byte {
	var out [16]byte
	switch s.alg {
	case SigningHMACSHA256:
		m := hmac.New(sha256.New, s.key)
		m.Write(msg)
		var sum [sha256.Size]byte
		copy(out[:], m.Sum(sum[:0]))
	case SigningAESCMAC:
		out = s.cmac.sum(msg)
	case SigningAESGMAC:
		// The nonce is MessageId, then 4 bytes whose bit 0 says the
		// sender is the server and bit 1 that the message is a CANCEL
		// (MS-SMB2 3.1.4.1).
		var nonce [12]byte
		copy(nonce[:8], msg[headerMessageIDOffset:headerMessageIDOffset+8])
		var role uint32
		if Flags(le.Uint32(msg[headerFlagsOffset:]))&FlagServerToRedir != 0 {
			role |= 1
		}
		if Command(le.Uint16(msg[12:])) == CommandCancel {
			role |= 2
		}
		le.PutUint32(nonce[8:], role)
		// GMAC is GCM with everything as authenticated data.
		s.gcm.Seal(out[:0], nonce[:], nil, msg)
	}
	return out
}
