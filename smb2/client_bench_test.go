package smb2

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/lanman/lanman/internal/sambatest"
)

// BenchmarkClientColdConnect measures connect + negotiate + session
// setup + tree connect against smbd, reporting round trips per connect.
func BenchmarkClientColdConnect(b *testing.B) {
	s := sambatest.Start(b, sambatest.Options{})
	ctx := context.Background()
	var trips uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := Dial(ctx, s.Addr, nil)
		if err != nil {
			b.Fatal(err)
		}
		sess, err := c.SessionSetup(ctx, newInitiator(b, s.User))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sess.TreeConnect(ctx, "data"); err != nil {
			b.Fatal(err)
		}
		trips += c.Stats().RoundTrips
		c.Close()
	}
	b.ReportMetric(float64(trips)/float64(b.N), "roundtrips/op")
}

// BenchmarkClientOpenPipeBind measures OpenPipe with a bind on a fresh
// session (TREE_CONNECT(IPC$) + CREATE + IOCTL in one compound).
func BenchmarkClientOpenPipeBind(b *testing.B) {
	s := sambatest.Start(b, sambatest.Options{})
	ctx := context.Background()
	// smbd's first pipe open takes seconds (it starts its RPC
	// services); do it before timing.
	if p, _, err := login(b, s, nil, s.User).OpenPipe(ctx, "srvsvc", srvsvcBind); err != nil {
		b.Fatal(err)
	} else {
		p.Close(ctx)
	}
	var trips uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		sess := login(b, s, nil, s.User)
		before := sess.Conn().Stats().RoundTrips
		b.StartTimer()
		p, _, err := sess.OpenPipe(ctx, "srvsvc", srvsvcBind)
		if err != nil {
			b.Fatal(err)
		}
		trips += sess.Conn().Stats().RoundTrips - before
		b.StopTimer()
		p.Close(ctx)
		sess.Conn().Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(trips)/float64(b.N), "roundtrips/op")
}

// BenchmarkClientRead measures READ throughput (b.SetBytes: MB/s is
// MiB-ish per second) for plain, signed and encrypted sessions.
func BenchmarkClientRead(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts *Options
	}{
		{"signed", nil},
		{"encrypted-gcm", &Options{RequireEncryption: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := sambatest.Start(b, sambatest.Options{})
			ctx := context.Background()
			sess := login(b, s, bc.opts, s.User)
			tree, err := sess.TreeConnect(ctx, "data")
			if err != nil {
				b.Fatal(err)
			}
			const size = 16 << 20
			f, err := tree.OpenFile(ctx, "bench.bin", FileOverwriteIf)
			if err != nil {
				b.Fatal(err)
			}
			data := make([]byte, size)
			rand.Read(data)
			if _, err := f.WriteAt(ctx, data, 0); err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, size)
			b.SetBytes(size)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if n, err := f.ReadAt(ctx, buf, 0); n != size {
					b.Fatal(n, err)
				}
			}
			b.StopTimer()
			f.Close(ctx)
		})
	}
}
