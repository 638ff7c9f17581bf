package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestCredentials(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte("from-file\nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		src  credSources
		want credentials
		err  error
	}{
		{"user%pass", credSources{userFlag: `admin%s3cret`}, credentials{User: "admin", Secret: "s3cret"}, nil},
		{"domain backslash", credSources{userFlag: `CORP\bob%pw`}, credentials{Domain: "CORP", User: "bob", Secret: "pw"}, nil},
		{"domain slash", credSources{userFlag: `CORP/bob%pw`}, credentials{Domain: "CORP", User: "bob", Secret: "pw"}, nil},
		{"percent in password", credSources{userFlag: `bob%a%b`}, credentials{User: "bob", Secret: "a%b"}, nil},
		{"file beats env", credSources{userFlag: "bob", passwordFile: pwFile, getenv: envOf(map[string]string{"LANMAN_PASSWORD": "env"})},
			credentials{User: "bob", Secret: "from-file"}, nil},
		{"env", credSources{getenv: envOf(map[string]string{"LANMAN_USER": "eve", "LANMAN_PASSWORD": "pw", "LANMAN_DOMAIN": "D"})},
			credentials{Domain: "D", User: "eve", Secret: "pw"}, nil},
		{"prompt", credSources{userFlag: "bob", prompt: func(string) (string, error) { return "typed", nil }},
			credentials{User: "bob", Secret: "typed"}, nil},
		{"nt hash", credSources{userFlag: "bob", ntHash: true, getenv: envOf(map[string]string{"LANMAN_PASSWORD": "0123"})},
			credentials{User: "bob", Secret: "0123", IsNTHash: true}, nil},
		{"no password off a terminal", credSources{userFlag: "bob"}, credentials{}, errNoPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.src.getenv == nil {
				tc.src.getenv = envOf(nil)
			}
			got, err := tc.src.resolve()
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestCredentialErrorsHideSecrets(t *testing.T) {
	_, err := credSources{userFlag: "bob", passwordFile: "/nonexistent/pw", getenv: envOf(nil)}.resolve()
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("err = %v", err)
	}
}
