package srvs

import "github.com/lanman/lanman/ndr"

// counted views a slice of entries as the EntriesRead/Buffer container the
// enumeration unions point to.
func counted[T any, P ndr.Elem[T]](s *[]T) *ndr.CountedArray[T, P] {
	return (*ndr.CountedArray[T, P])(s)
}

// switchMatches reads a non-encapsulated union's discriminant, which NDR
// sends again after the Level field that switch_is names; the two must
// agree.
func switchMatches(r *ndr.Reader, level uint32) bool {
	tag := r.Uint32()
	if r.Err() != nil {
		return false
	}
	if tag != level {
		r.Failf("union discriminant %d differs from level %d", tag, level)
		return false
	}
	return true
}

// optString writes a top-level [in, string, unique] wchar_t* parameter, ""
// as NULL.
func optString(w *ndr.Writer, s string) {
	w.OptStringPtr(s)
	w.Flush()
}

// readOptString reads a top-level [string, unique] wchar_t* parameter.
func readOptString(r *ndr.Reader, dst *string) {
	r.StringPtr(dst)
	r.Flush()
}

// refString writes a top-level [in, string] wchar_t* parameter: a ref
// pointer, so only its referent.
func refString(w *ndr.Writer, s string) { w.String(s) }

// uint32Ptr writes a top-level [unique] DWORD* parameter.
func uint32Ptr(w *ndr.Writer, p *uint32) {
	w.Uint32Ptr(p)
	w.Flush()
}

// readUint32Ptr reads a top-level [unique] DWORD* parameter.
func readUint32Ptr(r *ndr.Reader, dst **uint32) {
	r.Uint32Ptr(dst)
	r.Flush()
}

// ptr writes an embedded unique pointer to a structure, NULL for nil. (A
// nil *T in a Marshaler interface is not a nil interface, hence the
// helper.)
func ptr[T any, P interface {
	*T
	ndr.Marshaler
}](w *ndr.Writer, p P) {
	if p == nil {
		w.NullPtr()
		return
	}
	w.Ptr(p)
}

// readPtr reads an embedded unique pointer to a structure, queueing its
// referent; nil for NULL.
func readPtr[T any, P interface {
	*T
	ndr.Unmarshaler
}](r *ndr.Reader) P {
	if !r.Pointer() {
		return nil
	}
	p := P(new(T))
	r.Defer(p)
	return p
}
