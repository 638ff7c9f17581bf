package dcerpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanman/lanman/gss"
)

// Handler serves the calls of one interface. ServeRPC returns the
// response stub, or an error: a Fault (possibly wrapped) is sent as that
// fault status; a win32.Errno is sent as that status too; anything else is
// logged and sent as nca_s_fault_unspec. Decoding failures should return
// FaultNDR (RPC_X_BAD_STUB_DATA), unknown opnums FaultOpRangeError.
//
// Call.Stub is valid only until ServeRPC returns.
type Handler interface {
	ServeRPC(ctx context.Context, call *Call) (stub []byte, err error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, call *Call) ([]byte, error)

// ServeRPC calls f.
func (f HandlerFunc) ServeRPC(ctx context.Context, call *Call) ([]byte, error) { return f(ctx, call) }

// OpTable is a Handler that dispatches on the opnum: entry i serves opnum
// i. A missing or nil entry faults with nca_s_op_rng_error.
type OpTable []HandlerFunc

// ServeRPC dispatches call to its opnum's entry.
func (t OpTable) ServeRPC(ctx context.Context, call *Call) ([]byte, error) {
	if int(call.Opnum) >= len(t) || t[call.Opnum] == nil {
		return nil, FaultOpRangeError
	}
	return t[call.Opnum](ctx, call)
}

// Call is one request as a Handler sees it.
type Call struct {
	Interface SyntaxID // the abstract syntax of the presentation context
	ContextID uint16
	CallID    uint32
	Opnum     uint16
	Object    UUID // valid when HasObject
	HasObject bool
	Stub      []byte // the reassembled request stub
	// Identity is who is calling: from RPC-level authentication when the
	// association has it, else what the transport said (the SMB session
	// of the pipe).
	Identity gss.Identity
	// AuthType and AuthLevel are the RPC-level protection of the call
	// (AuthLevelNone without RPC authentication).
	AuthType  AuthType
	AuthLevel AuthLevel
	// Assoc is the association the call arrived on.
	Assoc *Association
}

// DefaultMaxRequest is the default bound on a reassembled request stub:
// 4 MiB, as MS-RPCE 3.3.3.5.4 suggests.
const DefaultMaxRequest = 4 << 20

// Server is a registry of interfaces and the configuration of the
// associations made from it. The zero value serves no interfaces and no
// RPC-level authentication; register handlers before creating
// associations. A Server is safe for concurrent use.
type Server struct {
	// MaxFrag is the largest fragment the server sends or accepts; 0 means
	// DefaultMaxFrag.
	MaxFrag uint16
	// MaxRequest bounds a reassembled request stub; 0 means
	// DefaultMaxRequest. A larger request faults with
	// rpc_s_access_denied (MS-RPCE 3.3.3.5.4).
	MaxRequest int
	// MaxContexts bounds the presentation contexts of one association;
	// 0 means 64.
	MaxContexts int
	// Acceptor, when set, enables RPC-level authentication: it returns a
	// new security context acceptor for the auth type a client asks for,
	// or an error when the type is not supported.
	Acceptor func(AuthType) (gss.Acceptor, error)
	// MessageSecurity returns the per-message protection of an
	// established acceptor; when nil, the acceptor must implement
	// MessageSecurer for the integrity and privacy levels.
	MessageSecurity func(gss.Acceptor) (gss.MessageSecurity, error)
	// Logger receives errors returned by handlers and protocol violations;
	// nil discards them.
	Logger *slog.Logger

	mu         sync.RWMutex
	ifaces     map[UUID][]registered
	assocGroup atomic.Uint32
}

type registered struct {
	iface SyntaxID
	h     Handler
}

// Register serves iface with h. An interface matches a client's abstract
// syntax with the same UUID and major version and a minor version no
// greater than the registered one (C706 12.6.3.1).
func (s *Server) Register(iface SyntaxID, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ifaces == nil {
		s.ifaces = make(map[UUID][]registered)
	}
	rs := s.ifaces[iface.UUID]
	for i, r := range rs {
		if r.iface.Version == iface.Version {
			rs[i] = registered{iface, h}
			return
		}
	}
	s.ifaces[iface.UUID] = append(rs, registered{iface, h})
}

func (s *Server) lookup(want SyntaxID) (Handler, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, r := range s.ifaces[want.UUID] {
		if r.iface.Version == want.Version && want.Minor <= r.iface.Minor {
			return r.h, true
		}
	}
	return nil, false
}

func (s *Server) maxFrag() uint16 {
	if s.MaxFrag == 0 {
		return DefaultMaxFrag
	}
	return max(s.MaxFrag, MinFrag)
}

func (s *Server) maxRequest() int {
	if s.MaxRequest <= 0 {
		return DefaultMaxRequest
	}
	return s.MaxRequest
}

func (s *Server) maxContexts() int {
	if s.MaxContexts <= 0 {
		return 64
	}
	return s.MaxContexts
}

func (s *Server) log(msg string, args ...any) {
	if s.Logger != nil {
		s.Logger.Warn(msg, args...)
	}
}

// AssociationOptions describe the transport an Association is created on.
type AssociationOptions struct {
	// Identity is the caller as the transport knows it: the user of the
	// SMB session that opened the pipe. RPC-level authentication, when the
	// client uses it, supersedes it.
	Identity gss.Identity
	// SecondaryAddr is returned in bind_ack: the pipe name (`\PIPE\srvsvc`)
	// or the TCP port.
	SecondaryAddr string
}

// NewAssociation starts the server side of one connection: a named pipe
// open or a TCP connection.
func (s *Server) NewAssociation(opts AssociationOptions) *Association {
	return &Association{s: s, opts: opts, contexts: make(map[uint16]presentation)}
}

// Serve runs an association over a stream connection (ncacn_ip_tcp) until
// the client closes it, a fatal protocol error, or ctx is done. It closes
// conn when it returns; a clean close by the client returns nil.
func (s *Server) Serve(ctx context.Context, conn net.Conn) error {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	a := s.NewAssociation(AssociationOptions{SecondaryAddr: portOf(conn.LocalAddr())})
	defer a.Close()
	buf := make([]byte, 64<<10)
	out := make([]byte, 64<<10)
	for {
		n, rerr := conn.Read(buf)
		if n > 0 {
			werr := a.Write(ctx, buf[:n])
			// Flush whatever the association answered, even before closing
			// on a fatal error (a last fault or bind_nak).
			for {
				m, _ := a.Read(out)
				if m == 0 {
					break
				}
				if _, err := conn.Write(out[:m]); err != nil {
					return ctxErr(ctx, err)
				}
			}
			if werr != nil {
				return werr
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				return nil
			}
			return ctxErr(ctx, rerr)
		}
	}
}

func portOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return fmt.Sprint(t.Port)
	}
	return ""
}
