package ntlm

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes a hex dump, ignoring spaces and newlines.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Values of MS-NLMP 4.2.1 and 4.2.4.
var (
	specUser            = "User"
	specDomain          = "Domain"
	specPassword        = "Password"
	specServerChallenge = [8]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	specClientChallenge = [8]byte{0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa}
	specRandomKey       = bytes.Repeat([]byte{0x55}, 16)
	specFlags           = NegotiateFlags(0xe28a8233)
)

// specChallenge is the CHALLENGE_MESSAGE of MS-NLMP 4.2.4.3.
const specChallenge = `
4e 54 4c 4d 53 53 50 00 02 00 00 00 0c 00 0c 00
38 00 00 00 33 82 8a e2 01 23 45 67 89 ab cd ef
00 00 00 00 00 00 00 00 24 00 24 00 44 00 00 00
06 00 70 17 00 00 00 0f 53 00 65 00 72 00 76 00
65 00 72 00 02 00 0c 00 44 00 6f 00 6d 00 61 00
69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00
65 00 72 00 00 00 00 00`

// specAuthenticate is the AUTHENTICATE_MESSAGE of MS-NLMP 4.2.4.3.
const specAuthenticate = `
4e 54 4c 4d 53 53 50 00 03 00 00 00 18 00 18 00
6c 00 00 00 54 00 54 00 84 00 00 00 0c 00 0c 00
48 00 00 00 08 00 08 00 54 00 00 00 10 00 10 00
5c 00 00 00 10 00 10 00 d8 00 00 00 35 82 88 e2
05 01 28 0a 00 00 00 0f 44 00 6f 00 6d 00 61 00
69 00 6e 00 55 00 73 00 65 00 72 00 43 00 4f 00
4d 00 50 00 55 00 54 00 45 00 52 00 86 c3 50 97
ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa
aa aa aa aa 68 cd 0a b8 51 e5 1c 96 aa bc 92 7b
eb ef 6a 1c 01 01 00 00 00 00 00 00 00 00 00 00
00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00
02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00
01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00
00 00 00 00 00 00 00 00 c5 da d2 54 4f c9 79 90
94 ce 1c e9 0b c9 d0 3e`

func TestSpecCommonValues(t *testing.T) {
	// 4.2.1: the UNICODE encodings of the common values.
	if got, want := utf16Bytes(strings.ToUpper(specUser)), unhex(t, "55 00 53 00 45 00 52 00"); !bytes.Equal(got, want) {
		t.Errorf("UNICODE(USER) = %x, want %x", got, want)
	}
	if got, want := utf16Bytes(specPassword), unhex(t, "50 00 61 00 73 00 73 00 77 00 6f 00 72 00 64 00"); !bytes.Equal(got, want) {
		t.Errorf("UNICODE(Password) = %x, want %x", got, want)
	}
	// NTOWFv1 of "Password" (4.2.2.1.2), the NT hash NTOWFv2 is keyed with.
	h := NTHash(specPassword)
	if got, want := h[:], unhex(t, "a4 f4 9c 40 65 10 bd ca b6 82 4e e7 c3 0f d8 52"); !bytes.Equal(got, want) {
		t.Errorf("NTOWFv1 = %x, want %x", got, want)
	}
}

func TestSpecNTLMv2(t *testing.T) {
	hash := NTHash(specPassword)
	key := ntowfv2(&hash, specUser, specDomain)
	if want := unhex(t, "0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f"); !bytes.Equal(key[:], want) {
		t.Fatalf("NTOWFv2 = %x, want %x", key, want)
	}

	var ch Challenge
	if err := ch.Unmarshal(unhex(t, specChallenge)); err != nil {
		t.Fatal(err)
	}
	if ch.Flags != specFlags || ch.ServerChallenge != specServerChallenge || ch.TargetName != "Server" {
		t.Fatalf("challenge decoded as %v %x %q", ch.Flags, ch.ServerChallenge, ch.TargetName)
	}
	if ch.TargetInfo.String(AvNbDomainName) != "Domain" || ch.TargetInfo.String(AvNbComputerName) != "Server" {
		t.Fatalf("target info decoded as %+v", ch.TargetInfo)
	}
	if ch.Version != (Version{6, 0, 6000, 15}) {
		t.Errorf("version = %+v", ch.Version)
	}
	// Re-encoding gives the same bytes.
	if got := ch.Marshal(); !bytes.Equal(got, unhex(t, specChallenge)) {
		t.Errorf("challenge re-encoded as\n%x\nwant\n%x", got, unhex(t, specChallenge))
	}

	// 4.2.4.1.3 temp, 4.2.4.2.2 NTProofStr, 4.2.4.1.2 session base key.
	temp := ntlmv2ClientBlob(0, specClientChallenge, ch.TargetInfo.Marshal())
	wantTemp := unhex(t, `01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00
		aa aa aa aa aa aa aa aa 00 00 00 00
		02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00
		01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00
		00 00 00 00 00 00 00 00`)
	if !bytes.Equal(temp, wantTemp) {
		t.Fatalf("temp = %x, want %x", temp, wantTemp)
	}
	proof := ntProofStr(&key, specServerChallenge, temp)
	if want := unhex(t, "68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c"); !bytes.Equal(proof[:], want) {
		t.Fatalf("NTProofStr = %x, want %x", proof, want)
	}
	base := hmacMD5(key[:], proof[:])
	if want := unhex(t, "8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3"); !bytes.Equal(base[:], want) {
		t.Fatalf("SessionBaseKey = %x, want %x", base, want)
	}
	// 4.2.4.2.1 LMv2 response.
	lm := lmv2Response(&key, specServerChallenge, specClientChallenge)
	if want := unhex(t, "86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa aa aa aa aa"); !bytes.Equal(lm, want) {
		t.Fatalf("LMv2 = %x, want %x", lm, want)
	}
	// 4.2.4.2.3 encrypted session key.
	enc := rc4Once(base[:], specRandomKey)
	if want := unhex(t, "c5 da d2 54 4f c9 79 90 94 ce 1c e9 0b c9 d0 3e"); !bytes.Equal(enc, want) {
		t.Fatalf("EncryptedRandomSessionKey = %x, want %x", enc, want)
	}

	// 4.2.4.3: the whole AUTHENTICATE message, byte for byte (it predates
	// the MIC field, so none is written).
	am := Authenticate{
		Flags:                     NegotiateFlags(0xe2888235),
		LmChallengeResponse:       lm,
		NtChallengeResponse:       append(proof[:], temp...),
		Domain:                    specDomain,
		User:                      specUser,
		Workstation:               "COMPUTER",
		EncryptedRandomSessionKey: enc,
		Version:                   Version{5, 1, 2600, 15},
	}
	want := unhex(t, specAuthenticate)
	if got := am.Marshal(); !bytes.Equal(got, want) {
		t.Fatalf("AUTHENTICATE =\n%x\nwant\n%x", got, want)
	}
	var back Authenticate
	if err := back.Unmarshal(want); err != nil {
		t.Fatal(err)
	}
	if back.MIC != nil || back.User != "User" || back.Domain != "Domain" || back.Workstation != "COMPUTER" ||
		back.Version != am.Version || !bytes.Equal(back.NtChallengeResponse, am.NtChallengeResponse) ||
		!bytes.Equal(back.EncryptedRandomSessionKey, enc) || back.Flags != am.Flags {
		t.Fatalf("AUTHENTICATE decoded as %+v", back)
	}
}

// TestSpecSeal is MS-NLMP 4.2.4.4: GSS_WrapEx of "Plaintext" with the
// client's keys, sequence number 0.
func TestSpecSeal(t *testing.T) {
	if got, want := sealKey(specFlags, specRandomKey, true), unhex(t, "59 f6 00 97 3c c4 96 0a 25 48 0a 7c 19 6e 4c 58"); !bytes.Equal(got[:], want) {
		t.Errorf("client SEALKEY = %x, want %x", got, want)
	}
	if got, want := signKey(specRandomKey, true), unhex(t, "47 88 dc 86 1b 47 82 f3 5d 43 fd 98 fe 1a 2d 39"); !bytes.Equal(got[:], want) {
		t.Errorf("client SIGNKEY = %x, want %x", got, want)
	}
	plain := utf16Bytes("Plaintext")
	client := newSecurity(specFlags, specRandomKey, true)
	sig, err := client.Seal(plain, plain)
	if err != nil {
		t.Fatal(err)
	}
	if want := unhex(t, "54 e5 01 65 bf 19 36 dc 99 60 20 c1 81 1b 0f 06 fb 5f"); !bytes.Equal(plain, want) {
		t.Errorf("sealed data = %x, want %x", plain, want)
	}
	if want := unhex(t, "01 00 00 00 7f b3 8e c5 c5 5d 49 76 00 00 00 00"); !bytes.Equal(sig, want) {
		t.Errorf("signature = %x, want %x", sig, want)
	}

	// The server, holding the same exported key, unseals it.
	server := newSecurity(specFlags, specRandomKey, false)
	if err := server.Unseal(plain, plain, sig); err != nil {
		t.Fatal(err)
	}
	if string(plain) != string(utf16Bytes("Plaintext")) {
		t.Errorf("unsealed = %q", plain)
	}
}
