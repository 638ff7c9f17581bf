package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/spnego"
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/wkst"
)

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("server: closed")

// Limits bound what clients can make the server hold. The zero value of a
// field means its default, sized for a small office.
type Limits struct {
	// MaxSessions is the number of authenticated sessions (default 256).
	MaxSessions int
	// MaxConns is the number of TCP connections (default 512).
	MaxConns int
	// MaxConnsPerClient is the number of TCP connections from one IP
	// address (default 32).
	MaxConnsPerClient int
	// MaxOpensPerSession bounds opens in one session (default 2048).
	MaxOpensPerSession int
	// MaxIOSize is MaxReadSize, MaxWriteSize and MaxTransactSize of the
	// NEGOTIATE response (default 1 MiB; 64 KiB for SMB 2.0.2, which has
	// no large MTU). A request frame may be this plus 64 KiB for headers.
	MaxIOSize int
	// IdleTimeout disconnects a connection that has sent nothing for this
	// long (default 15 minutes, Windows' autodisconnect time).
	IdleTimeout time.Duration
	// SetupTimeout bounds how long a new connection may take to negotiate
	// and authenticate (default 30 seconds).
	SetupTimeout time.Duration
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxSessions, 256)
	def(&l.MaxConns, 512)
	def(&l.MaxConnsPerClient, 32)
	def(&l.MaxOpensPerSession, 2048)
	def(&l.MaxIOSize, 1<<20)
	if l.MaxIOSize < 64<<10 {
		l.MaxIOSize = 64 << 10
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = 15 * time.Minute
	}
	if l.SetupTimeout <= 0 {
		l.SetupTimeout = 30 * time.Second
	}
	return l
}

// Config configures a Server.
type Config struct {
	// Listen is the address ListenAndServe listens on (host:port).
	Listen string
	// Shares are the disk shares; IPC$ is always added.
	Shares []Share
	// Users are the accounts that may log on. Required unless
	// AllowAnonymous is set.
	Users *Users
	// AllowAnonymous accepts null sessions (MS-NLMP anonymous
	// authentication), which may then reach IPC$ only and are never
	// admins. Off by default: nothing is reachable without logging on.
	AllowAnonymous bool
	// ServerName is the NetBIOS name the server reports (NTLM target,
	// NetrServerGetInfo); default: the host name, upper-cased, up to 15
	// characters.
	ServerName string
	// Domain is the NTLM target domain (default "WORKGROUP").
	Domain string
	// Comment is the server comment of NetrServerGetInfo level 101/102.
	Comment string
	// RequireEncryption makes every session encrypt (SMB 3.x only;
	// older dialects are then refused at session setup), as
	// MS-SMB2 3.3.1.5 Server.EncryptData.
	RequireEncryption bool
	// Limits, zero fields meaning defaults.
	Limits Limits
	// Logger receives structured logs; nil discards them. Passwords and
	// hashes are never logged.
	Logger *slog.Logger
}

// Server is an SMB2/3 server. Create it with New and run it with Serve.
type Server struct {
	cfg     Config
	limits  Limits
	log     *slog.Logger
	guid    [16]byte
	started time.Time
	shares  []*share // IPC$ first, then cfg.Shares in order
	byName  map[string]*share
	tables  tables
	rpc     *dcerpc.Server
	ntlmCfg *ntlm.ServerConfig
	negHint []byte
	locks   byteLocks
	onPanic func(any) // tests: report panics that serve recovered from

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	perClient map[string]int
	closed    bool
	connWG    sync.WaitGroup
}

// New checks cfg, opens the shares' directories and returns a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Users == nil && !cfg.AllowAnonymous {
		return nil, errors.New("server: no users configured and anonymous logons not allowed")
	}
	if cfg.Users == nil {
		cfg.Users = &Users{}
	}
	if cfg.ServerName == "" {
		h, _ := os.Hostname()
		h, _, _ = strings.Cut(h, ".")
		if h == "" {
			h = "LANMAN"
		}
		cfg.ServerName = h
	}
	cfg.ServerName = strings.ToUpper(cfg.ServerName)
	if len(cfg.ServerName) > 15 {
		cfg.ServerName = cfg.ServerName[:15]
	}
	if cfg.Domain == "" {
		cfg.Domain = "WORKGROUP"
	}
	s := &Server{
		cfg:       cfg,
		limits:    cfg.Limits.withDefaults(),
		log:       cfg.Logger,
		started:   time.Now(),
		byName:    map[string]*share{},
		listeners: map[net.Listener]struct{}{},
		conns:     map[*conn]struct{}{},
		perClient: map[string]int{},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if _, err := rand.Read(s.guid[:]); err != nil {
		return nil, err
	}
	ipc := &share{Share: Share{Name: "IPC$", Comment: "Remote IPC"}, typ: STYPE_IPC | STYPE_SPECIAL}
	s.shares = append(s.shares, ipc)
	s.byName["IPC$"] = ipc
	for _, sh := range cfg.Shares {
		k := strings.ToUpper(sh.Name)
		if _, dup := s.byName[k]; dup {
			s.closeShares()
			return nil, fmt.Errorf("server: share %q configured twice", sh.Name)
		}
		live, err := openShare(sh)
		if err != nil {
			s.closeShares()
			return nil, err
		}
		s.shares = append(s.shares, live)
		s.byName[k] = live
	}
	s.ntlmCfg = s.ntlmConfig()
	s.negHint = spnego.NegotiateHint()
	s.rpc = &dcerpc.Server{Logger: s.log}
	s.rpc.Register(dcerpc.SyntaxID{UUID: srvs.InterfaceUUID, Version: srvs.InterfaceVersionMajor, Minor: srvs.InterfaceVersionMinor}, newSrvsvc(s))
	s.rpc.Register(dcerpc.SyntaxID{UUID: wkst.InterfaceUUID, Version: wkst.InterfaceVersionMajor, Minor: wkst.InterfaceVersionMinor}, newWkssvc(s))
	return s, nil
}

func (s *Server) closeShares() {
	for _, sh := range s.shares {
		if sh.root != nil {
			sh.root.Close()
		}
	}
}

func (s *Server) share(name string) (*share, bool) {
	sh, ok := s.byName[strings.ToUpper(name)]
	return sh, ok
}

// ListenAndServe listens on cfg.Listen and serves until ctx ends or the
// server is shut down.
func (s *Server) ListenAndServe(ctx context.Context) error {
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("server: listen: %w", err)
	}
	return s.Serve(ctx, l)
}

// Serve accepts connections on l until ctx is done, l fails, or Shutdown
// is called. It closes l when it returns. Connections keep running after
// Serve returns until Shutdown or Close ends them.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
		l.Close()
	}()
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	s.log.Info("serving", "addr", l.Addr().String(), "name", s.cfg.ServerName)
	var delay time.Duration
	for {
		nc, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return fmt.Errorf("server: accept: %w", err)
		}
		delay = 0
		s.startConn(ctx, nc)
	}
}

// ServeConn serves one already-accepted connection and returns when it
// ends. It applies the same limits as Serve.
func (s *Server) ServeConn(ctx context.Context, nc net.Conn) {
	c := s.admit(nc)
	if c == nil {
		return
	}
	c.serve(ctx)
}

func (s *Server) startConn(ctx context.Context, nc net.Conn) {
	c := s.admit(nc)
	if c == nil {
		return
	}
	go c.serve(ctx)
}

// admit applies the connection limits and registers the connection, or
// closes it and returns nil.
func (s *Server) admit(nc net.Conn) *conn {
	ip := remoteIP(nc.RemoteAddr())
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
	case len(s.conns) >= s.limits.MaxConns:
		s.log.Warn("connection refused: too many connections", "client", ip)
	case s.perClient[ip] >= s.limits.MaxConnsPerClient:
		s.log.Warn("connection refused: too many connections from client", "client", ip)
	default:
		c := newConn(s, nc, ip)
		s.conns[c] = struct{}{}
		s.perClient[ip]++
		s.connWG.Add(1)
		return c
	}
	nc.Close()
	return nil
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	if s.perClient[c.clientAddr]--; s.perClient[c.clientAddr] <= 0 {
		delete(s.perClient, c.clientAddr)
	}
	s.mu.Unlock()
	s.connWG.Done()
}

func remoteIP(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	if a == nil {
		return ""
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}

// Shutdown stops accepting connections, logs every session off and
// closes every connection, waiting for their goroutines until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	for l := range s.listeners {
		l.Close()
	}
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.shutdown()
	}
	done := make(chan struct{})
	go func() { s.connWG.Wait(); close(done) }()
	select {
	case <-done:
		s.closeShares()
		return nil
	case <-ctx.Done():
		return fmt.Errorf("server: shutdown: %w", ctx.Err())
	}
}

// Close is Shutdown without waiting.
func (s *Server) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Shutdown(ctx)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// Sessions returns a snapshot of the authenticated sessions, by ID.
func (s *Server) Sessions() []SessionInfo {
	l := s.tables.sessions.snapshot(nil)
	out := make([]SessionInfo, len(l))
	for i, e := range l {
		out[i] = e.info()
	}
	return out
}

// TreeConnects returns a snapshot of the tree connects, by ID.
func (s *Server) TreeConnects() []TreeInfo {
	l := s.tables.trees.snapshot(nil)
	out := make([]TreeInfo, len(l))
	for i, e := range l {
		out[i] = e.info()
	}
	return out
}

// Opens returns a snapshot of the opens, by ID.
func (s *Server) Opens() []OpenInfo {
	l := s.tables.opens.snapshot(nil)
	out := make([]OpenInfo, len(l))
	for i, e := range l {
		out[i] = e.info()
	}
	return out
}

// ErrNotFound is returned by CloseSession and CloseOpen for an ID that is
// not (or no longer) in the table.
var ErrNotFound = errors.New("server: no such entry")

// CloseSession logs a session off from the server side, closing its tree
// connects and opens (MS-SMB2 3.3.4.12, which NetrSessionDel invokes).
func (s *Server) CloseSession(id uint64) error {
	if id > 0xFFFFFFFF {
		return ErrNotFound
	}
	e, ok := s.tables.sessions.get(uint32(id))
	if !ok {
		return ErrNotFound
	}
	e.conn.closeSession(e)
	return nil
}

// CloseOpen closes an open from the server side (MS-SMB2 3.3.4.17, which
// NetrFileClose invokes).
func (s *Server) CloseOpen(id uint32) error {
	o, ok := s.tables.opens.get(id)
	if !ok {
		return ErrNotFound
	}
	o.tree.sess.conn.closeOpen(o)
	return nil
}
