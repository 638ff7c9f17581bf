// Command holdsessions opens N authenticated SMB sessions against one
// server and holds them until its standard input closes, so that a
// benchmark can enumerate a server with a known number of sessions.
//
// Sessions are spread over a few TCP connections (-conns): SMB2 allows
// many sessions on one connection (MS-SMB2 3.3.5.5), which keeps Samba
// from forking one smbd per session and keeps lanman's server under its
// per-client connection limit. Each session gets its own workstation
// name, so the server's session list shows N distinct clients.
//
// The password comes from the environment variable LANMAN_PASSWORD, never
// from the command line. When all sessions are up the program prints
// "ready N" on standard output.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/smb2"
	"github.com/lanman/lanman/spnego"
)

func main() {
	addr := flag.String("addr", "", "server host:port")
	n := flag.Int("n", 10, "sessions to open")
	conns := flag.Int("conns", 8, "TCP connections to spread the sessions over")
	user := flag.String("user", "", "user name")
	domain := flag.String("domain", "", "user's domain")
	timeout := flag.Duration("timeout", 5*time.Minute, "time limit for opening all sessions")
	flag.Parse()
	if err := run(*addr, *n, *conns, *user, *domain, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "holdsessions:", err)
		os.Exit(1)
	}
}

func run(addr string, n, conns int, user, domain string, timeout time.Duration) error {
	if addr == "" || user == "" || n < 1 || conns < 1 {
		return errors.New("need -addr, -user, -n >= 1 and -conns >= 1")
	}
	password, ok := os.LookupEnv("LANMAN_PASSWORD")
	if !ok {
		return errors.New("LANMAN_PASSWORD is not set")
	}
	conns = min(conns, n)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	var (
		mu       sync.Mutex
		firstErr error
		opened   []*smb2.Conn
		wg       sync.WaitGroup
	)
	for c := range conns {
		// Connection c holds sessions c, c+conns, c+2*conns, ...
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := smb2.Dial(ctx, addr, nil)
			if err == nil {
				mu.Lock()
				opened = append(opened, conn)
				mu.Unlock()
				for i := c; i < n && err == nil; i += conns {
					var mech *ntlm.Client
					mech, err = ntlm.NewClient(ntlm.ClientConfig{
						User: user, Domain: domain, Password: password,
						Workstation: fmt.Sprintf("BENCH%04d", i),
					})
					if err == nil {
						_, err = conn.SessionSetup(ctx, spnego.NewInitiator(mech))
					}
					if err != nil {
						err = fmt.Errorf("session %d: %w", i, err)
					}
				}
			}
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	defer func() {
		for _, c := range opened {
			c.Close()
		}
	}()
	if firstErr != nil {
		return fmt.Errorf("%s: %w", addr, firstErr)
	}
	fmt.Printf("ready %d\n", n)
	// Hold the sessions until the parent closes our standard input (or
	// exits), or a connection drops.
	stdinClosed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, bufio.NewReader(os.Stdin))
		close(stdinClosed)
	}()
	for _, c := range opened {
		go func() {
			<-c.Done()
			select {
			case <-stdinClosed:
			default:
				fmt.Fprintf(os.Stderr, "holdsessions: a connection to %s dropped: %v\n", addr, c.Err())
			}
		}()
	}
	<-stdinClosed
	return nil
}
