package dcerpc

import (
	"context"
	"io"
	"math/rand/v2"
	"sync"
)

// pipeTransport connects a Client to an Association in process the way an
// SMB2 named pipe does, and delivers bytes in awkward pieces: requests are
// written to the association in random chunks, a transceive returns at
// most maxOut bytes of the first reply message (the rest, like after
// STATUS_BUFFER_OVERFLOW, comes from Read), and Read returns random short
// counts.
type pipeTransport struct {
	mu     sync.Mutex
	a      *Association
	rng    *rand.Rand
	maxOut int
	chunk  bool
	out    []byte
	writes int
	trans  int
	reads  int
}

func newPipe(a *Association, seed uint64, maxOut int) *pipeTransport {
	return &pipeTransport{a: a, rng: rand.New(rand.NewPCG(seed, 7)), maxOut: maxOut, chunk: true}
}

func (p *pipeTransport) write(ctx context.Context, b []byte) error {
	for len(b) > 0 {
		n := len(b)
		if p.chunk {
			n = 1 + p.rng.IntN(len(b))
		}
		if err := p.a.Write(ctx, b[:n]); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

func (p *pipeTransport) Write(ctx context.Context, b []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writes++
	return p.write(ctx, b)
}

func (p *pipeTransport) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.trans++
	werr := p.write(ctx, b)
	// Like the SMB server: a reply queued before a fatal error is still
	// returned (a last fault); the pipe is closed after it.
	if len(p.out) < p.maxOut {
		p.out = make([]byte, p.maxOut)
	}
	out := p.out[:p.maxOut]
	n, _ := p.a.Read(out)
	if n == 0 && werr != nil {
		return nil, werr
	}
	return out[:n], nil
}

func (p *pipeTransport) Read(ctx context.Context, b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reads++
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if p.chunk && len(b) > 1 {
		b = b[:1+p.rng.IntN(len(b))]
	}
	n, _ := p.a.Read(b)
	if n == 0 && len(b) > 0 {
		return 0, io.ErrUnexpectedEOF // a real pipe would block forever
	}
	return n, nil
}
