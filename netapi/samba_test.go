package netapi

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/internal/sambatest"
	"github.com/lanman/lanman/ntstatus"
)

func dialSamba(t *testing.T, s *sambatest.Samba, u sambatest.User, opts *Options) *Client {
	t.Helper()
	if opts == nil {
		opts = &Options{}
	}
	opts.Credentials = Credentials{Domain: sambatest.Domain, User: u.Name, Password: u.Password}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	c, err := Dial(ctx, s.Addr, opts)
	if err != nil {
		t.Fatalf("Dial %s as %s: %v", s.Addr, u.Name, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// smbstatusSessions is what smbstatus --json says: "user@ip" for each
// session, sorted.
func smbstatusSessions(t *testing.T, s *sambatest.Samba) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st.SessionUsers()
}

func TestSambaSessionEnum(t *testing.T) {
	for _, encrypt := range []string{"", "required"} {
		t.Run("encrypt="+encrypt, func(t *testing.T) {
			s := sambatest.Start(t, sambatest.Options{Encrypt: encrypt})
			if err := os.WriteFile(filepath.Join(s.Share, "held.txt"), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			s.Connect(t, s.User, "data")
			held := s.Connect(t, s.Admin, "data")
			held.Run(t, "open held.txt", "fnum")

			c := dialSamba(t, s, s.Admin, nil)
			if encrypt == "required" && !c.Session().Encrypted() {
				t.Fatal("server requires encryption, session is not encrypted")
			}
			ctx := context.Background()

			// Level 1 against smbstatus: every session, ours included.
			l1, err := Collect(Sessions[SessionInfo1](ctx, c, Query{}))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range l1 {
				got = append(got, e.UserName+"@"+strings.TrimPrefix(e.ClientName, `\\`))
			}
			sort.Strings(got)
			want := smbstatusSessions(t, s)
			if strings.Join(got, ",") != strings.Join(want, ",") || len(want) != 3 {
				t.Fatalf("level 1 sessions %v, smbstatus %v (want 3: two smbclients and us)", got, want)
			}
			// Level 0: the same clients.
			l0, err := Collect(Sessions[SessionInfo0](ctx, c, Query{}))
			if err != nil || len(l0) != len(l1) {
				t.Fatalf("level 0: %d entries, %v; want %d", len(l0), err, len(l1))
			}
			// Samba refuses the other levels.
			for _, level := range []uint32{2, 10, 502} {
				_, _, _, err := c.NetSessionEnum(ctx, "", "", level, MAX_PREFERRED_LENGTH, nil)
				if !errors.Is(err, ERROR_INVALID_LEVEL) {
					t.Errorf("level %d: err = %v, want ERROR_INVALID_LEVEL", level, err)
				}
			}
		})
	}
}

func TestSambaAccessDenied(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	c := dialSamba(t, s, s.User, nil)
	_, _, _, err := c.NetSessionEnum(context.Background(), "", "", 1, MAX_PREFERRED_LENGTH, nil)
	if !errors.Is(err, ERROR_ACCESS_DENIED) {
		t.Fatalf("non-admin NetSessionEnum: err = %v, want ERROR_ACCESS_DENIED", err)
	}
	if !strings.Contains(err.Error(), "ERROR_ACCESS_DENIED (5)") {
		t.Errorf("error text %q does not name the code", err)
	}
}

func TestSambaLogonFailure(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Dial(ctx, s.Addr, &Options{Credentials: Credentials{User: s.Admin.Name, Password: "wrong-password"}})
	if !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) {
		t.Fatalf("bad password: err = %v, want STATUS_LOGON_FAILURE", err)
	}
	if strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("error text %q shows the password", err)
	}
}

func TestSambaRoundTrips(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	c := dialSamba(t, s, s.Admin, nil)
	ctx := context.Background()
	before := c.Stats().RoundTrips
	if _, _, _, err := c.NetSessionEnum(ctx, "", "", 1, MAX_PREFERRED_LENGTH, nil); err != nil {
		t.Fatal(err)
	}
	first := c.Stats().RoundTrips - before
	// Tree connect + create + bind in one compound, then the call.
	if first != 2 {
		t.Errorf("first call used %d round trips, want 2", first)
	}
	before = c.Stats().RoundTrips
	if _, _, _, err := c.NetSessionEnum(ctx, "", "", 1, MAX_PREFERRED_LENGTH, nil); err != nil {
		t.Fatal(err)
	}
	if n := c.Stats().RoundTrips - before; n != 1 {
		t.Errorf("second call used %d round trips, want 1", n)
	}
}
