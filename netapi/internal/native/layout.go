package native

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/lanman/lanman/ndr"
)

// The members of the network management structures are of two kinds only:
// DWORD-sized integers (DWORD, LONG, BOOL, ULONG: 4 bytes, 4-aligned on
// every Windows ABI) and pointers (LPWSTR, PSECURITY_DESCRIPTOR: 4 bytes on
// x86 and 8 bytes, 8-aligned, on amd64 and arm64). A structure is aligned
// to its largest member and padded to a multiple of that, so on 64-bit a
// DWORD followed by a pointer leaves 4 bytes of padding, and an array
// element ends where the next one's alignment demands.
type kind uint8

const (
	dword kind = iota
	ptr
)

// layout is where each member of a structure lies, for one pointer size.
type layout struct {
	off  []int
	size int
}

// newLayout applies the Win32 ABI rules to members for pointer size ps.
func newLayout(ps int, members ...kind) layout {
	l := layout{off: make([]int, len(members))}
	align := 4
	o := 0
	for i, m := range members {
		sz := 4
		if m == ptr {
			sz = ps
		}
		align = max(align, sz)
		o = (o + sz - 1) &^ (sz - 1)
		l.off[i] = o
		o += sz
	}
	l.size = (o + align - 1) &^ (align - 1)
	return l
}

// shape is a structure's layouts for both ABIs.
type shape [2]layout

func newShape(members ...kind) shape {
	return shape{newLayout(4, members...), newLayout(8, members...)}
}

// of returns the layout for pointer size ps (already checked).
func (s *shape) of(ps int) *layout {
	if ps == 8 {
		return &s[1]
	}
	return &s[0]
}

// Size is the size in bytes of one array element of s for pointer size ps.
func (s *shape) Size(ps int) int { return s.of(ps).size }

// checkPtrSize validates a pointer size.
func checkPtrSize(ps int) error {
	if ps != 4 && ps != 8 {
		return fmt.Errorf("%w: %d", ErrPointerSize, ps)
	}
	return nil
}

// array returns the memory of count elements of s at buf, after checking
// that all of it is readable, so the caller may allocate count results.
func array(mem Memory, ps int, s *shape, buf uint64, count uint32) ([]byte, *layout, error) {
	if err := checkPtrSize(ps); err != nil {
		return nil, nil, err
	}
	l := s.of(ps)
	if count == 0 {
		return nil, l, nil
	}
	if buf == 0 {
		return nil, l, fmt.Errorf("%w: NULL buffer for %d entries", ErrBadPointer, count)
	}
	total := uint64(count) * uint64(l.size)
	if total > math.MaxInt32 || (ps == 4 && buf+total > 1<<32) {
		return nil, l, fmt.Errorf("%w: %d entries of %d bytes", ErrTooMany, count, l.size)
	}
	b, err := mem.Bytes(buf, int(total))
	if err != nil {
		return nil, l, fmt.Errorf("native: %d entries at %#x: %w", count, buf, err)
	}
	return b, l, nil
}

// elem is one fixed-size structure in memory, read through its layout.
type elem struct {
	b  []byte
	l  *layout
	ps int
}

// dw reads the DWORD member i.
func (e elem) dw(i int) uint32 { return binary.LittleEndian.Uint32(e.b[e.l.off[i]:]) }

// p reads the pointer member i.
func (e elem) p(i int) uint64 {
	o := e.l.off[i]
	if e.ps == 8 {
		return binary.LittleEndian.Uint64(e.b[o:])
	}
	return uint64(binary.LittleEndian.Uint32(e.b[o:]))
}

// decodeUTF16 turns UTF-16LE code units into a string.
func decodeUTF16(b []byte) string { return ndr.DecodeUTF16(b) }

// str reads the string that pointer member i points to into dst, unless
// *err already holds an error; it lets a converter read several strings and
// check once.
func (e elem) str(mem Memory, i int, dst *string, err *error) {
	if *err != nil {
		return
	}
	*dst, *err = String(mem, e.p(i))
}

// decodeArray converts count elements of shape s at buf with one. The
// result is allocated only after the whole array has proved readable.
func decodeArray[T any](mem Memory, ps int, s *shape, buf uint64, count uint32, one func(e elem, t *T) error) ([]T, error) {
	b, l, err := array(mem, ps, s, buf, count)
	if err != nil || count == 0 {
		return nil, err
	}
	out := make([]T, count)
	for i := range out {
		e := elem{b: b[i*l.size : (i+1)*l.size], l: l, ps: ps}
		if err := one(e, &out[i]); err != nil {
			return nil, fmt.Errorf("native: entry %d: %w", i, err)
		}
	}
	return out, nil
}
