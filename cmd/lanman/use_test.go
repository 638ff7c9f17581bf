//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/internal/sambatest"
)

// runVerb runs the CLI in-process with the given environment.
func runVerb(t *testing.T, envm map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: envOf(envm)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code = runMain(ctx, e, args)
	return code, out.String(), errb.String()
}

func TestUseVerbsWithoutService(t *testing.T) {
	envm := map[string]string{"XDG_RUNTIME_DIR": t.TempDir()}
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"use"}, 0, "There are no entries in the list."},
		{[]string{"use", "--json"}, 0, "[]"},
		{[]string{"use", "X:", "--delete"}, 1, "NERR_UseNotFound (2250)"},
		{[]string{"use", "X:", "--delete", "--force", "--lots-of-force"}, 2, "exclude"},
		{[]string{"use", "--delete"}, 2, "one use name"},
		{[]string{"use", "X:", "notunc"}, 2, "not a remote name"},
		{[]string{"use", "a", "b", "c"}, 2, "too many"},
		{[]string{"use", `\\h\s`, "--type", "floppy"}, 2, "--type"},
		{[]string{"use", `\\h\s`, "--anonymous", "-U", "bob"}, 2, "exclude"},
		{[]string{"workstation", "status"}, 1, "NERR_WkstaNotStarted (2138)"},
		{[]string{"workstation", "stop"}, 1, "NERR_WkstaNotStarted (2138)"},
		{[]string{"workstation", "dance"}, 2, "unknown"},
		{[]string{"ls", "/local/path"}, 2, "through a use"},
		{[]string{"cat"}, 2, "want one or more"},
		{[]string{"cp", "a", "b"}, 2, "neither"},
		{[]string{"cat", "X:/f"}, 1, "NERR_WkstaNotStarted"},
	}
	for _, c := range cases {
		code, out, errs := runVerb(t, envm, c.args...)
		if code != c.code || !strings.Contains(out+errs, c.out) {
			t.Errorf("%q: exit %d, out %q err %q; want exit %d and %q", c.args, code, out, errs, c.code, c.out)
		}
	}
}

func TestIsUsePath(t *testing.T) {
	for p, want := range map[string]bool{
		`X:/a`: true, `work:dir/f`: true, `\\srv\s\f`: true, `//srv/s/f`: true,
		`./a:b`: false, `/tmp/x`: false, `file.txt`: false, `-`: false, `dir/a:b`: false,
	} {
		if isUsePath(p) != want {
			t.Errorf("isUsePath(%q) = %v", p, !want)
		}
	}
}

// buildLanman builds the lanman binary, so that the service is started on
// demand as a user's shell would start it.
func buildLanman(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "lanman")
	cmd := exec.Command("go", "build", "-o", exe, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

// The "done when", end to end against Samba: lanman use starts
// the service, makes the use, smbd lists the session, lanman use --json
// says OK, the file verbs work, and deleting the use ends the session.
func TestUseEndToEndSamba(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	os.WriteFile(filepath.Join(s.Share, "hello.txt"), []byte("hello from samba\n"), 0o644)
	exe := buildLanman(t)
	runtime := t.TempDir()
	authDir := t.TempDir()
	pwFile := filepath.Join(authDir, "pw")
	os.WriteFile(pwFile, []byte(s.User.Password+"\n"), 0o600)
	remote := fmt.Sprintf(`\\127.0.0.1:%d\data`, s.Port)

	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+runtime, "LANMAN_USER=", "LANMAN_PASSWORD=")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { run("workstation", "stop") })

	if out, err := run("use", "X:", remote, "-U", sambatest.Domain+`\`+s.User.Name, "--password-file", pwFile); err != nil {
		t.Fatalf("lanman use add: %v\n%s", err, out)
	}
	st, err := s.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ss := range st.Sessions {
		found = found || strings.HasSuffix(ss.Username, s.User.Name)
	}
	if !found {
		t.Fatalf("smbd lists no session of %s: %+v", s.User.Name, st.Sessions)
	}

	out, err := run("use", "--json")
	if err != nil {
		t.Fatalf("lanman use --json: %v\n%s", err, out)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if len(rows) != 1 || rows[0]["local"] != "X:" || rows[0]["remote"] != remote || rows[0]["status"] != "OK" ||
		rows[0]["asg_type"] != "disk" || rows[0]["username"] != s.User.Name || rows[0]["domainname"] != sambatest.Domain ||
		rows[0]["refcount"] != 0.0 || rows[0]["usecount"] != 1.0 {
		t.Fatalf("lanman use --json: %s", out)
	}
	if out, err := run("cat", "X:/hello.txt"); err != nil || out != "hello from samba\n" {
		t.Fatalf("lanman cat: %q %v", out, err)
	}
	local := filepath.Join(t.TempDir(), "up.txt")
	os.WriteFile(local, []byte("uploaded"), 0o644)
	if out, err := run("cp", local, "X:/up.txt"); err != nil {
		t.Fatalf("lanman cp up: %v %s", err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(s.Share, "up.txt")); string(b) != "uploaded" {
		t.Fatalf("uploaded file: %q", b)
	}
	if out, err := run("ls", "X:/", "--json"); err != nil || !strings.Contains(out, `"up.txt"`) || !strings.Contains(out, `"hello.txt"`) {
		t.Fatalf("lanman ls: %s %v", out, err)
	}
	if out, err := run("cp", `X:/hello.txt`, "-"); err != nil || out != "hello from samba\n" {
		t.Fatalf("lanman cp to stdout: %q %v", out, err)
	}
	if out, err := run("workstation", "status"); err != nil || !strings.Contains(out, "Uses           1") {
		t.Fatalf("workstation status: %s %v", out, err)
	}

	if out, err := run("use", "X:", "--delete"); err != nil {
		t.Fatalf("lanman use --delete: %v\n%s", err, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := s.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Sessions) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("session still listed after delete: %+v", st.Sessions)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if out, err := run("workstation", "stop"); err != nil || !strings.Contains(out, "stopped") {
		t.Fatalf("workstation stop: %s %v", out, err)
	}
	if out, err := run("workstation", "status"); err == nil || !strings.Contains(out, "2138") {
		t.Fatalf("status after stop: %s %v", out, err)
	}
}
