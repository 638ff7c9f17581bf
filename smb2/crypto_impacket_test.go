package smb2

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

// TestCryptoAgainstImpacket compares the KDF, the key derivation of every
// dialect, AES-CMAC, HMAC-SHA256 and AES-GMAC signatures, the
// preauthentication hash, and encryption with all four ciphers in both
// directions against impacket and Cryptodome (testdata/impacket_crosscheck.py).
// Without impacket it skips, except under CI=true, where it fails.
func TestCryptoAgainstImpacket(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import impacket.crypto, impacket.smb3structs, Cryptodome.Cipher.AES").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("impacket is required under CI=true: %v", err)
		}
		t.Skipf("impacket not available: %v", err)
	}
	sessionKey := unhex(t, "7a93b5c1d2e3f40516273849aabbccdd")
	full := unhex(t, "7a93b5c1d2e3f40516273849aabbccdd0102030405060708090a0b0c0d0e0f10")
	key16 := unhex(t, "00112233445566778899aabbccddeeff")
	key32 := append(bytes.Clone(key16), unhex(t, "ffeeddccbbaa99887766554433221100")...)
	negReq := AppendMessage(nil, &Header{MessageID: 0}, &NegotiateRequest{Dialects: []Dialect{Dialect311},
		Contexts: []NegotiateContext{(&PreauthIntegrityCapabilities{HashAlgorithms: []HashAlgorithm{HashSHA512}, Salt: make([]byte, 32)}).NegotiateContext()}})
	negResp := AppendMessage(nil, &Header{Flags: FlagServerToRedir}, &NegotiateResponse{DialectRevision: Dialect311, SecurityBuffer: []byte{1, 2, 3}})
	var pre PreauthHash
	pre.Update(negReq)
	pre.Update(negResp)

	msg := testMessage(333)
	le.PutUint32(msg[16:], le.Uint32(msg[16:])|uint32(FlagSigned)) // as Sign leaves it
	var gmacNonce [12]byte
	copy(gmacNonce[:], msg[24:32])

	in := map[string]string{
		"session_key": hex.EncodeToString(sessionKey),
		"full_key":    hex.EncodeToString(full),
		"preauth":     hex.EncodeToString(pre[:]),
		"key16":       hex.EncodeToString(key16),
		"key32":       hex.EncodeToString(key32),
		"msg":         hex.EncodeToString(msg),
		"gmac_nonce":  hex.EncodeToString(gmacNonce[:]),
		"neg_req":     hex.EncodeToString(negReq),
		"neg_resp":    hex.EncodeToString(negResp),
	}
	ciphers := map[int]*Cipher{}
	for id := 1; id <= 4; id++ {
		key := key16
		if id > 2 {
			key = key32
		}
		c, err := NewCipher(CipherID(id), key)
		if err != nil {
			t.Fatal(err)
		}
		ciphers[id] = c
		f, err := c.Encrypt(nil, msg, 0x1122334455667788)
		if err != nil {
			t.Fatal(err)
		}
		in["go_frame_"+string(rune('0'+id))] = hex.EncodeToString(f)
	}
	stdin, _ := json.Marshal(in)
	cmd := exec.Command(py, "testdata/impacket_crosscheck.py")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("crosscheck script: %v\n%s", err, stderr.String())
	}
	var outHex map[string]string
	if err := json.Unmarshal(raw, &outHex); err != nil {
		t.Fatal(err)
	}
	out := func(k string) []byte {
		v, ok := outHex[k]
		if !ok {
			t.Fatalf("script gave no %s", k)
		}
		return unhex(t, v)
	}
	eq := func(name string, got, want []byte) {
		t.Helper()
		if !bytes.Equal(got, want) {
			t.Errorf("%s: go %x, impacket %x", name, got, want)
		}
	}

	k30 := DeriveSessionKeys(Dialect300, 0, sessionKey, nil)
	eq("3.0 signing key", k30.Signing, out("kdf30_sign"))
	eq("3.0 ServerIn key", k30.ServerIn, out("kdf30_in"))
	eq("3.0 ServerOut key", k30.ServerOut, out("kdf30_out"))
	eq("3.0 application key", k30.Application, out("kdf30_app"))
	k311 := DeriveSessionKeys(Dialect311, CipherAES128GCM, sessionKey, &pre)
	eq("3.1.1 signing key", k311.Signing, out("kdf311_sign"))
	eq("3.1.1 C2S key", k311.ServerIn, out("kdf311_c2s"))
	eq("3.1.1 S2C key", k311.ServerOut, out("kdf311_s2c"))
	eq("3.1.1 application key", k311.Application, out("kdf311_app"))
	k256 := DeriveSessionKeys(Dialect311, CipherAES256CCM, full, &pre)
	eq("3.1.1 C2S key (AES-256)", k256.ServerIn, out("kdf311_c2s_256"))
	eq("3.1.1 S2C key (AES-256)", k256.ServerOut, out("kdf311_s2c_256"))
	eq("preauth hash", pre[:], out("preauth"))

	for alg, name := range map[SigningAlgorithm]string{SigningAESCMAC: "cmac", SigningHMACSHA256: "hmac", SigningAESGMAC: "gmac"} {
		s, _ := NewSigner(alg, key16)
		m := bytes.Clone(msg)
		if err := s.Sign(m); err != nil {
			t.Fatal(err)
		}
		eq(alg.String()+" signature", m[48:64], out(name))
	}

	for id := 1; id <= 4; id++ {
		d := string(rune('0' + id))
		eq(CipherID(id).String()+" decrypted by Cryptodome", out("go_plain_"+d), msg)
		th, plain, err := ciphers[id].Decrypt(out("py_frame_" + d))
		if err != nil {
			t.Errorf("%v: frame from impacket: %v", CipherID(id), err)
			continue
		}
		eq(CipherID(id).String()+" decrypted from impacket", plain, msg)
		if th.SessionID != 0x1122334455667788 {
			t.Errorf("session id %x", th.SessionID)
		}
	}
}
