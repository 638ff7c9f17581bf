package server

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// matchPattern reports whether name matches a QUERY_DIRECTORY search
// pattern, case-insensitively, with the wildcards of MS-FSA 2.1.4.4:
// '*' any run, '?' any one character, and the DOS forms '<' (DOS_STAR:
// any run up to the last '.'), '>' (DOS_QM: any one character, or none
// at a '.' or the end) and '"' (DOS_DOT: a '.' or the end).
//
// The matcher is iterative with one backtrack point per star kind, so a
// hostile pattern cannot make it exponential: it is O(len(name) *
// len(pattern)) at worst.
func matchPattern(pattern, name string) bool {
	if pattern == "" || pattern == "*" || pattern == "<" {
		return true
	}
	up := strings.ToUpper(pattern)
	n := []rune(strings.ToUpper(name))
	// Dynamic programming over positions: cur[j] means p[:i] matches n[:j].
	cur := make([]bool, len(n)+1)
	next := make([]bool, len(n)+1)
	cur[0] = true
	lastDot := strings.LastIndexByte(strings.ToUpper(name), '.')
	lastDotRune := -1
	if lastDot >= 0 {
		lastDotRune = utf8.RuneCountInString(name[:lastDot])
	}
	for _, c := range up {
		clear(next)
		switch c {
		case '*':
			seen := false
			for j := 0; j <= len(n); j++ {
				seen = seen || cur[j]
				next[j] = seen
			}
		case '<':
			// Matches any run that does not pass the last dot.
			for j := 0; j <= len(n); j++ {
				if !cur[j] {
					continue
				}
				next[j] = true
				for k := j; k < len(n); k++ {
					if lastDotRune >= 0 && k >= lastDotRune {
						break
					}
					next[k+1] = true
				}
			}
		case '>':
			for j := 0; j <= len(n); j++ {
				if !cur[j] {
					continue
				}
				if j == len(n) || n[j] == '.' {
					next[j] = true
				} else {
					next[j+1] = true
				}
			}
		case '"':
			for j := 0; j <= len(n); j++ {
				if !cur[j] {
					continue
				}
				if j == len(n) {
					next[j] = true
				} else if n[j] == '.' {
					next[j+1] = true
				}
			}
		case '?':
			for j := 0; j < len(n); j++ {
				if cur[j] {
					next[j+1] = true
				}
			}
		default:
			for j := 0; j < len(n); j++ {
				if cur[j] && (n[j] == c || unicode.SimpleFold(n[j]) == c) {
					next[j+1] = true
				}
			}
		}
		cur, next = next, cur
	}
	return cur[len(n)]
}
