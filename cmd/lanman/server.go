package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/lanman/lanman/server"
)

func init() {
	register(verb{name: "server", summary: "run lanman's SMB2/3 server with its Server and Workstation services", run: runServer})
}

// shareFlags collects repeated --share NAME=PATH[,ro] flags.
type shareFlags []server.Share

func (s *shareFlags) String() string { return fmt.Sprint(len(*s), " shares") }

func (s *shareFlags) Set(v string) error {
	name, rest, ok := strings.Cut(v, "=")
	if !ok || name == "" || rest == "" {
		return fmt.Errorf("%q: want NAME=PATH[,ro]", v)
	}
	sh := server.Share{Name: name, Path: rest}
	if p, opts, ok := strings.Cut(rest, ","); ok {
		sh.Path = p
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "ro":
				sh.ReadOnly = true
			case "rw":
			case "encrypt":
				sh.EncryptData = true
			default:
				return fmt.Errorf("%q: unknown share option %q (ro, rw, encrypt)", v, o)
			}
		}
	}
	*s = append(*s, sh)
	return nil
}

func runServer(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("lanman server", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	defaultListen := "127.0.0.1:0"
	if os.Geteuid() == 0 {
		defaultListen = "127.0.0.1:445"
	}
	listen := fs.String("listen", defaultListen, "address to listen on (default 127.0.0.1:445 as root, else a free high port, printed)")
	var shares shareFlags
	fs.Var(&shares, "share", "a disk share NAME=PATH[,ro][,encrypt] (repeatable)")
	usersFile := fs.String("users", "", "users file: name:password or name:nthash:HEX, optional :admin (must not be world-readable)")
	anonymous := fs.Bool("allow-anonymous", false, "accept null sessions (IPC$ only); off by default")
	name := fs.String("name", "", "NetBIOS name the server reports (default: host name)")
	domain := fs.String("domain", "WORKGROUP", "NTLM target domain")
	comment := fs.String("comment", "lanman server", "server comment")
	encrypt := fs.Bool("encrypt", false, "require SMB3 encryption on every session")
	var lim server.Limits
	fs.IntVar(&lim.MaxSessions, "max-sessions", 0, "authenticated sessions at most (0: 256)")
	fs.IntVar(&lim.MaxConns, "max-conns", 0, "TCP connections at most (0: 512)")
	fs.IntVar(&lim.MaxConnsPerClient, "max-conns-per-client", 0, "TCP connections from one address at most (0: 32)")
	fs.DurationVar(&lim.IdleTimeout, "idle-timeout", 0, "disconnect idle connections after this (0: 15m)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	logJSON := fs.Bool("log-json", false, "structured logs as JSON (default: text)")
	if _, err := parseInterspersed(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError("%v", err)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError("--log-level %q: %v", *logLevel, err)
	}
	hopts := &slog.HandlerOptions{Level: lvl}
	var logger *slog.Logger
	if *logJSON {
		logger = slog.New(slog.NewJSONHandler(e.stderr, hopts))
	} else {
		logger = slog.New(slog.NewTextHandler(e.stderr, hopts))
	}

	cfg := server.Config{
		Shares: shares, AllowAnonymous: *anonymous, ServerName: *name, Domain: *domain,
		Comment: *comment, RequireEncryption: *encrypt, Limits: lim, Logger: logger,
	}
	if *usersFile != "" {
		u, err := server.LoadUsers(*usersFile)
		if err != nil {
			return err
		}
		cfg.Users = u
	} else if !*anonymous {
		return usageError("--users FILE is required (or --allow-anonymous)")
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "lanman server listening on %s\n", l.Addr())
	errc := make(chan error, 1)
	// Serve under a context the interrupt does not cancel: the interrupt
	// starts a graceful Shutdown instead of cutting connections.
	go func() { errc <- srv.Serve(context.WithoutCancel(ctx), l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful: stop accepting, let sessions end cleanly, then force.
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, server.ErrServerClosed) {
		return err
	}
	return nil
}
