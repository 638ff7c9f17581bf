package server

import "testing"

func TestMatchPattern(t *testing.T) {
	for _, tc := range []struct {
		p, n string
		want bool
	}{
		{"*", "anything", true},
		{"", "x", true},
		{"*.txt", "a.TXT", true},
		{"*.txt", "a.txt.bak", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"FILE.TXT", "file.txt", true},
		{"<.txt", "a.b.txt", true},
		{"<", "a.b", true},
		{"a>", "a", true},
		{"a\"", "a", true},
		{"a\"b", "a.b", true},
		{"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	} {
		if got := matchPattern(tc.p, tc.n); got != tc.want {
			t.Errorf("matchPattern(%q, %q) = %v", tc.p, tc.n, got)
		}
	}
}
