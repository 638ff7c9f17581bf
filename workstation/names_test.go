package workstation

import (
	"errors"
	"testing"

	"github.com/lanman/lanman/win32"
)

func TestParseUNC(t *testing.T) {
	good := []struct{ in, canon, addr, server string }{
		{`\\srv\data`, `\\srv\data`, "srv:445", "srv"},
		{`//SRV/data/`, `\\srv\data`, "srv:445", "srv"},
		{`\\127.0.0.1:4455\data`, `\\127.0.0.1:4455\data`, "127.0.0.1:4455", "127.0.0.1"},
		{`\\[::1]:4455\IPC$`, `\\[::1]:4455\IPC$`, "[::1]:4455", "::1"},
		{`\\::1\data`, `\\::1\data`, "[::1]:445", "::1"},
		{`\\host:445\x`, `\\host\x`, "host:445", "host"},
	}
	for _, c := range good {
		u, err := parseUNC(c.in, 0)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if u.String() != c.canon || u.Addr != c.addr || u.Server != c.server {
			t.Errorf("%s: got %s addr %s server %s", c.in, u, u.Addr, u.Server)
		}
	}
	for _, in := range []string{``, `srv\data`, `\\srv`, `\\srv\`, `\\\data`, `\\srv\data\dir`, `\\srv:0\d`, `\\srv:x\d`, `\\srv\a*b`, `X:`, `\\:445\d`} {
		if _, err := parseUNC(in, 0); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
			t.Errorf("%q: %v, want ERROR_INVALID_PARAMETER", in, err)
		}
	}
	if u, _ := parseUNC(`\\h\s`, 4455); u.Addr != "h:4455" || u.String() != `\\h:4455\s` {
		t.Errorf("default port: %s %s", u.Addr, u)
	}
}

func TestCanonicalLocal(t *testing.T) {
	good := []struct {
		in   string
		asg  uint32
		want string
	}{
		{"x:", UseDiskDev, "X:"},
		{"x", UseDiskDev, "X:"},
		{"lpt1:", UseSpoolDev, "LPT1:"},
		{"PRN", UseSpoolDev, "PRN:"},
		{"com2:", UseCharDev, "COM2:"},
		{"work", UseDiskDev, "work"},
		{"my-share_2.old", UseDiskDev, "my-share_2.old"},
		{"pipes", UseIPC, "pipes"},
	}
	for _, c := range good {
		got, err := canonicalLocal(c.in, c.asg)
		if err != nil || got != c.want {
			t.Errorf("%q/%d: %q %v, want %q", c.in, c.asg, got, err, c.want)
		}
	}
	bad := []struct {
		in  string
		asg uint32
	}{
		{"X:", UseSpoolDev}, {"LPT1:", UseDiskDev}, {"COM1:", UseDiskDev}, {"work", UseSpoolDev},
		{"a/b", UseDiskDev}, {"..", UseDiskDev}, {"with space", UseDiskDev}, {"", UseDiskDev},
		{string(make([]byte, 81)), UseDiskDev},
	}
	for _, c := range bad {
		if _, err := canonicalLocal(c.in, c.asg); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
			t.Errorf("%q/%d: %v, want ERROR_INVALID_PARAMETER", c.in, c.asg, err)
		}
	}
}

func TestSplitPath(t *testing.T) {
	cases := []struct{ in, use, rel string }{
		{"X:/dir/file", "X", `dir\file`},
		{"x:", "x", ``},
		{"work:a/./b//c/", "work", `a\b\c`},
		{`\\srv\data\dir\f.txt`, `\\srv\data`, `dir\f.txt`},
		{`//srv:4455/data/f`, `\\srv:4455\data`, `f`},
		{`\\srv\data`, `\\srv\data`, ``},
	}
	for _, c := range cases {
		use, rel, err := splitPath(c.in)
		if err != nil || use != c.use || rel != c.rel {
			t.Errorf("%q: %q %q %v, want %q %q", c.in, use, rel, err, c.use, c.rel)
		}
	}
	for _, in := range []string{"nocolon", ":x", `\\srv`, `\\srv\`} {
		if _, _, err := splitPath(in); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
			t.Errorf("%q: %v", in, err)
		}
	}
	if !sameLocal("x:", "X") || sameLocal("", "") || sameLocal("work", "works") {
		t.Error("sameLocal")
	}
}

func TestCredentialsNeverPrintSecret(t *testing.T) {
	c := Credentials{User: "bob", Domain: "D", Password: "s3cret-pw", NTHash: []byte("0123456789abcdef")}
	for _, s := range []string{c.String(), c.GoString(), c.LogValue().String()} {
		if s != `D\bob` && s != `workstation.Credentials{D\bob}` {
			t.Errorf("printed %q", s)
		}
	}
	if (&Credentials{}).Anonymous() != true || c.Anonymous() {
		t.Error("Anonymous")
	}
}

func FuzzParseNames(f *testing.F) {
	for _, s := range []string{`\\srv\data`, `//h:1/s/`, `\\[::1]:9\x`, `X:/a/b`, `work:`, `\\\`, "\x00:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if u, err := parseUNC(s, 0); err == nil {
			// The canonical form parses to itself.
			v, err := parseUNC(u.String(), 0)
			if err != nil || v != u {
				t.Fatalf("%q -> %q -> %+v %v", s, u, v, err)
			}
		}
		canonicalLocal(s, UseDiskDev)
		splitPath(s)
	})
}
