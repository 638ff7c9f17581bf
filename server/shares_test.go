package server

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCleanPath(t *testing.T) {
	ok := map[string]string{
		"":              ".",
		"a":             "a",
		"dir\\file.txt": "dir/file.txt",
		"dir\\":         "dir",
		"a b\\c.d":      "a b/c.d",
		"a.\\.b":        "a./.b",
		"..a":           "..a",
	}
	for in, want := range ok {
		got, err := cleanPath(in)
		if err != nil || got != want {
			t.Errorf("cleanPath(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"..", "a\\..\\b", "..\\x", ".", "a\\.\\b", "\\abs", "/abs", "C:\\x", "file:stream",
		"file::$DATA", "a/b", "a\\\\b", "a*", "x?", "a\x00b", "a\x01", "a<b", "a|b",
		"...", ".. ", " ", "a\\. .\\b", "...\\x", ". ",
	} {
		if got, err := cleanPath(in); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("cleanPath(%q) = %q, %v; want ErrInvalidPath", in, got, err)
		}
	}
}

func TestShareRefusesSymlinks(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "d", "f"), []byte("y"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	if err := os.Symlink("d", filepath.Join(root, "in")); err != nil {
		t.Fatal(err)
	}
	sh, err := openShare(Share{Name: "s", Path: root})
	if err != nil {
		t.Fatal(err)
	}
	// Links are refused whatever the case they are named in.
	for _, p := range []string{"out", "out/secret", "in", "in/f", "OUT", "In/f"} {
		if got, err := sh.resolve(p); !errors.Is(err, ErrSymlink) {
			t.Errorf("resolve(%q) = %q, %v, want ErrSymlink", p, got, err)
		}
	}
	for _, p := range []string{".", "d", "d/f", "d/missing", "missing/x"} {
		if got, err := sh.resolve(p); err != nil || got != p {
			t.Errorf("resolve(%q) = %q, %v", p, got, err)
		}
	}
	// And os.Root itself never leaves the root, whatever the check says.
	if _, err := sh.root.Open("out/secret"); err == nil {
		t.Error("os.Root opened a file outside the share")
	}
}

func TestOpenShareErrors(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "file")
	os.WriteFile(f, nil, 0o600)
	for _, sh := range []Share{
		{Name: "IPC$", Path: dir},
		{Name: "", Path: dir},
		{Name: "a\\b", Path: dir},
		{Name: "x", Path: f},
		{Name: "x", Path: filepath.Join(dir, "missing")},
	} {
		if _, err := openShare(sh); err == nil {
			t.Errorf("openShare(%+v) succeeded", sh)
		}
	}
}

func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"", "a\\b", "..", "a:b", "\\x", "a\\\\b", "dir\\", ".. ", "a\\. .", "..."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := cleanPath(in)
		if err != nil {
			return
		}
		if p == "" || p[0] == '/' || filepath.IsAbs(p) {
			t.Fatalf("cleanPath(%q) = %q", in, p)
		}
		if !filepath.IsLocal(p) {
			t.Fatalf("cleanPath(%q) = %q is not local", in, p)
		}
		for _, c := range []byte(p) {
			if c == ':' || c == '\\' {
				t.Fatalf("cleanPath(%q) = %q", in, p)
			}
		}
		for comp := range strings.SplitSeq(p, "/") {
			if p != "." && strings.Trim(comp, ". ") == "" {
				t.Fatalf("cleanPath(%q) = %q has a dot component", in, p)
			}
		}
	})
}
