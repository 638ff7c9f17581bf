package smb2

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
