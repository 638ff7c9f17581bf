package server

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"strings"
	"time"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

func randRead(b []byte) {
	if _, err := rand.Read(b); err != nil {
		panic("server: crypto/rand failed: " + err.Error())
	}
}

func randUint64() uint64 {
	var b [8]byte
	randRead(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// lookupOpen finds the open a request names, substituting the chain's
// FileId for 0xFF…FF in a related compound (MS-SMB2 3.3.5.2.7.2).
func (c *conn) lookupOpen(r *request, id smb2.FileID) (*liveOpen, ntstatus.Status) {
	if id == smb2.FileIDAll {
		if r.chainFileID == (smb2.FileID{}) {
			return nil, ntstatus.STATUS_INVALID_HANDLE
		}
		id = r.chainFileID
	}
	s := r.sess
	s.mu.Lock()
	o := s.files[id.Volatile]
	s.mu.Unlock()
	if o == nil || uint64(o.id) != id.Persistent || o.tree != r.tree {
		return nil, ntstatus.STATUS_FILE_CLOSED
	}
	r.chainFileID = id
	return o, ntstatus.STATUS_SUCCESS
}

func (o *liveOpen) fileID() smb2.FileID {
	return smb2.FileID{Persistent: uint64(o.id), Volatile: o.volatile}
}

// afterList collects actions an RPC call defers until its reply is sent.
type afterList []func()

func (a *afterList) run() {
	for _, f := range *a {
		f()
	}
}

// rpcContext is the context of RPC calls made through a pipe open: it
// carries the calling session and open (so that NetrSessionDel and
// NetrFileClose can tell when they close their own caller) and collects
// what must wait until the reply is out.
func rpcContext(r *request, o *liveOpen) (context.Context, *afterList) {
	after := new(afterList)
	ctx := context.WithValue(context.Background(), sessionKey{}, r.sess)
	ctx = context.WithValue(ctx, openKey{}, o)
	ctx = context.WithValue(ctx, afterKey{}, (*[]func())(after))
	return ctx, after
}

// create handles CREATE (MS-SMB2 3.3.5.9) on a disk share or IPC$.
func (c *conn) create(r *request) response {
	var req smb2.CreateRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	s, t := r.sess, r.tree
	if int(s.opens.Load()) >= c.srv.limits.MaxOpensPerSession {
		return errResp(ntstatus.STATUS_INSUFFICIENT_RESOURCES)
	}
	var (
		h      handle
		action = uint32(actionOpened)
		st     ntstatus.Status
		disp   string
		access = mapGeneric(uint32(req.DesiredAccess), t.share.ReadOnly)
		meta   fileMeta
	)
	if t.share.isIPC() {
		var p *pipeHandle
		p, st = c.openPipe(r, req.Name)
		if st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
		h, disp = p, `\PIPE\`+p.name
		meta = fileMeta{name: p.name, attrs: attrNormal, create: filetime(time.Now())}
	} else {
		var d *diskHandle
		d, action, st = t.share.create(createParams{
			name:        strings.TrimPrefix(req.Name, `\`),
			access:      uint32(req.DesiredAccess),
			disposition: uint32(req.CreateDisposition),
			options:     uint32(req.CreateOptions),
			attrs:       uint32(req.FileAttributes),
		})
		if st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
		m, st := d.meta()
		if st != ntstatus.STATUS_SUCCESS {
			d.close()
			return errResp(st)
		}
		h, meta, access = d, m, d.access
	}
	o := &liveOpen{id: newID(&c.srv.tables.nextOpen), tree: t, path: disp, access: access, h: h}
	o.volatile = randUint64()<<32 | uint64(o.id)
	s.mu.Lock()
	if s.files == nil {
		s.files = map[uint64]*liveOpen{}
	}
	s.files[o.volatile] = o
	s.mu.Unlock()
	s.opens.Add(1)
	t.opens.Add(1)
	c.srv.tables.opens.add(o)
	fid := o.fileID()
	resp := &smb2.CreateResponse{
		OplockLevel:    smb2.OplockLevelNone,
		CreateAction:   smb2.CreateAction(action),
		CreationTime:   smb2.Filetime(meta.create),
		LastAccessTime: smb2.Filetime(meta.access),
		LastWriteTime:  smb2.Filetime(meta.write),
		ChangeTime:     smb2.Filetime(meta.change),
		AllocationSize: meta.alloc,
		EndOfFile:      meta.size,
		FileAttributes: smb2.FileAttributes(meta.attrs),
		FileID:         fid,
	}
	// Answer the create contexts that are cheap and that Windows and
	// Samba clients ask for; the rest are ignored, as MS-SMB2 3.3.5.9
	// allows for contexts the server does not support.
	if _, ok := smb2.FindCreateContext(req.Contexts, smb2.CreateQueryMaximalAccess); ok {
		mx := smb2.QueryMaximalAccessResponse{MaximalAccess: smb2.AccessMask(t.maxAccess)}
		resp.Contexts = append(resp.Contexts, mx.Context())
	}
	if _, ok := smb2.FindCreateContext(req.Contexts, smb2.CreateQueryOnDiskID); ok && !t.share.isIPC() {
		var od smb2.QueryOnDiskIDResponse
		od.DiskFileID = meta.id
		resp.Contexts = append(resp.Contexts, od.Context())
	}
	return response{body: resp, fileID: &fid}
}

// closeFile handles CLOSE (MS-SMB2 3.3.5.10).
func (c *conn) closeFile(r *request) response {
	var req smb2.CloseRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	o, st := c.lookupOpen(r, req.FileID)
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	resp := &smb2.CloseResponse{}
	if req.Flags&smb2.CloseFlagPostQueryAttrib != 0 {
		if d, ok := o.h.(*diskHandle); ok {
			if m, st := d.meta(); st == ntstatus.STATUS_SUCCESS {
				resp.Flags = smb2.CloseFlagPostQueryAttrib
				resp.CreationTime = smb2.Filetime(m.create)
				resp.LastAccessTime = smb2.Filetime(m.access)
				resp.LastWriteTime = smb2.Filetime(m.write)
				resp.ChangeTime = smb2.Filetime(m.change)
				resp.AllocationSize = m.alloc
				resp.EndOfFile = m.size
				resp.FileAttributes = smb2.FileAttributes(m.attrs)
			}
		}
	}
	c.closeOpen(o)
	return response{body: resp}
}

func (c *conn) flush(r *request) response {
	var req smb2.FlushRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	o, st := c.lockOpen(r, req.FileID)
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	defer o.mu.Unlock()
	if d, ok := o.h.(*diskHandle); ok {
		if d.access&(fileWriteData|fileAppendData) == 0 {
			return errResp(ntstatus.STATUS_ACCESS_DENIED)
		}
		if st := d.flush(); st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
	}
	return response{body: &smb2.FlushResponse{}}
}

// checkPayload enforces the server's I/O size limit on a READ or WRITE
// of n bytes, and that a multi-credit request paid for it (MS-SMB2
// 3.3.5.2.5).
func (c *conn) checkPayload(r *request, n int) bool {
	if n > c.srv.limits.MaxIOSize {
		return false
	}
	if c.dialect == smb2.Dialect202 {
		return n <= 65536
	}
	need := (uint64(n) + 65535) / 65536
	charge := uint64(max(r.hdr.CreditCharge, 1))
	return need <= charge
}

// lockOpen finds the open a request names and locks it for an operation
// on its handle, so that a close from another goroutine (NetrFileClose,
// NetrSessionDel) waits for it; the caller unlocks o.mu.
func (c *conn) lockOpen(r *request, id smb2.FileID) (*liveOpen, ntstatus.Status) {
	o, st := c.lookupOpen(r, id)
	if st != ntstatus.STATUS_SUCCESS {
		return nil, st
	}
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return nil, ntstatus.STATUS_FILE_CLOSED
	}
	return o, ntstatus.STATUS_SUCCESS
}

// lockIO is lockOpen for a READ or WRITE of n bytes, which must be within
// the server's limits and paid for first.
func (c *conn) lockIO(r *request, id smb2.FileID, n int) (*liveOpen, ntstatus.Status) {
	if !c.checkPayload(r, n) {
		return nil, ntstatus.STATUS_INVALID_PARAMETER
	}
	return c.lockOpen(r, id)
}

func (c *conn) read(r *request) response {
	var req smb2.ReadRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	o, st := c.lockIO(r, req.FileID, int(req.Length))
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	defer o.mu.Unlock()
	switch h := o.h.(type) {
	case *diskHandle:
		data, st := h.read(req.Offset, req.Length)
		if st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
		if uint32(len(data)) < req.MinimumCount {
			return errResp(ntstatus.STATUS_END_OF_FILE)
		}
		return response{body: &smb2.ReadResponse{Data: data}}
	case *pipeHandle:
		data, more, st := h.read(req.Length)
		if st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
		if more {
			return response{status: ntstatus.STATUS_BUFFER_OVERFLOW, body: &smb2.ReadResponse{Data: data}}
		}
		return response{body: &smb2.ReadResponse{Data: data}}
	}
	return errResp(ntstatus.STATUS_INVALID_DEVICE_REQUEST)
}

func (c *conn) write(r *request) response {
	var req smb2.WriteRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	o, st := c.lockIO(r, req.FileID, len(req.Data))
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	defer o.mu.Unlock()
	switch h := o.h.(type) {
	case *diskHandle:
		n, st := h.write(req.Offset, req.Data)
		if st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
		return response{body: &smb2.WriteResponse{Count: n}}
	case *pipeHandle:
		ctx, after := rpcContext(r, o)
		st := h.write(ctx, req.Data)
		if st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
		return response{body: &smb2.WriteResponse{Count: uint32(len(req.Data))}, afterSend: after.run}
	}
	return errResp(ntstatus.STATUS_INVALID_DEVICE_REQUEST)
}

// lock handles LOCK (MS-SMB2 3.3.5.14). Byte-range locks are recorded
// (they show in NetrFileEnum's fi3_num_locks) and granted unless they
// conflict with another lock of the same file in this server; they are
// advisory towards local processes.
func (c *conn) lock(r *request) response {
	var req smb2.LockRequest
	if err := req.Unmarshal(r.body); err != nil || len(req.Locks) == 0 {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	o, st := c.lookupOpen(r, req.FileID)
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	d, ok := o.h.(*diskHandle)
	if !ok || d.dir {
		return errResp(ntstatus.STATUS_INVALID_DEVICE_REQUEST)
	}
	return errResp(c.srv.locks.apply(o, d, req.Locks))
}

// ioctl handles IOCTL (MS-SMB2 3.3.5.15).
func (c *conn) ioctl(r *request) response {
	var req smb2.IoctlRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	if req.Flags&smb2.IoctlFlagIsFsctl == 0 {
		return errResp(ntstatus.STATUS_NOT_SUPPORTED)
	}
	if uint64(len(req.Input)) > uint64(c.srv.limits.MaxIOSize) || req.MaxOutputResponse > uint32(c.srv.limits.MaxIOSize) {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	switch req.CtlCode {
	case smb2.FsctlValidateNegotiateInfo:
		return c.validateNegotiate(r, &req)
	case smb2.FsctlPipeTransceive:
		o, st := c.lookupOpen(r, req.FileID)
		if st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
		p, ok := o.h.(*pipeHandle)
		if !ok {
			return errResp(ntstatus.STATUS_INVALID_DEVICE_REQUEST)
		}
		ctx, after := rpcContext(r, o)
		o.mu.Lock()
		out, more, st := p.transceive(ctx, req.Input, req.MaxOutputResponse)
		o.mu.Unlock()
		if st != ntstatus.STATUS_SUCCESS {
			return errResp(st)
		}
		resp := &smb2.IoctlResponse{CtlCode: req.CtlCode, FileID: o.fileID(), Output: out}
		if more {
			return response{status: ntstatus.STATUS_BUFFER_OVERFLOW, body: resp, afterSend: after.run}
		}
		return response{body: resp, afterSend: after.run}
	case smb2.FsctlPipeWait:
		if !r.tree.share.isIPC() {
			return errResp(ntstatus.STATUS_INVALID_DEVICE_REQUEST)
		}
		var w smb2.PipeWaitRequest
		if err := w.Unmarshal(req.Input); err != nil {
			return errResp(ntstatus.STATUS_INVALID_PARAMETER)
		}
		if !knownPipe(w.Name) {
			return errResp(ntstatus.STATUS_OBJECT_NAME_NOT_FOUND)
		}
		return response{body: &smb2.IoctlResponse{CtlCode: req.CtlCode, FileID: req.FileID}}
	case smb2.FsctlDFSGetReferrals, smb2.FsctlDFSGetReferralsEx:
		// Not a DFS server (MS-SMB2 3.3.5.15.2).
		return errResp(ntstatus.STATUS_NOT_FOUND)
	}
	if r.tree.share.isIPC() {
		return errResp(ntstatus.STATUS_NOT_SUPPORTED)
	}
	return errResp(ntstatus.STATUS_INVALID_DEVICE_REQUEST)
}

// validateNegotiate answers FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2
// 3.3.5.15.12): the client repeats what it sent in NEGOTIATE, and the
// server what it answered, so that a downgrade by a man in the middle is
// caught. A mismatch drops the connection.
func (c *conn) validateNegotiate(r *request, req *smb2.IoctlRequest) response {
	if c.dialect == smb2.Dialect311 {
		// 3.1.1 relies on the preauth integrity hash instead; Windows
		// drops the connection (3.3.5.15.12).
		return response{status: ntstatus.STATUS_ACCESS_DENIED, afterSend: c.shutdown}
	}
	var v smb2.ValidateNegotiateInfoRequest
	if err := v.Unmarshal(req.Input); err != nil {
		return response{status: ntstatus.STATUS_INVALID_PARAMETER, afterSend: c.shutdown}
	}
	sameDialects := len(v.Dialects) == len(c.clientDialects)
	for i := 0; sameDialects && i < len(v.Dialects); i++ {
		sameDialects = v.Dialects[i] == c.clientDialects[i]
	}
	if v.Capabilities != c.clientCaps || v.GUID != c.clientGUID || v.SecurityMode != c.clientSecMode || !sameDialects {
		c.srv.log.Warn("validate negotiate mismatch; dropping connection", "client", c.clientAddr)
		return response{status: ntstatus.STATUS_ACCESS_DENIED, afterSend: c.shutdown}
	}
	neg := c.negotiateResponse(c.dialect, nil)
	out := smb2.ValidateNegotiateInfoResponse{
		Capabilities: neg.Capabilities,
		GUID:         neg.ServerGUID,
		SecurityMode: neg.SecurityMode,
		Dialect:      c.dialect,
	}
	return response{body: &smb2.IoctlResponse{CtlCode: req.CtlCode, FileID: req.FileID, Output: out.Marshal(nil)}}
}

// queryDirectory handles QUERY_DIRECTORY (MS-SMB2 3.3.5.18).
func (c *conn) queryDirectory(r *request) response {
	var req smb2.QueryDirectoryRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	o, st := c.lookupOpen(r, req.FileID)
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	d, ok := o.h.(*diskHandle)
	if !ok {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	max := min(req.OutputBufferLength, uint32(c.srv.limits.MaxIOSize))
	out, st := d.queryDirectory(uint8(req.FileInformationClass), req.Flags, req.FileName, max)
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	return response{body: &smb2.QueryDirectoryResponse{Output: out}}
}

// queryInfo handles QUERY_INFO (MS-SMB2 3.3.5.20).
func (c *conn) queryInfo(r *request) response {
	var req smb2.QueryInfoRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	o, st := c.lookupOpen(r, req.FileID)
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	var out []byte
	switch h := o.h.(type) {
	case *diskHandle:
		out, st = h.queryInfo(uint8(req.InfoType), uint8(req.FileInfoClass), req.AdditionalInformation)
	case *pipeHandle:
		out, st = h.queryInfo(uint8(req.InfoType), uint8(req.FileInfoClass))
	}
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	if uint32(len(out)) > req.OutputBufferLength {
		// Fixed-size classes fail; variable ones (names, streams, all,
		// security) report the size needed (MS-SMB2 3.3.5.20.1).
		if req.InfoType == smb2.InfoSecurity {
			need := make([]byte, 4)
			binary.LittleEndian.PutUint32(need, uint32(len(out)))
			return response{status: ntstatus.STATUS_BUFFER_TOO_SMALL, errData: need}
		}
		if isFixedClass(uint8(req.InfoType), uint8(req.FileInfoClass)) {
			return errResp(ntstatus.STATUS_INFO_LENGTH_MISMATCH)
		}
		return response{status: ntstatus.STATUS_BUFFER_OVERFLOW, body: &smb2.QueryInfoResponse{Output: out[:req.OutputBufferLength]}}
	}
	return response{body: &smb2.QueryInfoResponse{Output: out}}
}

// setInfo handles SET_INFO (MS-SMB2 3.3.5.21).
func (c *conn) setInfo(r *request) response {
	var req smb2.SetInfoRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	o, st := c.lockOpen(r, req.FileID)
	if st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	defer o.mu.Unlock()
	d, ok := o.h.(*diskHandle)
	if !ok {
		return errResp(ntstatus.STATUS_NOT_SUPPORTED)
	}
	if st := d.setInfo(uint8(req.InfoType), uint8(req.FileInfoClass), req.Buffer); st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	return response{body: &smb2.SetInfoResponse{}}
}
