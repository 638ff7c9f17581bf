package ntlm

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rc4"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"hash"
	"sync"
)

// SignatureSize is the length of an NTLMSSP_MESSAGE_SIGNATURE.
const SignatureSize = 16

// Security is NTLM session security (MS-NLMP 3.4) for one established
// context: it signs and seals what this side sends and verifies and
// unseals what it receives, keeping a sequence number and an RC4 state per
// direction. It implements gss.MessageSecurity. Only the extended session
// security variant (3.4.4.2) exists here, since lanman refuses the others.
//
// Calls for one direction must be made in the order the messages travel;
// the two directions are independent and may be used concurrently.
type Security struct {
	flags NegotiateFlags
	out   direction // what this side sends
	in    direction // what this side receives
}

// direction is the key state for one way of traffic.
type direction struct {
	mu      sync.Mutex
	sealKey [16]byte
	mac     hash.Hash // HMAC_MD5 keyed with the signing key, reused
	rc4     *rc4.Cipher
	seq     uint32
	// scratch keeps the hash input and output off the stack of callers:
	// passing their arrays through the hash.Hash interface would make them
	// escape to the heap on every message.
	scratch [md5.Size]byte
}

func (d *direction) init(signKey, sealKey [16]byte) {
	d.sealKey = sealKey
	d.mac = hmac.New(md5.New, signKey[:])
	d.rc4, _ = rc4.NewCipher(d.sealKey[:])
}

// newSecurity derives the four keys from the exported session key
// (MS-NLMP 3.4.5) and orients them for the client or the server.
func newSecurity(flags NegotiateFlags, exportedSessionKey []byte, client bool) *Security {
	s := &Security{flags: flags}
	cSign, sSign := signKey(exportedSessionKey, true), signKey(exportedSessionKey, false)
	cSeal, sSeal := sealKey(flags, exportedSessionKey, true), sealKey(flags, exportedSessionKey, false)
	if client {
		s.out.init(cSign, cSeal)
		s.in.init(sSign, sSeal)
	} else {
		s.out.init(sSign, sSeal)
		s.in.init(cSign, cSeal)
	}
	return s
}

// Flags returns the negotiated flags the context runs with.
func (s *Security) Flags() NegotiateFlags { return s.flags }

// SignatureSize is 16.
func (s *Security) SignatureSize() int { return SignatureSize }

// integrity reports whether real signatures are in use. Without
// NegotiateSign or NegotiateSeal, MS-NLMP 3.4.4.3 prescribes a constant
// signature (version 1, all else zero).
func (s *Security) integrity() bool { return s.flags&(NegotiateSign|NegotiateSeal) != 0 }

// checksum starts the NTLMSSP_MESSAGE_SIGNATURE over msg (MS-NLMP
// 3.4.4.2): version 1, the direction's sequence number, and
// HMAC_MD5(SigningKey, SeqNum || msg)[0..7] in clear. The caller holds d.mu.
func (d *direction) checksum(sig *[SignatureSize]byte, msg []byte) {
	binary.LittleEndian.PutUint32(sig[0:], 1)
	binary.LittleEndian.PutUint32(sig[12:], d.seq)
	binary.LittleEndian.PutUint32(d.scratch[:], d.seq)
	d.mac.Reset()
	d.mac.Write(d.scratch[:4])
	d.mac.Write(msg)
	copy(sig[4:12], d.mac.Sum(d.scratch[:0]))
}

// finish encrypts the checksum with the direction's RC4 stream when keys
// were exchanged, and advances the sequence number.
func (s *Security) finish(d *direction, sig *[SignatureSize]byte) {
	if s.flags&NegotiateKeyExch != 0 {
		d.rc4.XORKeyStream(sig[4:12], sig[4:12])
	}
	d.seq++
}

// mac computes a whole signature over msg. The caller holds d.mu.
func (s *Security) mac(d *direction, sig *[SignatureSize]byte, msg []byte) {
	if !s.integrity() {
		*sig = [SignatureSize]byte{0: 1}
		return
	}
	d.checksum(sig, msg)
	s.finish(d, sig)
}

// Sign returns the signature over msg and advances the outgoing sequence
// number (GSS_GetMICEx, MS-NLMP 3.4.8).
func (s *Security) Sign(msg []byte) ([]byte, error) {
	var sig [SignatureSize]byte
	s.out.mu.Lock()
	s.mac(&s.out, &sig, msg)
	s.out.mu.Unlock()
	return sig[:], nil
}

// Verify checks a signature the peer made over msg (GSS_VerifyMICEx,
// MS-NLMP 3.4.9), advancing the incoming sequence number.
func (s *Security) Verify(msg, sig []byte) error {
	if len(sig) != SignatureSize {
		return fmt.Errorf("ntlm: verify: signature is %d bytes, want %d: %w", len(sig), SignatureSize, ErrBadSignature)
	}
	var want [SignatureSize]byte
	s.in.mu.Lock()
	seq := s.in.seq
	s.mac(&s.in, &want, msg)
	s.in.mu.Unlock()
	if subtle.ConstantTimeCompare(want[:], sig) != 1 {
		return fmt.Errorf("ntlm: verify: sequence %d: %w", seq, ErrBadSignature)
	}
	return nil
}

// Seal encrypts plain in place and returns the signature over signed,
// computed on its plaintext (GSS_WrapEx, MS-NLMP 3.4.6). As DCE/RPC needs,
// signed is the whole PDU and plain the stub inside it. The checksum is
// taken before encryption; the RC4 stream then encrypts plain and after it
// the checksum, in the order of MS-NLMP 3.4.3.
func (s *Security) Seal(plain, signed []byte) ([]byte, error) {
	if s.flags&NegotiateSeal == 0 {
		return nil, fmt.Errorf("ntlm: seal: confidentiality was not negotiated: %w", ErrNoSessionSecurity)
	}
	var sig [SignatureSize]byte
	d := &s.out
	d.mu.Lock()
	d.checksum(&sig, signed)
	d.rc4.XORKeyStream(plain, plain)
	s.finish(d, &sig)
	d.mu.Unlock()
	return sig[:], nil
}

// Unseal decrypts cipher in place and verifies sig over signed, which then
// holds the plaintext (GSS_UnwrapEx, MS-NLMP 3.4.7).
func (s *Security) Unseal(cipher, signed, sig []byte) error {
	if s.flags&NegotiateSeal == 0 {
		return fmt.Errorf("ntlm: unseal: confidentiality was not negotiated: %w", ErrNoSessionSecurity)
	}
	if len(sig) != SignatureSize {
		return fmt.Errorf("ntlm: unseal: signature is %d bytes, want %d: %w", len(sig), SignatureSize, ErrBadSignature)
	}
	var want [SignatureSize]byte
	d := &s.in
	d.mu.Lock()
	seq := d.seq
	d.rc4.XORKeyStream(cipher, cipher)
	d.checksum(&want, signed)
	s.finish(d, &want)
	d.mu.Unlock()
	if subtle.ConstantTimeCompare(want[:], sig) != 1 {
		return fmt.Errorf("ntlm: unseal: sequence %d: %w", seq, ErrBadSignature)
	}
	return nil
}

// ResetCipherState restarts both RC4 streams from the sealing keys while
// keeping the sequence numbers. SPNEGO needs this after the mechListMIC
// exchange: MS-SPNG 3.2.5.1 and 3.3.5.1 require the RC4 state for the first
// application message to be the one the mechListMIC used (Samba does the
// same, resetting the RC4 state but not the sequence numbers).
func (s *Security) ResetCipherState() {
	for _, d := range []*direction{&s.out, &s.in} {
		d.mu.Lock()
		d.rc4, _ = rc4.NewCipher(d.sealKey[:])
		d.mu.Unlock()
	}
}
