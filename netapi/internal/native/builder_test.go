package native

import (
	"encoding/binary"
	"unicode/utf16"
)

// A bufBuilder lays out an array of structures the way netapi32 hands one
// back: the fixed-size structures first, each member at its natural
// alignment (a pointer is ps bytes and ps-aligned, a DWORD 4 bytes and
// 4-aligned), each structure padded to its largest member; then the
// variable data (strings, security descriptors) packed downward from the
// end of the allocation, as NetpPackString does, so that the first
// structure's strings are last.
//
// It is written independently of layout.go on purpose, so that a mistake in
// one is caught by the other.
type bufBuilder struct {
	ps   int
	base uint64
	recs [][]field
}

type field struct {
	ptr  bool
	str  *string // a string to place, for a pointer
	blob []byte  // other data to place (4-aligned), for a pointer
	addr uint64  // a literal pointer value, when neither str nor blob
	dw   uint32
}

func S(s string) field    { return field{ptr: true, str: &s} }
func D(v uint32) field    { return field{dw: v} }
func Null() field         { return field{ptr: true} }
func P(a uint64) field    { return field{ptr: true, addr: a} }
func Blob(b []byte) field { return field{ptr: true, blob: b} }
func newBuilder(ps int, base uint64) *bufBuilder {
	return &bufBuilder{ps: ps, base: base}
}

func (b *bufBuilder) rec(fs ...field) *bufBuilder {
	b.recs = append(b.recs, fs)
	return b
}

func alignUp(n, a int) int { return (n + a - 1) / a * a }

// build returns the memory and the address of the first structure.
func (b *bufBuilder) build() (Region, uint64) {
	// Pass 1: the fixed part.
	type slot struct {
		off int
		f   field
	}
	var slots []slot
	off := 0
	for _, r := range b.recs {
		start, align := off, 4
		for _, f := range r {
			sz := 4
			if f.ptr {
				sz = b.ps
			}
			align = max(align, sz)
			off = alignUp(off, sz)
			slots = append(slots, slot{off, f})
			off += sz
		}
		off = start + alignUp(off-start, align)
	}
	fixed := off
	// Pass 2: the variable data, placed from the end downward.
	var blobs [][]byte
	size := fixed
	for _, s := range slots {
		switch {
		case s.f.str != nil:
			u := utf16.Encode([]rune(*s.f.str))
			p := make([]byte, 2*len(u)+2)
			for i, c := range u {
				binary.LittleEndian.PutUint16(p[2*i:], c)
			}
			blobs = append(blobs, p)
			size += len(p) + 3 // room for alignment
		case s.f.blob != nil:
			blobs = append(blobs, s.f.blob)
			size += len(s.f.blob) + 3
		}
	}
	size = alignUp(size, 8)
	mem := make([]byte, size)
	end := size
	bi := 0
	put := func(o int, f field, addr uint64) {
		if f.ptr {
			if b.ps == 8 {
				binary.LittleEndian.PutUint64(mem[o:], addr)
			} else {
				binary.LittleEndian.PutUint32(mem[o:], uint32(addr))
			}
			return
		}
		binary.LittleEndian.PutUint32(mem[o:], f.dw)
	}
	for _, s := range slots {
		addr := s.f.addr
		if s.f.str != nil || s.f.blob != nil {
			p := blobs[bi]
			bi++
			end = (end - len(p)) &^ 3
			copy(mem[end:], p)
			addr = b.base + uint64(end)
		}
		put(s.off, s.f, addr)
	}
	if end < fixed {
		panic("builder: variable data overlaps the structures")
	}
	return Region{Base: b.base, Data: mem}, b.base
}
