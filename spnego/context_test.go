package spnego

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"testing"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/ntstatus"
)

func serverConfig() *ntlm.ServerConfig {
	return &ntlm.ServerConfig{
		ComputerName: "LANMAN",
		Lookup:       ntlm.PasswordLookup(map[string]string{"alice": "pw1", "bob": "pw2"}),
	}
}

func newPair(t testing.TB, cfg ntlm.ClientConfig) (*Initiator, *Acceptor) {
	t.Helper()
	c, err := ntlm.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return NewInitiator(c), NewAcceptor(ntlm.NewServer(serverConfig()))
}

// run drives the exchange to completion, letting alter change each token
// (odd steps are the initiator's, even the acceptor's).
func run(t testing.TB, i gss.Initiator, a gss.Acceptor, hint []byte, alter func(n int, b []byte) []byte) error {
	t.Helper()
	if alter == nil {
		alter = func(_ int, b []byte) []byte { return b }
	}
	tok, done, err := i.Step(hint)
	if err != nil {
		return err
	}
	for n := 1; ; n++ {
		if done && tok == nil {
			return nil
		}
		if n%2 == 1 {
			tok, done, err = a.Step(alter(n, tok))
			if err != nil {
				return err
			}
			if done {
				// The initiator still checks the final token.
				tok, done, err = i.Step(alter(n+1, tok))
				if err != nil {
					return err
				}
				if !done || tok != nil {
					t.Fatalf("initiator not done after the final token: %v %x", done, tok)
				}
				return nil
			}
		} else {
			tok, done, err = i.Step(alter(n, tok))
			if err != nil {
				return err
			}
			if done {
				t.Fatal("initiator done before the acceptor's final token")
			}
		}
		if n > 8 {
			t.Fatal("exchange does not terminate")
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, hint := range [][]byte{nil, NegotiateHint()} {
		i, a := newPair(t, ntlm.ClientConfig{User: "Alice", Password: "pw1", Workstation: "WS1"})
		if err := run(t, i, a, hint, nil); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(i.SessionKey(), a.SessionKey()) || len(i.SessionKey()) != 16 {
			t.Fatal("session keys differ")
		}
		if id := a.Identity(); id.User != "alice" || id.Workstation != "WS1" {
			t.Errorf("identity %+v", id)
		}
		if a.Raw() {
			t.Error("acceptor went raw")
		}
		checkSecurity(t, i, a)
	}
}

// checkSecurity checks that both sides agree on the message security left
// after the mechListMIC exchange: sequence numbers continue at 1 and the
// RC4 state was reset on both sides alike.
func checkSecurity(t *testing.T, i *Initiator, a *Acceptor) {
	t.Helper()
	cs, err := i.MessageSecurity()
	if err != nil {
		t.Fatal(err)
	}
	ss, err := a.MessageSecurity()
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		msg := []byte("stub data")
		signed := append([]byte("hdr:"), msg...)
		sig, err := cs.Seal(signed[4:], signed)
		if err != nil {
			t.Fatal(err)
		}
		if err := ss.Unseal(signed[4:], signed, sig); err != nil {
			t.Fatalf("server unseal: %v", err)
		}
		sig, _ = ss.Sign(msg)
		if err := cs.Verify(msg, sig); err != nil {
			t.Fatalf("client verify: %v", err)
		}
	}
}

func TestWrongPassword(t *testing.T) {
	i, a := newPair(t, ntlm.ClientConfig{User: "alice", Password: "nope"})
	err := run(t, i, a, nil, nil)
	if !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) || !errors.Is(err, ntlm.ErrWrongPassword) {
		t.Fatalf("err = %v", err)
	}
}

func TestMechListMICTampering(t *testing.T) {
	edit := func(step int, f func(*NegTokenResp)) func(int, []byte) []byte {
		return func(n int, b []byte) []byte {
			if n != step {
				return b
			}
			var r NegTokenResp
			if err := r.Unmarshal(b); err != nil {
				t.Fatal(err)
			}
			f(&r)
			return r.Marshal()
		}
	}
	for _, tc := range []struct {
		name  string
		alter func(int, []byte) []byte
	}{
		{"initiator MIC flipped", edit(3, func(r *NegTokenResp) { r.MechListMIC[5] ^= 1 })},
		{"initiator MIC stripped", edit(3, func(r *NegTokenResp) { r.MechListMIC = nil })},
		{"acceptor MIC flipped", edit(4, func(r *NegTokenResp) { r.MechListMIC[5] ^= 1 })},
		{"acceptor MIC stripped", edit(4, func(r *NegTokenResp) { r.MechListMIC = nil })},
		{"mech list altered", func(n int, b []byte) []byte {
			if n != 1 {
				return b
			}
			var init NegTokenInit
			if err := init.Unmarshal(b); err != nil {
				t.Fatal(err)
			}
			// A man in the middle adds a mechanism the client did not
			// offer; the MIC over the list catches it.
			init = NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDNTLMSSP, OIDKerberos5}, MechToken: init.MechToken}
			return init.Marshal()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, a := newPair(t, ntlm.ClientConfig{User: "alice", Password: "pw1"})
			if err := run(t, i, a, nil, tc.alter); !errors.Is(err, ErrMechListMIC) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestRawNTLM(t *testing.T) {
	// A bare NTLM client against the SPNEGO acceptor (SMB2 clients may do
	// this), and bare NTLM on both sides (DCE/RPC auth type 10).
	c, _ := ntlm.NewClient(ntlm.ClientConfig{User: "bob", Password: "pw2"})
	a := NewAcceptor(ntlm.NewServer(serverConfig()))
	neg, _, _ := c.Step(nil)
	chal, _, err := a.Step(neg)
	if err != nil {
		t.Fatal(err)
	}
	auth, _, err := c.Step(chal)
	if err != nil {
		t.Fatal(err)
	}
	if _, done, err := a.Step(auth); err != nil || !done {
		t.Fatalf("done=%v err=%v", done, err)
	}
	if !a.Raw() || a.Identity().User != "bob" || !bytes.Equal(a.SessionKey(), c.SessionKey()) {
		t.Fatalf("raw=%v id=%+v", a.Raw(), a.Identity())
	}
}

// TestNTLMNotPreferred is a client that lists Kerberos first with an
// optimistic Kerberos token: the acceptor selects NTLMSSP with
// request-mic, takes NEGOTIATE in the next token, and insists on the
// mechListMIC over the original list.
func TestNTLMNotPreferred(t *testing.T) {
	c, _ := ntlm.NewClient(ntlm.ClientConfig{User: "alice", Password: "pw1"})
	a := NewAcceptor(ntlm.NewServer(serverConfig()))
	init := NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDMSKerberos5, OIDKerberos5, OIDNTLMSSP}, MechToken: []byte("kerberos AP-REQ")}
	out, done, err := a.Step(init.Marshal())
	if err != nil || done {
		t.Fatalf("done=%v err=%v", done, err)
	}
	var r NegTokenResp
	if err := r.Unmarshal(out); err != nil {
		t.Fatal(err)
	}
	if r.State != RequestMIC || !r.SupportedMech.Equal(OIDNTLMSSP) || r.ResponseToken != nil {
		t.Fatalf("first reply %v", &r)
	}
	neg, _, _ := c.Step(nil)
	out, _, err = a.Step((&NegTokenResp{State: NegStateAbsent, ResponseToken: neg}).Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Unmarshal(out); err != nil {
		t.Fatal(err)
	}
	auth, _, err := c.Step(r.ResponseToken)
	if err != nil {
		t.Fatal(err)
	}
	// Without a mechListMIC the acceptor refuses.
	if _, _, err := a.Step((&NegTokenResp{State: NegStateAbsent, ResponseToken: auth}).Marshal()); !errors.Is(err, ErrMechListMIC) {
		t.Fatalf("no mechListMIC: %v", err)
	}
}

func TestNTLMNotPreferredWithMIC(t *testing.T) {
	c, _ := ntlm.NewClient(ntlm.ClientConfig{User: "alice", Password: "pw1"})
	a := NewAcceptor(ntlm.NewServer(serverConfig()))
	init := NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDKerberos5, OIDNTLMSSP}}
	out, _, err := a.Step(init.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	var r NegTokenResp
	if err := r.Unmarshal(out); err != nil || r.State != RequestMIC {
		t.Fatalf("first reply %v: %v", &r, err)
	}
	neg, _, _ := c.Step(nil)
	out, _, err = a.Step((&NegTokenResp{State: NegStateAbsent, ResponseToken: neg}).Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Unmarshal(out); err != nil {
		t.Fatal(err)
	}
	auth, _, err := c.Step(r.ResponseToken)
	if err != nil {
		t.Fatal(err)
	}
	mic, _ := c.Security().Sign(init.MechTypesDER())
	out, done, err := a.Step((&NegTokenResp{State: NegStateAbsent, ResponseToken: auth, MechListMIC: mic}).Marshal())
	if err != nil || !done {
		t.Fatalf("done=%v err=%v", done, err)
	}
	if err := r.Unmarshal(out); err != nil {
		t.Fatal(err)
	}
	if r.State != AcceptCompleted {
		t.Fatalf("final %v", &r)
	}
	if err := c.Security().Verify(init.MechTypesDER(), r.MechListMIC); err != nil {
		t.Fatalf("acceptor's mechListMIC: %v", err)
	}
}

func TestNoCommonMech(t *testing.T) {
	krbOnly := (&NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDKerberos5}, HintName: HintName}).Marshal()
	i, _ := newPair(t, ntlm.ClientConfig{User: "alice", Password: "pw1"})
	if _, _, err := i.Step(krbOnly); !errors.Is(err, ErrNoCommonMech) {
		t.Errorf("initiator: %v", err)
	}
	_, a := newPair(t, ntlm.ClientConfig{User: "alice", Password: "pw1"})
	if _, _, err := a.Step(krbOnly); !errors.Is(err, ErrNoCommonMech) || !errors.Is(err, ntstatus.STATUS_NOT_SUPPORTED) {
		t.Errorf("acceptor: %v", err)
	}
	_, a = newPair(t, ntlm.ClientConfig{User: "alice", Password: "pw1"})
	if _, _, err := a.Step([]byte{0x60, 0x01}); !errors.Is(err, ErrBadToken) || !errors.Is(err, ntstatus.STATUS_INVALID_PARAMETER) {
		t.Errorf("acceptor garbage: %v", err)
	}
}

func TestAnonymous(t *testing.T) {
	c, _ := ntlm.NewClient(ntlm.ClientConfig{Anonymous: true})
	cfg := serverConfig()
	cfg.AllowAnonymous = true
	i, a := NewInitiator(c), NewAcceptor(ntlm.NewServer(cfg))
	if err := run(t, i, a, nil, nil); err != nil {
		t.Fatal(err)
	}
	if !a.Identity().Anonymous || a.SessionKey() != nil {
		t.Fatalf("identity %+v", a.Identity())
	}
	if _, err := a.MessageSecurity(); !errors.Is(err, ntlm.ErrNoSessionSecurity) {
		t.Fatalf("MessageSecurity: %v", err)
	}
}

func TestOutOfSequence(t *testing.T) {
	i, a := newPair(t, ntlm.ClientConfig{User: "alice", Password: "pw1"})
	if _, err := i.MessageSecurity(); !errors.Is(err, ErrState) {
		t.Errorf("initiator before done: %v", err)
	}
	if err := run(t, i, a, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := i.Step(nil); !errors.Is(err, ErrState) {
		t.Errorf("initiator: %v", err)
	}
	if _, _, err := a.Step(nil); !errors.Is(err, ErrState) {
		t.Errorf("acceptor: %v", err)
	}
}
