package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lanman/lanman/netapi"
	"github.com/lanman/lanman/server"
	"github.com/lanman/lanman/smb2"
)

func init() {
	register(verb{name: "demo", summary: "run the embedded server with demo clients and show session, conn and file", run: runDemo})
}

// runDemo is lanman's main job on a machine with nothing else installed:
// it starts the embedded server on loopback, connects a few clients that
// hold files open, and asks the server who is connected, as an admin
// would with NetSessionEnum, NetConnectionEnum and NetFileEnum.
func runDemo(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("lanman demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	keep := fs.Bool("serve", false, "keep serving after the demo (until interrupted), to try other commands")
	if _, err := parseInterspersed(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError("%v", err)
	}

	dir, err := os.MkdirTemp("", "lanman-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for name, content := range map[string]string{
		"report.txt":  "quarterly numbers\n",
		"budget.xlsx": "not really a spreadsheet\n",
		"notes.md":    "# notes\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}

	// Fresh random passwords: the demo has no secrets to leak.
	pw := map[string]string{"admin": randomSecret(), "alice": randomSecret(), "bob": randomSecret()}
	users, err := server.NewUsers(
		server.User{Name: "admin", NTHash: server.NTHash(pw["admin"]), Admin: true},
		server.User{Name: "alice", NTHash: server.NTHash(pw["alice"])},
		server.User{Name: "bob", NTHash: server.NTHash(pw["bob"])},
	)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{
		ServerName: "LANMAN-DEMO", Domain: "DEMO", Comment: "lanman demo server",
		Shares: []server.Share{{Name: "data", Path: dir, Comment: "demo files"}},
		Users:  users,
	})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go srv.Serve(ctx, l)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	addr := l.Addr().String()
	fmt.Fprintf(e.stdout, "lanman demo: server listening on %s with share \\\\%s\\data (%s)\n", addr, addr, dir)

	// Clients: alice holds one file open, bob two, over their own sessions.
	for user, files := range map[string][]string{"alice": {"report.txt"}, "bob": {"budget.xlsx", "notes.md"}} {
		c, err := netapi.Dial(ctx, addr, &netapi.Options{
			Credentials: netapi.Credentials{Domain: "DEMO", User: user, Password: pw[user]},
			Workstation: "WKS-" + user,
		})
		if err != nil {
			return fmt.Errorf("demo client %s: %w", user, err)
		}
		defer c.Close()
		tree, err := c.Session().TreeConnect(ctx, "data")
		if err != nil {
			return fmt.Errorf("demo client %s: %w", user, err)
		}
		for _, name := range files {
			f, err := tree.OpenFile(ctx, name, smb2.FileOpen)
			if err != nil {
				return fmt.Errorf("demo client %s: open %s: %w", user, name, err)
			}
			defer f.Close(context.Background())
		}
		fmt.Fprintf(e.stdout, "lanman demo: %s connected from WKS-%s with %d file(s) open\n", user, user, len(files))
	}

	// The admin's view, through the same verbs a user types.
	adminEnv := &env{stdout: e.stdout, stderr: e.stderr, getenv: func(k string) string {
		if k == "LANMAN_PASSWORD" {
			return pw["admin"]
		}
		return ""
	}}
	for _, cmd := range [][]string{
		{"session", addr, "-U", `DEMO\admin`, "--level", "502"},
		{"conn", addr, "data", "-U", `DEMO\admin`},
		{"file", addr, "-U", `DEMO\admin`},
		{"share", addr, "-U", `DEMO\admin`, "--level", "2"},
	} {
		fmt.Fprintf(e.stdout, "\n$ lanman %s\n", joinArgs(cmd))
		if code := runMain(ctx, adminEnv, cmd); code != 0 {
			return fmt.Errorf("lanman %s failed (exit %d)", cmd[0], code)
		}
	}
	if *keep {
		fmt.Fprintf(e.stdout, "\nServing until interrupted. Try, in another shell:\n  LANMAN_PASSWORD=%s lanman session %s -U admin --level 502\n", pw["admin"], addr)
		<-ctx.Done()
	}
	return nil
}

// joinArgs shows a command line as a shell user would type it.
func joinArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, ` \'"`) {
			a = "'" + a + "'"
		}
		quoted[i] = a
	}
	return strings.Join(quoted, " ")
}

func randomSecret() string {
	var b [12]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}
