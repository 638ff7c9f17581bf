package server

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

// errDrop is wrapped by errors that end a connection: malformed frames,
// protocol violations. Only that connection is dropped.
var errDrop = errors.New("server: dropping connection")

func dropf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errDrop, fmt.Sprintf(format, args...))
}

// conn is one client TCP connection (MS-SMB2 3.3.1.7 Connection).
//
// Requests are read and answered by a single goroutine, in order; other
// goroutines (NetrSessionDel, NetrFileClose, Shutdown) only close things
// under c.mu and never write to the socket. An idle connection therefore
// costs one goroutine blocked in Read, this struct and the session
// entries, which is what keeps idle sessions cheap.
type conn struct {
	srv        *Server
	nc         net.Conn
	clientAddr string
	// cname is clientAddr in the \\name form MS-SRVS reports
	// (sesi502_cname, coni1_netname); clientAddr is a slice of it.
	cname  string
	lenBuf [4]byte

	// Negotiated state, written by the serve goroutine before any
	// session exists and read-only afterwards.
	negotiated     bool
	wildcardSent   bool // answered an SMB1 multi-protocol negotiate with 2.???
	dialect        smb2.Dialect
	clientGUID     smb2.GUID
	clientCaps     smb2.Capabilities
	clientSecMode  smb2.SecurityMode
	clientDialects []smb2.Dialect
	cipher         smb2.CipherID
	signAlg        smb2.SigningAlgorithm
	preauth        []byte // connection preauth integrity hash (3.1.1)

	credits creditWindow

	mu       sync.Mutex
	sessions map[uint64]*liveSession // including sessions being set up
	closing  atomic.Bool
}

func newConn(s *Server, nc net.Conn, ip string) *conn {
	cname := `\\` + ip
	return &conn{srv: s, nc: nc, clientAddr: cname[2:], cname: cname}
}

// serve runs the connection until it fails, idles out, or is shut down.
func (c *conn) serve(ctx context.Context) {
	log := c.srv.log.With("client", c.nc.RemoteAddr().String())
	stop := context.AfterFunc(ctx, c.shutdown)
	defer func() {
		stop()
		if r := recover(); r != nil {
			// A bug must not take the whole server down: drop this
			// connection only, and say so loudly.
			log.Error("panic serving connection", "panic", fmt.Sprint(r))
			if c.srv.onPanic != nil {
				c.srv.onPanic(r)
			}
		}
		c.teardown()
		c.nc.Close()
		c.srv.forget(c)
	}()
	log.Debug("connection accepted")
	for {
		timeout := c.srv.limits.IdleTimeout
		if !c.hasSession() {
			timeout = c.srv.limits.SetupTimeout
		}
		c.nc.SetReadDeadline(time.Now().Add(timeout))
		frame, err := c.readFrame()
		if err != nil {
			if !c.closing.Load() && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				log.Info("connection closed", "err", err)
			}
			return
		}
		if err := c.handleFrame(frame); err != nil {
			if !c.closing.Load() {
				log.Warn("connection dropped", "err", err)
			}
			return
		}
	}
}

func (c *conn) hasSession() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.sessions {
		if s.state.Load() == sessionValid {
			return true
		}
	}
	return false
}

// readFrame reads one Direct TCP transport frame (MS-SMB2 2.1): a zero
// byte, a 24-bit big-endian length, and the message.
func (c *conn) readFrame() ([]byte, error) {
	if _, err := io.ReadFull(c.nc, c.lenBuf[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(c.lenBuf[:])
	if n>>24 != 0 {
		return nil, dropf("transport frame type 0x%02X", n>>24)
	}
	if n < 4 || int(n) > c.maxFrame() {
		return nil, dropf("transport frame of %d bytes", n)
	}
	frame := make([]byte, n)
	if _, err := io.ReadFull(c.nc, frame); err != nil {
		return nil, err
	}
	return frame, nil
}

// maxFrame bounds a request frame: the largest WRITE or IOCTL we allow
// plus room for headers, a compound chain and an encryption header.
func (c *conn) maxFrame() int { return c.srv.limits.MaxIOSize + 64<<10 }

// writeFrame sends one transport frame.
func (c *conn) writeFrame(frame []byte) error {
	if len(frame) > 0xFFFFFF {
		return fmt.Errorf("server: response of %d bytes too large", len(frame))
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(frame)))
	c.nc.SetWriteDeadline(time.Now().Add(c.srv.limits.SetupTimeout))
	bufs := net.Buffers{hdr[:], frame}
	_, err := bufs.WriteTo(c.nc)
	return err
}

// shutdown ends the connection from another goroutine: the blocked Read
// fails and serve tears everything down.
func (c *conn) shutdown() {
	c.closing.Store(true)
	c.nc.SetDeadline(time.Now())
	c.nc.Close()
}

// teardown removes every session of the connection from the tables,
// closing their tree connects and opens.
func (c *conn) teardown() {
	c.mu.Lock()
	sess := make([]*liveSession, 0, len(c.sessions))
	for _, s := range c.sessions {
		sess = append(sess, s)
	}
	c.mu.Unlock()
	for _, s := range sess {
		c.logoff(s)
	}
}

// handleFrame processes one transport frame: an SMB1 negotiate, an
// encrypted message, or a plain (possibly compound) chain.
func (c *conn) handleFrame(frame []byte) error {
	switch smb2.KindOf(frame) {
	case smb2.FrameSMB1:
		return c.handleSMB1(frame)
	case smb2.FrameEncrypted:
		plain, sess, err := c.decrypt(frame)
		if err != nil {
			return err
		}
		if smb2.KindOf(plain) != smb2.FramePlain {
			return dropf("encrypted frame holds no SMB2 message")
		}
		return c.handleChain(plain, sess)
	case smb2.FramePlain:
		return c.handleChain(frame, nil)
	case smb2.FrameCompressed:
		return dropf("compressed frame, compression was not negotiated")
	}
	return dropf("unknown protocol id % X", frame[:min(4, len(frame))])
}

// request is one message of a chain as the handlers see it.
type request struct {
	hdr  smb2.Header
	body []byte
	raw  []byte // the whole message, for signatures and the preauth hash
	sess *liveSession
	tree *liveTree
	// encrypted is set when the request arrived encrypted.
	encrypted bool
	// fileID is the FileId to use when the request names
	// 0xFFFFFFFFFFFFFFFF in a related chain (MS-SMB2 3.3.5.2.7.2).
	chainFileID smb2.FileID
}

// response is what a handler returns.
type response struct {
	status ntstatus.Status
	body   smb2.Message // nil for an error, which becomes an ERROR body
	// errData is the ErrorData of an ERROR response (e.g. the required
	// size for STATUS_BUFFER_TOO_SMALL).
	errData []byte
	// fileID is the FileId a CREATE produced, for related requests.
	fileID *smb2.FileID
	// sess is set by SESSION_SETUP and LOGOFF to the session the
	// response is signed with (which the request did not have yet).
	signWith *liveSession
	// noSign is set for responses that must go out unsigned.
	noSign bool
	// afterSend runs once the response has been written (LOGOFF
	// removes the session only then, since the response is signed
	// with it).
	afterSend func()
	// preauthSess is set for SESSION_SETUP responses that go into
	// the session's preauth integrity hash.
	preauthSess *liveSession
	// connPreauth is set for the NEGOTIATE response of 3.1.1, which goes
	// into the connection's preauth integrity hash.
	connPreauth bool
}

func errResp(st ntstatus.Status) response { return response{status: st} }

// handleChain processes a plain frame: one message or a compound chain
// (MS-SMB2 3.3.5.2.7), and sends the responses as one compound frame.
func (c *conn) handleChain(frame []byte, encSess *liveSession) error {
	msgs, err := smb2.SplitCompound(frame)
	if err != nil {
		return fmt.Errorf("%w: %v", errDrop, err)
	}
	if len(msgs) > 64 {
		return dropf("compound chain of %d messages", len(msgs))
	}
	out := make([][]byte, 0, len(msgs))
	var (
		prev      *request
		prevResp  response
		signers   = make([]*liveSession, 0, len(msgs))
		after     []func()
		encryptTo = encSess
	)
	for i, raw := range msgs {
		r := &request{raw: raw, encrypted: encSess != nil}
		if err := r.hdr.Unmarshal(raw); err != nil {
			return fmt.Errorf("%w: %v", errDrop, err)
		}
		r.body = raw[smb2.HeaderSize:]
		if r.hdr.IsResponse() {
			return dropf("client sent a response (%v)", r.hdr.Command)
		}
		if r.hdr.Command == smb2.CommandCancel {
			// CANCEL has no response and consumes no credit; with
			// every request answered synchronously there is nothing
			// left to cancel (MS-SMB2 3.3.5.16).
			continue
		}
		granted, err := c.credits.consume(&r.hdr, c.dialect, c.srv.limits.MaxIOSize)
		if err != nil {
			return err
		}
		related := r.hdr.Flags&smb2.FlagRelatedOperations != 0
		var resp response
		switch {
		case related && (i == 0 || prev == nil):
			resp = errResp(ntstatus.STATUS_INVALID_PARAMETER)
		case related && prevResp.status.IsError() && prevResp.status != ntstatus.STATUS_MORE_PROCESSING_REQUIRED:
			// A failed request fails the rest of its related chain
			// (MS-SMB2 3.3.5.2.7.2).
			resp = errResp(prevResp.status)
		default:
			if related {
				// MS-SMB2 3.3.5.2.7.2: a related request works on the
				// session and tree of the previous one, whatever its
				// header says (clients send 0 or all-ones).
				r.hdr.SessionID = prev.hdr.SessionID
				r.hdr.TreeID = prev.hdr.TreeID
				r.chainFileID = prev.chainFileID
				if prevResp.fileID != nil {
					r.chainFileID = *prevResp.fileID
				}
			}
			resp = c.dispatch(r)
		}
		if resp.fileID != nil {
			r.chainFileID = *resp.fileID
		}
		msg := c.marshalResponse(r, &resp, granted, related)
		sess := resp.signWith
		if sess == nil {
			sess = r.sess
		}
		if resp.noSign {
			sess = nil
		}
		if resp.preauthSess != nil {
			resp.preauthSess.updatePreauth(msg)
		}
		if resp.connPreauth {
			c.preauth = preauthUpdate(c.preauth, msg)
		}
		if encSess == nil && sess != nil && sess.mustEncrypt(r.tree) {
			encryptTo = sess
		}
		out = append(out, msg)
		signers = append(signers, sess)
		if resp.afterSend != nil {
			after = append(after, resp.afterSend)
		}
		prev, prevResp = r, resp
	}
	if len(out) == 0 {
		return nil
	}
	var frameOut []byte
	if len(out) == 1 {
		frameOut = out[0]
	} else {
		frameOut = smb2.AppendCompound(make([]byte, 0, 64*len(out)+totalLen(out)), out...)
	}
	if encryptTo == nil {
		// Sign each message of the chain over its padded bytes
		// (MS-SMB2 3.3.4.1.1). Messages of a session without a
		// signing key (anonymous, guest, or still in setup) stay
		// unsigned.
		parts, err := smb2.SplitCompound(frameOut)
		if err != nil {
			return fmt.Errorf("server: re-splitting own response: %w", err)
		}
		for i, p := range parts {
			if i < len(signers) && signers[i] != nil {
				signers[i].sign(p)
			}
		}
	} else {
		if frameOut, err = encryptTo.seal(frameOut); err != nil {
			return err
		}
	}
	if err := c.writeFrame(frameOut); err != nil {
		return err
	}
	for _, f := range after {
		f()
	}
	return nil
}

func totalLen(m [][]byte) int {
	n := 0
	for _, b := range m {
		n += len(b) + 8
	}
	return n
}

// marshalResponse builds the response message for r.
func (c *conn) marshalResponse(r *request, resp *response, granted uint16, related bool) []byte {
	h := smb2.Header{
		CreditCharge: r.hdr.CreditCharge,
		Status:       resp.status,
		Command:      r.hdr.Command,
		Credits:      granted,
		Flags:        smb2.FlagServerToRedir,
		MessageID:    r.hdr.MessageID,
		ProcessID:    r.hdr.ProcessID,
		TreeID:       r.hdr.TreeID,
		SessionID:    r.hdr.SessionID,
	}
	if related {
		h.Flags |= smb2.FlagRelatedOperations
	}
	if resp.signWith != nil {
		h.SessionID = uint64(resp.signWith.id)
	}
	b := make([]byte, 0, smb2.HeaderSize+128)
	b = h.Marshal(b)
	if resp.body != nil && (!resp.status.IsError() || resp.status == ntstatus.STATUS_MORE_PROCESSING_REQUIRED || resp.status == ntstatus.STATUS_BUFFER_OVERFLOW) {
		return resp.body.Marshal(b)
	}
	er := smb2.ErrorResponse{Data: resp.errData}
	return er.Marshal(b)
}

// dispatch checks the session, signature and tree of a request and
// hands it to its command's handler.
func (c *conn) dispatch(r *request) response {
	cmd := r.hdr.Command
	if !c.negotiated && cmd != smb2.CommandNegotiate {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	switch cmd {
	case smb2.CommandNegotiate:
		return c.negotiate(r)
	case smb2.CommandSessionSetup:
		return c.sessionSetup(r)
	case smb2.CommandEcho:
		return response{body: &smb2.EchoResponse{}}
	}
	// Every other command needs an established session (MS-SMB2
	// 3.3.5.2.9).
	c.mu.Lock()
	s := c.sessions[r.hdr.SessionID]
	c.mu.Unlock()
	if s == nil {
		return errResp(ntstatus.STATUS_USER_SESSION_DELETED)
	}
	if s.state.Load() != sessionValid {
		if s.state.Load() == sessionExpired {
			return errResp(ntstatus.STATUS_NETWORK_SESSION_EXPIRED)
		}
		return errResp(ntstatus.STATUS_USER_SESSION_DELETED)
	}
	if st := c.checkSignature(r, s); st != ntstatus.STATUS_SUCCESS {
		return errResp(st)
	}
	r.sess = s
	s.lastActive.Store(time.Now().UnixNano())
	if s.encrypt && !r.encrypted {
		// MS-SMB2 3.3.5.2.9: an unencrypted request on a session
		// that requires encryption is refused.
		return errResp(ntstatus.STATUS_ACCESS_DENIED)
	}
	switch cmd {
	case smb2.CommandLogoff:
		return c.handleLogoff(r)
	case smb2.CommandTreeConnect:
		return c.treeConnect(r)
	}
	t := s.tree(r.hdr.TreeID)
	if t == nil {
		return errResp(ntstatus.STATUS_NETWORK_NAME_DELETED)
	}
	if t.share.EncryptData && c.dialect.Is3x() && !r.encrypted {
		return errResp(ntstatus.STATUS_ACCESS_DENIED)
	}
	r.tree = t
	switch cmd {
	case smb2.CommandTreeDisconnect:
		return c.treeDisconnect(r)
	case smb2.CommandCreate:
		return c.create(r)
	case smb2.CommandClose:
		return c.closeFile(r)
	case smb2.CommandFlush:
		return c.flush(r)
	case smb2.CommandRead:
		return c.read(r)
	case smb2.CommandWrite:
		return c.write(r)
	case smb2.CommandLock:
		return c.lock(r)
	case smb2.CommandIoctl:
		return c.ioctl(r)
	case smb2.CommandQueryDirectory:
		return c.queryDirectory(r)
	case smb2.CommandQueryInfo:
		return c.queryInfo(r)
	case smb2.CommandSetInfo:
		return c.setInfo(r)
	case smb2.CommandChangeNotify:
		return errResp(ntstatus.STATUS_NOT_SUPPORTED)
	case smb2.CommandOplockBreak:
		// No oplock or lease is ever granted, so there is nothing to
		// acknowledge.
		return errResp(statusInvalidOplockProtocol)
	}
	return errResp(ntstatus.STATUS_INVALID_PARAMETER)
}

// checkSignature enforces signing on an established session (MS-SMB2
// 3.3.5.2.4): signed requests must verify, and unsigned ones are refused
// when the session signs, unless they arrived encrypted (which
// authenticates them already).
func (c *conn) checkSignature(r *request, s *liveSession) ntstatus.Status {
	if r.encrypted || s.signer == nil {
		return ntstatus.STATUS_SUCCESS
	}
	if r.hdr.Flags&smb2.FlagSigned == 0 {
		return ntstatus.STATUS_ACCESS_DENIED
	}
	if !s.verify(r.raw) {
		return ntstatus.STATUS_ACCESS_DENIED
	}
	return ntstatus.STATUS_SUCCESS
}

// creditWindow is the command sequence window of MS-SMB2 3.3.1.1: the
// message IDs the client may use, [lo, hi), minus those already used out
// of order.
type creditWindow struct {
	lo, hi uint64
	used   map[uint64]struct{} // used IDs above lo; nil while in order
}

// maxCredits bounds the credits a client may hold (Windows grants up to
// 512 by default).
const maxCredits = 512

// consume checks a request's MessageId and CreditCharge against the
// window, removes them from it, and returns the credits to grant in the
// response.
func (w *creditWindow) consume(h *smb2.Header, d smb2.Dialect, maxIO int) (uint16, error) {
	if w.hi == 0 {
		w.hi = 1 // the first NEGOTIATE may use MessageId 0
	}
	charge := uint64(h.CreditCharge)
	if charge == 0 {
		charge = 1
	}
	if charge > uint64(maxIO/65536+1) {
		return 0, dropf("CreditCharge %d", h.CreditCharge)
	}
	mid := h.MessageID
	if mid < w.lo || mid+charge > w.hi || mid+charge < mid {
		return 0, dropf("MessageId %d (charge %d) outside the credit window [%d,%d)", mid, charge, w.lo, w.hi)
	}
	for id := mid; id < mid+charge; id++ {
		if _, dup := w.used[id]; dup {
			return 0, dropf("MessageId %d reused", id)
		}
	}
	if mid == w.lo {
		w.lo += charge
		for {
			if _, ok := w.used[w.lo]; !ok {
				break
			}
			delete(w.used, w.lo)
			w.lo++
		}
		if len(w.used) == 0 {
			w.used = nil
		}
	} else {
		if w.used == nil {
			w.used = map[uint64]struct{}{}
		}
		for id := mid; id < mid+charge; id++ {
			w.used[id] = struct{}{}
		}
	}
	// Grant what was asked, at least one, keeping the client's total
	// within maxCredits.
	outstanding := w.hi - w.lo - uint64(len(w.used))
	want := uint64(h.Credits)
	if want == 0 {
		want = 1
	}
	grant := min(want, maxCredits-min(outstanding, maxCredits))
	if grant == 0 && outstanding == 0 {
		grant = 1
	}
	w.hi += grant
	return uint16(grant), nil
}
