package spnego

import (
	"bytes"
	"encoding/asn1"
	"testing"

	"github.com/lanman/lanman/ntlm"
)

func FuzzNegTokenInit(f *testing.F) {
	f.Add(readHex(f, "testdata/samba-4.17-negtokeninit2.hex"))
	f.Add((&NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDMSKerberos5, OIDNTLMSSP}, ReqFlags: []byte{0, 1}, MechToken: []byte("tok"), MechListMIC: []byte("mic")}).Marshal())
	f.Add((&NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDNTLMSSP}, HintName: HintName, HintAddress: []byte{1}, MechListMIC: []byte("m")}).Marshal())
	f.Add([]byte{0xa0, 0x05, 0x30, 0x03, 0xa0, 0x01, 0x30})
	f.Fuzz(func(t *testing.T, b []byte) {
		var tok NegTokenInit
		if tok.Unmarshal(b) == nil {
			var again NegTokenInit
			if err := again.Unmarshal(tok.Marshal()); err != nil {
				t.Fatalf("re-decode: %v", err)
			}
			if len(again.MechTypes) != len(tok.MechTypes) || !bytes.Equal(again.MechToken, tok.MechToken) ||
				!bytes.Equal(again.MechListMIC, tok.MechListMIC) || again.HintName != tok.HintName {
				t.Fatalf("round trip %v -> %v", &tok, &again)
			}
			for i := range tok.MechTypes {
				if !tok.MechTypes[i].Equal(again.MechTypes[i]) {
					t.Fatalf("mech %d: %v -> %v", i, tok.MechTypes[i], again.MechTypes[i])
				}
			}
		}
		// Neither side may panic on it.
		a := NewAcceptor(ntlm.NewServer(serverConfig()))
		_, _, _ = a.Step(b)
		c, _ := ntlm.NewClient(ntlm.ClientConfig{User: "u", Password: "p"})
		_, _, _ = NewInitiator(c).Step(b)
	})
}

func FuzzNegTokenResp(f *testing.F) {
	f.Add((&NegTokenResp{State: AcceptIncomplete, SupportedMech: OIDNTLMSSP, ResponseToken: []byte("x")}).Marshal())
	f.Add((&NegTokenResp{State: AcceptCompleted, MechListMIC: make([]byte, 16)}).Marshal())
	f.Add((&NegTokenResp{State: NegStateAbsent, ResponseToken: []byte("x"), MechListMIC: []byte("y")}).Marshal())
	f.Fuzz(func(t *testing.T, b []byte) {
		var tok NegTokenResp
		if tok.Unmarshal(b) == nil {
			var again NegTokenResp
			if err := again.Unmarshal(tok.Marshal()); err != nil {
				t.Fatalf("re-decode: %v", err)
			}
			if again.State != tok.State || !bytes.Equal(again.ResponseToken, tok.ResponseToken) ||
				!bytes.Equal(again.MechListMIC, tok.MechListMIC) || (again.SupportedMech == nil) != (tok.SupportedMech == nil) {
				t.Fatalf("round trip %v -> %v", &tok, &again)
			}
		}
		// An initiator that sent its first token must survive any reply.
		c, _ := ntlm.NewClient(ntlm.ClientConfig{User: "u", Password: "p"})
		i := NewInitiator(c)
		if _, _, err := i.Step(nil); err != nil {
			t.Fatal(err)
		}
		_, _, _ = i.Step(b)
	})
}
