package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lanman/lanman/internal/lanmantest"
	"github.com/lanman/lanman/server"
)

func TestTargetsExpansion(t *testing.T) {
	file := filepath.Join(t.TempDir(), "targets")
	if err := os.WriteFile(file, []byte("# fleet\nfs1 fs2:4455 # two\n\n[::1]:445\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := fleetFlags{targetsFile: file, concurrency: 4}
	got, err := f.targets([]string{"10.9.8.0/30", "fs0"})
	if err != nil {
		t.Fatal(err)
	}
	want := "10.9.8.1,10.9.8.2,fs0,fs1,fs2:4455,[::1]:445"
	if strings.Join(got, ",") != want || !f.fleet() {
		t.Fatalf("targets = %v (fleet %v), want %s", got, f.fleet(), want)
	}
	if _, err := (&fleetFlags{concurrency: 1}).targets([]string{"10.0.0.0/8"}); !errors.Is(err, errUsage) {
		t.Fatalf("a /8: %v, want a usage error", err)
	}
}

// TestFleetRun asks several targets at once: two answers from a lanman
// server and one refused connection, which must be an error row, not an
// abort; every row names its server.
func TestFleetRun(t *testing.T) {
	users, err := server.NewUsers(server.User{Name: "admin", NTHash: server.NTHash("Fl33t-pw"), Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	_, addr := lanmantest.Serve(t, server.Config{Users: users, ServerName: "FLEET"})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()

	file := filepath.Join(t.TempDir(), "targets")
	if err := os.WriteFile(file, []byte(addr+"\n"+refused+"\n"+addr+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, getenv: func(k string) string {
		return map[string]string{"LANMAN_PASSWORD": "Fl33t-pw"}[k]
	}}
	code := runMain(context.Background(), e, []string{"share", "--targets", file, "-U", "admin", "--jsonl", "--timeout", "5s"})
	if code != 1 || !strings.Contains(errOut.String(), "1 of 3") {
		t.Fatalf("exit %d, stderr %q; want 1 and '1 of 3' failed", code, errOut.String())
	}
	rows := map[string]int{}
	errorsSeen := 0
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not JSON Lines: %q", sc.Text())
		}
		server, _ := m["server"].(string)
		if _, failed := m["error"]; failed {
			errorsSeen++
			if server != refused {
				t.Errorf("error row for %q, want %q", server, refused)
			}
			continue
		}
		rows[server]++
	}
	// Each answering target lists IPC$; the same address twice is two
	// targets.
	if rows[addr] != 2 || errorsSeen != 1 {
		t.Fatalf("rows per server %v, error rows %d; output:\n%s", rows, errorsSeen, out.String())
	}
}
