package main

import (
	"os"
	"testing"
)

func TestScrubArgs(t *testing.T) {
	saved := os.Args
	defer func() { os.Args = saved }()
	// Heap strings, as argv memory is writable (a literal would not be).
	arg := string([]byte(`CORP\bob%s3cret%x`))
	other := string([]byte("--level"))
	os.Args = []string{"lanman", "session", "-U", arg, other}
	c, err := credSources{userFlag: arg, getenv: envOf(nil)}.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if c.Secret != "s3cret%x" {
		t.Fatalf("secret = %q after scrubbing; it must be copied out first", c.Secret)
	}
	if os.Args[3] != `CORP\bob%XXXXXXXX` || os.Args[4] != "--level" {
		t.Fatalf("argv after scrub: %q", os.Args)
	}
}
