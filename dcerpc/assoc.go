package dcerpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/win32"
)

// maxPendingOutput bounds the reply bytes an association keeps for a
// client that sends requests without reading the replies.
const maxPendingOutput = 16 << 20

type presentation struct {
	iface SyntaxID
	h     Handler
}

type authState uint8

const (
	authNone authState = iota
	authPending
	authEstablished
	authFailed
)

// inCall is a request being reassembled from fragments.
type inCall struct {
	active    bool
	discard   bool // faulted already; drop its remaining fragments
	callID    uint32
	ctxID     uint16
	opnum     uint16
	object    UUID
	hasObject bool
	stub      []byte
}

// Association is the server side of one connection: a named pipe open or
// a TCP connection. It is driven by bytes: Write takes what the client
// sent (SMB2 WRITE or the input of an IOCTL FSCTL_PIPE_TRANSCEIVE, in any
// chunking), runs the handlers of complete calls, and queues the reply
// PDUs; Read returns them one message (one PDU) at a time, as a
// message-mode pipe does.
//
// An error from Write means the association must be closed: flush what
// Read still returns (a last fault or bind_nak), then close the pipe or
// connection. Hostile input faults or closes; it never panics, blocks or
// grows memory without bound. An Association is safe for concurrent use,
// but calls are processed one at a time.
type Association struct {
	s    *Server
	opts AssociationOptions

	mu       sync.Mutex
	closed   bool
	in       []byte
	scratch  []byte
	out      [][]byte
	outOff   int
	outBytes int

	bound      bool
	maxXmit    uint16
	maxRecv    uint16
	assocGroup uint32
	contexts   map[uint16]presentation
	features   uint8
	headerSign bool

	auth     authState
	acc      gss.Acceptor
	sec      *secContext
	identity gss.Identity

	cur inCall
}

// Write feeds bytes received from the client. Handlers of calls completed
// by b run before Write returns, with ctx. Write never keeps b.
func (a *Association) Write(ctx context.Context, b []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return ErrClosed
	}
	for len(b) > 0 {
		if len(a.in) == 0 {
			n, err := a.frameLength(b)
			if err != nil {
				return a.fatal(err)
			}
			if n > 0 && len(b) >= n {
				if err := a.handle(ctx, b[:n]); err != nil {
					return a.fatal(err)
				}
				b = b[n:]
				continue
			}
			a.in = append(a.in, b...)
			return nil
		}
		n, err := a.frameLength(a.in)
		if err != nil {
			return a.fatal(err)
		}
		if n == 0 {
			take := min(HeaderLen-len(a.in), len(b))
			a.in = append(a.in, b[:take]...)
			b = b[take:]
			continue
		}
		take := min(n-len(a.in), len(b))
		a.in = append(a.in, b[:take]...)
		b = b[take:]
		if len(a.in) < n {
			return nil
		}
		err = a.handle(ctx, a.in)
		a.in = a.in[:0]
		if err != nil {
			return a.fatal(err)
		}
	}
	return nil
}

// frameLength is PDULength plus the checks that must happen before the
// association buffers a PDU: a header it cannot parse is answered (a
// bind_nak for a bind of another version) and closes the association; a
// fragment above the negotiated size is a protocol error.
func (a *Association) frameLength(b []byte) (int, error) {
	n, err := PDULength(b)
	if err != nil {
		if len(b) >= 16 && PacketType(b[2]) == PTypeBind && errors.Is(err, ErrVersion) {
			a.queueNak(callIDOf(b), RejectProtocolVersionNotSupported)
		}
		return 0, err
	}
	if n > 0 && a.bound && n > int(a.maxRecv) {
		a.queueFault(callIDOf(b), 0, FaultProtoError, true)
		return 0, fmt.Errorf("%w: %d-byte fragment above the negotiated %d", ErrProtocol, n, a.maxRecv)
	}
	return n, nil
}

func callIDOf(b []byte) uint32 {
	if len(b) < HeaderLen {
		return 0
	}
	return uint32(b[12]) | uint32(b[13])<<8 | uint32(b[14])<<16 | uint32(b[15])<<24
}

func (a *Association) fatal(err error) error {
	a.closed = true
	a.in = nil
	a.cur = inCall{}
	a.s.log("dcerpc: closing association", "err", err)
	return err
}

// Read copies the next bytes of the pending reply message into p. more
// is true when the message did not fit and the rest is still pending (an
// SMB server answers STATUS_BUFFER_OVERFLOW then). n is 0 when nothing is
// pending.
func (a *Association) Read(p []byte) (n int, more bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.out) == 0 {
		return 0, false
	}
	m := a.out[0][a.outOff:]
	n = copy(p, m)
	a.outOff += n
	a.outBytes -= n
	if a.outOff < len(a.out[0]) {
		return n, true
	}
	a.out[0] = nil
	a.out = a.out[1:]
	a.outOff = 0
	return n, false
}

// Pending is the number of reply bytes waiting to be read.
func (a *Association) Pending() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.outBytes
}

// Transceive is FSCTL_PIPE_TRANSCEIVE: it writes in and reads the first
// reply message into out. more is true when the message was larger than
// out (STATUS_BUFFER_OVERFLOW); the rest comes from Read. When Write
// fails, whatever reply was queued before is still returned with the
// error.
func (a *Association) Transceive(ctx context.Context, in, out []byte) (n int, more bool, err error) {
	err = a.Write(ctx, in)
	n, more = a.Read(out)
	return n, more, err
}

// Close ends the association; later Writes fail with ErrClosed.
func (a *Association) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	a.in, a.out, a.outBytes, a.outOff = nil, nil, 0, 0
	a.cur = inCall{}
}

// Identity is the caller: from RPC-level authentication once established,
// else the transport's.
func (a *Association) Identity() gss.Identity {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.callerIdentity()
}

func (a *Association) callerIdentity() gss.Identity {
	if a.auth == authEstablished {
		return a.identity
	}
	return a.opts.Identity
}

func (a *Association) queue(b []byte) {
	a.out = append(a.out, b)
	a.outBytes += len(b)
}

// handle processes one whole PDU. An error closes the association.
func (a *Association) handle(ctx context.Context, pdu []byte) error {
	h, err := ParseHeader(pdu)
	if err != nil {
		return err
	}
	switch h.Type {
	case PTypeBind:
		return a.onBind(pdu)
	case PTypeAlterContext:
		return a.onAlter(pdu)
	case PTypeAuth3:
		return a.onAuth3(pdu)
	case PTypeRequest:
		if a.outBytes > maxPendingOutput {
			return fmt.Errorf("%w: client does not read its replies", ErrTooLarge)
		}
		if a.sec != nil && a.sec.level == AuthLevelPrivacy {
			// Unsealing decrypts in place; never in the caller's buffer.
			a.scratch = append(a.scratch[:0], pdu...)
			pdu = a.scratch
		}
		return a.onRequest(ctx, h, pdu)
	case PTypeCoCancel:
		// Calls run to completion as soon as their last fragment arrives;
		// there is nothing in flight to cancel.
		return nil
	case PTypeOrphaned:
		if a.cur.active && a.cur.callID == h.CallID {
			a.cur = inCall{}
		}
		return nil
	default:
		a.queueFault(h.CallID, 0, FaultProtoError, true)
		return fmt.Errorf("%w: client sent %s", ErrProtocol, h.Type)
	}
}

func (a *Association) queueNak(callID uint32, reason uint16) {
	p := BindNakPDU{
		Header:   Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: callID},
		Reason:   reason,
		Versions: []Version{{5, 0}},
	}
	b, _ := p.Append(nil)
	a.queue(b)
}

func (a *Association) queueFault(callID uint32, ctxID uint16, status Fault, didNotExecute bool) {
	p := FaultPDU{
		Header:    Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: callID},
		AllocHint: faultFixedLen,
		ContextID: ctxID,
		Status:    status,
	}
	if didNotExecute {
		p.Flags |= FlagDidNotExecute
	}
	b, _ := p.Append(nil)
	a.queue(b)
}

func (a *Association) onBind(pdu []byte) error {
	var p BindPDU
	if err := p.Unmarshal(pdu); err != nil {
		a.queueNak(callIDOf(pdu), RejectNotSpecified)
		return err
	}
	if a.bound {
		a.queueNak(p.CallID, RejectNotSpecified)
		return fmt.Errorf("%w: second bind on an association", ErrProtocol)
	}
	if len(p.Contexts) == 0 {
		a.queueNak(p.CallID, RejectNotSpecified)
		return nil
	}
	var tok []byte
	if p.Auth != nil {
		var reason uint16
		tok, reason = a.startAuth(p.Auth)
		if reason != 0 || a.auth == authFailed {
			if reason == 0 {
				reason = RejectNotSpecified
			}
			a.resetAuth()
			a.queueNak(p.CallID, reason)
			return nil
		}
		a.headerSign = p.Flags&FlagSupportHeaderSign != 0
	}
	mf := a.s.maxFrag()
	a.maxXmit = max(min(p.MaxRecvFrag, mf), MinFrag)
	a.maxRecv = max(min(p.MaxXmitFrag, mf), MinFrag)
	a.assocGroup = p.AssocGroupID
	if a.assocGroup == 0 {
		a.assocGroup = 0x12340000 + a.s.assocGroup.Add(1)
	}
	ack := BindAckPDU{
		Header:        Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: p.CallID},
		MaxXmitFrag:   a.maxXmit,
		MaxRecvFrag:   a.maxRecv,
		AssocGroupID:  a.assocGroup,
		SecondaryAddr: a.opts.SecondaryAddr,
		Results:       a.negotiate(p.Contexts, true),
	}
	if a.headerSign {
		ack.Flags |= FlagSupportHeaderSign
	}
	if p.Auth != nil && len(tok) > 0 {
		ack.Auth = &AuthVerifier{Type: a.sec.typ, Level: a.sec.level, ContextID: a.sec.ctxID, Value: tok}
	}
	b, err := ack.Append(nil)
	if err != nil {
		return err
	}
	a.bound = true
	a.queue(b)
	return nil
}

// negotiate answers each proposed presentation context (MS-RPCE
// 3.3.1.5.6): NDR20 for a registered interface, bind time feature
// negotiation acknowledged (MS-RPCE 3.3.1.5.3), and the right rejection
// reason otherwise.
func (a *Association) negotiate(elems []ContextElem, isBind bool) []Result {
	rs := make([]Result, len(elems))
	for i, e := range elems {
		if isBind && len(e.TransferSyntaxes) == 1 {
			if bits, ok := bindTimeFeatures(e.TransferSyntaxes[0]); ok {
				// Neither security context multiplexing nor anything but
				// keeping the connection after an orphaned PDU (which
				// costs nothing here) is supported.
				a.features = bits & FeatureKeepConnectionOnOrphan
				rs[i] = Result{Result: ResultNegotiateAck, Reason: uint16(a.features)}
				continue
			}
		}
		h, ok := a.s.lookup(e.AbstractSyntax)
		if !ok {
			rs[i] = Result{Result: ResultProviderRejection, Reason: ReasonAbstractSyntaxNotSupported}
			continue
		}
		ndr := false
		for _, ts := range e.TransferSyntaxes {
			if ts == NDR20 {
				ndr = true
				break
			}
		}
		if !ndr {
			rs[i] = Result{Result: ResultProviderRejection, Reason: ReasonProposedTransferSyntaxesNotSupp}
			continue
		}
		if old, ok := a.contexts[e.ContextID]; ok {
			if old.iface != e.AbstractSyntax {
				rs[i] = Result{Result: ResultProviderRejection, Reason: ReasonNotSpecified}
				continue
			}
		} else if len(a.contexts) >= a.s.maxContexts() {
			rs[i] = Result{Result: ResultProviderRejection, Reason: ReasonLocalLimitExceeded}
			continue
		}
		a.contexts[e.ContextID] = presentation{iface: e.AbstractSyntax, h: h}
		rs[i] = Result{Result: ResultAcceptance, TransferSyntax: NDR20}
	}
	return rs
}

func (a *Association) resetAuth() {
	a.auth, a.acc, a.sec = authNone, nil, nil
}

// startAuth begins a security context from the first leg's verifier. It
// returns the token to answer with, or a bind_nak reason.
func (a *Association) startAuth(av *AuthVerifier) ([]byte, uint16) {
	if a.s.Acceptor == nil {
		return nil, RejectAuthenticationTypeNotRecog
	}
	level := av.Level
	if level == AuthLevelDefault {
		level = AuthLevelConnect
	}
	switch level {
	case AuthLevelConnect, AuthLevelIntegrity, AuthLevelPrivacy:
	default:
		return nil, RejectNotSpecified
	}
	acc, err := a.s.Acceptor(av.Type)
	if err != nil || acc == nil {
		return nil, RejectAuthenticationTypeNotRecog
	}
	a.acc = acc
	a.sec = &secContext{typ: av.Type, level: level, ctxID: av.ContextID}
	a.auth = authPending
	return a.stepAuth(av.Value), 0
}

// stepAuth feeds one token to the acceptor; failure leaves the state
// authFailed.
func (a *Association) stepAuth(tok []byte) []byte {
	// The mechanism may keep the token (NTLM's MIC covers all three
	// messages); it must not alias the caller's buffer.
	out, done, err := a.acc.Step(bytes.Clone(tok))
	if err != nil {
		a.s.log("dcerpc: authentication failed", "err", err)
		a.auth = authFailed
		return nil
	}
	if done {
		if err := a.establish(); err != nil {
			a.s.log("dcerpc: authentication failed", "err", err)
			a.auth = authFailed
			return nil
		}
	}
	return out
}

func (a *Association) establish() error {
	if a.sec.level >= AuthLevelIntegrity {
		var ms gss.MessageSecurity
		if a.s.MessageSecurity != nil {
			var err error
			if ms, err = a.s.MessageSecurity(a.acc); err != nil {
				return err
			}
		} else if m, ok := a.acc.(MessageSecurer); ok {
			var err error
			if ms, err = m.MessageSecurity(); err != nil {
				return err
			}
		}
		if ms == nil {
			return fmt.Errorf("%w: security provider offers no message protection", ErrAuth)
		}
		a.sec.ms = ms
	}
	a.identity = a.acc.Identity()
	a.auth = authEstablished
	return nil
}

func (a *Association) onAuth3(pdu []byte) error {
	var p Auth3PDU
	if err := p.Unmarshal(pdu); err != nil {
		return err
	}
	// The server never answers rpc_auth_3 (MS-RPCE 3.3.1.5.2.1); a
	// failure shows on the next request as an access denied fault.
	if a.auth != authPending || p.Auth.Type != a.sec.typ || p.Auth.ContextID != a.sec.ctxID {
		a.s.log("dcerpc: unexpected rpc_auth_3")
		if a.auth == authPending {
			a.auth = authFailed
		}
		return nil
	}
	if out := a.stepAuth(p.Auth.Value); a.auth == authPending || len(out) > 0 {
		a.s.log("dcerpc: security context not complete after rpc_auth_3")
		a.auth = authFailed
	}
	return nil
}

func (a *Association) onAlter(pdu []byte) error {
	var p AlterContextPDU
	if err := p.Unmarshal(pdu); err != nil {
		a.queueFault(callIDOf(pdu), 0, FaultProtoError, true)
		return err
	}
	if !a.bound {
		a.queueFault(p.CallID, 0, FaultProtoError, true)
		return fmt.Errorf("%w: alter_context before bind", ErrProtocol)
	}
	var tok []byte
	if p.Auth != nil {
		switch {
		case a.auth == authNone:
			var reason uint16
			tok, reason = a.startAuth(p.Auth)
			if reason != 0 || a.auth == authFailed {
				a.resetAuth()
				a.queueFault(p.CallID, 0, FaultAccessDenied, true)
				return nil
			}
		case a.auth == authPending && p.Auth.Type == a.sec.typ && p.Auth.ContextID == a.sec.ctxID:
			tok = a.stepAuth(p.Auth.Value)
			if a.auth == authFailed {
				a.queueFault(p.CallID, 0, FaultAccessDenied, true)
				return nil
			}
		default:
			// One security context per connection: no multiplexing, no
			// re-authentication.
			a.queueFault(p.CallID, 0, FaultProtoError, true)
			return nil
		}
	}
	resp := AlterContextRespPDU{
		Header:       Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: p.CallID},
		MaxXmitFrag:  a.maxXmit,
		MaxRecvFrag:  a.maxRecv,
		AssocGroupID: a.assocGroup,
		Results:      a.negotiate(p.Contexts, false),
	}
	if a.headerSign {
		resp.Flags |= FlagSupportHeaderSign
	}
	if len(tok) > 0 {
		resp.Auth = &AuthVerifier{Type: a.sec.typ, Level: a.sec.level, ContextID: a.sec.ctxID, Value: tok}
	}
	b, err := resp.Append(nil)
	if err != nil {
		return err
	}
	a.queue(b)
	return nil
}

func (a *Association) onRequest(ctx context.Context, h Header, pdu []byte) error {
	if !a.bound {
		a.queueFault(h.CallID, 0, FaultProtoError, true)
		return fmt.Errorf("%w: request before bind", ErrProtocol)
	}
	var req RequestPDU
	if err := req.Unmarshal(pdu); err != nil {
		a.queueFault(h.CallID, 0, FaultProtoError, true)
		return err
	}
	first := req.Flags&FlagFirstFrag != 0
	last := req.Flags&FlagLastFrag != 0
	c := &a.cur
	if !first {
		if !c.active {
			// A fragment of a call already answered (MS-RPCE 3.3.3.5.6).
			return nil
		}
		if req.CallID != c.callID || req.Opnum != c.opnum || req.ContextID != c.ctxID {
			a.queueFault(req.CallID, req.ContextID, FaultProtoError, true)
			return fmt.Errorf("%w: fragment of call %d inside call %d", ErrProtocol, req.CallID, c.callID)
		}
	} else if c.active {
		a.queueFault(req.CallID, req.ContextID, FaultProtoError, true)
		return fmt.Errorf("%w: call %d started inside call %d", ErrProtocol, req.CallID, c.callID)
	}
	if first {
		*c = inCall{active: true, callID: req.CallID, ctxID: req.ContextID, opnum: req.Opnum,
			object: req.Object, hasObject: req.Flags&FlagObjectUUID != 0, stub: c.stub[:0]}
	}
	if last {
		defer func() { c.active = false }()
	}
	if c.discard {
		return nil
	}
	if err := a.checkAuth(pdu, &req); err != nil {
		a.queueFault(req.CallID, req.ContextID, FaultAccessDenied, true)
		return err
	}
	pres, ok := a.contexts[req.ContextID]
	if !ok {
		c.discard = true
		a.queueFault(req.CallID, req.ContextID, FaultUnknownIf, true)
		return nil
	}
	max := a.s.maxRequest()
	if int64(req.AllocHint) > int64(max) || len(c.stub)+len(req.Stub) > max {
		// MS-RPCE 3.3.3.5.4: status 5, as soon as it is known (3.3.3.5.8).
		c.discard = true
		c.stub = nil
		a.queueFault(req.CallID, req.ContextID, FaultAccessDenied, true)
		return nil
	}
	stub := req.Stub
	if !(first && last) {
		if first && cap(c.stub) == 0 {
			c.stub = make([]byte, 0, min(int(req.AllocHint), 64<<10))
		}
		c.stub = append(c.stub, req.Stub...)
		stub = c.stub
	}
	if !last {
		return nil
	}
	a.dispatch(ctx, pres, c, stub)
	if cap(c.stub) > 1<<20 {
		c.stub = nil // do not pin a large buffer to an idle association
	}
	return nil
}

// checkAuth applies the association's security context to one request
// fragment (MS-RPCE 3.3.1.5.2.2).
func (a *Association) checkAuth(pdu []byte, req *RequestPDU) error {
	switch a.auth {
	case authNone:
		if req.Auth != nil {
			return fmt.Errorf("%w: auth verifier on an unauthenticated association", ErrAuth)
		}
		return nil
	case authPending, authFailed:
		return fmt.Errorf("%w: request without an established security context", ErrAuth)
	}
	if !a.sec.protects() {
		return nil // connect level: a verifier, if any, carries nothing to check
	}
	off := RequestHeaderLen
	if req.Flags&FlagObjectUUID != 0 {
		off += 16
	}
	return a.sec.open(pdu, off, req.Auth)
}

func (a *Association) dispatch(ctx context.Context, pres presentation, c *inCall, stub []byte) {
	call := &Call{
		Interface: pres.iface,
		ContextID: c.ctxID,
		CallID:    c.callID,
		Opnum:     c.opnum,
		Object:    c.object,
		HasObject: c.hasObject,
		Stub:      stub,
		Identity:  a.callerIdentity(),
		AuthLevel: AuthLevelNone,
		Assoc:     a,
	}
	if a.auth == authEstablished {
		call.AuthType, call.AuthLevel = a.sec.typ, a.sec.level
	}
	out, err := a.serve(ctx, pres.h, call)
	if err != nil {
		status := a.faultStatus(call, err)
		a.queueFault(c.callID, c.ctxID, status, status == FaultOpRangeError || status == FaultUnknownIf)
		return
	}
	if err := a.queueResponse(c.callID, c.ctxID, out); err != nil {
		a.s.log("dcerpc: building response", "opnum", call.Opnum, "err", err)
		a.queueFault(c.callID, c.ctxID, FaultUnspec, false)
	}
}

// serve runs the handler, turning a panic into an error so that one
// faulty handler cannot take the server down.
func (a *Association) serve(ctx context.Context, h Handler, call *Call) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			a.s.log("dcerpc: handler panic", "interface", call.Interface.String(), "opnum", call.Opnum,
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			out, err = nil, FaultUnspec
		}
	}()
	return h.ServeRPC(ctx, call)
}

func (a *Association) faultStatus(call *Call, err error) Fault {
	var f Fault
	if errors.As(err, &f) && f != 0 {
		return f
	}
	var e win32.Errno
	if errors.As(err, &e) && e != 0 {
		return Fault(e)
	}
	a.s.log("dcerpc: handler error", "interface", call.Interface.String(), "opnum", call.Opnum, "err", err)
	return FaultUnspec
}

// queueResponse fragments a response stub to the negotiated size, each
// fragment its own message, signed or sealed as the context requires.
func (a *Association) queueResponse(callID uint32, ctxID uint16, stub []byte) error {
	room := int(a.maxXmit) - RequestHeaderLen
	overhead := 0
	prot := a.auth == authEstablished && a.sec.protects()
	if prot {
		overhead = secTrailerLen + a.sec.ms.SignatureSize()
		room = (room - overhead) &^ 15
	}
	if room <= 0 {
		return fmt.Errorf("dcerpc: fragment size %d leaves no room for stub data", a.maxXmit)
	}
	n := max(1, (len(stub)+room-1)/room)
	buf := make([]byte, 0, len(stub)+n*(RequestHeaderLen+overhead+15))
	var av AuthVerifier
	for i := range n {
		chunk := stub[i*room : min(len(stub), (i+1)*room)]
		p := ResponsePDU{
			Header:    Header{CallID: callID},
			AllocHint: uint32(len(stub) - i*room),
			ContextID: ctxID,
			Stub:      chunk,
		}
		if i == 0 {
			p.Flags |= FlagFirstFrag
		}
		if i == n-1 {
			p.Flags |= FlagLastFrag
		}
		if prot {
			p.Auth = a.sec.verifier(len(chunk), &av)
		}
		start := len(buf)
		var err error
		if buf, err = p.Append(buf); err != nil {
			return err
		}
		if prot {
			if err := a.sec.seal(buf[start:], RequestHeaderLen); err != nil {
				return err
			}
		}
		a.queue(buf[start:len(buf):len(buf)])
	}
	return nil
}
