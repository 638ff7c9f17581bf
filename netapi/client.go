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
	// ChainFirstCall sends the first request on each RPC pipe in the same
	// SMB2 compound as the pipe's tree connect, create and bind, so that
	// a cold call costs one round trip after session setup instead of
	// two. lanman's server takes such a chain; Samba refuses a pipe IOCTL
	// that is not last in a chain, which costs one extra round trip the
	// first time (the connection then stops trying), so it is off by
	// default.
	ChainFirstCall bool
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

	chain bool // Options.ChainFirstCall

	mu    sync.Mutex
	pipes map[string]*rpcPipe
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
	return &Client{server: host, conn: conn, sess: sess, chain: opts.ChainFirstCall, pipes: map[string]*rpcPipe{}}, nil
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

// Close ends the connection. The server ends the session with it, and
// with the session its tree connects and opens (MS-SMB2 3.3.7.1), so no
// round trip is spent on CLOSE or LOGOFF: a one-shot enumeration costs
// only the round trips of its answer.
func (c *Client) Close() error {
	c.mu.Lock()
	c.pipes = map[string]*rpcPipe{}
	c.mu.Unlock()
	return c.conn.Close()
}

// Server is the server name the Client was dialled with.
func (c *Client) Server() string { return c.server }

// Stats are the SMB connection's counters (round trips, messages, bytes).
func (c *Client) Stats() smb2.Stats { return c.conn.Stats() }

// Session is the underlying SMB2 session, for callers that want to open
// files or other pipes on the same authenticated connection.
func (c *Client) Session() *smb2.Session { return c.sess }

// srvs is the MS-SRVS client over \PIPE\srvsvc.
func (c *Client) srvs() *srvs.Client {
	return srvs.NewClient(c.pipe(srvs.PipeName, srvs.InterfaceUUID, srvs.InterfaceVersionMajor, srvs.InterfaceVersionMinor))
}

// wkst is the MS-WKST client over \PIPE\wkssvc.
func (c *Client) wkst() *wkst.Client {
	return wkst.NewClient(c.pipe(wkst.PipeName, wkst.InterfaceUUID, wkst.InterfaceVersionMajor, wkst.InterfaceVersionMinor))
}

func (c *Client) pipe(name string, uuid [16]byte, major, minor uint16) *rpcPipe {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pipes[name]
	if !ok {
		p = &rpcPipe{c: c, name: name, iface: dcerpc.SyntaxID{UUID: dcerpc.UUID(uuid), Version: major, Minor: minor}}
		c.pipes[name] = p
	}
	return p
}

// uncServer is the server name the RPC calls carry.
func (c *Client) uncServer() string { return `\\` + c.server }
