package netapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/smb2"
	"github.com/lanman/lanman/spnego"
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/wkst"
)

// Credentials say who to authenticate as. Exactly one of Password and
// NTHash is used; NTHash (16 bytes) authenticates without the password
// (pass-the-hash). The password is turned into its hash when a
// connection is made and not kept by the connection.
type Credentials struct {
	Domain   string
	User     string
	Password string
	NTHash   []byte
}

// String never shows the secret, so Credentials can be logged.
func (c Credentials) String() string {
	if c.Domain != "" {
		return c.Domain + `\` + c.User
	}
	return c.User
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return "netapi.Credentials{" + c.String() + "}" }

// Options configure a Client.
type Options struct {
	Credentials Credentials
	// Port is the SMB port; 0 means 445, or the port in the server name
	// when it has one (host:port, [v6]:port).
	Port int
	// Timeout bounds Dial when the context has no deadline; 0 means 10s.
	Timeout time.Duration
	// RequireEncryption encrypts the session even when the server does
	// not ask (SMB 3.x); a server that cannot encrypt is an error.
	RequireEncryption bool
	// Workstation is the client name the server records for the session;
	// empty means this host's name.
	Workstation string
	// SMB tunes the SMB2 connection (dialects, ciphers); nil is the secure
	// default: 2.0.2 to 3.1.1 offered, 3.1.1 preferred, signing required.
	SMB *smb2.Options
	// Dialer, when set, makes the TCP connection (for proxies or tests).
	Dialer func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Client is an authenticated connection to one server's Server and
// Workstation services. Dial it once and reuse it: every call after the
// first is one SMB round trip. It is safe for concurrent use; calls on
// one RPC pipe are serialized, as a pipe is one stream.
type Client struct {
	server string // as given, without backslashes and port
	conn   *smb2.Conn
	sess   *smb2.Session

	mu    sync.Mutex
	pipes map[string]*rpcPipe
}

// rpcPipe is one bound DCE/RPC interface on a named pipe.
type rpcPipe struct {
	once sync.Once
	rpc  *dcerpc.Client
	pipe *smb2.Pipe
	err  error
}

// SplitServer turns a server name as the Win32 API and the CLI take it
// (`\\host`, `host`, `host:port`, `[v6]:port`, a bare IPv6 address) into
// the host and the TCP address to dial.
func SplitServer(server string, defaultPort int) (host, addr string, err error) {
	s := strings.TrimPrefix(strings.TrimPrefix(server, `\\`), "//")
	s = strings.TrimRight(s, `\/`)
	bad := func(why string) error {
		return fmt.Errorf("netapi: server name %q: %s: %w", server, why, ERROR_INVALID_NAME)
	}
	switch {
	case s == "":
		return "", "", bad("empty")
	case strings.ContainsAny(s, `\/ `):
		return "", "", bad("not a host name")
	}
	// A bare IPv6 address has colons but no port.
	if a, err := netip.ParseAddr(s); err == nil {
		return a.String(), net.JoinHostPort(a.String(), strconv.Itoa(defaultPort)), nil
	}
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		if strings.ContainsAny(s, "[]:") {
			return "", "", bad(err.Error())
		}
		return s, net.JoinHostPort(s, strconv.Itoa(defaultPort)), nil
	}
	if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
		return "", "", bad("bad port")
	}
	if h == "" {
		return "", "", bad("no host")
	}
	return h, net.JoinHostPort(h, p), nil
}

// Dial connects and authenticates to server: negotiate, NTLMv2 session
// setup. The RPC pipes are opened on first use.
func Dial(ctx context.Context, server string, opts *Options) (*Client, error) {
	if opts == nil {
		opts = &Options{}
	}
	port := opts.Port
	if port == 0 {
		port = 445
	}
	host, addr, err := SplitServer(server, port)
	if err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		timeout := opts.Timeout
		if timeout == 0 {
			timeout = 10 * time.Second
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	smbOpts := smb2.Options{}
	if opts.SMB != nil {
		smbOpts = *opts.SMB
	}
	smbOpts.RequireEncryption = smbOpts.RequireEncryption || opts.RequireEncryption
	if smbOpts.ServerName == "" {
		smbOpts.ServerName = host
	}

	var conn *smb2.Conn
	if opts.Dialer != nil {
		nc, err := opts.Dialer(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("netapi: connect %s: %w", addr, err)
		}
		conn, err = smb2.NewConn(ctx, nc, &smbOpts)
		if err != nil {
			nc.Close()
			return nil, fmt.Errorf("netapi: %s: %w", addr, err)
		}
	} else {
		conn, err = smb2.Dial(ctx, addr, &smbOpts)
		if err != nil {
			return nil, fmt.Errorf("netapi: %s: %w", addr, dialError(ctx, err))
		}
	}

	ws := opts.Workstation
	if ws == "" {
		ws = localName()
	}
	cfg := ntlm.ClientConfig{
		User:        opts.Credentials.User,
		Domain:      opts.Credentials.Domain,
		Password:    opts.Credentials.Password,
		NTHash:      opts.Credentials.NTHash,
		Workstation: ws,
		TargetSPN:   "cifs/" + host,
	}
	mech, err := ntlm.NewClient(cfg)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("netapi: %w", err)
	}
	sess, err := conn.SessionSetup(ctx, spnego.NewInitiator(mech))
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("netapi: %s as %s: %w", addr, opts.Credentials, dialError(ctx, err))
	}
	return &Client{server: host, conn: conn, sess: sess, pipes: map[string]*rpcPipe{}}, nil
}

// dialError makes a context expiry say so: "i/o timeout" from deep in the
// stack is less clear than the deadline that caused it.
func dialError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return err
}

func localName() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "LANMAN"
	}
	h, _, _ = strings.Cut(h, ".")
	if len(h) > 15 {
		h = h[:15]
	}
	return strings.ToUpper(h)
}

// Close logs off and closes the connection.
func (c *Client) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c.mu.Lock()
	pipes := c.pipes
	c.pipes = map[string]*rpcPipe{}
	c.mu.Unlock()
	for _, p := range pipes {
		if p.pipe != nil {
			p.pipe.Close(ctx)
		}
	}
	c.sess.Logoff(ctx)
	return c.conn.Close()
}

// Server is the server name the Client was dialled with.
func (c *Client) Server() string { return c.server }

// Stats are the SMB connection's counters (round trips, messages, bytes).
func (c *Client) Stats() smb2.Stats { return c.conn.Stats() }

// Session is the underlying SMB2 session, for callers that want to open
// files or other pipes on the same authenticated connection.
func (c *Client) Session() *smb2.Session { return c.sess }

// lazyPipe lets a dcerpc.Client be made before its pipe is open: the bind
// PDU is built first so that it can ride in the same SMB2 compound as the
// tree connect and the create.
type lazyPipe struct{ p *smb2.Pipe }

func (l *lazyPipe) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	return l.p.Transceive(ctx, b)
}
func (l *lazyPipe) Write(ctx context.Context, b []byte) error { return l.p.Write(ctx, b) }
func (l *lazyPipe) Read(ctx context.Context, p []byte) (int, error) {
	return l.p.Read(ctx, p)
}

// rpc returns the bound client for a pipe, opening it on first use with
// TREE_CONNECT(IPC$) + CREATE + IOCTL(bind) as one compound: one round
// trip (MS-SMB2 3.2.4.1.4). Samba accepts that chain; it fails a pipe
// IOCTL that is not last in a chain, so the first request is not chained.
func (c *Client) rpc(ctx context.Context, name string, uuid [16]byte, major, minor uint16) (*dcerpc.Client, error) {
	c.mu.Lock()
	p, ok := c.pipes[name]
	if !ok {
		p = &rpcPipe{}
		c.pipes[name] = p
	}
	c.mu.Unlock()
	p.once.Do(func() {
		lp := &lazyPipe{}
		rc := dcerpc.NewClient(lp, nil)
		bind, err := rc.BindPDU(dcerpc.SyntaxID{UUID: dcerpc.UUID(uuid), Version: major, Minor: minor})
		if err != nil {
			p.err = err
			return
		}
		pipe, replies, err := c.sess.OpenPipe(ctx, name, bind)
		if err != nil {
			p.err = fmt.Errorf("netapi: open \\PIPE\\%s: %w", name, err)
			return
		}
		lp.p = pipe
		if len(replies) != 1 {
			pipe.Close(ctx)
			p.err = fmt.Errorf("netapi: open \\PIPE\\%s: %d bind replies", name, len(replies))
			return
		}
		if _, _, err := rc.HandleBindReply(replies[0]); err != nil {
			pipe.Close(ctx)
			p.err = fmt.Errorf("netapi: bind %s: %w", name, err)
			return
		}
		p.rpc, p.pipe = rc, pipe
	})
	if p.err != nil {
		// A failed open is not cached: the next call tries again.
		c.mu.Lock()
		if c.pipes[name] == p {
			delete(c.pipes, name)
		}
		c.mu.Unlock()
		return nil, p.err
	}
	return p.rpc, nil
}

// srvs is the MS-SRVS client over \PIPE\srvsvc.
func (c *Client) srvs(ctx context.Context) (*srvs.Client, error) {
	rc, err := c.rpc(ctx, srvs.PipeName, srvs.InterfaceUUID, srvs.InterfaceVersionMajor, srvs.InterfaceVersionMinor)
	if err != nil {
		return nil, err
	}
	return srvs.NewClient(rc), nil
}

// wkst is the MS-WKST client over \PIPE\wkssvc.
func (c *Client) wkst(ctx context.Context) (*wkst.Client, error) {
	rc, err := c.rpc(ctx, wkst.PipeName, wkst.InterfaceUUID, wkst.InterfaceVersionMajor, wkst.InterfaceVersionMinor)
	if err != nil {
		return nil, err
	}
	return wkst.NewClient(rc), nil
}

// uncServer is the server name the RPC calls carry.
func (c *Client) uncServer() string { return `\\` + c.server }
