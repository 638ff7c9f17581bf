// Package ndr encodes and decodes the NDR20 transfer syntax (C706 chapter
// 14, as profiled by MS-RPCE 2.2.5): little-endian, 32-bit pointer referent
// ids, the representation DCE/RPC stubs use for MS-SRVS and MS-WKST.
//
// The package holds primitives, not a reflection-driven marshaller: every
// wire type is coded by hand in the package that owns it, which keeps the
// hot codecs free of reflection and allocation.
//
// # Pointers and deferral
//
// NDR writes the referent of a pointer embedded in a structure or an array
// only after the whole enclosing construct (C706 14.3.12.3): a structure's
// scalars first, with each pointer as a referent id, then the referents in
// the order their pointers appeared; an array of structures writes every
// element's scalars, then every element's referents. A referent that is
// itself a structure with pointers has its own referents written right after
// it, before the next sibling referent (the order Windows and Samba use).
//
// Writer and Reader keep that bookkeeping in a queue. The pointer methods
// (Writer.StringPtr, Reader.StringPtr, ...) write or read the referent id and
// queue the referent; Flush writes or reads everything queued. A caller
// marshalling an operation writes each top-level parameter and then calls
// Flush, so the parameter's embedded referents follow it, as NDR requires
// for top-level parameters. A top-level [unique] pointer is coded the same
// way (its id, then its referent at Flush); a top-level [ref] pointer has no
// representation of its own, so only its referent is written.
//
// # Allocation
//
// A Writer reused across messages (Reset, or the pooled Marshal) encodes
// without allocating once its buffer and queue have grown; Marshal returns
// one exact-size copy. A Reader allocates the slices of decoded arrays and,
// per Flush, one string holding every decoded string referent (each field
// is a slice of it) and one copy of the byte-array referents, rather than
// one allocation per referent.
//
// # Arrays and unions
//
// A conformant array ([size_is(n)]) is its maximum count followed by the
// elements; ConformantArray and CountedArray code arrays of structures, and
// BytesPtr byte arrays. A conformant varying array adds an offset and an
// actual count (ConformantVaryingHeader); String is the [string] wchar_t
// case. A union is its discriminant followed by the selected arm: for a
// non-encapsulated union ([switch_is(x)], what the srvsvc and wkssvc IDL
// use) the discriminant is sent again even though x precedes it, and
// Reader.UnionSwitch checks the two agree; an encapsulated union is a
// structure of the discriminant and the union, with the same bytes. Arms
// are coded by the owning package with a switch on the discriminant;
// LevelUnion codes the rest of the level-switched unions and enumeration
// structures of the LAN Manager interfaces (see level.go).
//
// # Stubs
//
// A Stub is one operation's request or response; MarshalStub,
// UnmarshalStub and Call code and perform one, and the Param methods and
// WriteEnumIn/Out code the parameters that many operations share.
//
// # Errors
//
// Reader errors are sticky: after the first failure every further read
// returns a zero value and Err reports the failure, so a hand-written
// decoder checks once at the end. Every error wraps ErrMalformed. Counts read
// from the wire are checked against the bytes remaining before anything is
// allocated, and nesting of deferred referents is bounded by MaxDepth.
package ndr
