package ndr

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	var clean strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line, _, _ = strings.Cut(line, "#")
		clean.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPrimitivesAlign(t *testing.T) {
	var w Writer
	w.Uint8(1)
	w.Uint16(0x0203)
	w.Uint8(4)
	w.Uint32(0x05060708)
	w.Uint64(0x1112131415161718)
	w.Int32(-1)
	want := unhex(t, "01 00 0302 04 000000 08070605 00000000 1817161514131211 ffffffff")
	if !bytes.Equal(w.Bytes(), want) {
		t.Fatalf("got  %x\nwant %x", w.Bytes(), want)
	}
	r := NewReader(want)
	if r.Uint8() != 1 || r.Uint16() != 0x0203 || r.Uint8() != 4 || r.Uint32() != 0x05060708 ||
		r.Uint64() != 0x1112131415161718 || r.Int32() != -1 || r.Err() != nil || r.Remaining() != 0 {
		t.Fatalf("read back failed: %v", r.Err())
	}
}

func TestStringHandChecked(t *testing.T) {
	var w Writer
	w.Uint8(0xEE) // forces 3 bytes of padding before the string
	w.String("Ab")
	want := unhex(t, "ee000000 03000000 00000000 03000000 4100 6200 0000")
	if !bytes.Equal(w.Bytes(), want) {
		t.Fatalf("got  %x\nwant %x", w.Bytes(), want)
	}
	r := NewReader(want)
	r.Uint8()
	if s := r.String(); s != "Ab" || r.Err() != nil {
		t.Fatalf("got %q, %v", s, r.Err())
	}
}

func TestUTF16(t *testing.T) {
	for _, s := range []string{"", "plain", "Jürgen", "日本語", "𝄞 clef", "a\x00b"} {
		b := AppendUTF16(nil, s)
		if len(b) != 2*UTF16Len(s) {
			t.Errorf("%q: %d bytes, UTF16Len %d", s, len(b), UTF16Len(s))
		}
		if got := DecodeUTF16(b); got != s {
			t.Errorf("%q: round trip gave %q", s, got)
		}
	}
	// Unpaired surrogates and invalid UTF-8 become U+FFFD.
	if got := DecodeUTF16([]byte{0x00, 0xD8, 0x41, 0x00}); got != "\uFFFDA" {
		t.Errorf("lone high surrogate: %q", got)
	}
	if got := DecodeUTF16([]byte{0x00, 0xDC}); got != "\uFFFD" {
		t.Errorf("lone low surrogate: %q", got)
	}
	if got := DecodeUTF16(AppendUTF16(nil, "a\xffb")); got != "a\uFFFDb" {
		t.Errorf("invalid UTF-8: %q", got)
	}
}

func TestDecodeStringAllocatesOnce(t *testing.T) {
	var w Writer
	w.String("Jürgen 𝄞 and some more text")
	stub := w.Bytes()
	var r Reader
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(stub)
		_ = r.String()
	})
	if allocs != 1 {
		t.Errorf("%v allocations per string, want 1", allocs)
	}
}

// pair is a test structure { [string] wchar_t *a; DWORD n; [string] wchar_t *b; }.
type pair struct {
	a string
	n uint32
	b string
}

func (p *pair) MarshalNDR(w *Writer) {
	w.StringPtr(p.a)
	w.Uint32(p.n)
	w.OptStringPtr(p.b)
}

func (p *pair) UnmarshalNDR(r *Reader) error {
	r.StringPtr(&p.a)
	p.n = r.Uint32()
	r.StringPtr(&p.b)
	return r.Err()
}

func (*pair) NDRScalarSize() int { return 12 }

// TestArrayDeferral checks C706 14.3.12.3 on an array of structures: every
// element's scalars, then every element's referents in order.
func TestArrayDeferral(t *testing.T) {
	elems := []pair{{"x", 1, "y"}, {"z", 2, ""}}
	var w Writer
	w.Ptr(Counted(&elems))
	w.Flush()
	want := unhex(t, `
		00000200  # container pointer
		02000000 04000200  # EntriesRead, Buffer pointer
		02000000  # maximum count
		08000200 01000000 0c000200  # elem 0: a, n, b
		10000200 02000000 00000000  # elem 1: a, n, NULL b
		02000000 00000000 02000000 7800 0000  # "x"
		02000000 00000000 02000000 7900 0000  # "y"
		02000000 00000000 02000000 7a00 0000  # "z"`)
	if !bytes.Equal(w.Bytes(), want) {
		t.Fatalf("got\n%s\nwant\n%s", hex.Dump(w.Bytes()), hex.Dump(want))
	}
	var got []pair
	r := NewReader(want)
	if !r.Ptr(Counted(&got)) {
		t.Fatal("NULL container")
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != elems[0] || got[1] != elems[1] {
		t.Fatalf("decoded %+v", got)
	}
}

// outer is { pair *p; [string] wchar_t *s; }: the referent of p has
// referents of its own, which come right after it, before s's.
type outer struct {
	p *pair
	s string
}

func (o *outer) MarshalNDR(w *Writer) {
	WritePtr(w, o.p)
	w.StringPtr(o.s)
}

func (o *outer) UnmarshalNDR(r *Reader) error {
	o.p = ReadPtr[pair](r)
	r.StringPtr(&o.s)
	return r.Err()
}

func TestNestedReferents(t *testing.T) {
	o := outer{p: &pair{"a", 7, "b"}, s: "c"}
	var w Writer
	o.MarshalNDR(&w)
	w.Flush()
	want := unhex(t, `
		00000200 04000200  # p, s
		08000200 07000000 0c000200  # *p: a, n, b
		02000000 00000000 02000000 6100 0000  # "a"
		02000000 00000000 02000000 6200 0000  # "b"
		02000000 00000000 02000000 6300 0000  # "c"`)
	if !bytes.Equal(w.Bytes(), want) {
		t.Fatalf("got\n%s\nwant\n%s", hex.Dump(w.Bytes()), hex.Dump(want))
	}
	var got outer
	r := NewReader(want)
	got.UnmarshalNDR(r)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if got.s != "c" || got.p == nil || *got.p != *o.p {
		t.Fatalf("decoded %+v %+v", got, got.p)
	}
}

func TestNullablesAndBytes(t *testing.T) {
	empty := ""
	var w Writer
	w.NullableStringPtr(nil)
	w.NullableStringPtr(&empty)
	v := uint32(9)
	w.Uint32Ptr(&v)
	w.Uint32Ptr(nil)
	w.Uint32(3)
	w.BytesPtr([]byte{1, 2, 3})
	w.BytesPtr(nil)
	w.Flush()
	want := unhex(t, `
		00000000 00000200 04000200 00000000 03000000 08000200 00000000
		01000000 00000000 01000000 0000 0000  # ""
		09000000
		03000000 010203`)
	if !bytes.Equal(w.Bytes(), want) {
		t.Fatalf("got\n%s\nwant\n%s", hex.Dump(w.Bytes()), hex.Dump(want))
	}
	r := NewReader(want)
	var a, b *string
	var p, q *uint32
	var bs, nb []byte
	r.NullableStringPtr(&a)
	r.NullableStringPtr(&b)
	r.Uint32Ptr(&p)
	r.Uint32Ptr(&q)
	n := r.Uint32()
	r.BytesPtr(&bs, n)
	r.BytesPtr(&nb, 0)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if a != nil || b == nil || *b != "" || p == nil || *p != 9 || q != nil || !bytes.Equal(bs, []byte{1, 2, 3}) || nb != nil {
		t.Fatalf("decoded %v %v %v %v %v %v", a, b, p, q, bs, nb)
	}
	// The byte array is a copy, not an alias of the input.
	want[len(want)-1] = 0xFF
	if bs[2] != 3 {
		t.Error("BytesPtr aliases its input")
	}
}

func TestFullPointers(t *testing.T) {
	shared := &pair{"s", 1, ""}
	var w Writer
	w.FullPtr(shared, shared)
	w.FullPtr(shared, shared)
	w.FullPtr(nil, nil)
	w.Flush()
	want := unhex(t, `00000200 00000200 00000000 04000200 01000000 00000000
		02000000 00000000 02000000 7300 0000`)
	if !bytes.Equal(w.Bytes(), want) {
		t.Fatalf("got\n%s\nwant\n%s", hex.Dump(w.Bytes()), hex.Dump(want))
	}
	r := NewReader(want)
	var got pair
	id1, first1 := r.FullPtr()
	if first1 {
		r.Defer(&got)
	}
	id2, first2 := r.FullPtr()
	id3, _ := r.FullPtr()
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if id1 != id2 || !first1 || first2 || id3 != 0 || got != *shared {
		t.Fatalf("ids %x %x %x first %v %v got %+v", id1, id2, id3, first1, first2, got)
	}
}

func TestWriterReset(t *testing.T) {
	var w Writer
	w.StringPtr("a")
	w.Flush()
	first := append([]byte(nil), w.Bytes()...)
	w.Reset()
	w.StringPtr("a")
	w.Flush()
	if !bytes.Equal(first, w.Bytes()) {
		t.Fatalf("after Reset: %x, first %x", w.Bytes(), first)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   string
		read func(r *Reader)
	}{
		{"short uint32", "0102", func(r *Reader) { r.Uint32() }},
		{"short padding", "01", func(r *Reader) { r.Uint8(); r.Uint32() }},
		{"string offset", "02000000 01000000 01000000 4100 0000", func(r *Reader) { _ = r.String() }},
		{"string actual beyond max", "01000000 00000000 02000000 4100 0000", func(r *Reader) { _ = r.String() }},
		{"string without NUL", "02000000 00000000 02000000 4100 4200", func(r *Reader) { _ = r.String() }},
		{"string longer than input", "ffffff7f 00000000 ffffff7f 4100", func(r *Reader) { _ = r.String() }},
		{"huge array", "00000200 ffffffff 04000200 ffffffff", func(r *Reader) {
			var s []pair
			r.Ptr(Counted(&s))
			r.Flush()
		}},
		{"array count differs from size_is", "00000200 02000000 04000200 01000000 00000000 00000000 00000000", func(r *Reader) {
			var s []pair
			r.Ptr(Counted(&s))
			r.Flush()
		}},
		{"bytes count differs from size_is", "00000200 02000000 0102", func(r *Reader) {
			var b []byte
			r.BytesPtr(&b, 3)
			r.Flush()
		}},
		{"union switch", "01000000 02000000", func(r *Reader) { r.UnionSwitch(r.Uint32()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(unhex(t, tt.in))
			tt.read(r)
			if !errors.Is(r.Err(), ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", r.Err())
			}
			// Sticky: later reads fail too and return zero values.
			if r.Uint32() != 0 || r.Err() == nil {
				t.Fatal("error not sticky")
			}
		})
	}
}

// chain is a self-referential list, to check the depth bound.
type chain struct{ next *chain }

func (c *chain) MarshalNDR(w *Writer) { WritePtr(w, c.next) }
func (c *chain) UnmarshalNDR(r *Reader) error {
	c.next = ReadPtr[chain](r)
	return r.Err()
}

func TestDepthBound(t *testing.T) {
	build := func(n int) []byte {
		c := &chain{}
		for range n {
			c = &chain{next: c}
		}
		var w Writer
		c.MarshalNDR(&w)
		w.Flush()
		return w.Bytes()
	}
	var c chain
	r := NewReader(build(MaxDepth - 2))
	c.UnmarshalNDR(r)
	if err := r.Flush(); err != nil {
		t.Fatalf("depth %d: %v", MaxDepth-2, err)
	}
	r = NewReader(build(MaxDepth + 5))
	c.UnmarshalNDR(r)
	if err := r.Flush(); !errors.Is(err, ErrMalformed) {
		t.Fatalf("depth %d: err = %v", MaxDepth+5, err)
	}
}

func TestConformantVaryingBytes(t *testing.T) {
	var w Writer
	w.ConformantVaryingHeader(10, 2, 3)
	w.Raw([]byte{7, 8, 9})
	if want := unhex(t, "0a000000 02000000 03000000 070809"); !bytes.Equal(w.Bytes(), want) {
		t.Fatalf("got %x", w.Bytes())
	}
	r := NewReader(w.Bytes())
	max, off, n := r.ConformantVaryingHeader(1)
	if max != 10 || off != 2 || n != 3 || !bytes.Equal(r.Raw(int(n)), []byte{7, 8, 9}) || r.Err() != nil {
		t.Fatalf("read %d %d %d %v", max, off, n, r.Err())
	}
	r = NewReader(unhex(t, "04000000 02000000 03000000 070809"))
	if r.ConformantVaryingHeader(1); !errors.Is(r.Err(), ErrMalformed) {
		t.Fatalf("offset+count beyond max: %v", r.Err())
	}
}

// TestFlushArenas checks what sharing one allocation per Flush must not
// change: every string, nullable string and byte array decodes to its own
// value, an append to one byte array does not reach the next, nullable
// strings are distinct holders, and a Reader reused after Reset does not
// disturb what an earlier Flush handed out.
func TestFlushArenas(t *testing.T) {
	one, two := "één", ""
	var w Writer
	w.StringPtr("alpha")
	w.StringPtr("")
	w.StringPtr("𝄞 beta")
	w.NullableStringPtr(&one)
	w.NullableStringPtr(&two)
	w.BytesPtr([]byte{1, 2})
	w.BytesPtr([]byte{})
	w.BytesPtr([]byte{3, 4, 5})
	w.Flush()
	stub := bytes.Clone(w.Bytes())

	r := NewReader(stub)
	var s1, s2, s3 string
	var n1, n2 *string
	var b1, b2, b3 []byte
	r.StringPtr(&s1)
	r.StringPtr(&s2)
	r.StringPtr(&s3)
	r.NullableStringPtr(&n1)
	r.NullableStringPtr(&n2)
	r.BytesPtr(&b1, 2)
	r.BytesPtr(&b2, 0)
	r.BytesPtr(&b3, 3)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	if s1 != "alpha" || s2 != "" || s3 != "𝄞 beta" {
		t.Fatalf("strings %q %q %q", s1, s2, s3)
	}
	if n1 == nil || n2 == nil || n1 == n2 || *n1 != one || *n2 != two {
		t.Fatalf("nullable strings %v %v", n1, n2)
	}
	if !bytes.Equal(b1, []byte{1, 2}) || b2 == nil || len(b2) != 0 || !bytes.Equal(b3, []byte{3, 4, 5}) {
		t.Fatalf("byte arrays %v %v %v", b1, b2, b3)
	}
	b1 = append(b1, 0xEE)
	if !bytes.Equal(b3, []byte{3, 4, 5}) || b1[2] != 0xEE {
		t.Fatalf("appending to one array changed another: %v %v", b1, b3)
	}
	*n1 = "changed"
	if *n2 != "" {
		t.Fatal("nullable strings share a holder")
	}

	// Decode something else with the same Reader: the values above stay.
	var w2 Writer
	w2.StringPtr("zzzzzzzzzz")
	w2.BytesPtr([]byte{9, 9, 9})
	w2.Flush()
	r.Reset(w2.Bytes())
	var z string
	var zb []byte
	r.StringPtr(&z)
	r.BytesPtr(&zb, 3)
	if err := r.Flush(); err != nil || z != "zzzzzzzzzz" {
		t.Fatalf("second message: %q, %v", z, err)
	}
	if s1 != "alpha" || s3 != "𝄞 beta" || !bytes.Equal(b3, []byte{3, 4, 5}) {
		t.Fatalf("reuse disturbed earlier values: %q %q %v", s1, s3, b3)
	}
}

// TestMarshalPooled checks that Marshal's result matches a fresh Writer's
// bytes, is exactly its length, and is not disturbed by later calls that
// reuse the pooled Writer.
func TestMarshalPooled(t *testing.T) {
	encode := func(elems []pair) func(w *Writer) {
		return func(w *Writer) {
			w.Ptr(Counted(&elems))
			w.Flush()
		}
	}
	big := make([]pair, 500)
	for i := range big {
		big[i] = pair{a: strings.Repeat("x", i%17), n: uint32(i), b: "y"}
	}
	small := []pair{{"s", 1, "t"}}
	var w Writer
	encode(big)(&w)
	want := bytes.Clone(w.Bytes())

	first := Marshal(encode(big))
	if !bytes.Equal(first, want) || cap(first) != len(first) {
		t.Fatalf("Marshal: %d bytes (cap %d), want %d", len(first), cap(first), len(want))
	}
	for range 3 {
		Marshal(encode(small))
		Marshal(encode(big))
	}
	if !bytes.Equal(first, want) {
		t.Fatal("a later Marshal changed an earlier result")
	}
}
