package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/internal/sambatest"
)

// runJSON runs a lanman verb in-process as the Samba admin and decodes its
// --json output.
func runJSON(t *testing.T, s *sambatest.Samba, args ...string) []map[string]any {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, getenv: func(k string) string {
		if k == "LANMAN_PASSWORD" {
			return s.Admin.Password
		}
		return ""
	}}
	args = append(args, "-U", sambatest.Domain+`\`+s.Admin.Name, "--json")
	if code := runMain(context.Background(), e, args); code != 0 {
		t.Fatalf("lanman %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatalf("lanman %s: output is not a JSON array: %v\n%s", args[0], err, out.String())
	}
	return rows
}

func sortedStrings(v []string) string {
	sort.Strings(v)
	return strings.Join(v, ",")
}

// TestCLIAgainstSamba: session (levels 0 and 1), conn, file and share,
// each compared with what smbstatus --json says of the same server, with
// and without required encryption.
func TestCLIAgainstSamba(t *testing.T) {
	for _, encrypt := range []string{"", "required"} {
		t.Run("encrypt="+encrypt, func(t *testing.T) {
			s := sambatest.Start(t, sambatest.Options{Encrypt: encrypt})
			for _, f := range []string{"one.txt", "two.txt"} {
				if err := os.WriteFile(filepath.Join(s.Share, f), []byte(f), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s.Connect(t, s.User, "data").Run(t, "open one.txt", "fnum")
			s.Connect(t, s.Admin, "data").Run(t, "open two.txt", "fnum")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			st, err := s.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}

			want := st.SessionUsers()
			// lanman's own session is in its answer, not in the status
			// taken before it connected.
			want = append(want, s.Admin.Name+"@127.0.0.1")
			var got []string
			for _, r := range runJSON(t, s, "session", s.Addr, "--level", "1") {
				got = append(got, r["username"].(string)+"@"+strings.TrimPrefix(r["cname"].(string), `\\`))
			}
			if sortedStrings(got) != sortedStrings(want) {
				t.Errorf("session --level 1: %v; smbstatus (+ ours): %v", got, want)
			}
			l0 := runJSON(t, s, "session", s.Addr, "--level", "0")
			if len(l0) != len(want) {
				t.Errorf("session --level 0: %d rows, want %d", len(l0), len(want))
			}

			// conn on the data share: one row per tree connect to it.
			wantConns := 0
			for _, tc := range st.Tcons {
				if tc.Service == "data" {
					wantConns++
				}
			}
			if conns := runJSON(t, s, "conn", s.Addr, "data", "--level", "1"); len(conns) != wantConns {
				t.Errorf("conn data: %d rows, smbstatus has %d tree connects to data: %v", len(conns), wantConns, conns)
			}

			// file: the open files smbstatus lists (Samba answers level 3).
			var wantFiles []string
			for _, f := range st.Open {
				wantFiles = append(wantFiles, f.Filename)
			}
			var gotFiles []string
			for _, r := range runJSON(t, s, "file", s.Addr, "--level", "3") {
				gotFiles = append(gotFiles, filepath.Base(strings.ReplaceAll(r["pathname"].(string), `\`, "/")))
			}
			if sortedStrings(gotFiles) != sortedStrings(wantFiles) || len(wantFiles) != 2 {
				t.Errorf("file: %v; smbstatus: %v", gotFiles, wantFiles)
			}

			var shares []string
			for _, r := range runJSON(t, s, "share", s.Addr, "--level", "1") {
				shares = append(shares, r["netname"].(string))
			}
			if sortedStrings(shares) != "IPC$,data" {
				t.Errorf("share: %v, want data and IPC$", shares)
			}
		})
	}
}

// TestCLIErrors: exit status and error text for a non-admin, a wrong
// password, and a server that never answers.
func TestCLIErrors(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	run := func(password string, args ...string) (int, string) {
		var out, errOut bytes.Buffer
		e := &env{stdout: &out, stderr: &errOut, getenv: func(k string) string {
			if k == "LANMAN_PASSWORD" {
				return password
			}
			return ""
		}}
		return runMain(context.Background(), e, args), errOut.String()
	}
	if code, msg := run(s.User.Password, "session", s.Addr, "-U", s.User.Name); code != 1 || !strings.Contains(msg, "ERROR_ACCESS_DENIED (5)") {
		t.Errorf("non-admin: exit %d, %q; want 1 and ERROR_ACCESS_DENIED (5)", code, msg)
	}
	if code, msg := run("wrong", "session", s.Addr, "-U", s.Admin.Name); code != 1 || !strings.Contains(msg, "STATUS_LOGON_FAILURE") || strings.Contains(msg, "wrong") {
		t.Errorf("bad password: exit %d, %q; want 1 and STATUS_LOGON_FAILURE, without the password", code, msg)
	}

	// A loopback listener that accepts and never answers: the run must
	// end at --timeout with an error that says so.
	l, err := newSilentListener(t)
	if err != nil {
		t.Fatal(err)
	}
	code, msg := run(s.Admin.Password, "session", l, "-U", s.Admin.Name, "--timeout", "300ms")
	if code != 1 || !strings.Contains(msg, "deadline exceeded") {
		t.Errorf("silent server: exit %d, %q; want 1 and a deadline error", code, msg)
	}
	if code, _ := run(s.Admin.Password, "session", s.Addr, "-U", s.Admin.Name, "--level", "7"); code != 2 {
		t.Errorf("--level 7: exit %d, want 2 (usage)", code)
	}
}
