package dcerpc

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntstatus"
)

// A small test-only security mechanism, so that the RPC framing of
// authentication, signing and sealing can be tested before the real NTLM
// exists. It is not a mock of anything: it authenticates with a real
// challenge/response over a shared password, and protects messages with
// HMAC-SHA256 and AES-CTR keyed from the session key, with per-direction
// sequence numbers, so that any framing mistake (wrong region signed,
// wrong region encrypted, out-of-order use) makes verification fail.
//
// Legs: NEGOTIATE → CHALLENGE → AUTHENTICATE, done (three legs, like
// NTLM); with fourLegs the acceptor answers AUTHENTICATE with a FINISH
// token that the initiator must consume (like SPNEGO's mechListMIC leg).

type testInitiator struct {
	user, password string
	fourLegs       bool
	step           int
	key            []byte
}

func (i *testInitiator) Step(in []byte) ([]byte, bool, error) {
	i.step++
	switch i.step {
	case 1:
		return []byte("NEGOTIATE"), false, nil
	case 2:
		nonce, ok := bytes.CutPrefix(in, []byte("CHALLENGE:"))
		if !ok {
			return nil, false, errors.New("testmech: bad challenge")
		}
		i.key = mac([]byte(i.password), nonce)
		proof := mac(i.key, []byte("proof"))
		return append([]byte("AUTH:"+i.user+":"), proof...), !i.fourLegs, nil
	case 3:
		if !i.fourLegs || !bytes.Equal(in, []byte("FINISH")) {
			return nil, false, errors.New("testmech: unexpected token")
		}
		return nil, true, nil
	}
	return nil, false, errors.New("testmech: too many legs")
}

func (i *testInitiator) SessionKey() []byte { return i.key }

func (i *testInitiator) MessageSecurity() (gss.MessageSecurity, error) {
	return newTestSecurity(i.key, "c2s", "s2c"), nil
}

type testAcceptor struct {
	passwords map[string]string
	fourLegs  bool
	step      int
	nonce     []byte
	key       []byte
	id        gss.Identity
}

func (a *testAcceptor) Step(in []byte) ([]byte, bool, error) {
	a.step++
	switch a.step {
	case 1:
		if string(in) != "NEGOTIATE" {
			return nil, false, errors.New("testmech: bad negotiate")
		}
		a.nonce = []byte(fmt.Sprintf("nonce-%p", a))
		return append([]byte("CHALLENGE:"), a.nonce...), false, nil
	case 2:
		rest, ok := bytes.CutPrefix(in, []byte("AUTH:"))
		user, proof, ok2 := bytes.Cut(rest, []byte(":"))
		if !ok || !ok2 {
			return nil, false, errors.New("testmech: bad authenticate")
		}
		pw, known := a.passwords[string(user)]
		key := mac([]byte(pw), a.nonce)
		if !known || !hmac.Equal(proof, mac(key, []byte("proof"))) {
			return nil, false, fmt.Errorf("testmech: %w", ntstatus.STATUS_LOGON_FAILURE)
		}
		a.key = key
		a.id = gss.Identity{User: string(user), Domain: "TEST"}
		if a.fourLegs {
			return []byte("FINISH"), true, nil
		}
		return nil, true, nil
	}
	return nil, false, errors.New("testmech: too many legs")
}

func (a *testAcceptor) SessionKey() []byte     { return a.key }
func (a *testAcceptor) Identity() gss.Identity { return a.id }
func (a *testAcceptor) MessageSecurity() (gss.MessageSecurity, error) {
	return newTestSecurity(a.key, "s2c", "c2s"), nil
}

func mac(key, msg []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return h.Sum(nil)
}

type testSecurity struct {
	key              []byte
	sendDir, recvDir string
	sendSeq, recvSeq uint32
}

func newTestSecurity(key []byte, send, recv string) *testSecurity {
	return &testSecurity{key: key, sendDir: send, recvDir: recv}
}

func (s *testSecurity) SignatureSize() int { return 16 }

func (s *testSecurity) sig(dir string, seq uint32, msg []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(dir))
	_ = binary.Write(h, binary.LittleEndian, seq)
	h.Write(msg)
	return h.Sum(nil)[:16]
}

func (s *testSecurity) crypt(dir string, seq uint32, b []byte) {
	k := mac(s.key, []byte("seal-"+dir))[:16]
	blk, _ := aes.NewCipher(k)
	iv := make([]byte, 16)
	binary.LittleEndian.PutUint32(iv, seq)
	cipher.NewCTR(blk, iv).XORKeyStream(b, b)
}

func (s *testSecurity) Sign(msg []byte) ([]byte, error) {
	sig := s.sig(s.sendDir, s.sendSeq, msg)
	s.sendSeq++
	return sig, nil
}

var errBadSig = errors.New("testmech: bad signature")

func (s *testSecurity) Verify(msg, sig []byte) error {
	want := s.sig(s.recvDir, s.recvSeq, msg)
	s.recvSeq++
	if !hmac.Equal(want, sig) {
		return errBadSig
	}
	return nil
}

func (s *testSecurity) Seal(plain, signed []byte) ([]byte, error) {
	sig := s.sig(s.sendDir, s.sendSeq, signed)
	s.crypt(s.sendDir, s.sendSeq, plain)
	s.sendSeq++
	return sig, nil
}

func (s *testSecurity) Unseal(cipher, signed, sig []byte) error {
	s.crypt(s.recvDir, s.recvSeq, cipher)
	return s.Verify(signed, sig)
}
