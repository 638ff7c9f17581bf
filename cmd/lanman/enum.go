package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/lanman/lanman/netapi"
	"github.com/lanman/lanman/ntlm"
)

// enumVerb is a verb that asks servers for a table: session, conn, file,
// share, loggedon, srvinfo.
type enumVerb struct {
	name, summary string
	args          string // usage of the positional arguments
	levels        []uint32
	level         uint32 // default
	// query runs the call against one server. arg is the extra positional
	// argument (conn's QUALIFIER), q carries the filters and page size.
	query func(ctx context.Context, c netapi.Server, level uint32, q netapi.Query) (any, error)
	// needsQualifier says the verb's last positional argument is not a
	// server (conn SERVER QUALIFIER).
	needsQualifier bool
}

// connFlags are the flags every verb that dials a server takes.
type connFlags struct {
	user         string
	passwordFile string
	ntHash       bool
	timeout      time.Duration
	encrypt      bool
	port         int
}

func (f *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.user, "U", "", `user as [DOMAIN\]user[%password] (or LANMAN_USER)`)
	fs.StringVar(&f.passwordFile, "password-file", "", "read the password (or NT hash) from the first line of this file")
	fs.BoolVar(&f.ntHash, "nt-hash", false, "the secret is the user's NT hash in hex (pass-the-hash)")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "per-server time limit for connecting and answering")
	fs.BoolVar(&f.encrypt, "encrypt", false, "require SMB3 encryption even when the server does not ask")
	fs.IntVar(&f.port, "port", 445, "SMB port when the server name has none")
}

// options turns the flags into netapi options, reading the secret from
// wherever it is given.
func (f *connFlags) options(e *env) (*netapi.Options, error) {
	if runtime.GOOS == "windows" && f.user == "" && e.getenv("LANMAN_USER") == "" {
		// No user on Windows: netapi32 as the logged-on user (SSO).
		return &netapi.Options{Timeout: f.timeout}, nil
	}
	cr, err := credSources{userFlag: f.user, passwordFile: f.passwordFile, ntHash: f.ntHash, getenv: e.getenv, prompt: e.prompt}.resolve()
	if err != nil {
		return nil, err
	}
	o := &netapi.Options{
		Credentials:       netapi.Credentials{Domain: cr.Domain, User: cr.User},
		Port:              f.port,
		Timeout:           f.timeout,
		RequireEncryption: f.encrypt,
	}
	if cr.IsNTHash {
		h, err := ntlm.ParseNTHash(cr.Secret)
		if err != nil {
			return nil, errors.New("--nt-hash: the secret is not 32 hex digits")
		}
		o.Credentials.NTHash = h[:]
	} else {
		o.Credentials.Password = cr.Secret
	}
	return o, nil
}

func init() {
	for _, v := range []enumVerb{
		{
			name: "session", summary: "list the SMB sessions on servers (NetSessionEnum)",
			args: "SERVER...", levels: []uint32{0, 1, 2, 10, 502}, level: 10,
			query: func(ctx context.Context, c netapi.Server, level uint32, q netapi.Query) (any, error) {
				switch level {
				case 0:
					return netapi.Collect(netapi.Sessions[netapi.SessionInfo0](ctx, c, q))
				case 1:
					return netapi.Collect(netapi.Sessions[netapi.SessionInfo1](ctx, c, q))
				case 2:
					return netapi.Collect(netapi.Sessions[netapi.SessionInfo2](ctx, c, q))
				case 10:
					return netapi.Collect(netapi.Sessions[netapi.SessionInfo10](ctx, c, q))
				default:
					return netapi.Collect(netapi.Sessions[netapi.SessionInfo502](ctx, c, q))
				}
			},
		},
		{
			name: "conn", summary: "list the tree connects to a share or from a computer (NetConnectionEnum)",
			args: "SERVER... QUALIFIER", levels: []uint32{0, 1}, level: 1, needsQualifier: true,
			query: func(ctx context.Context, c netapi.Server, level uint32, q netapi.Query) (any, error) {
				if level == 0 {
					return netapi.Collect(netapi.Connections[netapi.ConnectionInfo0](ctx, c, q))
				}
				return netapi.Collect(netapi.Connections[netapi.ConnectionInfo1](ctx, c, q))
			},
		},
		{
			name: "file", summary: "list the open files on servers (NetFileEnum)",
			args: "SERVER...", levels: []uint32{2, 3}, level: 3,
			query: func(ctx context.Context, c netapi.Server, level uint32, q netapi.Query) (any, error) {
				if level == 2 {
					return netapi.Collect(netapi.Files[netapi.FileInfo2](ctx, c, q))
				}
				return netapi.Collect(netapi.Files[netapi.FileInfo3](ctx, c, q))
			},
		},
		{
			name: "share", summary: "list the shares of servers (NetShareEnum)",
			args: "SERVER...", levels: []uint32{0, 1, 2, 502}, level: 1,
			query: func(ctx context.Context, c netapi.Server, level uint32, q netapi.Query) (any, error) {
				switch level {
				case 0:
					return netapi.Collect(netapi.Shares[netapi.ShareInfo0](ctx, c, q))
				case 1:
					return netapi.Collect(netapi.Shares[netapi.ShareInfo1](ctx, c, q))
				case 2:
					return netapi.Collect(netapi.Shares[netapi.ShareInfo2](ctx, c, q))
				default:
					return netapi.Collect(netapi.Shares[netapi.ShareInfo502](ctx, c, q))
				}
			},
		},
		{
			name: "loggedon", summary: "list the users logged on to servers (NetWkstaUserEnum)",
			args: "SERVER...", levels: []uint32{0, 1}, level: 1,
			query: func(ctx context.Context, c netapi.Server, level uint32, q netapi.Query) (any, error) {
				if level == 0 {
					return netapi.Collect(netapi.LoggedOn[netapi.WkstaUserInfo0](ctx, c, q))
				}
				return netapi.Collect(netapi.LoggedOn[netapi.WkstaUserInfo1](ctx, c, q))
			},
		},
		{
			name: "srvinfo", summary: "show servers' name, type and version (NetServerGetInfo)",
			args: "SERVER...", levels: []uint32{100, 101, 102}, level: 101,
			query: func(ctx context.Context, c netapi.Server, level uint32, q netapi.Query) (any, error) {
				info, err := c.NetServerGetInfo(ctx, level)
				if err != nil {
					return nil, err
				}
				switch i := info.(type) {
				case *netapi.ServerInfo100:
					return []netapi.ServerInfo100{*i}, nil
				case *netapi.ServerInfo101:
					return []netapi.ServerInfo101{*i}, nil
				case *netapi.ServerInfo102:
					return []netapi.ServerInfo102{*i}, nil
				}
				return nil, fmt.Errorf("server answered no level %d information", level)
			},
		},
	} {
		register(verb{name: v.name, summary: v.summary, run: v.run})
	}
}

func (v enumVerb) run(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("lanman "+v.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var cf connFlags
	cf.register(fs)
	var fl fleetFlags
	fl.register(fs)
	levels := make([]string, len(v.levels))
	for i, l := range v.levels {
		levels[i] = fmt.Sprint(l)
	}
	level := fs.Uint("level", uint(v.level), "information level: "+strings.Join(levels, ", "))
	maxLen := fs.Uint("max-len", 0, "PreferedMaximumLength per reply, in bytes (paging still returns every entry); 0 = no limit")
	var q netapi.Query
	var del bool
	var closeID int64 = -1
	if v.name == "session" {
		fs.StringVar(&q.ClientName, "client", "", `only sessions from this client (\\NAME)`)
		fs.StringVar(&q.UserName, "username", "", "only sessions of this user")
		fs.BoolVar(&del, "delete", false, "end the sessions --client and/or --username select (NetSessionDel)")
	}
	if v.name == "file" {
		fs.StringVar(&q.BasePath, "path", "", "only files under this path")
		fs.StringVar(&q.UserName, "username", "", "only files opened by this user")
		fs.Int64Var(&closeID, "close", -1, "close the open with this id (NetFileClose)")
	}
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: lanman %s %s [flags]\n\n%s.\n\n", v.name, v.args, v.summary)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError("%v", err)
	}
	if v.needsQualifier {
		if len(pos) == 0 {
			return usageError("missing QUALIFIER (a share name or \\\\computer)")
		}
		q.Qualifier = pos[len(pos)-1]
		pos = pos[:len(pos)-1]
	}
	ok := false
	for _, l := range v.levels {
		ok = ok || uint32(*level) == l
	}
	if !ok {
		return usageError("--level %d: %s takes %s", *level, v.name, strings.Join(levels, ", "))
	}
	if *maxLen > 0xFFFFFFFF {
		return usageError("--max-len %d is over 4294967295", *maxLen)
	}
	q.MaxLen = uint32(*maxLen)
	if q.ClientName != "" && !strings.HasPrefix(q.ClientName, `\\`) {
		q.ClientName = `\\` + q.ClientName
	}
	targets, err := fl.targets(pos)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return usageError("no server given")
	}
	out, err := fl.format()
	if err != nil {
		return err
	}
	opts, err := cf.options(e)
	if err != nil {
		return err
	}
	if del || closeID >= 0 {
		return v.act(ctx, e, targets, opts, cf.timeout, q, del, closeID)
	}
	query := func(ctx context.Context, server string) (any, error) {
		ctx, cancel := context.WithTimeout(ctx, cf.timeout)
		defer cancel()
		c, err := netapi.Connect(ctx, server, opts)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		return v.query(ctx, c, uint32(*level), q)
	}
	if len(targets) == 1 && !fl.fleet() {
		rows, err := query(ctx, targets[0])
		if err != nil {
			return err
		}
		return writeRows(e.stdout, out, rows)
	}
	return runFleet(ctx, e, fl, out, targets, query)
}

// act runs a verb's action instead of its listing: session --delete
// (NetSessionDel) or file --close ID (NetFileClose), on one server.
func (v enumVerb) act(ctx context.Context, e *env, targets []string, opts *netapi.Options, timeout time.Duration, q netapi.Query, del bool, closeID int64) error {
	if len(targets) != 1 {
		return usageError("--delete and --close act on one server, not %d", len(targets))
	}
	if del && q.ClientName == "" && q.UserName == "" {
		return usageError("--delete needs --client or --username: it would end every session")
	}
	if closeID > 0xFFFFFFFF {
		return usageError("--close %d: not a file id", closeID)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := netapi.Connect(ctx, targets[0], opts)
	if err != nil {
		return err
	}
	defer c.Close()
	if del {
		if err := c.NetSessionDel(ctx, q.ClientName, q.UserName); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "The session was deleted.")
		return nil
	}
	if err := c.NetFileClose(ctx, uint32(closeID)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "File %d was closed.\n", closeID)
	return nil
}
