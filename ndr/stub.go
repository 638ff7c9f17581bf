package ndr

import (
	"context"
	"fmt"
	"sync"
)

// Stub is the request or the response of one RPC operation, coded as its
// NDR stub: the operation's parameters of one direction, in order, each
// followed by its referents. MS-SRVS and MS-WKST have one Stub type per
// message; client and server use the same types.
type Stub interface {
	// MarshalStub writes the whole stub.
	MarshalStub(w *Writer)
	// UnmarshalStub reads the whole stub. Trailing bytes are ignored, as
	// Windows and Samba do.
	UnmarshalStub(r *Reader) error
}

// MarshalStub encodes m as a new stub (see Marshal).
func MarshalStub(m Stub) []byte { return Marshal(m.MarshalStub) }

// readers recycles the Readers of UnmarshalStub, whose queues grow to the
// size of the largest enumeration decoded; decoded values never alias a
// Reader, so reuse is safe.
var readers = sync.Pool{New: func() any { return new(Reader) }}

// UnmarshalStub decodes stub into m with a pooled Reader.
func UnmarshalStub(stub []byte, m Stub) error {
	r := readers.Get().(*Reader)
	r.Reset(stub)
	err := m.UnmarshalStub(r)
	r.Reset(nil)
	readers.Put(r)
	return err
}

// Caller performs one call on a bound RPC association: it sends stub as the
// request of opnum and returns the response stub. The dcerpc client
// implements it; a fault comes back as its error.
type Caller interface {
	Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error)
}

// Call performs operation opnum through c: it encodes req, sends it and
// decodes the response stub into resp. An error of c comes back as
// "prefix: name: err" (prefix is the interface's package, name the
// operation's); a decoding error is the one resp.UnmarshalStub returned,
// which names the message already.
//
// The request is encoded into a Writer of its own rather than a pooled
// one, as c may keep the stub it is handed.
func Call(ctx context.Context, c Caller, prefix, name string, opnum uint16, req, resp Stub) error {
	var w Writer
	req.MarshalStub(&w)
	out, err := c.Call(ctx, opnum, w.Bytes())
	if err != nil {
		return fmt.Errorf("%s: %s: %w", prefix, name, err)
	}
	return UnmarshalStub(out, resp)
}

// A top-level parameter is followed by its own referents (see the package
// documentation), so the Param methods write or read the pointer and then
// Flush.

// OptStringParam writes a top-level [in, string, unique] wchar_t*
// parameter, "" as NULL (OptStringPtr).
func (w *Writer) OptStringParam(s string) {
	w.OptStringPtr(s)
	w.Flush()
}

// OptStringParam reads a top-level [string, unique] wchar_t* parameter,
// NULL as "".
func (r *Reader) OptStringParam(dst *string) {
	r.StringPtr(dst)
	r.Flush()
}

// Uint32PtrParam writes a top-level [unique] DWORD* parameter, NULL for a
// nil p.
func (w *Writer) Uint32PtrParam(p *uint32) {
	w.Uint32Ptr(p)
	w.Flush()
}

// Uint32PtrParam reads a top-level [unique] DWORD* parameter, nil for
// NULL.
func (r *Reader) Uint32PtrParam(dst **uint32) {
	r.Uint32Ptr(dst)
	r.Flush()
}
