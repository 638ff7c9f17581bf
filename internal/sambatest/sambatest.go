// Package sambatest starts a private Samba smbd on loopback for tests: its
// own smb.conf, passdb, lock and state directories under a temporary
// directory, its own users (an administrator whose Unix group is mapped to
// BUILTIN\Administrators, and an ordinary user), and a disk share. It stops
// exactly the processes it started.
//
// Samba needs Unix accounts behind its users, so the harness creates the
// accounts lanman_admin and lanman_user (and the group lanman_admins) when
// they are missing; that needs root. Where Samba cannot be run, tests skip
// — except under CI=true, where they fail, so that CI can never go green
// without having run them.
package sambatest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Domain is the workgroup and NetBIOS name of the test server.
const Domain = "LANMANTEST"

// Account names. They are real Unix accounts on the test machine.
const (
	AdminName  = "lanman_admin"
	UserName   = "lanman_user"
	AdminGroup = "lanman_admins"
)

// User is an account of the test server.
type User struct {
	Name     string
	Password string
	Admin    bool
}

// Options configure the server.
type Options struct {
	// Encrypt is Samba's "server smb encrypt": "", "desired" or "required".
	Encrypt string
	// Global holds extra smb.conf lines for [global].
	Global []string
}

// Samba is a running smbd.
type Samba struct {
	Host  string // "127.0.0.1"
	Port  int
	Addr  string // host:port
	Dir   string // everything of this instance lives below it
	Conf  string // path of smb.conf
	Share string // local directory of the [data] share
	Admin User
	User  User

	cmd  *exec.Cmd
	done chan struct{}
	once sync.Once
}

// CI reports whether the tests run in CI, where missing peers are failures.
func CI() bool { return os.Getenv("CI") == "true" }

// Unavailable skips the test, or fails it under CI=true.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if CI() {
		t.Fatalf("required test peer unavailable under CI=true: "+format, args...)
	}
	t.Skipf("test peer unavailable: "+format, args...)
}

// Require checks that smbd and its tools can be run here.
func Require(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"smbd", "pdbedit", "net", "smbstatus"} {
		if _, err := exec.LookPath(tool); err != nil {
			Unavailable(t, "%s not installed (apt-get install samba)", tool)
		}
	}
	if os.Geteuid() != 0 {
		Unavailable(t, "Samba needs Unix accounts for its users; creating them needs root")
	}
}

// Start configures and starts smbd, and registers its stop with t.Cleanup.
func Start(t testing.TB, opt Options) *Samba {
	t.Helper()
	Require(t)
	if err := ensureAccounts(); err != nil {
		t.Fatalf("sambatest: %v", err)
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		s, err := start(t.TempDir(), opt)
		if err == nil {
			t.Cleanup(s.Stop)
			return s
		}
		lastErr = err
	}
	t.Fatalf("sambatest: %v", lastErr)
	return nil
}

func start(dir string, opt Options) (*Samba, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Samba{
		Host:  "127.0.0.1",
		Port:  port,
		Addr:  net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Dir:   dir,
		Conf:  filepath.Join(dir, "smb.conf"),
		Share: filepath.Join(dir, "share"),
		Admin: User{Name: AdminName, Password: randomPassword(), Admin: true},
		User:  User{Name: UserName, Password: randomPassword()},
		done:  make(chan struct{}),
	}
	for _, d := range []string{"private", "lock", "state", "cache", "pid", "ncalrpc", "log", "share"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	// Samba's users must be able to reach the share: t.TempDir makes
	// private (0700) directories.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := os.Chmod(s.Share, 0o777); err != nil {
		return nil, err
	}
	if err := os.WriteFile(s.Conf, []byte(s.config(opt)), 0o644); err != nil {
		return nil, err
	}
	for _, u := range []User{s.Admin, s.User} {
		if err := s.run(u.Password+"\n"+u.Password+"\n", "pdbedit", "-s", s.Conf, "-a", "-t", "-u", u.Name); err != nil {
			return nil, fmt.Errorf("pdbedit -a %s: %w", u.Name, err)
		}
	}
	if err := s.run("", "net", "-s", s.Conf, "groupmap", "add", "sid=S-1-5-32-544", "unixgroup="+AdminGroup, "type=builtin"); err != nil {
		return nil, fmt.Errorf("net groupmap add: %w", err)
	}

	s.cmd = exec.Command("smbd", "-F", "--no-process-group", "-s", s.Conf, "--debug-stdout", "-d", "1")
	log, err := os.Create(filepath.Join(dir, "log", "smbd.out"))
	if err != nil {
		return nil, err
	}
	s.cmd.Stdout, s.cmd.Stderr = log, log
	// smbd forks a child per connection; its own process group lets Stop
	// end them all, and nothing else.
	ownProcessGroup(s.cmd)
	if err := s.cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start smbd: %w", err)
	}
	go func() { s.cmd.Wait(); log.Close(); close(s.done) }()

	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.Addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case <-s.done:
			out, _ := os.ReadFile(filepath.Join(dir, "log", "smbd.out"))
			return nil, fmt.Errorf("smbd exited at start: %s", tail(out, 2000))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, errors.New("smbd did not listen within 20s")
		}
	}
}

func (s *Samba) config(opt Options) string {
	d := s.Dir
	var b strings.Builder
	fmt.Fprintf(&b, `[global]
  netbios name = %[2]s
  workgroup = %[2]s
  server role = standalone server
  interfaces = lo
  bind interfaces only = yes
  smb ports = %[3]d
  disable netbios = yes
  private dir = %[1]s/private
  lock directory = %[1]s/lock
  state directory = %[1]s/state
  cache directory = %[1]s/cache
  pid directory = %[1]s/pid
  ncalrpc dir = %[1]s/ncalrpc
  log file = %[1]s/log/log.%%m
  passdb backend = tdbsam:%[1]s/private/passdb.tdb
  server min protocol = SMB2_02
  server signing = mandatory
  ntlm auth = ntlmv2-only
  map to guest = never
  restrict anonymous = 2
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  rpc_server:default = embedded
`, d, Domain, s.Port)
	if opt.Encrypt != "" {
		fmt.Fprintf(&b, "  server smb encrypt = %s\n", opt.Encrypt)
	}
	for _, l := range opt.Global {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	fmt.Fprintf(&b, "[data]\n  path = %s\n  read only = no\n", s.Share)
	return b.String()
}

func (s *Samba) run(stdin string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s", err, tail(out, 1000))
	}
	return nil
}

// Stop ends smbd and every child it forked.
func (s *Samba) Stop() {
	s.once.Do(func() {
		if s.cmd == nil || s.cmd.Process == nil {
			return
		}
		pgid := s.cmd.Process.Pid
		signalGroup(pgid, false)
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			signalGroup(pgid, true)
			<-s.done
		}
		// Children may outlive the parent by a moment.
		signalGroup(pgid, true)
		reapHelpers(s.Conf)
	})
}

// AuthFile writes an smbclient/rpcclient authentication file for u, so
// the password never appears in a command line.
func (s *Samba) AuthFile(t testing.TB, u User) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), u.Name+".auth")
	content := fmt.Sprintf("username=%s\npassword=%s\ndomain=%s\n", u.Name, u.Password, Domain)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Status is the part of `smbstatus --json` the tests compare against.
type Status struct {
	Sessions map[string]StatusSession `json:"sessions"`
	Tcons    map[string]StatusTcon    `json:"tcons"`
	Open     map[string]StatusFile    `json:"open_files"`
}

// StatusSession is one SMB session as smbstatus reports it.
type StatusSession struct {
	SessionID     string `json:"session_id"`
	Username      string `json:"username"`
	RemoteMachine string `json:"remote_machine"`
	Hostname      string `json:"hostname"` // "ipv4:127.0.0.1:45164"
	Dialect       string `json:"session_dialect"`
	Encryption    struct {
		Cipher string `json:"cipher"`
		Degree string `json:"degree"`
	} `json:"encryption"`
	Signing struct {
		Cipher string `json:"cipher"`
		Degree string `json:"degree"`
	} `json:"signing"`
}

// StatusTcon is one tree connect.
type StatusTcon struct {
	Service   string `json:"service"`
	TconID    string `json:"tcon_id"`
	SessionID string `json:"session_id"`
	Machine   string `json:"machine"`
}

// StatusFile is one open file with its opens.
type StatusFile struct {
	ServicePath string `json:"service_path"`
	Filename    string `json:"filename"`
	Opens       map[string]struct {
		UID int `json:"uid"`
	} `json:"opens"`
}

// SessionUsers is every session as "user@client address", sorted: the
// form tests compare NetSessionEnum's answers with.
func (st *Status) SessionUsers() []string {
	out := make([]string, 0, len(st.Sessions))
	for _, sess := range st.Sessions {
		out = append(out, sess.Username+"@"+sess.RemoteMachine)
	}
	sort.Strings(out)
	return out
}

// Status runs smbstatus --json against this instance.
func (s *Samba) Status(ctx context.Context) (*Status, error) {
	out, err := exec.CommandContext(ctx, "smbstatus", "-s", s.Conf, "--json").Output()
	if err != nil {
		return nil, fmt.Errorf("smbstatus: %w", err)
	}
	var st Status
	if err := json.Unmarshal(out, &st); err != nil {
		return nil, fmt.Errorf("smbstatus output: %w", err)
	}
	return &st, nil
}

// Client is an smbclient process holding a session and tree connect open,
// driven through its command prompt.
type Client struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	mu     sync.Mutex
	output strings.Builder
	done   chan struct{}
}

// Connect starts smbclient as u on //127.0.0.1/share and waits until the
// session is up. Commands such as "open hello.txt" hold files open.
func (s *Samba) Connect(t testing.TB, u User, share string, opts ...string) *Client {
	t.Helper()
	if _, err := exec.LookPath("smbclient"); err != nil {
		Unavailable(t, "smbclient not installed (apt-get install smbclient)")
	}
	args := append([]string{"-p", strconv.Itoa(s.Port), "-A", s.AuthFile(t, u), "//127.0.0.1/" + share}, opts...)
	// smbclient writes through stdio, which buffers fully into a pipe;
	// stdbuf makes it line-buffered so the prompt dialogue works.
	args = append([]string{"-oL", "smbclient"}, args...)
	c := &Client{cmd: exec.Command("stdbuf", args...), done: make(chan struct{})}
	stdin, err := c.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.stdin = stdin
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stderr = c.cmd.Stdout
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.mu.Lock()
			c.output.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
		}
		c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(c.Close)
	// "pwd" answers only once the tree connect is done.
	c.Run(t, "pwd", "Current directory is")
	return c
}

// Run sends one command and waits until the output contains want.
func (c *Client) Run(t testing.TB, command, want string) {
	t.Helper()
	c.mu.Lock()
	start := c.output.Len()
	c.mu.Unlock()
	if _, err := io.WriteString(c.stdin, command+"\n"); err != nil {
		t.Fatalf("smbclient %q: %v", command, err)
	}
	deadline := time.After(15 * time.Second)
	for {
		c.mu.Lock()
		out := c.output.String()
		c.mu.Unlock()
		if strings.Contains(out[start:], want) {
			return
		}
		select {
		case <-c.done:
			t.Fatalf("smbclient exited during %q: %s", command, out)
		case <-deadline:
			t.Fatalf("smbclient %q: %q not seen in %s", command, want, out[start:])
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Close ends the smbclient process and with it the session.
func (c *Client) Close() {
	c.stdin.Close()
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
}

func ensureAccounts() error {
	accountsMu.Lock()
	defer accountsMu.Unlock()
	if _, err := user.LookupGroup(AdminGroup); err != nil {
		if out, err := exec.Command("groupadd", AdminGroup).CombinedOutput(); err != nil {
			return fmt.Errorf("groupadd %s: %v: %s", AdminGroup, err, out)
		}
	}
	for name, args := range map[string][]string{
		AdminName: {"-M", "-N", "-g", AdminGroup, "-s", "/usr/sbin/nologin", AdminName},
		UserName:  {"-M", "-N", "-s", "/usr/sbin/nologin", UserName},
	} {
		if _, err := user.Lookup(name); err == nil {
			continue
		}
		if out, err := exec.Command("useradd", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("useradd %s: %v: %s", name, err, out)
		}
	}
	return nil
}

var accountsMu sync.Mutex

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomPassword() string {
	var b [9]byte
	rand.Read(b[:])
	// Mixed classes, so no password policy can refuse it.
	return "Lm-" + hex.EncodeToString(b[:]) + "x9"
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
