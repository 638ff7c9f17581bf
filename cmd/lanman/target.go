package main

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// target is one server named on the command line.
type target struct {
	Name string // as the RPC server name wants it, without backslashes
	Addr string // host:port to dial
}

// parseTarget accepts host, \\host, //host, host:port, [v6addr]:port and a
// bare IPv6 address.
func parseTarget(s string, defaultPort int) (target, error) {
	orig := s
	s = strings.TrimPrefix(strings.TrimPrefix(s, `\\`), "//")
	s = strings.TrimRight(s, `\/`)
	if s == "" {
		return target{}, fmt.Errorf("empty server name %q", orig)
	}
	if strings.ContainsAny(s, `\/ `) {
		return target{}, fmt.Errorf("server %q: not a host name (a share path is not a server)", orig)
	}
	// A bare IPv6 address has colons but no brackets.
	if a, err := netip.ParseAddr(s); err == nil {
		return target{Name: a.String(), Addr: net.JoinHostPort(a.String(), strconv.Itoa(defaultPort))}, nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		if strings.HasPrefix(s, "[") {
			return target{}, fmt.Errorf("server %q: %v", orig, err)
		}
		return target{Name: s, Addr: net.JoinHostPort(s, strconv.Itoa(defaultPort))}, nil
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || p == 0 {
		return target{}, fmt.Errorf("server %q: bad port %q", orig, port)
	}
	if host == "" {
		return target{}, fmt.Errorf("server %q: no host", orig)
	}
	return target{Name: host, Addr: net.JoinHostPort(host, port)}, nil
}
