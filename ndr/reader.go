package ndr

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrMalformed is wrapped by every decoding error: the bytes are not a
// valid NDR representation of the expected type.
var ErrMalformed = errors.New("ndr: malformed data")

// MaxDepth bounds how deeply deferred referents may nest while decoding.
// The srvsvc and wkssvc types nest at most four levels; the bound keeps a
// hostile stub for some recursive type from exhausting the stack.
const MaxDepth = 32

// Unmarshaler is a constructed type that reads its own NDR representation:
// it aligns, reads its scalar part and queues its embedded pointers'
// referents through the Reader's pointer methods. It returns r.Err() or nil;
// it does not Flush.
type Unmarshaler interface {
	UnmarshalNDR(r *Reader) error
}

type rkind uint8

const (
	rString rkind = iota
	rNullableString
	rBytes
	rUint32
	rUnmarshaler
	rSized
)

// rdeferred is one queued referent: where to store it once it is read. p
// holds a *string, **string, *[]byte, *uint32, Unmarshaler or
// SizedUnmarshaler according to kind; one interface field keeps the entry
// small, since a large enumeration queues thousands of them.
type rdeferred struct {
	kind rkind
	n    uint32 // rBytes, rSized: the size_is value
	p    any
}

// Reader decodes NDR20 data from a byte slice. Create one with NewReader or
// reuse one with Reset.
type Reader struct {
	buf   []byte
	off   int
	err   error
	depth int
	queue []rdeferred
	full  map[uint32]struct{}

	// The referents of StringPtr, NullableStringPtr and BytesPtr are
	// decoded into arenas during a Flush and handed out at its end as
	// slices of one string (strings, as UTF-8) and one byte slice: a
	// response's thousands of strings cost one allocation, not one each.
	// pending records where each one goes.
	arena     []byte // UTF-8 of the strings
	barena    []byte // byte arrays
	pending   []pending
	nullables int // pending entries of kind rNullableString
}

// pending is a decoded referent waiting in an arena for the end of the
// Flush: arena[start:end] (barena for rBytes) goes to p, a *string,
// **string or *[]byte according to kind.
type pending struct {
	kind       rkind
	start, end int
	p          any
}

// NewReader returns a Reader over b. Values decoded through the pointer
// methods are copies; only Raw aliases b.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Reset points the Reader at a new message, keeping its queue's capacity.
func (r *Reader) Reset(b []byte) {
	r.buf, r.off, r.err, r.depth = b, 0, nil, 0
	clear(r.queue)
	r.queue = r.queue[:0]
	clear(r.full)
	r.dropStrings()
}

// Err is the first error the Reader met, or nil.
func (r *Reader) Err() error { return r.err }

// Offset is the number of bytes consumed so far.
func (r *Reader) Offset() int { return r.off }

// Remaining is the number of bytes not yet consumed.
func (r *Reader) Remaining() int { return len(r.buf) - r.off }

// Failf records a decoding error (wrapping ErrMalformed) unless one is
// already recorded, and returns the recorded error. Type decoders use it for
// semantic checks such as an unknown union arm.
func (r *Reader) Failf(format string, args ...any) error {
	if r.err == nil {
		r.err = fmt.Errorf("%w: "+format+" at offset %d", append([]any{ErrMalformed}, append(args, r.off)...)...)
	}
	return r.err
}

// Fail records err, which should wrap ErrMalformed, unless an error is
// already recorded.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// need reports whether n more bytes are available, recording an error if not.
func (r *Reader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || n > len(r.buf)-r.off {
		r.Failf("need %d bytes, have %d", n, len(r.buf)-r.off)
		return false
	}
	return true
}

// Align skips padding to a multiple of n from the start of the message.
// Padding content is ignored: C706 leaves it unspecified.
func (r *Reader) Align(n int) {
	pad := (n - r.off&(n-1)) & (n - 1)
	if r.need(pad) {
		r.off += pad
	}
}

// Uint8 reads an unsigned small.
func (r *Reader) Uint8() uint8 {
	if !r.need(1) {
		return 0
	}
	v := r.buf[r.off]
	r.off++
	return v
}

// Uint16 reads an aligned unsigned short.
func (r *Reader) Uint16() uint16 {
	r.Align(2)
	if !r.need(2) {
		return 0
	}
	v := binary.LittleEndian.Uint16(r.buf[r.off:])
	r.off += 2
	return v
}

// Uint32 reads an aligned unsigned long.
func (r *Reader) Uint32() uint32 {
	r.Align(4)
	if !r.need(4) {
		return 0
	}
	v := binary.LittleEndian.Uint32(r.buf[r.off:])
	r.off += 4
	return v
}

// Int32 reads an aligned long.
func (r *Reader) Int32() int32 { return int32(r.Uint32()) }

// Uint64 reads an aligned unsigned hyper.
func (r *Reader) Uint64() uint64 {
	r.Align(8)
	if !r.need(8) {
		return 0
	}
	v := binary.LittleEndian.Uint64(r.buf[r.off:])
	r.off += 8
	return v
}

// Raw returns the next n bytes unaligned, aliasing the input.
func (r *Reader) Raw(n int) []byte {
	if !r.need(n) {
		return nil
	}
	b := r.buf[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}

// Pointer reads a unique or embedded ref pointer's referent id and reports
// whether it is non-NULL. Use it for pointers whose referent the caller
// reads itself; the typed methods below queue the referent instead.
func (r *Reader) Pointer() bool { return r.Uint32() != 0 }

// StringPtr reads a pointer to a [string] wchar_t. If it is non-NULL the
// string is queued and stored in *dst at Flush; if it is NULL *dst is set to
// "".
func (r *Reader) StringPtr(dst *string) {
	if r.Pointer() {
		r.queue = append(r.queue, rdeferred{kind: rString, p: dst})
	} else {
		*dst = ""
	}
}

// NullableStringPtr is StringPtr for fields where NULL matters: *dst
// becomes nil for NULL and a new string otherwise.
func (r *Reader) NullableStringPtr(dst **string) {
	*dst = nil
	if r.Pointer() {
		r.queue = append(r.queue, rdeferred{kind: rNullableString, p: dst})
	}
}

// BytesPtr reads a pointer to a conformant byte array whose size_is value
// is n. A non-NULL array is copied to *dst at Flush (sharing one
// allocation with the Flush's other byte arrays; see Flush) and its
// maximum count must equal n; a NULL pointer sets *dst to nil.
func (r *Reader) BytesPtr(dst *[]byte, n uint32) {
	*dst = nil
	if r.Pointer() {
		r.queue = append(r.queue, rdeferred{kind: rBytes, p: dst, n: n})
	}
}

// Uint32Ptr reads an embedded pointer to a DWORD into *dst, nil for NULL.
// The value is allocated at Flush.
func (r *Reader) Uint32Ptr(dst **uint32) {
	*dst = nil
	if r.Pointer() {
		v := new(uint32)
		*dst = v
		r.queue = append(r.queue, rdeferred{kind: rUint32, p: v})
	}
}

// Ptr reads a pointer to a constructed type and reports whether it is
// non-NULL; if it is, m is queued to read the referent at Flush.
func (r *Reader) Ptr(m Unmarshaler) bool {
	if !r.Pointer() {
		return false
	}
	r.queue = append(r.queue, rdeferred{kind: rUnmarshaler, p: m})
	return true
}

// SizedUnmarshaler is a referent whose size comes from elsewhere, such as
// a conformant array with a size_is attribute naming a field of the
// enclosing structure.
type SizedUnmarshaler interface {
	UnmarshalNDRSized(r *Reader, sizeIs uint32) error
}

// PtrSized is Ptr for a referent with a size_is value, which is handed to m
// when the referent is read.
func (r *Reader) PtrSized(m SizedUnmarshaler, sizeIs uint32) bool {
	if !r.Pointer() {
		return false
	}
	r.queue = append(r.queue, rdeferred{kind: rSized, p: m, n: sizeIs})
	return true
}

// FullPtr reads a full pointer. It returns the referent id (0 for NULL) and
// whether this is the first time the id appears, in which case the caller
// queues or reads the referent; a repeated id has no referent on the wire.
func (r *Reader) FullPtr() (id uint32, first bool) {
	id = r.Uint32()
	if id == 0 || r.err != nil {
		return 0, false
	}
	if _, ok := r.full[id]; ok {
		return id, false
	}
	if r.full == nil {
		r.full = make(map[uint32]struct{})
	}
	r.full[id] = struct{}{}
	return id, true
}

// Defer queues m to read a referent at the next Flush, for a pointer the
// caller read with Pointer or FullPtr.
func (r *Reader) Defer(m Unmarshaler) {
	r.queue = append(r.queue, rdeferred{kind: rUnmarshaler, p: m})
}

// Flush reads every queued referent, in order, each followed by its own
// referents, and returns r.Err().
//
// The strings of StringPtr referents are stored when Flush returns, not as
// they are read, and share one allocation: keeping any of them keeps all
// the strings that Flush decoded, which for one RPC response is what a
// caller keeps anyway. On error they are left unset.
func (r *Reader) Flush() error {
	r.flush(0)
	if r.err == nil && len(r.pending) > 0 {
		r.settle()
	}
	r.dropStrings()
	return r.err
}

// settle stores the pending referents: each string is a slice of one
// string holding the whole arena, each nullable string's holder an element
// of one []string, each byte array a capacity-limited slice of one copy of
// the byte arena (so that appending to one cannot overwrite the next).
func (r *Reader) settle() {
	all := string(r.arena)
	var holders []string
	if r.nullables > 0 {
		holders = make([]string, r.nullables)
	}
	var slab []byte
	if len(r.barena) > 0 {
		slab = append([]byte(nil), r.barena...)
	}
	for _, p := range r.pending {
		switch p.kind {
		case rString:
			*p.p.(*string) = all[p.start:p.end]
		case rNullableString:
			holders[0] = all[p.start:p.end]
			*p.p.(**string) = &holders[0]
			holders = holders[1:]
		case rBytes:
			if p.start == p.end {
				*p.p.(*[]byte) = []byte{}
			} else {
				*p.p.(*[]byte) = slab[p.start:p.end:p.end]
			}
		}
	}
}

// dropStrings forgets the decoded referents not yet stored, keeping the
// arenas' capacity.
func (r *Reader) dropStrings() {
	clear(r.pending)
	r.pending = r.pending[:0]
	r.arena = r.arena[:0]
	r.barena = r.barena[:0]
	r.nullables = 0
}

func (r *Reader) flush(start int) {
	if r.depth++; r.depth > MaxDepth {
		r.Failf("referents nested deeper than %d", MaxDepth)
	}
	for i := start; i < len(r.queue) && r.err == nil; i++ {
		d := r.queue[i]
		switch d.kind {
		case rString, rNullableString:
			start := len(r.arena)
			r.arena = r.appendString(r.arena)
			if r.err != nil {
				break
			}
			if d.kind == rString && len(r.arena) == start {
				*d.p.(*string) = ""
				break
			}
			if d.kind == rNullableString {
				r.nullables++
			}
			r.pending = append(r.pending, pending{kind: d.kind, start: start, end: len(r.arena), p: d.p})
		case rBytes:
			max := r.Uint32()
			if r.err == nil && max != d.n {
				r.Failf("byte array of %d elements, size_is %d", max, d.n)
				break
			}
			if raw := r.Raw(int(max)); raw != nil {
				start := len(r.barena)
				r.barena = append(r.barena, raw...)
				r.pending = append(r.pending, pending{kind: rBytes, start: start, end: len(r.barena), p: d.p})
			}
		case rUint32:
			*d.p.(*uint32) = r.Uint32()
		case rUnmarshaler:
			mark := len(r.queue)
			if err := d.p.(Unmarshaler).UnmarshalNDR(r); err != nil {
				r.Fail(err)
			}
			r.flush(mark)
		case rSized:
			mark := len(r.queue)
			if err := d.p.(SizedUnmarshaler).UnmarshalNDRSized(r, d.n); err != nil {
				r.Fail(err)
			}
			r.flush(mark)
		}
	}
	clear(r.queue[start:])
	r.queue = r.queue[:start]
	r.depth--
}

// ConformantVaryingHeader reads the maximum count, offset and actual count
// of a conformant varying array whose elements are elemSize bytes, and
// checks that offset+actual fits in max and that the elements are present.
func (r *Reader) ConformantVaryingHeader(elemSize int) (max, offset, actual uint32) {
	max, offset, actual = r.Uint32(), r.Uint32(), r.Uint32()
	if r.err != nil {
		return 0, 0, 0
	}
	if uint64(offset)+uint64(actual) > uint64(max) {
		r.Failf("varying array offset %d + count %d exceeds maximum %d", offset, actual, max)
		return 0, 0, 0
	}
	if uint64(actual)*uint64(elemSize) > uint64(r.Remaining()) {
		r.Failf("varying array of %d elements overruns the %d bytes left", actual, r.Remaining())
		return 0, 0, 0
	}
	return max, offset, actual
}

// ConformantCount reads the maximum count of a conformant array whose
// elements take at least minElemSize bytes each on the wire, and checks that
// so many elements can be present before anything is allocated.
func (r *Reader) ConformantCount(minElemSize int) int {
	n := r.Uint32()
	if r.err != nil {
		return 0
	}
	minElemSize = max(minElemSize, 1)
	if uint64(n)*uint64(minElemSize) > uint64(r.Remaining()) {
		r.Failf("array of %d elements overruns the %d bytes left", n, r.Remaining())
		return 0
	}
	return int(n)
}

// String reads a conformant varying string of wchar_t in place and returns
// it as UTF-8, without its terminating NUL, allocating once. The offset must
// be 0 and a non-empty string must end in NUL, as [string] requires.
// Unpaired surrogates become U+FFFD.
//
// The terminator check is deliberate, not pedantry: a [string] array's
// actual count includes its terminator (C706 14.3.4), and the peers lanman
// must behave like reject a string whose last element is not NUL. Windows'
// NDR engine fails the call with RPC_X_BAD_STUB_DATA (the fault impacket
// and go-msrpc users meet when they forget to append "\x00"), and Samba's
// generated pull code checks the terminator of every [string,charset]
// array before converting it. A server built on this Reader therefore
// faults such a request with nca_s_fault_ndr, as they do, rather than
// accept input a Windows server would refuse. An actual count of 0 has
// no element to check and reads as "".
func (r *Reader) String() string {
	return DecodeUTF16(r.stringUnits())
}

// appendString is String appending the UTF-8 to dst instead of allocating.
func (r *Reader) appendString(dst []byte) []byte {
	return AppendDecodedUTF16(dst, r.stringUnits())
}

// stringUnits reads a conformant varying string of wchar_t and returns its
// UTF-16LE code units without the terminator, aliasing the input; nil on
// error.
func (r *Reader) stringUnits() []byte {
	_, offset, n := r.ConformantVaryingHeader(2)
	if r.err != nil {
		return nil
	}
	if offset != 0 {
		r.Failf("string with offset %d", offset)
		return nil
	}
	if n == 0 {
		return nil
	}
	b := r.Raw(int(n) * 2)
	if b[len(b)-2] != 0 || b[len(b)-1] != 0 {
		r.Failf("string of %d characters without a terminating NUL", n)
		return nil
	}
	return b[:len(b)-2]
}

// AppendDecodedUTF16 appends UTF-16LE bytes (an even number), converted to
// UTF-8, to dst: DecodeUTF16 without the allocation. Unpaired surrogates
// become U+FFFD.
func AppendDecodedUTF16(dst, b []byte) []byte {
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(b[i]) | rune(b[i+1])<<8
		if u < utf8.RuneSelf {
			dst = append(dst, byte(u))
			continue
		}
		if utf16.IsSurrogate(u) {
			if u < 0xDC00 && i+3 < len(b) {
				if v := rune(b[i+2]) | rune(b[i+3])<<8; v >= 0xDC00 && v < 0xE000 {
					dst = utf8.AppendRune(dst, utf16.DecodeRune(u, v))
					i += 2
					continue
				}
			}
			u = utf8.RuneError
		}
		dst = utf8.AppendRune(dst, u)
	}
	return dst
}

// DecodeUTF16 converts UTF-16LE bytes (an even number) to a string with a
// single allocation. Unpaired surrogates become U+FFFD.
func DecodeUTF16(b []byte) string {
	// First pass: the UTF-8 length, so the builder allocates once.
	size, ascii := 0, true
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(b[i]) | rune(b[i+1])<<8
		switch {
		case u < 0x80:
			size++
		case u < 0x800:
			size += 2
			ascii = false
		case utf16.IsSurrogate(u):
			ascii = false
			if u < 0xDC00 && i+3 < len(b) {
				if v := rune(b[i+2]) | rune(b[i+3])<<8; v >= 0xDC00 && v < 0xE000 {
					size += 4
					i += 2
					continue
				}
			}
			size += 3 // U+FFFD
		default:
			size += 3
			ascii = false
		}
	}
	var sb strings.Builder
	sb.Grow(size)
	if ascii {
		for i := 0; i+1 < len(b); i += 2 {
			sb.WriteByte(b[i])
		}
		return sb.String()
	}
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(b[i]) | rune(b[i+1])<<8
		if utf16.IsSurrogate(u) {
			if u < 0xDC00 && i+3 < len(b) {
				if v := rune(b[i+2]) | rune(b[i+3])<<8; v >= 0xDC00 && v < 0xE000 {
					sb.WriteRune(utf16.DecodeRune(u, v))
					i += 2
					continue
				}
			}
			u = utf8.RuneError
		}
		sb.WriteRune(u)
	}
	return sb.String()
}

// ReadConformantArray reads a conformant array of structures in place: its
// maximum count, which must equal want (the size_is value) unless want is
// negative, then each element's scalars; the elements' referents are read
// at the next Flush. minElemSize is the least number of bytes one element
// occupies, used to bound the count before allocating.
func ReadConformantArray[T any, P interface {
	*T
	Unmarshaler
}](r *Reader, want int64, minElemSize int) []T {
	n := r.ConformantCount(minElemSize)
	if r.err != nil {
		return nil
	}
	if want >= 0 && int64(n) != want {
		r.Failf("array of %d elements, size_is %d", n, want)
		return nil
	}
	s := make([]T, n)
	for i := range s {
		if err := P(&s[i]).UnmarshalNDR(r); err != nil {
			r.Fail(err)
			return nil
		}
	}
	return s
}

// UnionSwitch reads the discriminant of a non-encapsulated union
// ([switch_is(x)] in a structure or parameter list; NDR sends it again in
// front of the arm) and checks that it equals x.
func (r *Reader) UnionSwitch(x uint32) bool {
	tag := r.Uint32()
	if r.err != nil {
		return false
	}
	if tag != x {
		r.Failf("union discriminant %d differs from switch_is value %d", tag, x)
		return false
	}
	return true
}
