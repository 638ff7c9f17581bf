package server

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestNTHash(t *testing.T) {
	// MS-NLMP 4.2.1: the example password "Password" has this NTOWFv1.
	h := NTHash("Password")
	if got := hex.EncodeToString(h[:]); got != "a4f49c406510bdcab6824ee7c30fd852" {
		t.Fatalf("NTHash(Password) = %s", got)
	}
}

func TestParseUsers(t *testing.T) {
	in := "# comment\n\nalice:secret\nBob:pa:ss:admin\r\ncarol:nthash:A4F49C406510BDCAB6824EE7C30FD852:admin\ndave:admin\n"
	u, err := ParseUsers(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if u.Len() != 4 {
		t.Fatalf("Len = %d", u.Len())
	}
	for _, tc := range []struct {
		name, pw string
		admin    bool
	}{
		{"ALICE", "secret", false},
		{"bob", "pa:ss", true},
		{"carol", "Password", true},
		{"dave", "admin", false}, // a password that happens to be "admin"
	} {
		a, ok := u.Lookup(tc.name)
		if !ok {
			t.Fatalf("%s not found", tc.name)
		}
		if a.NTHash != NTHash(tc.pw) || a.Admin != tc.admin {
			t.Errorf("%s: got admin=%v hash %x", tc.name, a.Admin, a.NTHash)
		}
	}
	if _, ok := u.Lookup("eve"); ok {
		t.Error("eve found")
	}
}

func TestParseUsersErrors(t *testing.T) {
	for _, in := range []string{
		"nocolon\n",
		":pw\n",
		"a:\n",
		"a:nthash:1234\n",
		"a:nthash:zz4f49c406510bdcab6824ee7c30fd85\n",
		"a:x\nA:y\n",
		"a\\b:pw\n",
	} {
		_, err := ParseUsers(strings.NewReader(in))
		if !errors.Is(err, ErrBadUsersLine) {
			t.Errorf("%q: err = %v, want ErrBadUsersLine", in, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("%q: error %q shows the password", in, err)
		}
	}
}

func TestLoadUsersPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits on Windows")
	}
	p := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(p, []byte("alice:secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadUsers(p); !errors.Is(err, ErrUsersFilePerm) {
		t.Fatalf("world-readable: err = %v", err)
	}
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	u, err := LoadUsers(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := u.Lookup("alice"); !ok {
		t.Fatal("alice missing")
	}
	if _, err := LoadUsers(p + ".missing"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: err = %v", err)
	}
}

func FuzzParseUsers(f *testing.F) {
	f.Add("alice:secret\nbob:nthash:a4f49c406510bdcab6824ee7c30fd852:admin\n")
	f.Add("# x\n\n:::\n")
	f.Add("a:nthash:\n")
	f.Fuzz(func(t *testing.T, in string) {
		u, err := ParseUsers(strings.NewReader(in))
		if err == nil && u == nil {
			t.Fatal("nil Users without error")
		}
	})
}
