package spnego

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
)

func readHex(t testing.TB, path string) []byte {
	t.Helper()
	s, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(s)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSambaNegTokenInit2 decodes what smbd sends in its SMB2 NEGOTIATE
// response, and checks our hint is the same bytes.
func TestSambaNegTokenInit2(t *testing.T) {
	b := readHex(t, "testdata/samba-4.17-negtokeninit2.hex")
	var tok NegTokenInit
	if err := tok.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	if len(tok.MechTypes) != 1 || !tok.MechTypes[0].Equal(OIDNTLMSSP) {
		t.Fatalf("mech types %v", tok.MechTypes)
	}
	if tok.HintName != HintName || tok.MechToken != nil || tok.MechListMIC != nil {
		t.Fatalf("decoded %v", &tok)
	}
	if got := NegotiateHint(); !bytes.Equal(got, b) {
		t.Fatalf("NegotiateHint =\n%x\nsamba sends\n%x", got, b)
	}
	if got := tok.Marshal(); !bytes.Equal(got, b) {
		t.Fatalf("re-encoded =\n%x\nwant\n%x", got, b)
	}
}

func TestNegTokenInitRoundTrip(t *testing.T) {
	for _, tok := range []NegTokenInit{
		{MechTypes: []asn1.ObjectIdentifier{OIDNTLMSSP}, MechToken: []byte("NTLMSSP\x00\x01")},
		{MechTypes: []asn1.ObjectIdentifier{OIDMSKerberos5, OIDKerberos5, OIDNegoEx, OIDNTLMSSP}, ReqFlags: []byte{0x01, 0x60}, MechToken: bytes.Repeat([]byte{7}, 300), MechListMIC: []byte("mic")},
		{MechTypes: []asn1.ObjectIdentifier{OIDNTLMSSP}, HintName: HintName, HintAddress: []byte{1, 2}, MechListMIC: []byte("m2")},
		{MechTypes: []asn1.ObjectIdentifier{{1, 2, 3, 4000000}}, MechToken: bytes.Repeat([]byte{1}, 70000)},
	} {
		b := tok.Marshal()
		var got NegTokenInit
		if err := got.Unmarshal(b); err != nil {
			t.Fatalf("%v: %v", &tok, err)
		}
		if len(got.MechTypes) != len(tok.MechTypes) || !bytes.Equal(got.MechToken, tok.MechToken) ||
			!bytes.Equal(got.MechListMIC, tok.MechListMIC) || got.HintName != tok.HintName ||
			!bytes.Equal(got.HintAddress, tok.HintAddress) || !bytes.Equal(got.ReqFlags, tok.ReqFlags) {
			t.Fatalf("round trip %v -> %v", &tok, &got)
		}
		for i := range got.MechTypes {
			if !got.MechTypes[i].Equal(tok.MechTypes[i]) {
				t.Fatalf("mech %d: %v -> %v", i, tok.MechTypes[i], got.MechTypes[i])
			}
		}
		if !bytes.Equal(got.MechTypesDER(), tok.MechTypesDER()) {
			t.Fatal("MechTypesDER differs")
		}
	}
}

func TestNegTokenRespRoundTrip(t *testing.T) {
	for _, tok := range []NegTokenResp{
		{State: AcceptIncomplete, SupportedMech: OIDNTLMSSP, ResponseToken: []byte("challenge")},
		{State: AcceptCompleted, MechListMIC: bytes.Repeat([]byte{9}, 16)},
		{State: NegStateAbsent, ResponseToken: []byte("auth"), MechListMIC: []byte("mic")},
		{State: Reject},
		{State: RequestMIC, SupportedMech: OIDNTLMSSP},
	} {
		var got NegTokenResp
		if err := got.Unmarshal(tok.Marshal()); err != nil {
			t.Fatal(err)
		}
		if got.State != tok.State || !bytes.Equal(got.ResponseToken, tok.ResponseToken) ||
			!bytes.Equal(got.MechListMIC, tok.MechListMIC) || (tok.SupportedMech != nil) != (got.SupportedMech != nil) ||
			(tok.SupportedMech != nil && !tok.SupportedMech.Equal(got.SupportedMech)) {
			t.Fatalf("round trip %v -> %v", &tok, &got)
		}
	}
}

// TestKnownEncodings pins the DER against hand-checked bytes.
func TestKnownEncodings(t *testing.T) {
	resp := NegTokenResp{State: AcceptCompleted}
	if got, want := hex.EncodeToString(resp.Marshal()), "a1073005a0030a0100"; got != want {
		t.Errorf("accept-completed = %s, want %s", got, want)
	}
	if got, want := hex.EncodeToString(appendOID(nil, OIDKerberos5)), "06092a864886f712010202"; got != want {
		t.Errorf("KRB5 OID = %s, want %s", got, want)
	}
	if got, want := hex.EncodeToString(appendOID(nil, OIDMSKerberos5)), "06092a864882f712010202"; got != want {
		t.Errorf("MS-KRB5 OID = %s, want %s", got, want)
	}
}

func TestMalformed(t *testing.T) {
	good := (&NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDNTLMSSP}, MechToken: []byte("x")}).Marshal()
	for name, b := range map[string][]byte{
		"empty":        nil,
		"truncated":    good[:len(good)-1],
		"trailing":     append(bytes.Clone(good), 0),
		"indefinite":   {0x60, 0x80, 0, 0},
		"huge length":  {0x60, 0x84, 0xff, 0xff, 0xff, 0xff},
		"wrong mech":   {0x60, 0x05, 0x06, 0x03, 0x2a, 0x03, 0x04},
		"resp as init": (&NegTokenResp{State: AcceptCompleted}).Marshal(),
		"bad order":    {0xa0, 0x0a, 0x30, 0x08, 0xa2, 0x02, 0x04, 0x00, 0xa0, 0x02, 0x30, 0x00},
	} {
		var tok NegTokenInit
		if err := tok.Unmarshal(b); !errors.Is(err, ErrBadToken) {
			t.Errorf("%s: %v", name, err)
		}
	}
	var r NegTokenResp
	for name, b := range map[string][]byte{
		"bad state": {0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x07},
		"init":      good,
	} {
		if err := r.Unmarshal(b); !errors.Is(err, ErrBadToken) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
