//go:build unix && !linux && !darwin && !freebsd

package workstation

import (
	"errors"
	"net"
)

// peerUID is not implemented on this system: without a way to learn the
// peer's uid the service refuses every connection rather than serve
// another user.
func peerUID(c *net.UnixConn) (int, error) {
	return -1, errors.New("workstation: peer credentials are not supported on this system")
}
