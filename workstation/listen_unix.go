//go:build unix

package workstation

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
)

// ErrAlreadyRunning is returned by Listen when another Workstation service
// of the same user holds the socket directory's lock.
var ErrAlreadyRunning = errors.New("workstation: the service is already running")

// lockName is the file whose flock marks the running service. The lock,
// not the socket, decides who runs: a socket file left by a crashed
// service is removed by the next one that takes the lock.
const lockName = "wkssvc.lock"

// Listener accepts connections on the service socket and hands out only
// those whose peer has the service's own effective uid. Others are closed
// at once, before a byte of theirs is read.
type Listener struct {
	ul      *net.UnixListener
	lock    *os.File
	path    string
	uid     int
	log     *slog.Logger
	refused atomic.Int64
}

// Listen creates the socket directory if needed (checking that it is
// private), takes the service lock, and listens on the socket with mode
// 0600. dir "" means SocketDir().
func Listen(dir string, log *slog.Logger) (*Listener, error) {
	if dir == "" {
		dir = SocketDir()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	lf, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("workstation: lock file: %w", err)
	}
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lf.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrAlreadyRunning
		}
		return nil, fmt.Errorf("workstation: lock file: %w", err)
	}
	path := filepath.Join(dir, SocketName)
	// We hold the lock, so a socket file here is a dead service's.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		lf.Close()
		return nil, fmt.Errorf("workstation: removing stale socket: %w", err)
	}
	ul, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		lf.Close()
		return nil, fmt.Errorf("workstation: listen: %w", err)
	}
	// The directory (0700) already keeps others out while this runs; the
	// socket's own mode is the second wall.
	if err := os.Chmod(path, 0o600); err != nil {
		ul.Close()
		lf.Close()
		return nil, fmt.Errorf("workstation: socket mode: %w", err)
	}
	return &Listener{ul: ul, lock: lf, path: path, uid: os.Geteuid(), log: log}, nil
}

// Accept returns the next connection from a process of the service's own
// user.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.ul.AcceptUnix()
		if err != nil {
			return nil, err
		}
		if err := checkPeer(c, l.uid); err != nil {
			l.refused.Add(1)
			l.log.Warn("workstation: refused connection", "err", err)
			c.Close()
			continue
		}
		return c, nil
	}
}

// ErrForeignPeer is the reason a connection from another user is refused.
var ErrForeignPeer = errors.New("workstation: peer is another user")

// checkPeer accepts c only if its peer's effective uid is uid.
func checkPeer(c *net.UnixConn, uid int) error {
	peer, err := peerUID(c)
	if err != nil {
		return fmt.Errorf("workstation: peer credentials: %w", err)
	}
	if peer != uid {
		return fmt.Errorf("%w: uid %d", ErrForeignPeer, peer)
	}
	return nil
}

// Refused is the number of connections refused so far.
func (l *Listener) Refused() int64 { return l.refused.Load() }

// Addr is the socket's address.
func (l *Listener) Addr() net.Addr { return l.ul.Addr() }

// Path is the socket's file name.
func (l *Listener) Path() string { return l.path }

// Close stops listening, removes the socket and releases the lock.
func (l *Listener) Close() error {
	err := l.ul.Close() // unlinks the socket: UnlinkOnClose is on for a listener we created
	l.lock.Close()
	return err
}
