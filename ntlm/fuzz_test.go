package ntlm

import (
	"bytes"
	"reflect"
	"testing"
)

// Each decoder must reject or accept any input without panicking, and what
// it accepts must survive a re-encode/decode round trip unchanged.

func FuzzAVPairs(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0})
	f.Add(AVPairs{{AvNbComputerName, utf16Bytes("SERVER")}, {AvFlags, []byte{2, 0, 0, 0}}}.Marshal())
	f.Add([]byte{1, 0, 0xff, 0xff, 0})
	f.Add([]byte{1, 0, 2, 0, 'a'})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseAVPairs(b)
		if err != nil {
			return
		}
		q, err := ParseAVPairs(p.Marshal())
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if len(p) != len(q) {
			t.Fatalf("round trip changed length %d -> %d", len(p), len(q))
		}
		for i := range p {
			if p[i].ID != q[i].ID || !bytes.Equal(p[i].Value, q[i].Value) {
				t.Fatalf("pair %d changed", i)
			}
		}
		_ = p.Flags()
		_ = p.String(AvNbComputerName)
	})
}

func FuzzNegotiate(f *testing.F) {
	f.Add((&Negotiate{Flags: clientFlags, Version: DefaultVersion}).Marshal())
	f.Add((&Negotiate{Flags: NegotiateOEM, Domain: "DOM", Workstation: "WS"}).Marshal())
	f.Add([]byte("NTLMSSP\x00\x01\x00\x00\x00\x00\x10\x00\x00\x05\x00\x05\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Negotiate
		if m.Unmarshal(b) != nil {
			return
		}
		var m2 Negotiate
		if err := m2.Unmarshal(m.Marshal()); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		// Marshal sets the *_SUPPLIED flags from the strings.
		m.Flags &^= NegotiateOEMDomainSupplied | NegotiateOEMWorkstationSupplied
		m2.Flags &^= NegotiateOEMDomainSupplied | NegotiateOEMWorkstationSupplied
		if m.Domain == "" && m.Workstation == "" && !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip: %+v -> %+v", m, m2)
		}
	})
}

func FuzzChallenge(f *testing.F) {
	f.Add(unhex(f, specChallenge))
	s := NewServer(testServerConfig())
	chal, _, err := s.Step((&Negotiate{Flags: clientFlags}).Marshal())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(chal)
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Challenge
		if m.Unmarshal(b) != nil {
			return
		}
		var m2 Challenge
		if err := m2.Unmarshal(m.Marshal()); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if m.ServerChallenge != m2.ServerChallenge || m.Flags != m2.Flags || len(m.TargetInfo) != len(m2.TargetInfo) {
			t.Fatalf("round trip: %+v -> %+v", m, m2)
		}
		// A client given this challenge must not panic either.
		c, err := NewClient(ClientConfig{User: "u", Password: "p"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Step(nil); err != nil {
			t.Fatal(err)
		}
		_, _, _ = c.Step(b)
	})
}

func FuzzAuthenticate(f *testing.F) {
	f.Add(unhex(f, specAuthenticate))
	c, _ := NewClient(ClientConfig{User: testUser, Password: testPassword, Workstation: "WS"})
	s := NewServer(testServerConfig())
	neg, _, _ := c.Step(nil)
	chal, _, _ := s.Step(neg)
	auth, _, err := c.Step(chal)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(auth)
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Authenticate
		if m.Unmarshal(b) == nil {
			var m2 Authenticate
			if err := m2.Unmarshal(m.Marshal()); err != nil {
				t.Fatalf("re-decode: %v", err)
			}
			if m.User != m2.User || m.Domain != m2.Domain || !bytes.Equal(m.NtChallengeResponse, m2.NtChallengeResponse) ||
				!bytes.Equal(m.MIC, m2.MIC) || m.Flags != m2.Flags {
				t.Fatalf("round trip: %v -> %v", &m, &m2)
			}
		}
		// A server that sent a challenge must survive any answer.
		s := NewServer(testServerConfig())
		if _, _, err := s.Step(neg); err != nil {
			t.Fatal(err)
		}
		_, _, _ = s.Step(b)
	})
}
