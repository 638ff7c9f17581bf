package ndr

import (
	"encoding/binary"
	"slices"
	"unicode/utf8"
)

// FirstReferentID is the referent id a Writer gives its first non-NULL
// pointer; later ids grow by 4. Windows and Samba number referents the same
// way, so stubs this package writes match theirs byte for byte.
const FirstReferentID = 0x00020000

// Marshaler is a constructed type that writes its own NDR representation.
// MarshalNDR aligns, writes the scalar part and queues the referents of its
// embedded pointers through the Writer's pointer methods; it does not Flush.
type Marshaler interface {
	MarshalNDR(w *Writer)
}

type wkind uint8

const (
	wString wkind = iota
	wBytes
	wMarshaler
	wUint32
)

// wdeferred is one queued referent. Only the field its kind names is used;
// keeping them in one struct (rather than closures) lets the queue be a
// reusable slice that costs no allocation per pointer. A large enumeration
// queues several entries per element (one per string), so the entry is kept
// to 40 bytes: a byte-array referent, which is rare, is held in the
// Writer's bytes list and u is its index there.
type wdeferred struct {
	kind wkind
	u    uint32
	s    string
	m    Marshaler
}

// Writer appends NDR20 data to a growing byte slice that can be reused
// across messages with Reset. The zero value is ready to use.
type Writer struct {
	buf    []byte
	nextID uint32
	queue  []wdeferred
	bytes  [][]byte // referents of BytesPtr, indexed by wdeferred.u
	full   map[any]uint32
}

// NewWriter returns a Writer that appends to buf[:0], reusing its capacity.
func NewWriter(buf []byte) *Writer {
	return &Writer{buf: buf[:0]}
}

// Reset empties the Writer for a new message, keeping its buffers. Alignment
// is relative to the start of the message, so each stub starts afresh.
func (w *Writer) Reset() {
	w.buf = w.buf[:0]
	w.nextID = 0
	clear(w.queue)
	w.queue = w.queue[:0]
	clear(w.bytes)
	w.bytes = w.bytes[:0]
	clear(w.full)
}

// Bytes returns the encoded message. It aliases the Writer's buffer until
// the next Reset or write.
func (w *Writer) Bytes() []byte { return w.buf }

// Len is the number of bytes written so far.
func (w *Writer) Len() int { return len(w.buf) }

// Align pads with zero octets to a multiple of n (1, 2, 4 or 8) from the
// start of the message (C706 14.2.2).
func (w *Writer) Align(n int) {
	for len(w.buf)&(n-1) != 0 {
		w.buf = append(w.buf, 0)
	}
}

// Uint8 writes an unsigned small.
func (w *Writer) Uint8(v uint8) { w.buf = append(w.buf, v) }

// Uint16 writes an aligned unsigned short.
func (w *Writer) Uint16(v uint16) {
	w.Align(2)
	w.buf = binary.LittleEndian.AppendUint16(w.buf, v)
}

// Uint32 writes an aligned unsigned long (DWORD, ULONG).
func (w *Writer) Uint32(v uint32) {
	w.Align(4)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, v)
}

// Int32 writes an aligned long (LONG, int, BOOL).
func (w *Writer) Int32(v int32) { w.Uint32(uint32(v)) }

// Uint64 writes an aligned unsigned hyper.
func (w *Writer) Uint64(v uint64) {
	w.Align(8)
	w.buf = binary.LittleEndian.AppendUint64(w.buf, v)
}

// Raw appends b unaligned, as a fixed array of bytes.
func (w *Writer) Raw(b []byte) { w.buf = append(w.buf, b...) }

// referent writes the next non-NULL referent id.
func (w *Writer) referent() {
	if w.nextID == 0 {
		w.nextID = FirstReferentID
	}
	w.Uint32(w.nextID)
	w.nextID += 4
}

// NullPtr writes a NULL pointer.
func (w *Writer) NullPtr() { w.Uint32(0) }

// StringPtr writes a non-NULL pointer to a [string] wchar_t and queues s as
// its referent. An empty s is sent as a pointer to an empty string, which is
// what Windows servers return for an absent remark or comment.
func (w *Writer) StringPtr(s string) {
	w.referent()
	w.queue = append(w.queue, wdeferred{kind: wString, s: s})
}

// OptStringPtr is StringPtr, except that "" is sent as NULL. Request
// parameters use it: MS-SRVS treats a NULL and an empty qualifier alike.
func (w *Writer) OptStringPtr(s string) {
	if s == "" {
		w.NullPtr()
		return
	}
	w.StringPtr(s)
}

// NullableStringPtr writes NULL for a nil p and otherwise a pointer to *p,
// for fields where NULL and "" mean different things.
func (w *Writer) NullableStringPtr(p *string) {
	if p == nil {
		w.NullPtr()
		return
	}
	w.StringPtr(*p)
}

// BytesPtr writes a pointer to a conformant array of bytes
// ([size_is(n)] unsigned char *), NULL when b is nil. The size_is value is
// the caller's to write; the referent carries len(b) as its maximum count.
func (w *Writer) BytesPtr(b []byte) {
	if b == nil {
		w.NullPtr()
		return
	}
	w.referent()
	w.queue = append(w.queue, wdeferred{kind: wBytes, u: uint32(len(w.bytes))})
	w.bytes = append(w.bytes, b)
}

// Uint32Ptr writes an embedded pointer to a DWORD, NULL when p is nil.
func (w *Writer) Uint32Ptr(p *uint32) {
	if p == nil {
		w.NullPtr()
		return
	}
	w.referent()
	w.queue = append(w.queue, wdeferred{kind: wUint32, u: *p})
}

// Ptr writes a pointer to a constructed type, NULL when m is nil, and queues
// m to marshal itself as the referent. m may be an adapter over a slice, in
// which case it writes a conformant array (see WriteConformantArray).
func (w *Writer) Ptr(m Marshaler) {
	if m == nil {
		w.NullPtr()
		return
	}
	w.referent()
	w.queue = append(w.queue, wdeferred{kind: wMarshaler, m: m})
}

// FullPtr writes a full pointer ([ptr], C706 14.3.11.2): the first time key
// is seen it gets a new referent id and m is queued; later uses of the same
// key repeat the id and send no referent. A nil key is NULL.
func (w *Writer) FullPtr(key any, m Marshaler) {
	if key == nil {
		w.NullPtr()
		return
	}
	if id, ok := w.full[key]; ok {
		w.Uint32(id)
		return
	}
	if w.full == nil {
		w.full = make(map[any]uint32)
	}
	if w.nextID == 0 {
		w.nextID = FirstReferentID
	}
	w.full[key] = w.nextID
	w.referent()
	w.queue = append(w.queue, wdeferred{kind: wMarshaler, m: m})
}

// Flush writes every queued referent, in order, each followed by its own
// referents. Call it after each top-level parameter.
func (w *Writer) Flush() { w.flush(0) }

func (w *Writer) flush(start int) {
	w.reserveReferents(start)
	for i := start; i < len(w.queue); i++ {
		d := w.queue[i]
		switch d.kind {
		case wString:
			w.String(d.s)
		case wBytes:
			b := w.bytes[d.u]
			w.Uint32(uint32(len(b)))
			w.Raw(b)
		case wUint32:
			w.Uint32(d.u)
		case wMarshaler:
			mark := len(w.queue)
			d.m.MarshalNDR(w)
			w.flush(mark)
		}
	}
	clear(w.queue[start:])
	w.queue = w.queue[:start]
}

// reserveReferents grows the buffer once for the strings and byte arrays
// queued from start on, so that the referents of a large array are not
// written through a series of ever larger copies. The estimate, 2 bytes
// per UTF-8 byte plus the header and padding, is never short for a
// string: no character takes more UTF-16 bytes than UTF-8 bytes.
// Referents of constructed types are not counted; they grow the buffer
// as they go.
func (w *Writer) reserveReferents(start int) {
	if len(w.queue)-start < 2 {
		return
	}
	need := 0
	for _, d := range w.queue[start:] {
		switch d.kind {
		case wString:
			need += 2*len(d.s) + 12 + 2 + 3
		case wBytes:
			need += len(w.bytes[d.u]) + 4 + 3
		case wUint32:
			need += 4 + 3
		}
	}
	w.grow(need)
}

// grow makes room for n more bytes without reallocating.
func (w *Writer) grow(n int) {
	if n > cap(w.buf)-len(w.buf) {
		w.buf = slices.Grow(w.buf, n)
	}
}

// String writes s in place as a conformant varying string of wchar_t
// ([string] wchar_t[], C706 14.3.4.4): maximum count, offset 0, actual
// count, then the UTF-16LE code units including the terminating NUL. It is
// the referent of a string pointer, or a top-level [ref, string] parameter.
func (w *Writer) String(s string) {
	w.Align(4)
	hdr := len(w.buf)
	w.buf = append(w.buf, make([]byte, 12)...)
	w.buf = AppendUTF16(w.buf, s)
	w.buf = append(w.buf, 0, 0)
	n := uint32(len(w.buf)-hdr-12) / 2
	binary.LittleEndian.PutUint32(w.buf[hdr:], n)
	binary.LittleEndian.PutUint32(w.buf[hdr+4:], 0)
	binary.LittleEndian.PutUint32(w.buf[hdr+8:], n)
}

// ConformantVaryingHeader writes the maximum count, offset and actual count
// that precede the elements of a conformant varying array.
func (w *Writer) ConformantVaryingHeader(max, offset, actual uint32) {
	w.Uint32(max)
	w.Uint32(offset)
	w.Uint32(actual)
}

// WriteConformantArray writes a conformant array of structures in place:
// its maximum count, then each element's scalars. The elements' embedded
// referents are queued and follow the whole array at the next Flush, as NDR
// requires.
func WriteConformantArray[T any, P interface {
	*T
	Marshaler
}](w *Writer, elems []T) {
	w.Uint32(uint32(len(elems)))
	if len(elems) == 0 {
		return
	}
	// The first element shows how many bytes and queued referents one
	// takes; make room for the rest at once (exact when the elements are
	// alike, as in an enumeration) instead of growing by repeated copies.
	n0, q0 := len(w.buf), len(w.queue)
	P(&elems[0]).MarshalNDR(w)
	rest := len(elems) - 1
	w.grow((len(w.buf) - n0) * rest)
	if per := len(w.queue) - q0; per > 0 {
		w.queue = slices.Grow(w.queue, per*rest)
	}
	for i := 1; i < len(elems); i++ {
		P(&elems[i]).MarshalNDR(w)
	}
}

// AppendUTF16 appends s to b as UTF-16LE code units without a terminator.
// Invalid UTF-8 becomes U+FFFD.
func AppendUTF16(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c, 0)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			b = append(b, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
			continue
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// UTF16Len is the number of UTF-16 code units s encodes to, without a
// terminator.
func UTF16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
