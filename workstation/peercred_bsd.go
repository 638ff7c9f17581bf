//go:build darwin || freebsd

package workstation

import (
	"net"

	"golang.org/x/sys/unix"
)

// peerUID returns the effective uid of the process at the other end of a
// Unix socket, as the kernel recorded it at connect time (LOCAL_PEERCRED,
// unix(4)); the peer cannot forge it.
func peerUID(c *net.UnixConn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var xu *unix.Xucred
	var serr error
	if err := rc.Control(func(fd uintptr) {
		xu, serr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if serr != nil {
		return -1, serr
	}
	return int(xu.Uid), nil
}
