//go:build unix

package workstation

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as a helper process: with LANMAN_WKS_HELPER set
// it dials the socket named there and reports what happened, so tests can
// run it under another uid.
func TestMain(m *testing.M) {
	if p := os.Getenv("LANMAN_WKS_HELPER"); p != "" {
		os.Exit(helperDial(p))
	}
	os.Exit(m.Run())
}

func helperDial(path string) int {
	c, err := net.Dial("unix", path)
	if err != nil {
		fmt.Println("dial:", err)
		if errors.Is(err, syscall.EACCES) {
			return 3
		}
		return 2
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.Write([]byte("hello"))
	b, err := io.ReadAll(c)
	fmt.Printf("read %q %v\n", b, err)
	if len(b) == 0 {
		return 4 // closed on us
	}
	return 0
}

const nobody = 65534

func runHelperAs(t *testing.T, uid int, path string) (int, string) {
	t.Helper()
	cmd := exec.Command(helperBinary(t), "-test.run=^$")
	cmd.Env = append(os.Environ(), "LANMAN_WKS_HELPER="+path)
	if uid != os.Geteuid() {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)}}
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatalf("helper: %v: %s", err, out)
	}
	return 0, string(out)
}

// helperBinary is a copy of the test binary that another uid may execute
// (go test builds into a private directory).
func helperBinary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	os.Chmod(filepath.Dir(dir), 0o755)
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "helper")
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func requireRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("running a process as another uid needs root")
	}
}

func TestSocketDir(t *testing.T) {
	env := map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}
	if got := SocketDirEnv(func(k string) string { return env[k] }); got != "/run/user/1000/lanman" {
		t.Errorf("with XDG_RUNTIME_DIR: %q", got)
	}
	env["XDG_RUNTIME_DIR"] = "relative/dir" // not absolute: ignored, as the XDG spec says
	want := filepath.Join(os.TempDir(), fmt.Sprintf("lanman-%d", os.Geteuid()))
	if got := SocketDirEnv(func(k string) string { return env[k] }); got != want {
		t.Errorf("relative XDG_RUNTIME_DIR: %q, want %q", got, want)
	}
	if got := SocketDirEnv(func(string) string { return "" }); got != want {
		t.Errorf("without XDG_RUNTIME_DIR: %q, want %q", got, want)
	}
}

func TestEnsureDirRefusesUnsafe(t *testing.T) {
	base := t.TempDir()

	d := filepath.Join(base, "new")
	if err := ensureDir(d); err != nil {
		t.Fatalf("fresh dir: %v", err)
	}
	if fi, _ := os.Stat(d); fi.Mode().Perm() != 0o700 {
		t.Errorf("created with %v", fi.Mode())
	}

	loose := filepath.Join(base, "loose")
	os.Mkdir(loose, 0o700)
	os.Chmod(loose, 0o755)
	if err := ensureDir(loose); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("0755 dir: %v, want ErrUnsafeDir", err)
	}

	link := filepath.Join(base, "link")
	os.Symlink(d, link)
	if err := ensureDir(link); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("symlink: %v, want ErrUnsafeDir", err)
	}

	file := filepath.Join(base, "file")
	os.WriteFile(file, nil, 0o600)
	if err := ensureDir(file); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("plain file: %v, want ErrUnsafeDir", err)
	}

	if os.Geteuid() == 0 {
		foreign := filepath.Join(base, "foreign")
		os.Mkdir(foreign, 0o700)
		if err := os.Chown(foreign, nobody, nobody); err != nil {
			t.Fatal(err)
		}
		if err := ensureDir(foreign); !errors.Is(err, ErrUnsafeDir) || !strings.Contains(err.Error(), "owned by uid") {
			t.Errorf("dir of another user: %v, want ErrUnsafeDir", err)
		}
	}
}

func TestListenModesAndLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lanman")
	l, err := Listen(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want socket 0600", fi.Mode())
	}
	if _, err := Listen(dir, nil); !errors.Is(err, ErrAlreadyRunning) {
		t.Errorf("second Listen: %v, want ErrAlreadyRunning", err)
	}
	l.Close()
	if _, err := os.Stat(l.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left after Close: %v", err)
	}

	// A socket file left by a service that died is replaced.
	stale, err := net.Listen("unix", filepath.Join(dir, SocketName))
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	stale.Close()
	l2, err := Listen(dir, nil)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	l2.Close()
}

// The directory keeps other users from even reaching the socket.
func TestOtherUserCannotReachSocket(t *testing.T) {
	requireRoot(t)
	dir := filepath.Join(t.TempDir(), "lanman")
	l, err := Listen(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// The test's temp dir is private too; open the path up to the
	// service's directory so that only the service's own modes decide.
	os.Chmod(filepath.Dir(dir), 0o755)
	os.Chmod(filepath.Dir(filepath.Dir(dir)), 0o755)
	code, out := runHelperAs(t, nobody, l.Path())
	if code != 3 {
		t.Fatalf("another uid dialed the socket: exit %d: %s", code, out)
	}
}

// Even with the socket reachable, the peer check refuses another uid and
// still serves the service's own user.
func TestPeerCheckRefusesOtherUID(t *testing.T) {
	requireRoot(t)
	dir := t.TempDir()
	os.Chmod(dir, 0o777)
	path := filepath.Join(dir, "open.sock")
	ul, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o777)
	l := &Listener{ul: ul, lock: mustOpen(t, os.DevNull), path: path, uid: os.Geteuid(), log: discardLogger()}
	defer l.Close()

	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			c.Write([]byte("welcome"))
			c.Close()
			accepted <- c
		}
		close(accepted)
	}()

	code, out := runHelperAs(t, nobody, path)
	if code != 4 {
		t.Fatalf("foreign peer: exit %d, want 4 (closed without a byte): %s", code, out)
	}
	if l.Refused() != 1 {
		t.Fatalf("Refused = %d, want 1", l.Refused())
	}
	code, out = runHelperAs(t, os.Geteuid(), path)
	if code != 0 || !strings.Contains(out, "welcome") {
		t.Fatalf("own uid: exit %d: %s", code, out)
	}
	if _, ok := <-accepted; !ok {
		t.Fatal("own connection not accepted")
	}
}

// checkPeer on a real socketpair: both ends are this process.
func TestCheckPeerSocketpair(t *testing.T) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	f0, f1 := os.NewFile(uintptr(fds[0]), "a"), os.NewFile(uintptr(fds[1]), "b")
	defer f1.Close()
	c, err := net.FileConn(f0)
	f0.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	uc := c.(*net.UnixConn)
	if err := checkPeer(uc, os.Geteuid()); err != nil {
		t.Errorf("own uid refused: %v", err)
	}
	if err := checkPeer(uc, os.Geteuid()+1); !errors.Is(err, ErrForeignPeer) {
		t.Errorf("wrong uid: %v, want ErrForeignPeer", err)
	}
}

func mustOpen(t *testing.T, name string) *os.File {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
