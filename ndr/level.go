package ndr

import (
	"fmt"
	"slices"
)

// The LAN Manager interfaces (srvsvc, wkssvc) return their data in two
// shapes, both switched by an information level: the *_INFO unions of the
// GetInfo calls,
//
//	[switch_type(DWORD)] union { [case(n)] T_INFO_n *InfoN; ... }
//
// and the *_ENUM_STRUCT of the Enum calls, a level and a union of pointers
// to EntriesRead/Buffer containers (CountedArray),
//
//	struct { DWORD Level; [switch_is(Level)] union { [case(n)] T_INFO_n_CONTAINER *LevelN; ... } }
//
// The owning package codes the arms it models (a switch on the level);
// LevelUnion codes everything else: the discriminant of an enumeration
// structure, and the levels without a Go arm, whose handling differs from
// union to union.

// DefaultArm is what a union declares for a level it does not list.
type DefaultArm uint8

const (
	// NoDefault: the IDL declares no [default] arm, so no other level is
	// valid. lanman still sends one, as the discriminant and a NULL
	// pointer, so that the peer can answer ERROR_INVALID_LEVEL, and
	// accepts one only with a NULL pointer.
	NoDefault DefaultArm = iota
	// EmptyDefault: the IDL declares an empty [default] arm, so nothing
	// follows the discriminant of a level the union does not list.
	EmptyDefault
)

// LevelUnion describes a union of pointers switched by an information
// level, for the levels its owning package has no Go arm for.
type LevelUnion struct {
	// Name is the IDL name of the union, for errors.
	Name string
	// Default is the union's [default] arm.
	Default DefaultArm
	// Unmodelled are levels the union lists that the owning package does
	// not model: they travel as a NULL pointer, and a non-NULL one fails
	// to decode, whatever Default says.
	Unmodelled []uint32
	// ErrLevel is wrapped, with ErrMalformed, in the error for a non-NULL
	// pointer of a level without a Go arm (the owning package's
	// ErrInvalidLevel).
	ErrLevel error
}

// hasPointer reports whether an arm without a Go type is a pointer on the
// wire (rather than nothing).
func (u *LevelUnion) hasPointer(level uint32) bool {
	return u.Default == NoDefault || slices.Contains(u.Unmodelled, level)
}

// WriteOther writes the arm of a level without a Go arm: a NULL pointer,
// or nothing for a level that falls to an empty default arm.
func (u *LevelUnion) WriteOther(w *Writer, level uint32) {
	if u.hasPointer(level) {
		w.NullPtr()
	}
}

// ReadOther reads the arm of a level without a Go arm, failing r (with
// ErrLevel) if it is a non-NULL pointer: a structure the package does not
// model cannot be decoded. It reports whether the arm was a pointer.
func (u *LevelUnion) ReadOther(r *Reader, level uint32) bool {
	if !u.hasPointer(level) {
		return false
	}
	if r.Pointer() {
		r.Fail(fmt.Errorf("%w: %w: %s level %d", ErrMalformed, u.ErrLevel, u.Name, level))
	}
	return true
}

// Container is the arm of an enumeration structure: a *CountedArray (see
// Counted).
type Container interface {
	Marshaler
	Unmarshaler
	// Len is the number of entries.
	Len() int
}

// ContainerLen is c.Len(), 0 for a nil c (a level without a Go arm).
func ContainerLen(c Container) int {
	if c == nil {
		return 0
	}
	return c.Len()
}

// WriteEnum writes an enumeration structure (SESSION_ENUM_STRUCT,
// USE_ENUM_STRUCT, ...) of level whose union is u. c is the container of
// level, nil for a level without a Go arm; noEntries sends the container
// pointer as NULL.
func (u *LevelUnion) WriteEnum(w *Writer, level uint32, c Container, noEntries bool) {
	w.Uint32(level)
	w.Uint32(level) // the non-encapsulated union's discriminant
	switch {
	case c == nil:
		u.WriteOther(w, level)
	case noEntries:
		w.NullPtr()
	default:
		w.Ptr(c)
	}
}

// ReadEnum reads the rest of an enumeration structure whose Level the
// caller has read: the union's discriminant, which must equal level, and
// the arm, c (nil for a level without a Go arm), whose referent is read at
// the next Flush. It reports whether the arm was a NULL pointer.
func (u *LevelUnion) ReadEnum(r *Reader, level uint32, c Container) (noEntries bool) {
	if !r.UnionSwitch(level) {
		return false
	}
	if c == nil {
		return u.ReadOther(r, level)
	}
	return !r.Ptr(c)
}

// Every NetApi enumeration (NetrSessionEnum, NetrShareEnum, NetrUseEnum,
// ...) ends its request with the same parameters after its qualifiers,
//
//	[in, out] T_ENUM_STRUCT *InfoStruct, [in] DWORD PreferedMaximumLength, [in, out, unique] DWORD *ResumeHandle
//
// and its response is
//
//	InfoStruct, [out] DWORD *TotalEntries, ResumeHandle, NET_API_STATUS
//
// which WriteEnumIn, ReadEnumIn, WriteEnumOut and ReadEnumOut code.

// WriteEnumIn writes the parameters of an enumeration request that follow
// its qualifiers.
func WriteEnumIn(w *Writer, info Marshaler, prefMaxLen uint32, resume *uint32) {
	info.MarshalNDR(w)
	w.Flush()
	w.Uint32(prefMaxLen)
	w.Uint32PtrParam(resume)
}

// ReadEnumIn reads what WriteEnumIn writes.
func ReadEnumIn(r *Reader, info Unmarshaler, prefMaxLen *uint32, resume **uint32) {
	info.UnmarshalNDR(r)
	r.Flush()
	*prefMaxLen = r.Uint32()
	r.Uint32PtrParam(resume)
}

// WriteEnumOut writes an enumeration response.
func WriteEnumOut(w *Writer, info Marshaler, total uint32, resume *uint32, status uint32) {
	info.MarshalNDR(w)
	w.Flush()
	w.Uint32(total)
	w.Uint32PtrParam(resume)
	w.Uint32(status)
}

// ReadEnumOut reads what WriteEnumOut writes.
func ReadEnumOut(r *Reader, info Unmarshaler, total *uint32, resume **uint32, status *uint32) {
	info.UnmarshalNDR(r)
	r.Flush()
	*total = r.Uint32()
	r.Uint32PtrParam(resume)
	*status = r.Uint32()
}
