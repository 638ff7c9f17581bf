package server

import (
	"context"
	"strings"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntstatus"
)

// pipeHandle is an open of a named pipe on IPC$: one DCE/RPC association
// driven by the bytes of WRITE, READ and FSCTL_PIPE_TRANSCEIVE.
type pipeHandle struct {
	name   string
	assoc  *dcerpc.Association
	broken bool // the association hit a fatal error; drain, then fail
}

// knownPipe reports whether the server hosts the named pipe.
func knownPipe(name string) bool {
	switch pipeName(name) {
	case "srvsvc", "wkssvc":
		return true
	}
	return false
}

// pipeName normalizes a pipe name as clients send it in CREATE: "srvsvc",
// "\srvsvc" or "\PIPE\srvsvc".
func pipeName(n string) string {
	n = strings.ToLower(strings.TrimPrefix(n, `\`))
	n = strings.TrimPrefix(n, `pipe\`)
	return n
}

// openPipe opens a named pipe for the session of r.
func (c *conn) openPipe(r *request, name string) (*pipeHandle, ntstatus.Status) {
	n := pipeName(name)
	if !knownPipe(n) {
		return nil, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND
	}
	s := r.sess
	a := c.srv.rpc.NewAssociation(dcerpc.AssociationOptions{
		Identity: gss.Identity{
			User:        s.user,
			Domain:      s.domain,
			Workstation: s.clientName,
			Anonymous:   s.anonymous,
			Guest:       s.guest,
			Admin:       s.admin,
		},
		SecondaryAddr: `\PIPE\` + n,
	})
	return &pipeHandle{name: n, assoc: a}, ntstatus.STATUS_SUCCESS
}

func (p *pipeHandle) close() error {
	p.assoc.Close()
	return nil
}

func (p *pipeHandle) write(ctx context.Context, data []byte) ntstatus.Status {
	if p.broken {
		return ntstatus.STATUS_PIPE_BROKEN
	}
	if err := p.assoc.Write(ctx, data); err != nil {
		// What the association queued before failing (a fault or a
		// bind_nak) is still delivered by the next reads.
		p.broken = true
		if p.assoc.Pending() == 0 {
			return ntstatus.STATUS_PIPE_BROKEN
		}
	}
	return ntstatus.STATUS_SUCCESS
}

func (p *pipeHandle) read(n uint32) ([]byte, bool, ntstatus.Status) {
	pending := p.assoc.Pending()
	if pending == 0 {
		if p.broken {
			return nil, false, ntstatus.STATUS_PIPE_BROKEN
		}
		// Nothing to read: a message-mode pipe with no message would
		// block on Windows; with every call answered synchronously
		// there is nothing to wait for.
		return nil, false, ntstatus.STATUS_PIPE_EMPTY
	}
	buf := make([]byte, min(int(n), pending))
	k, more := p.assoc.Read(buf)
	return buf[:k], more, ntstatus.STATUS_SUCCESS
}

func (p *pipeHandle) transceive(ctx context.Context, in []byte, max uint32) ([]byte, bool, ntstatus.Status) {
	if p.broken {
		return nil, false, ntstatus.STATUS_PIPE_BROKEN
	}
	if err := p.assoc.Write(ctx, in); err != nil {
		p.broken = true
	}
	pending := p.assoc.Pending()
	if pending == 0 {
		if p.broken {
			return nil, false, ntstatus.STATUS_PIPE_BROKEN
		}
		return nil, false, ntstatus.STATUS_SUCCESS
	}
	buf := make([]byte, min(int(max), pending))
	k, more := p.assoc.Read(buf)
	return buf[:k], more, ntstatus.STATUS_SUCCESS
}

// queryInfo answers the few classes clients ask of a pipe.
func (p *pipeHandle) queryInfo(typ, class uint8) ([]byte, ntstatus.Status) {
	if typ != infoFile {
		return nil, ntstatus.STATUS_INVALID_INFO_CLASS
	}
	switch class {
	case fileStandardInformation:
		m := fileMeta{alloc: 4096, links: 1}
		return appendStandardInfo(nil, &m, false), ntstatus.STATUS_SUCCESS
	case fileBasicInformation:
		m := fileMeta{attrs: attrNormal}
		return appendBasicInfo(nil, &m), ntstatus.STATUS_SUCCESS
	}
	return nil, ntstatus.STATUS_INVALID_INFO_CLASS
}
