package smb2

import (
	"context"
	"testing"
	"time"

	"github.com/lanman/lanman/internal/sambatest"
	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/spnego"
)

// newInitiator returns an NTLMv2-in-SPNEGO initiator for u.
func newInitiator(t testing.TB, u sambatest.User) *spnego.Initiator {
	t.Helper()
	m, err := ntlm.NewClient(ntlm.ClientConfig{User: u.Name, Password: u.Password, Domain: sambatest.Domain, Workstation: "LANMANTEST1"})
	if err != nil {
		t.Fatal(err)
	}
	return spnego.NewInitiator(m)
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// dialSamba connects to s with opts and closes the connection at the end.
func dialSamba(t testing.TB, s *sambatest.Samba, opts *Options) *Conn {
	t.Helper()
	c, err := Dial(testCtx(t), s.Addr, opts)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// login dials and sets up a session as u.
func login(t testing.TB, s *sambatest.Samba, opts *Options, u sambatest.User) *Session {
	t.Helper()
	c := dialSamba(t, s, opts)
	sess, err := c.SessionSetup(testCtx(t), newInitiator(t, u))
	if err != nil {
		t.Fatalf("SessionSetup: %v", err)
	}
	return sess
}
