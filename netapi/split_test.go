package netapi

import (
	"errors"
	"testing"
)

func TestSplitServer(t *testing.T) {
	for _, tc := range []struct{ in, host, addr string }{
		{"fs1", "fs1", "fs1:445"},
		{`\\fs1`, "fs1", "fs1:445"},
		{"//fs1/", "fs1", "fs1:445"},
		{"127.0.0.1", "127.0.0.1", "127.0.0.1:445"},
		{"127.0.0.1:4455", "127.0.0.1", "127.0.0.1:4455"},
		{"[::1]:4455", "::1", "[::1]:4455"},
		{"::1", "::1", "[::1]:445"},
		{`\\[::1]:10445`, "::1", "[::1]:10445"},
	} {
		host, addr, err := SplitServer(tc.in, 445)
		if err != nil || host != tc.host || addr != tc.addr {
			t.Errorf("SplitServer(%q) = %q, %q, %v; want %q %q", tc.in, host, addr, err, tc.host, tc.addr)
		}
	}
	for _, bad := range []string{"", `\\`, `\\fs1\share`, "host:0", "host:99999", "[::1", ":445", "a b"} {
		if host, addr, err := SplitServer(bad, 445); !errors.Is(err, ERROR_INVALID_NAME) {
			t.Errorf("SplitServer(%q) = %q, %q, %v; want ERROR_INVALID_NAME", bad, host, addr, err)
		}
	}
}
