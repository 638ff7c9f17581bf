package dcerpc

import "errors"

// Sentinel errors. Decoding errors wrap ErrMalformed, so callers can tell
// hostile or broken input from transport trouble with errors.Is.
var (
	// ErrMalformed is wrapped by every error about bytes that do not form
	// a valid PDU.
	ErrMalformed = errors.New("dcerpc: malformed PDU")
	// ErrTruncated means the bytes end before the PDU does; the caller may
	// have to read more. It wraps ErrMalformed.
	ErrTruncated = &wrapped{msg: "dcerpc: truncated PDU", err: ErrMalformed}
	// ErrDataRepresentation is a PDU whose drep is not little-endian.
	ErrDataRepresentation = &wrapped{msg: "dcerpc: unsupported data representation (big-endian)", err: ErrMalformed}
	// ErrVersion is a PDU whose rpc_vers is not 5.0 (MS-RPCE 3.3.1.5.1).
	ErrVersion = &wrapped{msg: "dcerpc: unsupported protocol version", err: ErrMalformed}
	// ErrProtocol is a well-formed PDU that arrives where it must not (a
	// response with the wrong call_id, a bind_ack without a bind, …).
	ErrProtocol = errors.New("dcerpc: protocol error")
	// ErrBindRejected is a bind_nak, or a bind_ack that accepted no
	// presentation context. The BindError carries the reason.
	ErrBindRejected = errors.New("dcerpc: bind rejected")
	// ErrAuth is a failed authentication leg or a PDU whose signature
	// does not verify.
	ErrAuth = errors.New("dcerpc: authentication failed")
	// ErrTooLarge is a request or response above the configured limit.
	ErrTooLarge = errors.New("dcerpc: message too large")
	// ErrNotBound is a call on a client that has not bound (or whose bind
	// failed).
	ErrNotBound = errors.New("dcerpc: not bound")
	// ErrBroken is a call on a client whose connection was left in an
	// unknown state by an earlier failure (a cancelled call, a transport
	// error): the stream can no longer be trusted to be at a PDU boundary.
	ErrBroken = errors.New("dcerpc: connection broken by an earlier error")
	// ErrShutdown is the server's shutdown PDU.
	ErrShutdown = errors.New("dcerpc: server shut the connection down")
	// ErrClosed is an operation on a closed association.
	ErrClosed = errors.New("dcerpc: association closed")
)

// wrapped is a sentinel that is itself a refinement of another sentinel.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
