package workstation

import (
	"net"
	"syscall"
)

// peerUID returns the effective uid of the process at the other end of a
// Unix socket, as the kernel recorded it at connect time (SO_PEERCRED,
// unix(7)); the peer cannot forge it.
func peerUID(c *net.UnixConn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var uc *syscall.Ucred
	var serr error
	if err := rc.Control(func(fd uintptr) {
		uc, serr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if serr != nil {
		return -1, serr
	}
	return int(uc.Uid), nil
}
