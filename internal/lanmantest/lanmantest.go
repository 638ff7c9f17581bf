// Package lanmantest runs lanman's own SMB2 server in-process for tests,
// the counterpart of sambatest: a real peer on a loopback port, stopped
// when the test ends.
package lanmantest

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/lanman/lanman/server"
)

// Serve starts a server with cfg on 127.0.0.1 and an unused port, and
// returns it with its address. The server shuts down gracefully when the
// test ends.
func Serve(t testing.TB, cfg server.Config) (*server.Server, string) {
	t.Helper()
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx, l); close(done) }()
	t.Cleanup(func() {
		sctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		srv.Shutdown(sctx)
		cancel()
		<-done
	})
	return srv, l.Addr().String()
}
