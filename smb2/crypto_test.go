package smb2

import (
	"bytes"
	"crypto/aes"
	"encoding/hex"
	"errors"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// RFC 4493 section 4 test vectors.
func TestCMACRFC4493(t *testing.T) {
	b, _ := aes.NewCipher(unhex(t, "2b7e151628aed2a6abf7158809cf4f3c"))
	c := newCMAC(b)
	if got := hex.EncodeToString(c.k1[:]); got != "fbeed618357133667c85e08f7236a8de" {
		t.Fatalf("K1 %s", got)
	}
	if got := hex.EncodeToString(c.k2[:]); got != "f7ddac306ae266ccf90bc11ee46d513b" {
		t.Fatalf("K2 %s", got)
	}
	msg := unhex(t, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
	for _, v := range []struct {
		n   int
		mac string
	}{
		{0, "bb1d6929e95937287fa37d129b756746"},
		{16, "070a16b46b4d4144f79bdd9dd04a287c"},
		{40, "dfa66747de9ae63030ca32611497c827"},
		{64, "51f0bebf7e3b9d92fc49741779363cfe"},
	} {
		got := c.sum(msg[:v.n])
		if hex.EncodeToString(got[:]) != v.mac {
			t.Errorf("len %d: %x want %s", v.n, got, v.mac)
		}
	}
}

// NIST SP 800-38C appendix C examples 1-3 and RFC 3610 packet vector #1,
// which exercise other nonce and tag sizes than SMB's 11 and 16.
func TestCCMVectors(t *testing.T) {
	for i, v := range []struct{ key, nonce, aad, plain, out string }{
		{"404142434445464748494a4b4c4d4e4f", "10111213141516", "0001020304050607", "20212223", "7162015b4dac255d"},
		{"404142434445464748494a4b4c4d4e4f", "1011121314151617", "000102030405060708090a0b0c0d0e0f", "202122232425262728292a2b2c2d2e2f", "d2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd"},
		{"404142434445464748494a4b4c4d4e4f", "101112131415161718191a1b", "000102030405060708090a0b0c0d0e0f10111213", "202122232425262728292a2b2c2d2e2f3031323334353637", "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951"},
		{"c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "00000003020100a0a1a2a3a4a5", "0001020304050607", "08090a0b0c0d0e0f101112131415161718191a1b1c1d1e", "588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0"},
	} {
		b, _ := aes.NewCipher(unhex(t, v.key))
		out := unhex(t, v.out)
		plain := unhex(t, v.plain)
		c, err := newCCM(b, len(unhex(t, v.nonce)), len(out)-len(plain))
		if err != nil {
			t.Fatal(err)
		}
		got := c.Seal(nil, unhex(t, v.nonce), plain, unhex(t, v.aad))
		if !bytes.Equal(got, out) {
			t.Errorf("vector %d: seal %x want %x", i, got, out)
		}
		p, err := c.Open(nil, unhex(t, v.nonce), out, unhex(t, v.aad))
		if err != nil || !bytes.Equal(p, plain) {
			t.Errorf("vector %d: open %x %v", i, p, err)
		}
		out[0] ^= 1
		if _, err := c.Open(nil, unhex(t, v.nonce), out, unhex(t, v.aad)); err == nil {
			t.Errorf("vector %d: tampered ciphertext opened", i)
		}
	}
}

func TestCCMRoundTripSizes(t *testing.T) {
	b, _ := aes.NewCipher(make([]byte, 32))
	c, _ := newCCM(b, 11, 16)
	nonce := make([]byte, 11)
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 1000, 65536 + 3} {
		for _, an := range []int{0, 1, 14, 32, 300} {
			plain := bytes.Repeat([]byte{byte(n)}, n)
			aad := bytes.Repeat([]byte{byte(an)}, an)
			ct := c.Seal(nil, nonce, plain, aad)
			// In place.
			buf := append([]byte(nil), ct...)
			p, err := c.Open(buf[:0], nonce, buf, aad)
			if err != nil || !bytes.Equal(p, plain) {
				t.Fatalf("n=%d aad=%d: %v", n, an, err)
			}
			if an > 0 {
				aad[0] ^= 1
				if _, err := c.Open(nil, nonce, ct, aad); err == nil {
					t.Fatalf("n=%d: tampered aad opened", n)
				}
			}
		}
	}
}

func TestKDFAndKeys(t *testing.T) {
	sk := unhex(t, "000102030405060708090a0b0c0d0e0f")
	k := DeriveSessionKeys(Dialect202, 0, sk[:8], nil)
	if !bytes.Equal(k.Signing, append(sk[:8:8], make([]byte, 8)...)) || k.ServerIn != nil {
		t.Fatalf("2.0.2 keys %+v", k)
	}
	k = DeriveSessionKeys(Dialect300, 0, sk, nil)
	if !bytes.Equal(k.Signing, KDF(sk, []byte("SMB2AESCMAC\x00"), []byte("SmbSign\x00"), 128)) || len(k.ServerIn) != 16 || bytes.Equal(k.ServerIn, k.ServerOut) {
		t.Fatalf("3.0 keys %+v", k)
	}
	var pre PreauthHash
	pre.Update([]byte("negotiate"))
	full := bytes.Repeat([]byte{7}, 32)
	k128 := DeriveSessionKeys(Dialect311, CipherAES128GCM, full, &pre)
	k256 := DeriveSessionKeys(Dialect311, CipherAES256GCM, full, &pre)
	if len(k128.ServerIn) != 16 || len(k256.ServerIn) != 32 || len(k256.Signing) != 16 {
		t.Fatalf("key sizes %d %d %d", len(k128.ServerIn), len(k256.ServerIn), len(k256.Signing))
	}
	if !bytes.Equal(k128.Signing, k256.Signing) {
		t.Fatal("signing key must not depend on the cipher")
	}
	other := pre
	other.Update([]byte("session setup"))
	if bytes.Equal(DeriveSessionKeys(Dialect311, CipherAES128GCM, full, &other).Signing, k128.Signing) {
		t.Fatal("preauth hash not used as context")
	}
	if len(KDF(sk, []byte("x"), nil, 384)) != 48 {
		t.Fatal("multi-block KDF length")
	}
}

func testMessage(n int) []byte {
	h := Header{Command: CommandWrite, MessageID: 0x0102030405060708, SessionID: 9, TreeID: 1, Credits: 1}
	return AppendMessage(nil, &h, &WriteRequest{FileID: testFID, Data: bytes.Repeat([]byte{0x5A}, n)})
}

func TestSignVerify(t *testing.T) {
	for _, alg := range []SigningAlgorithm{SigningHMACSHA256, SigningAESCMAC, SigningAESGMAC} {
		s, err := NewSigner(alg, bytes.Repeat([]byte{0x11}, 16))
		if err != nil {
			t.Fatal(err)
		}
		msg := testMessage(100)
		if err := s.Sign(msg); err != nil {
			t.Fatal(err)
		}
		var h Header
		_ = h.Unmarshal(msg)
		if h.Flags&FlagSigned == 0 || h.Signature == [16]byte{} {
			t.Fatalf("%v: not signed", alg)
		}
		if err := s.Verify(msg); err != nil {
			t.Fatalf("%v: %v", alg, err)
		}
		for _, i := range []int{0, 20, 47, 48, 63, 64, len(msg) - 1} {
			bad := bytes.Clone(msg)
			bad[i] ^= 0x80
			if err := s.Verify(bad); !errors.Is(err, ErrBadSignature) {
				t.Errorf("%v: flipped byte %d verified: %v", alg, i, err)
			}
		}
		if alg == SigningAESGMAC {
			// The role bit is in the nonce: a response signed with the
			// same bytes otherwise has a different signature.
			resp := bytes.Clone(msg)
			le.PutUint32(resp[16:], le.Uint32(resp[16:])|uint32(FlagServerToRedir))
			_ = s.Sign(resp)
			if bytes.Equal(resp[48:64], msg[48:64]) {
				t.Error("GMAC nonce ignores the response flag")
			}
		}
	}
	if _, err := NewSigner(SigningAESCMAC, make([]byte, 15)); err == nil {
		t.Error("15-byte CMAC key accepted")
	}
	if SigningAlgorithmFor(Dialect210, SigningAESGMAC, true) != SigningHMACSHA256 ||
		SigningAlgorithmFor(Dialect302, SigningAESGMAC, true) != SigningAESCMAC ||
		SigningAlgorithmFor(Dialect311, SigningAESGMAC, true) != SigningAESGMAC ||
		SigningAlgorithmFor(Dialect311, 0, false) != SigningAESCMAC {
		t.Error("SigningAlgorithmFor")
	}
}

func TestEncryptDecrypt(t *testing.T) {
	for _, id := range []CipherID{CipherAES128CCM, CipherAES128GCM, CipherAES256CCM, CipherAES256GCM} {
		key := bytes.Repeat([]byte{0x42}, id.KeySize())
		enc, err := NewCipher(id, key)
		if err != nil {
			t.Fatal(err)
		}
		dec, _ := NewCipher(id, key)
		msg := testMessage(5000)
		f1, err := enc.Encrypt(nil, msg, 77)
		if err != nil {
			t.Fatal(err)
		}
		f2, _ := enc.Encrypt([]byte("prefix"), msg, 77)
		f2 = f2[6:]
		if bytes.Equal(f1[20:36], f2[20:36]) {
			t.Fatalf("%v: nonce repeated", id)
		}
		if len(f1) != TransformHeaderSize+len(msg) || KindOf(f1) != FrameEncrypted {
			t.Fatalf("%v: frame length %d", id, len(f1))
		}
		// Not in place (no spare capacity).
		th, plain, err := dec.Decrypt(f1[:len(f1):len(f1)])
		if err != nil || !bytes.Equal(plain, msg) || th.SessionID != 77 {
			t.Fatalf("%v: %v", id, err)
		}
		// In place.
		buf := make([]byte, len(f2), len(f2)+DecryptSlack)
		copy(buf, f2)
		_, plain, err = dec.Decrypt(buf)
		if err != nil || !bytes.Equal(plain, msg) || &plain[0] != &buf[TransformHeaderSize] {
			t.Fatalf("%v: in place: %v", id, err)
		}
		// Tampering anywhere after ProtocolId fails.
		for _, i := range []int{4, 19, 20, 40, 44, 51, 52, len(f1) - 1} {
			bad := bytes.Clone(f1)
			bad[i] ^= 1
			if _, _, err := dec.Decrypt(bad); err == nil {
				t.Errorf("%v: flipped byte %d decrypted", id, i)
			}
		}
		wrong, _ := NewCipher(id, bytes.Repeat([]byte{0x43}, id.KeySize()))
		if _, _, err := wrong.Decrypt(bytes.Clone(f1)); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%v: wrong key: %v", id, err)
		}
	}
	if _, err := NewCipher(CipherAES256GCM, make([]byte, 16)); err == nil {
		t.Error("short key accepted")
	}
}

func TestPreauthHash(t *testing.T) {
	var a PreauthHash
	a.Update([]byte("x"))
	fork := a
	a.Update([]byte("y"))
	if a == fork {
		t.Fatal("update did not change the hash")
	}
	fork.Update([]byte("y"))
	if a != fork {
		t.Fatal("forked hash diverged")
	}
}

// FuzzDecrypt feeds hostile encrypted frames to each cipher.
func FuzzDecrypt(f *testing.F) {
	c, _ := NewCipher(CipherAES128CCM, make([]byte, 16))
	fr, _ := c.Encrypt(nil, testMessage(10), 1)
	f.Add(uint8(1), fr)
	g, _ := NewCipher(CipherAES256GCM, make([]byte, 32))
	fr, _ = g.Encrypt(nil, testMessage(10), 1)
	f.Add(uint8(4), fr)
	ciphers := map[uint8]*Cipher{}
	for id := uint8(1); id <= 4; id++ {
		ciphers[id], _ = NewCipher(CipherID(id), make([]byte, CipherID(id).KeySize()))
	}
	f.Fuzz(func(t *testing.T, id uint8, frame []byte) {
		c := ciphers[(id+3)%4+1]
		if _, _, err := c.Decrypt(frame); err == nil {
			// Only a frame some Cipher with this key made can decrypt.
			if len(frame) < TransformHeaderSize {
				t.Fatal("short frame decrypted")
			}
		}
	})
}
