package smb2

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanman/lanman/ntstatus"
)

// Client-side sentinel errors.
var (
	// ErrClosed is returned by calls on a connection that was closed,
	// by Close or because it failed.
	ErrClosed = errors.New("smb2: connection closed")
	// ErrProtocol is returned when the server breaks the protocol in a
	// way that is not a malformed message: an answer to another command,
	// a dialect the client did not offer, an unsigned message on a signed
	// session, a plaintext answer on an encrypted one.
	ErrProtocol = errors.New("smb2: protocol violation")
	// ErrEncryptionUnavailable is returned when encryption is required
	// (by the options, the session or a share) and the connection cannot
	// provide it.
	ErrEncryptionUnavailable = errors.New("smb2: encryption unavailable")
)

// StatusError is a response whose header carried a failure status. It
// unwraps to the ntstatus.Status, so errors.Is(err,
// ntstatus.STATUS_LOGON_FAILURE) works through any wrapping.
type StatusError struct {
	Command Command
	Status  ntstatus.Status
	// Data is the decoded ERROR response body, when it decoded.
	Data *ErrorResponse
}

func (e *StatusError) Error() string { return fmt.Sprintf("smb2: %s: %v", e.Command, e.Status) }

// Unwrap returns the status.
func (e *StatusError) Unwrap() error { return e.Status }

// Options configure a client connection. The zero value is secure: every
// dialect from 2.0.2 to 3.1.1 offered, 3.1.1 preferred, signing required,
// every cipher and signing algorithm offered, encryption when the server
// asks for it.
type Options struct {
	// Dialects to offer; nil offers all of 2.0.2, 2.1, 3.0, 3.0.2 and
	// 3.1.1. Tests pin one dialect here.
	Dialects []Dialect
	// Ciphers to offer for 3.1.1, in preference order; nil offers
	// AES-128-GCM, AES-256-GCM, AES-128-CCM, AES-256-CCM.
	Ciphers []CipherID
	// SigningAlgorithms to offer for 3.1.1, in preference order; nil
	// offers AES-GMAC, AES-CMAC, HMAC-SHA256.
	SigningAlgorithms []SigningAlgorithm
	// RequireEncryption encrypts every session, whether the server asks
	// or not; a session that cannot be encrypted fails.
	RequireEncryption bool
	// ClientGUID identifies the client; zero picks a random one.
	ClientGUID GUID
	// ServerName is the name put in the NETNAME negotiate context and in
	// tree connect paths; empty means the host part of the address.
	ServerName string
	// MaxFrameSize bounds a received frame; 0 means the negotiated
	// maximum message size plus room for headers (never above 16 MiB).
	MaxFrameSize int
	// WriteTimeout bounds a single socket write when the context has no
	// deadline; 0 means 60 seconds.
	WriteTimeout time.Duration
}

// DefaultDialects are offered when Options.Dialects is nil, 3.1.1 first.
var DefaultDialects = []Dialect{Dialect311, Dialect302, Dialect300, Dialect210, Dialect202}

// DefaultCiphers are offered when Options.Ciphers is nil.
var DefaultCiphers = []CipherID{CipherAES128GCM, CipherAES256GCM, CipherAES128CCM, CipherAES256CCM}

// DefaultSigningAlgorithms are offered when Options.SigningAlgorithms is
// nil.
var DefaultSigningAlgorithms = []SigningAlgorithm{SigningAESGMAC, SigningAESCMAC, SigningHMACSHA256}

// Stats counts a connection's traffic.
type Stats struct {
	// RoundTrips counts flights: socket writes of requests that wait for
	// an answer. Requests written together count once, as they cost one
	// network round trip: a compound chain, or several frames pipelined
	// back to back (Pipe.ReadMessages sends its READs so). CANCEL, which
	// has no answer, is not counted.
	RoundTrips uint64
	// Messages counts SMB2 requests sent (each message of a compound).
	Messages uint64
	// BytesSent and BytesReceived count transport frames with their
	// 4-byte headers.
	BytesSent     uint64
	BytesReceived uint64
	// Discarded counts received messages that answered no outstanding
	// request (MS-SMB2 3.2.5.1.2).
	Discarded uint64
}

// Conn is a client connection to an SMB2/3 server. It is safe for
// concurrent use: requests from many goroutines are multiplexed by
// MessageId, within the credits the server grants.
type Conn struct {
	nc   net.Conn
	opts Options

	// Negotiated state, fixed after Dial returns.
	dialect       Dialect
	serverGUID    GUID
	clientGUID    GUID
	serverSecMode SecurityMode
	serverCaps    Capabilities
	maxTransact   uint32
	maxRead       uint32
	maxWrite      uint32
	cipher        CipherID // 0 when the connection cannot encrypt
	signingAlg    SigningAlgorithm
	preauth       PreauthHash // the connection's preauth hash (3.1.1)
	gssToken      []byte      // the NEGOTIATE response's security buffer
	multiCredit   bool
	serverName    string
	maxFrame      atomic.Int64

	credits *creditPool

	sendMu sync.Mutex // orders message IDs on the wire
	nextID uint64     // guarded by sendMu

	mu       sync.Mutex
	calls    map[uint64]*call
	sessions map[uint64]*Session
	err      error         // why the connection ended, once it has
	done     chan struct{} // closed when the connection ends

	roundTrips, messages, bytesSent, bytesRecv, discarded atomic.Uint64
	abandonedAnswered                                     atomic.Uint64 // final answers to cancelled requests

	// pipeChainOne is set once the server refused a pipe IOCTL in the
	// middle of a compound: OpenPipe then chains only one.
	pipeChainOne atomic.Bool
}

// call is a request waiting for its response.
type call struct {
	id      uint64
	cmd     Command
	sess    *Session // whose key verifies the response; nil before setup
	encrypt bool     // the response must arrive encrypted
	ch      chan *response
	req     []byte // the request as sent, before encryption (preauth hash)

	// Guarded by Conn.mu.
	asyncID   uint64
	async     bool
	abandoned bool // the caller gave up; drop the response
}

// response is one received message.
type response struct {
	hdr       Header
	body      []byte // after the header
	msg       []byte // the whole message, padding included (for hashing)
	encrypted bool
	err       error
}

// Dial connects to addr ("host:port"; port 445 when absent) over TCP and
// negotiates. ctx bounds the connect and the negotiation.
func Dial(ctx context.Context, addr string, opts *Options) (*Conn, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "445")
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smb2: dial %s: %w", addr, err)
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.ServerName == "" {
		o.ServerName, _, _ = net.SplitHostPort(addr)
	}
	c, err := NewConn(ctx, nc, &o)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// NewConn negotiates over an established transport (Direct TCP framing)
// and takes ownership of nc: it is closed when the Conn is, or when
// negotiation fails.
func NewConn(ctx context.Context, nc net.Conn, opts *Options) (*Conn, error) {
	c := &Conn{
		nc:       nc,
		credits:  newCreditPool(1), // MS-SMB2 3.2.4.1.6: the window starts as { 0 }
		calls:    make(map[uint64]*call),
		sessions: make(map[uint64]*Session),
		done:     make(chan struct{}),
	}
	if opts != nil {
		c.opts = *opts
	}
	if c.opts.Dialects == nil {
		c.opts.Dialects = DefaultDialects
	}
	if c.opts.Ciphers == nil {
		c.opts.Ciphers = DefaultCiphers
	}
	if c.opts.SigningAlgorithms == nil {
		c.opts.SigningAlgorithms = DefaultSigningAlgorithms
	}
	if c.opts.WriteTimeout == 0 {
		c.opts.WriteTimeout = 60 * time.Second
	}
	c.serverName = c.opts.ServerName
	if c.serverName == "" {
		if h, _, err := net.SplitHostPort(nc.RemoteAddr().String()); err == nil {
			c.serverName = h
		}
	}
	c.clientGUID = c.opts.ClientGUID
	if c.clientGUID == (GUID{}) {
		rand.Read(c.clientGUID[:])
	}
	// Until the server says otherwise, accept what a NEGOTIATE response
	// can reasonably be.
	c.maxFrame.Store(64 << 10)
	if c.opts.MaxFrameSize > 0 {
		c.maxFrame.Store(int64(min(c.opts.MaxFrameSize, maxTransportFrame)))
	}
	go c.readLoop()
	if err := c.negotiate(ctx); err != nil {
		c.closeWith(err)
		return nil, err
	}
	return c, nil
}

// Dialect is the negotiated dialect.
func (c *Conn) Dialect() Dialect { return c.dialect }

// Cipher is the negotiated cipher (0 when the connection cannot encrypt).
func (c *Conn) Cipher() CipherID { return c.cipher }

// SigningAlgorithm is the algorithm sessions on this connection sign with.
func (c *Conn) SigningAlgorithm() SigningAlgorithm { return c.signingAlg }

// MaxReadSize, MaxWriteSize and MaxTransactSize are the server's limits.
func (c *Conn) MaxReadSize() uint32 { return c.maxRead }

// MaxWriteSize is the largest WRITE the server accepts.
func (c *Conn) MaxWriteSize() uint32 { return c.maxWrite }

// MaxTransactSize is the largest IOCTL/QUERY buffer the server accepts.
func (c *Conn) MaxTransactSize() uint32 { return c.maxTransact }

// ServerGUID is the server's GUID from NEGOTIATE.
func (c *Conn) ServerGUID() GUID { return c.serverGUID }

// ServerName is the name tree connect paths use.
func (c *Conn) ServerName() string { return c.serverName }

// Stats returns the connection's counters.
func (c *Conn) Stats() Stats {
	return Stats{
		RoundTrips:    c.roundTrips.Load(),
		Messages:      c.messages.Load(),
		BytesSent:     c.bytesSent.Load(),
		BytesReceived: c.bytesRecv.Load(),
		Discarded:     c.discarded.Load(),
	}
}

// Done is closed when the connection has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err is why the connection ended, or nil while it is up.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the connection. Outstanding calls fail with ErrClosed.
// Sessions are not logged off: use Session.Logoff first for a polite
// goodbye (the server cleans up either way when the transport drops).
func (c *Conn) Close() error {
	c.closeWith(ErrClosed)
	return nil
}

// closeWith ends the connection with err (the first reason wins).
func (c *Conn) closeWith(err error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	if !errors.Is(err, ErrClosed) {
		err = fmt.Errorf("%w: %w", ErrClosed, err)
	}
	c.err = err
	close(c.done)
	c.calls = make(map[uint64]*call)
	c.mu.Unlock()
	c.credits.close(err)
	c.nc.Close()
}

// supportsEncryption reports whether sessions can be encrypted.
func (c *Conn) supportsEncryption() bool { return c.dialect.Is3x() && c.cipher != 0 }
