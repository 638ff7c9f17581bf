package main

import "testing"

func TestParseTarget(t *testing.T) {
	for _, tc := range []struct{ in, name, addr string }{
		{"fs1", "fs1", "fs1:445"},
		{`\\fs1`, "fs1", "fs1:445"},
		{"//fs1/", "fs1", "fs1:445"},
		{"127.0.0.1:4455", "127.0.0.1", "127.0.0.1:4455"},
		{"[::1]:4455", "::1", "[::1]:4455"},
		{"::1", "::1", "[::1]:445"},
		{`\\[::1]:10445`, "::1", "[::1]:10445"},
	} {
		got, err := parseTarget(tc.in, 445)
		if err != nil || got.Name != tc.name || got.Addr != tc.addr {
			t.Errorf("parseTarget(%q) = %+v, %v; want %s %s", tc.in, got, err, tc.name, tc.addr)
		}
	}
	for _, bad := range []string{"", `\\`, `\\fs1\share`, "host:0", "host:99999", "[::1", ":445"} {
		if got, err := parseTarget(bad, 445); err == nil {
			t.Errorf("parseTarget(%q) = %+v, want an error", bad, got)
		}
	}
}
