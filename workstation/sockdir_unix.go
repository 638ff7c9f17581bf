//go:build unix

package workstation

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// SocketName is the file name of the service's socket in its directory.
const SocketName = "wkssvc.sock"

// ErrUnsafeDir is returned when the directory that would hold the socket is
// not private to the user: owned by someone else, reachable by group or
// others, or not a plain directory.
var ErrUnsafeDir = errors.New("workstation: socket directory is not private")

// SocketDir returns the directory of the calling user's service socket:
// $XDG_RUNTIME_DIR/lanman when XDG_RUNTIME_DIR is set (the XDG Base
// Directory Specification makes it the place for per-user sockets), else
// lanman-UID in the system's temporary directory.
func SocketDir() string {
	return SocketDirEnv(os.Getenv)
}

// SocketDirEnv is SocketDir with the environment read through getenv.
func SocketDirEnv(getenv func(string) string) string {
	if d := getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "lanman")
	}
	return filepath.Join(os.TempDir(), "lanman-"+strconv.Itoa(os.Geteuid()))
}

// SocketPath is the path of the calling user's service socket.
func SocketPath() string { return filepath.Join(SocketDir(), SocketName) }

// ensureDir creates dir with mode 0700 if it does not exist, and checks
// that what is there is a directory (not a symbolic link) owned by the
// effective user with no permission for group or others. A directory that
// fails the checks is refused, never repaired: someone else may already
// have placed a socket or a link in it. In a shared directory such as /tmp
// another user could have created it first, which is exactly the case this
// refuses.
func ensureDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("workstation: creating socket directory: %w", err)
	}
	return checkPrivateDir(dir)
}

func checkPrivateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("workstation: socket directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrUnsafeDir, dir)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%w: %s: cannot read its owner", ErrUnsafeDir, dir)
	}
	if uid := os.Geteuid(); int(st.Uid) != uid {
		return fmt.Errorf("%w: %s is owned by uid %d, not %d", ErrUnsafeDir, dir, st.Uid, uid)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%w: %s has mode %04o, want 0700", ErrUnsafeDir, dir, perm)
	}
	return nil
}
