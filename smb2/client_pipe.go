package smb2

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lanman/lanman/ntstatus"
)

// pipeAccess is what a DCE/RPC client needs on a named pipe: read, write
// and the attributes, as Windows asks (0x0012019F).
const pipeAccess = FileReadData | FileWriteData | FileAppendData | FileReadEA | FileWriteEA |
	FileReadAttributes | FileWriteAttributes | ReadControl | Synchronize

// maxPipeOutput bounds the reply of one FSCTL_PIPE_TRANSCEIVE.
const maxPipeOutput = 64 << 10

// Pipe is an open named pipe on IPC$, the transport of DCE/RPC over SMB
// (MS-RPCE 2.1.1.2). It implements dcerpc.Transport.
type Pipe struct {
	f *File
}

// Transceive writes b and returns the first reply bytes
// (FSCTL_PIPE_TRANSCEIVE, MS-SMB2 3.2.4.20.4). When the reply message is
// longer than one IOCTL can carry (STATUS_BUFFER_OVERFLOW) the start of
// it is returned without error; Read returns the rest.
func (p *Pipe) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	if err := p.f.check("transceive"); err != nil {
		return nil, err
	}
	out, err := p.f.tree.pipeTransceive(ctx, p.f.id, b)
	if err != nil {
		return nil, fmt.Errorf("smb2: transceive on pipe %s: %w", p.f.name, err)
	}
	return out, nil
}

// Write writes b to the pipe (SMB2 WRITE).
func (p *Pipe) Write(ctx context.Context, b []byte) error {
	if err := p.f.check("write"); err != nil {
		return err
	}
	for len(b) > 0 {
		chunk := min(len(b), p.f.conn().ioChunk(p.f.conn().maxWrite))
		n, err := p.f.writeOnce(ctx, b[:chunk], 0)
		if err != nil {
			return fmt.Errorf("smb2: write to pipe %s: %w", p.f.name, err)
		}
		b = b[n:]
	}
	return nil
}

// Read reads reply bytes into buf (SMB2 READ). A message longer than buf
// returns len(buf) bytes without error; the next Read continues it.
func (p *Pipe) Read(ctx context.Context, buf []byte) (int, error) {
	if err := p.f.check("read"); err != nil {
		return 0, err
	}
	if len(buf) == 0 {
		return 0, nil
	}
	n, err := p.f.readOnce(ctx, buf[:min(len(buf), p.f.conn().ioChunk(p.f.conn().maxRead))], 0)
	if err == errPartial {
		err = nil
	}
	if err != nil {
		return n, fmt.Errorf("smb2: read from pipe %s: %w", p.f.name, err)
	}
	return n, nil
}

// maxPipelinedReads bounds the READs of one flight of ReadMessages.
const maxPipelinedReads = 128

// orphanGrace is how long ReadMessages waits for the answers to READs
// its caller no longer wants before it gives up on the pipe.
const orphanGrace = time.Second

// ErrPipeOutOfStep is returned when READs sent ahead on a pipe could not
// be accounted for: a READ that took a message nobody asked for, or one
// the server still holds, would swallow the next reply. The pipe is
// closed then.
var ErrPipeOutOfStep = errors.New("smb2: pipe reads out of step with its messages")

// ReadMessages reads the next n messages of a message-mode pipe, each of
// up to size bytes, sending all n READs before waiting for any answer:
// back to back in one socket write, one round trip instead of n (fewer
// when the server has granted too few credits: the READs then go in
// several flights of as many as the credits allow). The server answers
// the READs in the order they were sent, each with the next message, so
// fn receives the messages in order; msg is valid only during the call,
// which may modify it. A message longer than size comes in pieces (the
// READ that got its start is answered STATUS_BUFFER_OVERFLOW and the next
// READ continues it), so fn sees a byte stream cut at message boundaries
// or more often.
//
// fn returns whether it wants the next message. The caller must ask for
// no more messages than the pipe will certainly hold: a READ sent on an
// empty pipe may wait there (Samba neither answers nor cancels it) and
// would take the next reply. Should fn stop early, or a READ fail, the
// READs still outstanding are waited for briefly: answered with an error
// (lanman's server answers an empty pipe with STATUS_PIPE_EMPTY) they are
// harmless; but if one took a message or is still held by the server,
// the pipe is closed and the error wraps ErrPipeOutOfStep.
func (p *Pipe) ReadMessages(ctx context.Context, n, size int, fn func(msg []byte) (more bool)) error {
	if err := p.f.check("read"); err != nil {
		return err
	}
	c := p.f.conn()
	size = min(size, c.ioChunk(c.maxRead))
	if n <= 0 || size <= 0 {
		return nil
	}
	per := c.charge(size)
	for n > 0 {
		// Never ask for more credits than the server ever let us hold:
		// the wait for them could not end.
		k := min(n, maxPipelinedReads, max(1, (c.credits.peakCredits()-1)/per))
		frames := make([][]*request, k)
		for i := range frames {
			req := p.f.tree.req(&ReadRequest{Padding: 0x50, Length: uint32(size), FileID: p.f.id})
			req.charge = per
			frames[i] = []*request{req}
		}
		calls, err := c.sendFrames(ctx, frames)
		if err != nil {
			return fmt.Errorf("smb2: read from pipe %s: %w", p.f.name, err)
		}
		n -= k
		for i, cl := range calls {
			msg, err := p.readAnswer(ctx, cl, size)
			if err != nil {
				return p.orphans(ctx, calls[i+1:], fmt.Errorf("smb2: read from pipe %s: %w", p.f.name, err))
			}
			if !fn(msg) {
				return p.orphans(ctx, calls[i+1:], nil)
			}
		}
	}
	return nil
}

// readAnswer waits for the answer to one pipelined READ of size bytes.
func (p *Pipe) readAnswer(ctx context.Context, cl *call, size int) ([]byte, error) {
	r, err := p.f.conn().wait(ctx, cl)
	if err != nil {
		return nil, err
	}
	var resp ReadResponse
	if err := decodeResponse(r, &resp, ntstatus.STATUS_BUFFER_OVERFLOW); err != nil {
		return nil, err
	}
	if len(resp.Data) > size {
		return nil, fmt.Errorf("%w: READ of %d bytes returned %d", ErrProtocol, size, len(resp.Data))
	}
	return resp.Data, nil
}

// orphans accounts for READs whose messages the caller no longer wants
// (see ReadMessages) and returns cause, or the reason the pipe had to be
// closed.
func (p *Pipe) orphans(ctx context.Context, rest []*call, cause error) error {
	if len(rest) == 0 {
		return cause
	}
	c := p.f.conn()
	gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), orphanGrace)
	defer cancel()
	if ctx.Err() != nil {
		cancel() // the caller has given up: cancel them all at once
	}
	took, held := 0, 0
	for _, cl := range rest {
		r, err := c.wait(gctx, cl)
		if err != nil {
			held++ // unanswered: wait sent a CANCEL, which may not be honoured
			continue
		}
		var resp ReadResponse
		if r.hdr.Status.IsError() || decodeResponse(r, &resp, ntstatus.STATUS_BUFFER_OVERFLOW) != nil {
			continue // failed without taking anything
		}
		if len(resp.Data) > 0 {
			took++
		}
	}
	if took == 0 && held == 0 {
		return cause
	}
	cctx, done := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer done()
	p.f.Close(cctx)
	err := fmt.Errorf("smb2: pipe %s: %w: of %d unwanted READs, %d took a message and %d went unanswered; pipe closed",
		p.f.name, ErrPipeOutOfStep, len(rest), took, held)
	if cause != nil {
		return fmt.Errorf("%w; %w", cause, err)
	}
	return err
}

// Close closes the pipe. The IPC$ tree connect stays for the next pipe.
func (p *Pipe) Close(ctx context.Context) error { return p.f.Close(ctx) }

// File is the pipe's open.
func (p *Pipe) File() *File { return p.f }

// Session is the session the pipe was opened on; DCE/RPC over SMB uses
// its ApplicationKey.
func (p *Pipe) Session() *Session { return p.f.tree.sess }

func (t *Tree) pipeTransceive(ctx context.Context, fid FileID, b []byte) ([]byte, error) {
	var resp IoctlResponse
	out, _, err := t.pipeTransceiveStatus(ctx, fid, b, &resp)
	return out, err
}

// pipeTransceiveStatus is pipeTransceive that also says whether the reply
// was cut short (STATUS_BUFFER_OVERFLOW).
func (t *Tree) pipeTransceiveStatus(ctx context.Context, fid FileID, b []byte, resp *IoctlResponse) ([]byte, ntstatus.Status, error) {
	c := t.sess.conn
	maxOut := min(c.maxTransact, maxPipeOutput)
	req := t.req(&IoctlRequest{
		CtlCode:           FsctlPipeTransceive,
		FileID:            fid,
		MaxOutputResponse: maxOut,
		Flags:             IoctlFlagIsFsctl,
		Input:             b,
	})
	req.charge = c.charge(max(len(b), int(maxOut)))
	r, err := c.roundTrip(ctx, req, resp, ntstatus.STATUS_BUFFER_OVERFLOW)
	if err != nil {
		return nil, 0, err
	}
	if len(resp.Output) > int(maxOut) {
		return nil, 0, fmt.Errorf("%w: %d-byte reply to a %d-byte transceive", ErrProtocol, len(resp.Output), maxOut)
	}
	return resp.Output, r.hdr.Status, nil
}

// pipeName strips the \PIPE\ prefix a caller may include.
func pipeName(name string) string {
	name = strings.TrimLeft(strings.ReplaceAll(name, "/", `\`), `\`)
	if len(name) > 5 && strings.EqualFold(name[:5], `PIPE\`) {
		name = name[5:]
	}
	return name
}

func pipeCreate(name string) *CreateRequest {
	return (&CreateParams{
		DesiredAccess:     pipeAccess,
		ShareAccess:       FileShareRead | FileShareWrite,
		CreateDisposition: FileOpen,
		CreateOptions:     FileNonDirectoryFile,
	}).request(name)
}

// OpenPipe opens the named pipe name (such as "srvsvc" or
// `\PIPE\srvsvc`) on the session's IPC$ share and sends each of pdus
// through it with FSCTL_PIPE_TRANSCEIVE, returning the reply to each.
//
// Everything goes out as one related compound (MS-SMB2 3.2.4.1.4):
// TREE_CONNECT (only for the session's first pipe; the IPC$ tree is kept
// and reused), CREATE, and an IOCTL per PDU, so a DCE/RPC bind, and even
// the first request, cost no extra round trip. How many PDUs to chain is
// the caller's choice. Servers that refuse a pipe IOCTL that is not last
// in a chain (Samba answers STATUS_INTERNAL_ERROR) are handled: the pipe
// is reopened with only the first PDU chained, the rest are sent one by
// one, and the connection remembers to chain one PDU from then on.
//
// A reply cut short by STATUS_BUFFER_OVERFLOW ends the exchange: the
// replies returned are then fewer than pdus, the last one partial, and
// the caller reads its rest with Read and sends the remaining PDUs.
func (s *Session) OpenPipe(ctx context.Context, name string, pdus ...[]byte) (*Pipe, [][]byte, error) {
	name = pipeName(name)
	if name == "" {
		return nil, nil, fmt.Errorf("smb2: open pipe: empty name")
	}
	p, replies, partial, err := s.openPipeChain(ctx, name, pdus)
	if errors.Is(err, errChainRefused) {
		// The server refuses IOCTLs in the middle of a chain, and the
		// pipe's state is unknown: start over on a fresh open.
		s.conn.pipeChainOne.Store(true)
		p, replies, partial, err = s.openPipeChain(ctx, name, pdus)
	}
	if err != nil {
		return nil, nil, err
	}
	// Send the PDUs that were not chained, one round trip each.
	for !partial && len(replies) < len(pdus) {
		var resp IoctlResponse
		out, st, err := p.f.tree.pipeTransceiveStatus(ctx, p.f.id, pdus[len(replies)], &resp)
		if err != nil {
			p.Close(context.WithoutCancel(ctx))
			return nil, nil, fmt.Errorf("smb2: open pipe %s: transceive %d: %w", name, len(replies), err)
		}
		replies = append(replies, out)
		partial = st == ntstatus.STATUS_BUFFER_OVERFLOW
	}
	return p, replies, nil
}

// errChainRefused reports a pipe IOCTL refused for its place in a chain.
var errChainRefused = errors.New("smb2: server refused a chained pipe transceive")

// openPipeChain sends [TREE_CONNECT] + CREATE + IOCTL... and returns the
// pipe and the replies of the IOCTLs it chained (possibly fewer than
// pdus).
func (s *Session) openPipeChain(ctx context.Context, name string, pdus [][]byte) (p *Pipe, replies [][]byte, partial bool, err error) {
	c := s.conn
	chain := pdus
	if c.pipeChainOne.Load() && len(chain) > 1 {
		chain = chain[:1]
	}
	// Never ask for more credits than the server has ever let us hold.
	maxOut := min(c.maxTransact, maxPipeOutput)
	perIoctl := c.charge(int(maxOut))
	for _, pdu := range chain {
		perIoctl = max(perIoctl, c.charge(len(pdu)))
	}
	budget := c.credits.peakCredits() - 2
	if len(chain) > 0 && len(chain)*perIoctl > budget {
		chain = chain[:max(0, budget/perIoctl)]
	}

	// The IPC$ tree: reuse it, or connect it in the chain. ipcMu keeps
	// two concurrent first pipes from connecting IPC$ twice.
	s.ipcMu.Lock()
	tree := s.ipc
	if tree != nil {
		s.ipcMu.Unlock()
	} else {
		defer s.ipcMu.Unlock()
	}
	var reqs []*request
	ipcPath := s.normalizeSharePath("IPC$")
	if tree == nil {
		reqs = append(reqs, s.req(&TreeConnectRequest{Path: ipcPath}, 0, false))
	}
	var treeID uint32
	treeEncrypt := false
	if tree != nil {
		treeID, treeEncrypt = tree.id, tree.encryptData
	}
	create := s.req(pipeCreate(name), treeID, treeEncrypt)
	create.related = tree == nil
	reqs = append(reqs, create)
	for _, pdu := range chain {
		r := s.req(&IoctlRequest{
			CtlCode:           FsctlPipeTransceive,
			FileID:            FileIDAll,
			MaxOutputResponse: maxOut,
			Flags:             IoctlFlagIsFsctl,
			Input:             pdu,
		}, treeID, treeEncrypt)
		r.related = true
		r.charge = c.charge(max(len(pdu), int(maxOut)))
		reqs = append(reqs, r)
	}
	calls, err := c.send(ctx, reqs)
	if err != nil {
		return nil, nil, false, fmt.Errorf("smb2: open pipe %s: %w", name, err)
	}
	// Collect every response, so none is left behind.
	resps := make([]*response, len(calls))
	var waitErr error
	for i, cl := range calls {
		resps[i], err = c.wait(ctx, cl)
		if err != nil && waitErr == nil {
			waitErr = err
		}
	}
	if waitErr != nil {
		return nil, nil, false, fmt.Errorf("smb2: open pipe %s: %w", name, waitErr)
	}
	i := 0
	if tree == nil {
		var tc TreeConnectResponse
		if err := decodeResponse(resps[0], &tc); err != nil {
			return nil, nil, false, fmt.Errorf("smb2: open pipe %s: tree connect %s: %w", name, ipcPath, err)
		}
		tree, err = s.newTree(ctx, ipcPath, resps[0].hdr.TreeID, &tc)
		if err != nil {
			return nil, nil, false, fmt.Errorf("smb2: open pipe %s: %w", name, err)
		}
		s.ipc = tree
		i++
	}
	var cr CreateResponse
	if err := decodeResponse(resps[i], &cr); err != nil {
		return nil, nil, false, fmt.Errorf("smb2: open pipe %s: create: %w", name, err)
	}
	p = &Pipe{f: tree.newFile(name, &cr)}
	i++
	replies = make([][]byte, 0, len(pdus))
	for j, r := range resps[i:] {
		var io IoctlResponse
		err := decodeResponse(r, &io, ntstatus.STATUS_BUFFER_OVERFLOW)
		if err != nil {
			p.Close(context.WithoutCancel(ctx))
			if j < len(chain)-1 && errors.Is(err, ntstatus.STATUS_INTERNAL_ERROR) {
				return nil, nil, false, fmt.Errorf("smb2: open pipe %s: %w: %w", name, errChainRefused, err)
			}
			return nil, nil, false, fmt.Errorf("smb2: open pipe %s: transceive %d: %w", name, j, err)
		}
		if len(io.Output) > int(maxOut) {
			p.Close(context.WithoutCancel(ctx))
			return nil, nil, false, fmt.Errorf("smb2: open pipe %s: %w: %d-byte reply", name, ErrProtocol, len(io.Output))
		}
		replies = append(replies, io.Output)
		if r.hdr.Status == ntstatus.STATUS_BUFFER_OVERFLOW {
			// The caller must read the rest before anything else.
			if j < len(chain)-1 {
				p.Close(context.WithoutCancel(ctx))
				return nil, nil, false, fmt.Errorf("smb2: open pipe %s: %w: reply %d overflowed in the middle of a chain", name, ErrProtocol, j)
			}
			return p, replies, true, nil
		}
	}
	return p, replies, false, nil
}
