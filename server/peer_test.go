package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The test accounts. Passwords appear only here and in authfiles the
// tests write with mode 0600.
const (
	testAdmin     = "alice"
	testAdminPW   = "Wonderland-1"
	testUser      = "bob"
	testUserPW    = "Builder-2"
	testUsersFile = testAdmin + ":" + testAdminPW + ":admin\n" + testUser + ":" + testUserPW + "\n"
)

// testServer is a server on a loopback port with a read-write share
// "data" and a read-only share "ro".
type testServer struct {
	*Server
	addr    string
	port    string
	dataDir string
	roDir   string
}

func startServer(t testing.TB, mod func(*Config)) *testServer {
	t.Helper()
	users, err := ParseUsers(strings.NewReader(testUsersFile))
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{dataDir: t.TempDir(), roDir: t.TempDir()}
	os.WriteFile(filepath.Join(ts.roDir, "readme.txt"), []byte("read only\n"), 0o644)
	var logOut io.Writer = io.Discard
	if testing.Verbose() {
		logOut = os.Stderr
	}
	cfg := Config{
		ServerName: "LANMANTEST",
		Shares: []Share{
			{Name: "data", Path: ts.dataDir, Comment: "test data"},
			{Name: "ro", Path: ts.roDir, ReadOnly: true},
		},
		Users:  users,
		Logger: slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = s
	ts.addr = l.Addr().String()
	_, ts.port, _ = net.SplitHostPort(ts.addr)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Serve(ctx, l); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		sctx, c2 := context.WithTimeout(context.Background(), 5*time.Second)
		defer c2()
		if err := s.Shutdown(sctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return ts
}

// needPeer finds a peer program. Under CI=true a missing peer fails the
// test; elsewhere it skips.
func needPeer(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// authFile writes a Samba authentication file (smbclient -A).
func authFile(t *testing.T, user, pw string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "auth")
	content := "username = " + user + "\npassword = " + pw + "\ndomain = LANMANTEST\n"
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runPeer runs a peer program with a timeout, returning its combined
// output.
func runPeer(t *testing.T, dir string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// smbclientArgs are the options every smbclient run uses: our port, and
// an smb.conf that allows nothing but SMB2/3 with signing.
func (ts *testServer) smbclientArgs(t *testing.T, user, pw string, extra ...string) []string {
	conf := filepath.Join(t.TempDir(), "smb.conf")
	os.WriteFile(conf, []byte("[global]\nclient min protocol = SMB2_02\nclient max protocol = SMB3_11\n"), 0o600)
	args := []string{"-s", conf, "-p", ts.port, "-A", authFile(t, user, pw)}
	return append(args, extra...)
}

func TestSmbclient(t *testing.T) {
	smbclient := needPeer(t, "smbclient")
	ts := startServer(t, nil)
	os.WriteFile(filepath.Join(ts.dataDir, "hello.txt"), []byte("hello from lanman\n"), 0o644)
	os.Mkdir(filepath.Join(ts.dataDir, "sub"), 0o755)
	work := t.TempDir()
	os.WriteFile(filepath.Join(work, "up.bin"), []byte(strings.Repeat("0123456789abcdef", 20000)), 0o644)

	t.Run("list", func(t *testing.T) {
		out, err := runPeer(t, work, smbclient, ts.smbclientArgs(t, testUser, testUserPW, "-L", "//127.0.0.1")...)
		if err != nil {
			t.Fatalf("smbclient -L: %v\n%s", err, out)
		}
		for _, want := range []string{"data", "ro", "IPC$", "test data"} {
			if !strings.Contains(out, want) {
				t.Errorf("share list lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("ls-get-put", func(t *testing.T) {
		out, err := runPeer(t, work, smbclient, ts.smbclientArgs(t, testUser, testUserPW, "//127.0.0.1/data",
			"-c", "ls; get hello.txt got.txt; put up.bin up.bin; ls")...)
		if err != nil {
			t.Fatalf("smbclient: %v\n%s", err, out)
		}
		if !strings.Contains(out, "hello.txt") || !strings.Contains(out, "sub") {
			t.Errorf("ls output lacks entries:\n%s", out)
		}
		got, err := os.ReadFile(filepath.Join(work, "got.txt"))
		if err != nil || string(got) != "hello from lanman\n" {
			t.Errorf("get: %q, %v", got, err)
		}
		up, _ := os.ReadFile(filepath.Join(work, "up.bin"))
		stored, err := os.ReadFile(filepath.Join(ts.dataDir, "up.bin"))
		if err != nil || string(stored) != string(up) {
			t.Errorf("put stored %d bytes (%v), want %d", len(stored), err, len(up))
		}
	})
	t.Run("readonly", func(t *testing.T) {
		out, _ := runPeer(t, work, smbclient, ts.smbclientArgs(t, testUser, testUserPW, "//127.0.0.1/ro",
			"-c", "get readme.txt r.txt; put up.bin x.bin")...)
		if b, err := os.ReadFile(filepath.Join(work, "r.txt")); err != nil || string(b) != "read only\n" {
			t.Errorf("get from ro: %q %v\n%s", b, err, out)
		}
		if _, err := os.Stat(filepath.Join(ts.roDir, "x.bin")); err == nil {
			t.Errorf("put succeeded on a read-only share:\n%s", out)
		}
		if !strings.Contains(out, "NT_STATUS_ACCESS_DENIED") {
			t.Errorf("put on ro share did not report ACCESS_DENIED:\n%s", out)
		}
	})
	t.Run("wrong-password", func(t *testing.T) {
		out, err := runPeer(t, work, smbclient, ts.smbclientArgs(t, testUser, "nope", "//127.0.0.1/data", "-c", "ls")...)
		if err == nil || !strings.Contains(out, "NT_STATUS_LOGON_FAILURE") {
			t.Errorf("wrong password: err=%v\n%s", err, out)
		}
	})
	t.Run("anonymous", func(t *testing.T) {
		out, err := runPeer(t, work, smbclient, "-p", ts.port, "-N", "//127.0.0.1/data", "-c", "ls")
		if err == nil {
			t.Errorf("anonymous logon reached a share:\n%s", out)
		}
	})
	for _, proto := range []string{"SMB2_02", "SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11"} {
		t.Run("dialect-"+proto, func(t *testing.T) {
			out, err := runPeer(t, work, smbclient, ts.smbclientArgs(t, testUser, testUserPW, "//127.0.0.1/data",
				"-m", proto, "-c", "get hello.txt d.txt")...)
			if err != nil {
				t.Fatalf("%s: %v\n%s", proto, err, out)
			}
		})
	}
	t.Run("encrypted", func(t *testing.T) {
		out, err := runPeer(t, work, smbclient, ts.smbclientArgs(t, testUser, testUserPW, "//127.0.0.1/data",
			"--client-protection=encrypt", "-c", "get hello.txt e.txt; put up.bin enc.bin")...)
		if err != nil {
			t.Fatalf("encrypted: %v\n%s", err, out)
		}
		stored, _ := os.ReadFile(filepath.Join(ts.dataDir, "enc.bin"))
		if len(stored) != 320000 {
			t.Errorf("encrypted put stored %d bytes", len(stored))
		}
	})
}

func (ts *testServer) rpcclient(t *testing.T, user, pw, cmd string) (string, error) {
	rpcclient := needPeer(t, "rpcclient")
	conf := filepath.Join(t.TempDir(), "smb.conf")
	os.WriteFile(conf, []byte("[global]\nclient min protocol = SMB2_02\n"), 0o600)
	return runPeer(t, t.TempDir(), rpcclient, "-s", conf, "-p", ts.port, "-A", authFile(t, user, pw), "127.0.0.1", "-c", cmd)
}
