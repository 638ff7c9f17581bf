package ndr

// Elem is the constraint for the element type of the array helpers: a
// pointer to a structure that codes itself and knows the size of its scalar
// part.
type Elem[T any] interface {
	*T
	Marshaler
	Unmarshaler
	// NDRScalarSize is the number of bytes the structure's scalar part
	// takes on the wire (pointers count 4), used to bound element counts
	// read from the wire before allocating.
	NDRScalarSize() int
}

// ConformantArray is the referent of a pointer to a conformant array of
// structures ([size_is(n)] T *). Convert a *[]T to it to queue it:
//
//	w.Ptr((*ndr.ConformantArray[Info, *Info])(&entries))
//
// It writes the maximum count and every element's scalars; the elements'
// referents follow at the enclosing Flush.
type ConformantArray[T any, P Elem[T]] []T

// MarshalNDR implements Marshaler.
func (a *ConformantArray[T, P]) MarshalNDR(w *Writer) {
	WriteConformantArray[T, P](w, *a)
}

// UnmarshalNDRSized implements SizedUnmarshaler: the maximum count must
// equal sizeIs.
func (a *ConformantArray[T, P]) UnmarshalNDRSized(r *Reader, sizeIs uint32) error {
	var zero T
	*a = ReadConformantArray[T, P](r, int64(sizeIs), P(&zero).NDRScalarSize())
	return r.err
}

// CountedArray is the ubiquitous Microsoft container
//
//	struct { DWORD EntriesRead; [size_is(EntriesRead)] T *Buffer; }
//
// held as a Go slice: a nil slice is a NULL Buffer (what a client sends in a
// request), a non-nil one, even empty, is a pointer to an array. Convert a
// *[]T to it, as with ConformantArray.
type CountedArray[T any, P Elem[T]] []T

// MarshalNDR implements Marshaler.
func (c *CountedArray[T, P]) MarshalNDR(w *Writer) {
	w.Uint32(uint32(len(*c)))
	if *c == nil {
		w.NullPtr()
		return
	}
	w.Ptr((*ConformantArray[T, P])(c))
}

// Len is the number of entries, len of the slice.
func (c *CountedArray[T, P]) Len() int { return len(*c) }

// UnmarshalNDR implements Unmarshaler. A NULL Buffer leaves a nil slice
// whatever EntriesRead says.
func (c *CountedArray[T, P]) UnmarshalNDR(r *Reader) error {
	r.Align(4)
	n := r.Uint32()
	*c = nil
	r.PtrSized((*ConformantArray[T, P])(c), n)
	return r.err
}

// WritePtr writes an embedded unique pointer to a structure, NULL for a nil
// p, queueing the referent. (A nil *T stored in a Marshaler interface is
// not a nil interface, hence the helper.)
func WritePtr[T any, P interface {
	*T
	Marshaler
}](w *Writer, p P) {
	if p == nil {
		w.NullPtr()
		return
	}
	w.Ptr(p)
}

// ReadPtr reads an embedded unique pointer to a structure: nil for NULL,
// else a new T whose referent is read at the next Flush.
func ReadPtr[T any, P interface {
	*T
	Unmarshaler
}](r *Reader) P {
	if !r.Pointer() {
		return nil
	}
	p := P(new(T))
	r.Defer(p)
	return p
}

// Counted views a slice as the EntriesRead/Buffer container (CountedArray)
// without copying, for Writer.Ptr and Reader.Ptr.
func Counted[T any, P Elem[T]](s *[]T) *CountedArray[T, P] {
	return (*CountedArray[T, P])(s)
}
