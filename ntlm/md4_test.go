package ntlm

import (
	"encoding/hex"
	"strings"
	"testing"
)

// The test suite of RFC 1320 appendix A.5, plus inputs that straddle the
// 56-byte padding boundary.
func TestMD4RFC1320(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "31d6cfe0d16ae931b73c59d7e0c089c0"},
		{"a", "bde52cb31de33e46245e05fbdbd6fb24"},
		{"abc", "a448017aaf21d8525fc10ae87aa6729d"},
		{"message digest", "d9130a8164549fe818874806e1c7014b"},
		{"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"},
		{strings.Repeat("1234567890", 8), "e33b4ddc9c38f2199c3e7b164fcc0536"},
	} {
		got := md4Sum([]byte(tc.in))
		if hex.EncodeToString(got[:]) != tc.want {
			t.Errorf("MD4(%q) = %x, want %s", tc.in, got, tc.want)
		}
	}
}

func TestMD4PaddingBoundaries(t *testing.T) {
	// Lengths 55, 56, 63, 64 exercise one- and two-block padding; the
	// digests differ from each other and do not panic.
	seen := map[[16]byte]int{}
	for _, n := range []int{55, 56, 57, 63, 64, 65, 119, 120} {
		d := md4Sum([]byte(strings.Repeat("x", n)))
		if m, ok := seen[d]; ok {
			t.Fatalf("MD4 of %d and %d bytes collide", n, m)
		}
		seen[d] = n
	}
}
