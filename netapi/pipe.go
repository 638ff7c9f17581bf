package netapi

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/smb2"
)

// rpcPipe is one DCE/RPC interface on a named pipe. It is opened and bound
// by the first call made through it, so that the open rides with that
// call: TREE_CONNECT(IPC$) + CREATE + IOCTL(bind) [+ IOCTL(request)] as
// one related SMB2 compound (MS-SMB2 3.2.4.1.4). It implements the Caller
// of the srvs and wkst stubs.
type rpcPipe struct {
	c     *Client
	name  string
	iface dcerpc.SyntaxID

	mu   sync.Mutex // held while opening; rc and pipe are set once
	rc   *dcerpc.Client
	pipe *smb2.Pipe
}

// Call sends one request and returns the response stub.
func (p *rpcPipe) Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error) {
	p.mu.Lock()
	rc := p.rc
	if rc != nil {
		p.mu.Unlock()
		out, err := rc.Call(ctx, opnum, stub)
		if errors.Is(err, dcerpc.ErrBroken) {
			p.reset(rc)
		}
		return out, err
	}
	defer p.mu.Unlock()
	return p.open(ctx, opnum, stub)
}

// reset forgets a pipe whose RPC client broke (a protocol error, or a
// pipe out of step after a server lied about a reply's size), so that
// the next call opens and binds a new one.
func (p *rpcPipe) reset(broken *dcerpc.Client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rc != broken {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	p.pipe.Close(ctx)
	p.rc, p.pipe = nil, nil
}

// streamPipe is the transport of the dcerpc.Client, which is made before
// the pipe exists: the bind PDU must be built first to go in the compound.
type streamPipe struct{ p *smb2.Pipe }

func (s *streamPipe) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	return s.p.Transceive(ctx, b)
}
func (s *streamPipe) Write(ctx context.Context, b []byte) error { return s.p.Write(ctx, b) }
func (s *streamPipe) Read(ctx context.Context, b []byte) (int, error) {
	return s.p.Read(ctx, b)
}

// ReadMessages lets the dcerpc client pipeline the READs of a large
// reply (dcerpc.MessageReader).
func (s *streamPipe) ReadMessages(ctx context.Context, n, size int, fn func([]byte) bool) error {
	return s.p.ReadMessages(ctx, n, size, fn)
}

// open opens and binds the pipe, and makes the first call. A failed open
// leaves the pipe closed, so the next call tries again.
func (p *rpcPipe) open(ctx context.Context, opnum uint16, stub []byte) ([]byte, error) {
	sp := &streamPipe{}
	rc := dcerpc.NewClient(sp, nil)
	bind, err := rc.BindPDU(p.iface)
	if err != nil {
		return nil, err
	}
	pdus := [][]byte{bind}
	var first *dcerpc.PendingCall
	// Only a request that fits one fragment can ride in the chain: the
	// first request of a client uses the smallest fragment size, since
	// the bind_ack that negotiates it has not been seen.
	if p.c.chain && len(stub)+dcerpc.RequestHeaderLen <= dcerpc.MinFrag {
		first, err = rc.NewCall(opnum, stub)
		if err != nil {
			return nil, err
		}
		pdus = append(pdus, first.Fragments()[0])
	}
	pipe, replies, err := p.c.sess.OpenPipe(ctx, p.name, pdus...)
	if err != nil {
		return nil, fmt.Errorf("netapi: open \\PIPE\\%s: %w", p.name, err)
	}
	sp.p = pipe
	fail := func(err error) ([]byte, error) {
		pipe.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	if len(replies) < len(pdus) {
		// Only a reply cut by STATUS_BUFFER_OVERFLOW ends the chain
		// early; a bind_ack never fills the output buffer.
		return fail(fmt.Errorf("netapi: bind %s: %d of %d replies", p.name, len(replies), len(pdus)))
	}
	if _, _, err := rc.HandleBindReply(replies[0]); err != nil {
		return fail(fmt.Errorf("netapi: bind %s: %w", p.name, err))
	}
	p.rc, p.pipe = rc, pipe
	if first == nil {
		return rc.Call(ctx, opnum, stub)
	}
	return first.Complete(ctx, replies[1])
}
