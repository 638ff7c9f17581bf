package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lanman/lanman/netapi"
	"github.com/lanman/lanman/server"
)

// syncBuffer is a bytes.Buffer safe to write from the server goroutine
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServerVerb runs `lanman server` in-process, enumerates it with
// `lanman session`, and stops it as SIGINT would (the context).
func TestServerVerb(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte("admin:Adm1n-pw:admin\nbob:B0b-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	share := filepath.Join(dir, "share")
	if err := os.Mkdir(share, 0o755); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	e := &env{stdout: &out, stderr: &out, getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServer(ctx, e, []string{"--listen", "127.0.0.1:0", "--share", "data=" + share + ",ro", "--users", users, "--log-level", "warn"})
	}()
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, a, ok := strings.Cut(out.String(), "listening on "); ok {
			addr = strings.TrimSpace(strings.SplitN(a, "\n", 2)[0])
		}
	}
	if addr == "" {
		t.Fatalf("server did not say where it listens: %q", out.String())
	}

	var list bytes.Buffer
	ce := &env{stdout: &list, stderr: &list, getenv: func(k string) string {
		return map[string]string{"LANMAN_PASSWORD": "Adm1n-pw"}[k]
	}}
	if code := runMain(context.Background(), ce, []string{"share", addr, "-U", "admin", "--csv"}); code != 0 {
		t.Fatalf("lanman share: exit %d: %s", code, list.String())
	}
	if !strings.Contains(list.String(), "data,") || !strings.Contains(list.String(), "IPC$,") {
		t.Fatalf("lanman share output: %q", list.String())
	}

	// An open and a session to act on: bob holds a file.
	if err := os.WriteFile(filepath.Join(share, "f.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	bob, err := netapi.Dial(context.Background(), addr, &netapi.Options{Credentials: netapi.Credentials{User: "bob", Password: "B0b-pw"}})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	tree, err := bob.Session().TreeConnect(context.Background(), "data")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.Open(context.Background(), "f.txt"); err != nil {
		t.Fatal(err)
	}
	lanman := func(args ...string) string {
		t.Helper()
		list.Reset()
		if code := runMain(context.Background(), ce, append(args, "-U", "admin")); code != 0 {
			t.Fatalf("lanman %v: exit %d: %s", args, code, list.String())
		}
		return list.String()
	}
	var files []map[string]any
	if err := json.Unmarshal([]byte(lanman("file", addr, "--username", "bob", "--json")), &files); err != nil || len(files) != 1 {
		t.Fatalf("bob's files: %v, %v", files, err)
	}
	id := fmt.Sprint(files[0]["id"])
	lanman("file", addr, "--close", id)
	if out := lanman("file", addr, "--username", "bob", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("after --close %s: %s", id, out)
	}
	lanman("session", addr, "--delete", "--username", "bob")
	if out := lanman("session", addr, "--json"); strings.Contains(out, `"bob"`) {
		t.Fatalf("after --delete: %s", out)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server ended with %v after the interrupt", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down after the interrupt")
	}
}

func TestServerVerbRefusesOpenUsersFile(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(users, []byte("admin:pw:admin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	err := runServer(context.Background(), e, []string{"--listen", "127.0.0.1:0", "--users", users})
	if !errors.Is(err, server.ErrUsersFilePerm) {
		t.Fatalf("world-readable users file: %v, want ErrUsersFilePerm", err)
	}
	if err := runServer(context.Background(), e, []string{"--listen", "127.0.0.1:0"}); !errors.Is(err, errUsage) {
		t.Fatalf("no users file: %v, want a usage error", err)
	}
}
