package native

import (
	"errors"
	"strings"
	"testing"
)

func utf16z(s string) []byte {
	var b []byte
	for _, r := range s { // test strings are BMP-only here
		b = append(b, byte(r), byte(r>>8))
	}
	return append(b, 0, 0)
}

func TestRegionBytes(t *testing.T) {
	r := Region{Base: 0x1000, Data: make([]byte, 16)}
	for _, c := range []struct {
		addr uint64
		n    int
		ok   bool
	}{
		{0x1000, 16, true}, {0x1008, 8, true}, {0x1010, 0, true},
		{0x0FFF, 1, false}, {0x1008, 9, false}, {0x1011, 0, false},
		{0x1000, -1, false}, {^uint64(0), 2, false}, {0, 1, false},
	} {
		b, err := r.Bytes(c.addr, c.n)
		if c.ok != (err == nil) {
			t.Errorf("Bytes(%#x, %d): %v", c.addr, c.n, err)
			continue
		}
		if err == nil && len(b) != c.n {
			t.Errorf("Bytes(%#x, %d): %d bytes", c.addr, c.n, len(b))
		}
		if err != nil && !errors.Is(err, ErrBadPointer) {
			t.Errorf("Bytes(%#x, %d): %v is not ErrBadPointer", c.addr, c.n, err)
		}
	}
}

func TestString(t *testing.T) {
	long := strings.Repeat("ab", 700) // spans several 256-byte chunks
	for _, c := range []struct {
		name string
		mem  []byte
		off  int
		want string
		err  error
	}{
		{"empty", utf16z(""), 0, "", nil},
		{"ascii", utf16z("share"), 0, "share", nil},
		{"bmp", utf16z("Überprüfung"), 0, "Überprüfung", nil},
		{"surrogates", []byte{0x3D, 0xD8, 0x00, 0xDE, 'x', 0, 0, 0}, 0, "😀x", nil},
		{"long", utf16z(long), 0, long, nil},
		// The string ends exactly where the memory does, at an address
		// that is not a chunk boundary: the reader must shrink its reads.
		{"at end", append(make([]byte, 6), utf16z("tail")...), 6, "tail", nil},
		{"unterminated", []byte{'a', 0, 'b', 0}, 0, "", ErrBadPointer},
		{"odd", utf16z("x"), 1, "", ErrBadPointer},
		{"too long", append([]byte(strings.Repeat("a\x00", MaxStringChars+1)), 0, 0), 0, "", ErrUnterminated},
	} {
		base := uint64(0x7FFE_0F10) // deliberately not chunk-aligned
		mem := Region{Base: base, Data: c.mem}
		got, err := String(mem, base+uint64(c.off))
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%s: err %v, want %v", c.name, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if s, err := String(Region{}, 0); s != "" || err != nil {
		t.Errorf("NULL: %q %v", s, err)
	}
}

// The structure sizes Windows SDK headers give, sizeof() on x86 and x64.
// They pin the ABI rules in layout.go to known answers.
func TestLayoutSizes(t *testing.T) {
	for _, c := range []struct {
		name     string
		s        *shape
		x86, x64 int
	}{
		{"SESSION_INFO_0", &sessionInfo0, 4, 8},
		{"SESSION_INFO_1", &sessionInfo1, 24, 32},
		{"SESSION_INFO_2", &sessionInfo2, 28, 40},
		{"SESSION_INFO_10", &sessionInfo10, 16, 24},
		{"SESSION_INFO_502", &sessionInfo502, 32, 48},
		{"CONNECTION_INFO_0", &connectionInfo0, 4, 4},
		{"CONNECTION_INFO_1", &connectionInfo1, 28, 40},
		{"FILE_INFO_2", &fileInfo2, 4, 4},
		{"FILE_INFO_3", &fileInfo3, 20, 32},
		{"SHARE_INFO_0", &shareInfo0, 4, 8},
		{"SHARE_INFO_1", &shareInfo1, 12, 24},
		{"SHARE_INFO_2", &shareInfo2, 32, 56},
		{"SHARE_INFO_502", &shareInfo502, 40, 72},
		{"SERVER_INFO_100", &serverInfo100, 8, 16},
		{"SERVER_INFO_101", &serverInfo101, 24, 40},
		{"SERVER_INFO_102", &serverInfo102, 52, 72},
		{"WKSTA_USER_INFO_0", &wkstaUserInfo0, 4, 8},
		{"WKSTA_USER_INFO_1", &wkstaUserInfo1, 16, 32},
		{"USE_INFO_0", &useInfo0, 8, 16},
		{"USE_INFO_1", &useInfo1, 28, 40},
		{"USE_INFO_2", &useInfo2, 36, 56},
		{"USE_INFO_3", &useInfo3, 40, 64},
	} {
		if g := c.s.Size(4); g != c.x86 {
			t.Errorf("sizeof(%s) on x86 = %d, want %d", c.name, g, c.x86)
		}
		if g := c.s.Size(8); g != c.x64 {
			t.Errorf("sizeof(%s) on x64 = %d, want %d", c.name, g, c.x64)
		}
	}
}
