package dcerpc

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// Transport carries PDUs for a Client. An SMB2 named pipe implements it
// so that a call is one round trip: Transceive is FSCTL_PIPE_TRANSCEIVE
// (the request out, the first bytes of the reply back), Write is SMB2
// WRITE (earlier fragments of a long request, rpc_auth_3), and Read is
// SMB2 READ (the rest of a reply that did not fit). A byte stream
// (ncacn_ip_tcp) implements it with NewStreamTransport.
//
// The Client never assumes that one Transceive or Read returns one PDU:
// it reassembles PDUs from whatever pieces arrive.
type Transport interface {
	// Transceive sends b and returns the first bytes of the reply. The
	// returned slice is only read until the next call on the Transport.
	Transceive(ctx context.Context, b []byte) ([]byte, error)
	// Write sends b, expecting no reply yet.
	Write(ctx context.Context, b []byte) error
	// Read returns more bytes of a reply.
	Read(ctx context.Context, p []byte) (int, error)
}

// MessageReader is an optional capability of a Transport whose Read
// returns one message at a time, as a message-mode named pipe does (each
// response fragment is its own message): reading several messages with
// all the reads sent before the first answer, so that the fragments of a
// long reply cost one round trip instead of one each. smb2.Pipe
// implements it.
//
// The Client asks for no more messages than the alloc_hint of the reply
// makes certain (see Client.Call), since a read on an empty pipe may stay
// pending on the server and take the next reply.
type MessageReader interface {
	// ReadMessages reads the next n messages, each of up to size bytes,
	// and passes them to fn in order (a message longer than size may come
	// in pieces). fn returns whether it wants the next one; msg is valid
	// only during the call and may be modified. When fn stops early, or a
	// read fails, the reads already sent must be accounted for: answered
	// without data they are harmless; otherwise the implementation closes
	// the pipe and says so in the error.
	ReadMessages(ctx context.Context, n, size int, fn func(msg []byte) (more bool)) error
}

// deadliner is what net.Conn offers to bound blocking I/O.
type deadliner interface {
	SetDeadline(t time.Time) error
}

// streamTransport adapts a byte stream to Transport.
type streamTransport struct {
	rw  io.ReadWriter
	buf []byte
	mu  sync.Mutex
}

// NewStreamTransport adapts a stream, such as a TCP connection to an
// ncacn_ip_tcp endpoint, to Transport. When rw is a net.Conn (anything
// with SetDeadline) a context's deadline and cancellation interrupt
// blocking reads and writes; otherwise the context is only checked
// between operations.
func NewStreamTransport(rw io.ReadWriter) Transport {
	return &streamTransport{rw: rw, buf: make([]byte, 64<<10)}
}

// watch applies ctx to the stream for the duration of one operation.
func (t *streamTransport) watch(ctx context.Context) (stop func() bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d, ok := t.rw.(deadliner)
	if !ok {
		return func() bool { return true }, nil
	}
	dl, _ := ctx.Deadline()
	if err := d.SetDeadline(dl); err != nil {
		return nil, err
	}
	return context.AfterFunc(ctx, func() {
		_ = d.SetDeadline(time.Unix(1, 0)) // wake the blocked call
	}), nil
}

// ctxErr prefers the context's error to the timeout it provoked.
func ctxErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var ne net.Error
	timeout := errors.As(err, &ne) && ne.Timeout()
	if cerr := ctx.Err(); cerr != nil && (timeout || errors.Is(err, io.EOF)) {
		return cerr
	}
	// The socket's deadline is the context's, and the poller may fire it
	// a moment before the context's own timer marks ctx done.
	if dl, ok := ctx.Deadline(); ok && timeout && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return err
}

func (t *streamTransport) Write(ctx context.Context, b []byte) error {
	stop, err := t.watch(ctx)
	if err != nil {
		return err
	}
	defer stop()
	_, err = t.rw.Write(b)
	return ctxErr(ctx, err)
}

func (t *streamTransport) Read(ctx context.Context, p []byte) (int, error) {
	stop, err := t.watch(ctx)
	if err != nil {
		return 0, err
	}
	defer stop()
	n, err := t.rw.Read(p)
	if n > 0 {
		return n, nil
	}
	return n, ctxErr(ctx, err)
}

func (t *streamTransport) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.Write(ctx, b); err != nil {
		return nil, err
	}
	n, err := t.Read(ctx, t.buf)
	if err != nil {
		return nil, err
	}
	return t.buf[:n], nil
}
