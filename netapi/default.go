package netapi

import (
	"context"
	"os"
	"strings"
	"sync"
)

// DefaultOptions configure the package-level functions' connections. When
// nil, the credentials come from the environment: LANMAN_USER (which may
// be DOMAIN\user), LANMAN_PASSWORD and LANMAN_DOMAIN. On Windows, with no
// credentials set either way, the package-level functions call
// netapi32.dll itself, as the logged-on user.
var DefaultOptions *Options

// Server is a server's Server and Workstation services as the calls see
// them: a dialled *Client, or on Windows netapi32 itself (see Connect).
// The iterators (Sessions, Shares, …) take any Server.
type Server interface {
	NetSessionEnum(ctx context.Context, uncClientName, userName string, level, prefMaxLen uint32, resumeHandle *uint32) (any, uint32, uint32, error)
	NetSessionDel(ctx context.Context, uncClientName, userName string) error
	NetConnectionEnum(ctx context.Context, qualifier string, level, prefMaxLen uint32, resumeHandle *uint32) (any, uint32, uint32, error)
	NetFileEnum(ctx context.Context, basePath, userName string, level, prefMaxLen uint32, resumeHandle *uint32) (any, uint32, uint32, error)
	NetFileClose(ctx context.Context, fileID uint32) error
	NetShareEnum(ctx context.Context, level, prefMaxLen uint32, resumeHandle *uint32) (any, uint32, uint32, error)
	NetServerGetInfo(ctx context.Context, level uint32) (any, error)
	NetWkstaUserEnum(ctx context.Context, level, prefMaxLen uint32, resumeHandle *uint32) (any, uint32, uint32, error)
	// Close releases the connection, if there is one.
	Close() error
}

// nativeServer, set on Windows, returns the netapi32 backend for a server
// name ("" is the local computer).
var nativeServer func(name string) Server

var pool struct {
	sync.Mutex
	clients map[string]*Client
}

func defaultOptions() *Options {
	if DefaultOptions != nil {
		return DefaultOptions
	}
	o := &Options{}
	u := os.Getenv("LANMAN_USER")
	if d, name, ok := strings.Cut(u, `\`); ok {
		o.Credentials.Domain, u = d, name
	}
	o.Credentials.User = u
	o.Credentials.Password = os.Getenv("LANMAN_PASSWORD")
	if o.Credentials.Domain == "" {
		o.Credentials.Domain = os.Getenv("LANMAN_DOMAIN")
	}
	return o
}

// serverFor picks the backend for a server name: netapi32 on Windows when
// no credentials are given, else a pooled Client, dialled on first use and
// reused, as Windows reuses one SMB connection per server.
func serverFor(ctx context.Context, name string) (Server, error) {
	opts := defaultOptions()
	if nativeServer != nil && opts.Credentials.User == "" {
		return nativeServer(name), nil
	}
	if name == "" {
		// There is no local Server service to call outside Windows but
		// lanman's own; it listens on loopback.
		name = "127.0.0.1"
	}
	key := strings.ToLower(strings.TrimPrefix(name, `\\`))
	pool.Lock()
	c := pool.clients[key]
	pool.Unlock()
	if c != nil && c.conn.Err() == nil {
		return c, nil
	}
	c, err := Dial(ctx, name, opts)
	if err != nil {
		return nil, err
	}
	pool.Lock()
	defer pool.Unlock()
	if pool.clients == nil {
		pool.clients = map[string]*Client{}
	}
	if old := pool.clients[key]; old != nil && old.conn.Err() == nil {
		// Another caller won the race; keep one connection.
		c.Close()
		return old, nil
	}
	pool.clients[key] = c
	return c, nil
}

// Connect returns the Server for name: on Windows, when opts carries no
// user, netapi32 itself (single sign-on as the logged-on user, and "" is
// the local computer); otherwise a Client dialled with opts.
func Connect(ctx context.Context, name string, opts *Options) (Server, error) {
	if nativeServer != nil && (opts == nil || opts.Credentials.User == "") {
		return nativeServer(name), nil
	}
	return Dial(ctx, name, opts)
}

// CloseConnections closes the connections the package-level functions
// keep open.
func CloseConnections() {
	pool.Lock()
	clients := pool.clients
	pool.clients = nil
	pool.Unlock()
	for _, c := range clients {
		c.Close()
	}
}

// NetSessionEnum is netapi32's NetSessionEnum: the sessions on servername
// (`\\name` or `name`), from uncClientName and of username when not empty,
// at level 0, 1, 2, 10 or 502. See Client.NetSessionEnum.
func NetSessionEnum(ctx context.Context, servername, uncClientName, username string, level, prefmaxlen uint32, resumeHandle *uint32) (bufptr any, entriesread, totalentries uint32, err error) {
	s, err := serverFor(ctx, servername)
	if err != nil {
		return nil, 0, 0, err
	}
	return s.NetSessionEnum(ctx, uncClientName, username, level, prefmaxlen, resumeHandle)
}

// NetSessionDel is netapi32's NetSessionDel.
func NetSessionDel(ctx context.Context, servername, uncClientName, username string) error {
	s, err := serverFor(ctx, servername)
	if err != nil {
		return err
	}
	return s.NetSessionDel(ctx, uncClientName, username)
}

// NetConnectionEnum is netapi32's NetConnectionEnum.
func NetConnectionEnum(ctx context.Context, servername, qualifier string, level, prefmaxlen uint32, resumeHandle *uint32) (bufptr any, entriesread, totalentries uint32, err error) {
	s, err := serverFor(ctx, servername)
	if err != nil {
		return nil, 0, 0, err
	}
	return s.NetConnectionEnum(ctx, qualifier, level, prefmaxlen, resumeHandle)
}

// NetFileEnum is netapi32's NetFileEnum.
func NetFileEnum(ctx context.Context, servername, basepath, username string, level, prefmaxlen uint32, resumeHandle *uint32) (bufptr any, entriesread, totalentries uint32, err error) {
	s, err := serverFor(ctx, servername)
	if err != nil {
		return nil, 0, 0, err
	}
	return s.NetFileEnum(ctx, basepath, username, level, prefmaxlen, resumeHandle)
}

// NetFileClose is netapi32's NetFileClose.
func NetFileClose(ctx context.Context, servername string, fileid uint32) error {
	s, err := serverFor(ctx, servername)
	if err != nil {
		return err
	}
	return s.NetFileClose(ctx, fileid)
}

// NetShareEnum is netapi32's NetShareEnum.
func NetShareEnum(ctx context.Context, servername string, level, prefmaxlen uint32, resumeHandle *uint32) (bufptr any, entriesread, totalentries uint32, err error) {
	s, err := serverFor(ctx, servername)
	if err != nil {
		return nil, 0, 0, err
	}
	return s.NetShareEnum(ctx, level, prefmaxlen, resumeHandle)
}

// NetServerGetInfo is netapi32's NetServerGetInfo.
func NetServerGetInfo(ctx context.Context, servername string, level uint32) (bufptr any, err error) {
	s, err := serverFor(ctx, servername)
	if err != nil {
		return nil, err
	}
	return s.NetServerGetInfo(ctx, level)
}

// NetWkstaUserEnum is netapi32's NetWkstaUserEnum.
func NetWkstaUserEnum(ctx context.Context, servername string, level, prefmaxlen uint32, resumeHandle *uint32) (bufptr any, entriesread, totalentries uint32, err error) {
	s, err := serverFor(ctx, servername)
	if err != nil {
		return nil, 0, 0, err
	}
	return s.NetWkstaUserEnum(ctx, level, prefmaxlen, resumeHandle)
}
