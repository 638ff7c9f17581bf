package dcerpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/lanman/lanman/gss"
)

// DefaultMaxFrag is the fragment size a Client proposes and a Server
// accepts unless configured otherwise: the largest a frag_length can
// express. The bind negotiates it down to what both sides support, so it
// costs nothing against a server with a smaller limit (Samba grants at
// most 5840, as Windows does; lanman's server grants all of it). Large
// fragments save a named pipe one SMB2 READ per fragment of a long reply.
const DefaultMaxFrag = 65535

// MinFrag is the smallest fragment size every implementation must accept
// (C706 12.6.3.1 MustRecvFragSize). Negotiated sizes are never below it.
const MinFrag = 1432

// DefaultMaxResponse bounds the reassembled stub of one response.
const DefaultMaxResponse = 64 << 20

// ClientOptions configures a Client. The zero value (or nil) means an
// unauthenticated client with the defaults below.
type ClientOptions struct {
	// MaxXmitFrag and MaxRecvFrag are the fragment sizes proposed in the
	// bind; 0 means DefaultMaxFrag.
	MaxXmitFrag uint16
	MaxRecvFrag uint16
	// MaxResponse bounds a reassembled response stub; 0 means
	// DefaultMaxResponse.
	MaxResponse int
	// AssocGroupID joins an existing association group; 0 asks for a
	// new one.
	AssocGroupID uint32
	// FeatureNegotiation adds the bind time feature negotiation context
	// of MS-RPCE 3.3.1.5.3 to the bind, offering FeatureBits.
	FeatureNegotiation bool
	FeatureBits        uint8
	// Auth enables RPC-level authentication; nil binds without (over an
	// SMB pipe, the SMB session already authenticates the caller).
	Auth *ClientAuth
	// MessageReader, for a Transport that does not implement
	// MessageReader itself but wraps one, returns the one it wraps (nil
	// when there is none). It is asked at each call, so the Transport may
	// get its pipe after the Client is made.
	MessageReader func() MessageReader
}

// ClientAuth is RPC-level authentication for a Client.
type ClientAuth struct {
	// Type is AuthTypeWinNT (bare NTLMSSP, three legs ending in
	// rpc_auth_3) or AuthTypeSPNEGO (legs continued in alter_context).
	Type AuthType
	// Level is AuthLevelConnect, AuthLevelIntegrity or AuthLevelPrivacy
	// (AuthLevelDefault means connect, as MS-RPCE 2.2.1.1.8 says).
	Level AuthLevel
	// Initiator builds the security context; it is used for one bind.
	Initiator gss.Initiator
	// MessageSecurity returns the per-message protection once the context
	// is established (integrity and privacy levels). When nil, Initiator
	// must implement MessageSecurer.
	MessageSecurity func() (gss.MessageSecurity, error)
	// ContextID is the auth_context_id; any value unique on the
	// connection does.
	ContextID uint32
}

// BindError is a rejected bind or alter_context. It wraps ErrBindRejected.
type BindError struct {
	Nak    bool   // a bind_nak (else a bind_ack/alter_context_resp without acceptance)
	Reason uint16 // the bind_nak reject reason, or the result's reason
	Result uint16 // the p_cont_def_result_t when not a nak
}

func (e *BindError) Error() string {
	if e.Nak {
		return fmt.Sprintf("dcerpc: bind_nak, reason %d", e.Reason)
	}
	return fmt.Sprintf("dcerpc: presentation context not accepted (result %d, reason %d)", e.Result, e.Reason)
}

func (e *BindError) Unwrap() error { return ErrBindRejected }

// bindStage is what the Client waits for in staged binding.
type bindStage uint8

const (
	stageIdle      bindStage = iota
	stageBindAck             // bind sent
	stageAlterResp           // alter_context sent
	stageBound
)

type presContext struct {
	id    uint16
	iface SyntaxID
}

// Client is the client side of one connection-oriented association: one
// named pipe open or TCP connection. Calls on a Client are serialized, as
// a pipe is one stream; use several Clients for concurrency.
//
// A Client is used either through Bind/Call/AlterContext over its
// Transport, or in staged form, where the caller moves the bytes:
// BindPDU, HandleBindReply, NewCall. Staged use must follow the same
// order as the simple path, since signing is sequenced.
type Client struct {
	mu   sync.Mutex
	t    Transport
	opts ClientOptions

	stage       bindStage
	broken      error
	callID      uint32
	bindCallID  uint32
	maxXmit     uint16
	maxRecv     uint16 // the largest fragment the server said it sends
	assocGroup  uint32
	features    uint8
	headerSign  bool
	contexts    []presContext
	nextCtxID   uint16
	pendingCtx  []ContextElem // offered in the outstanding bind/alter_context
	authStarted bool          // the initiator has produced its first token
	authDone    bool
	sec         *secContext
	rbuf        []byte
}

// NewClient returns an unbound Client over t. t may be nil when the
// Client is only used in staged form.
func NewClient(t Transport, opts *ClientOptions) *Client {
	c := &Client{t: t}
	if opts != nil {
		c.opts = *opts
	}
	if c.opts.MaxXmitFrag == 0 {
		c.opts.MaxXmitFrag = DefaultMaxFrag
	}
	if c.opts.MaxRecvFrag == 0 {
		c.opts.MaxRecvFrag = DefaultMaxFrag
	}
	c.opts.MaxXmitFrag = max(c.opts.MaxXmitFrag, MinFrag)
	c.opts.MaxRecvFrag = max(c.opts.MaxRecvFrag, MinFrag)
	if c.opts.MaxResponse <= 0 {
		c.opts.MaxResponse = DefaultMaxResponse
	}
	return c
}

// Bind creates a Client over t and binds iface.
func Bind(ctx context.Context, t Transport, iface SyntaxID, opts *ClientOptions) (*Client, error) {
	c := NewClient(t, opts)
	if err := c.Bind(ctx, iface); err != nil {
		return nil, err
	}
	return c, nil
}

// Bind binds iface as the Client's primary interface, authenticating if
// configured: bind → bind_ack, then rpc_auth_3 (NTLM) or alter_context
// legs (SPNEGO) until the security context is established.
func (c *Client) Bind(ctx context.Context, iface SyntaxID) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t == nil {
		return errors.New("dcerpc: Bind on a Client without Transport")
	}
	out, err := c.bindPDU(iface)
	if err != nil {
		return err
	}
	needReply := true
	for out != nil {
		if !needReply {
			if err := c.t.Write(ctx, out); err != nil {
				return c.fail(fmt.Errorf("dcerpc: bind %s: %w", iface, err))
			}
			break
		}
		pdu, err := c.roundTrip(ctx, out)
		if err != nil {
			return c.fail(fmt.Errorf("dcerpc: bind %s: %w", iface, err))
		}
		out, needReply, err = c.handleBindReply(pdu)
		if err != nil {
			return err
		}
	}
	return nil
}

// roundTrip sends b with Transceive and reads one whole PDU back.
func (c *Client) roundTrip(ctx context.Context, b []byte) ([]byte, error) {
	first, err := c.t.Transceive(ctx, b)
	if err != nil {
		return nil, err
	}
	c.rbuf = append(c.rbuf[:0], first...)
	idle := 0
	for {
		n, err := PDULength(c.rbuf)
		if err != nil {
			return nil, err
		}
		if n > 0 && len(c.rbuf) >= n {
			if len(c.rbuf) > n {
				return nil, fmt.Errorf("%w: %d bytes after the reply PDU", ErrProtocol, len(c.rbuf)-n)
			}
			return c.rbuf, nil
		}
		c.rbuf = growRead(c.rbuf, n)
		m, err := c.t.Read(ctx, c.rbuf[len(c.rbuf):cap(c.rbuf)])
		c.rbuf = c.rbuf[:len(c.rbuf)+m]
		if err == nil && m == 0 {
			if idle++; idle > 100 {
				err = io.ErrNoProgress
			}
		}
		if err != nil {
			return nil, err
		}
	}
}

// growRead makes room to read the rest of a PDU of length n (0: unknown).
func growRead(b []byte, n int) []byte {
	want := max(n-len(b), HeaderLen)
	if cap(b)-len(b) < want {
		nb := make([]byte, len(b), len(b)+max(want, 4096))
		copy(nb, b)
		b = nb
	}
	return b
}

func (c *Client) fail(err error) error {
	if c.broken == nil {
		c.broken = err
	}
	return err
}

// BindPDU builds the bind PDU for iface without sending it (staged form).
// Its reply goes to HandleBindReply.
func (c *Client) BindPDU(iface SyntaxID) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bindPDU(iface)
}

func (c *Client) bindPDU(iface SyntaxID) ([]byte, error) {
	if c.stage != stageIdle {
		return nil, fmt.Errorf("%w: bind on a client that already bound", ErrProtocol)
	}
	p := BindPDU{
		Header:       Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: c.nextCallID()},
		MaxXmitFrag:  c.opts.MaxXmitFrag,
		MaxRecvFrag:  c.opts.MaxRecvFrag,
		AssocGroupID: c.opts.AssocGroupID,
	}
	p.Contexts = append(p.Contexts, ContextElem{ContextID: 0, AbstractSyntax: iface, TransferSyntaxes: []SyntaxID{NDR20}})
	c.nextCtxID = 1
	if c.opts.FeatureNegotiation {
		p.Contexts = append(p.Contexts, ContextElem{ContextID: 1, AbstractSyntax: iface,
			TransferSyntaxes: []SyntaxID{BindTimeFeatureSyntax(c.opts.FeatureBits)}})
		c.nextCtxID = 2
	}
	if a := c.opts.Auth; a != nil {
		av, err := c.firstLeg()
		if err != nil {
			return nil, err
		}
		p.Auth = av
		if a.Level >= AuthLevelIntegrity {
			p.Flags |= FlagSupportHeaderSign
		}
	}
	b, err := p.Append(nil)
	if err != nil {
		return nil, err
	}
	c.pendingCtx = p.Contexts
	c.bindCallID = p.CallID
	c.stage = stageBindAck
	return b, nil
}

func (c *Client) nextCallID() uint32 {
	c.callID++
	return c.callID
}

func (c *Client) authLevel() AuthLevel {
	l := c.opts.Auth.Level
	if l == AuthLevelDefault {
		l = AuthLevelConnect
	}
	return l
}

// firstLeg produces the auth verifier of the bind.
func (c *Client) firstLeg() (*AuthVerifier, error) {
	a := c.opts.Auth
	switch c.authLevel() {
	case AuthLevelConnect, AuthLevelIntegrity, AuthLevelPrivacy:
	default:
		return nil, fmt.Errorf("dcerpc: unsupported auth level %s", a.Level)
	}
	if a.Initiator == nil {
		return nil, errors.New("dcerpc: ClientAuth without Initiator")
	}
	tok, done, err := a.Initiator.Step(nil)
	if err != nil {
		return nil, fmt.Errorf("%w: first leg: %w", ErrAuth, err)
	}
	c.authStarted = true
	c.authDone = done
	return &AuthVerifier{Type: a.Type, Level: c.authLevel(), ContextID: a.ContextID, Value: tok}, nil
}

// HandleBindReply takes the reply to a bind or to an authentication
// alter_context (one whole PDU: bind_ack, bind_nak, alter_context_resp or
// fault) and says what to send next: nothing (next == nil: bound), a PDU
// that expects a reply (needReply: an alter_context, whose reply comes
// back here), or one that does not (rpc_auth_3, to be written with
// Transport.Write; the Client is bound once it is sent).
func (c *Client) HandleBindReply(pdu []byte) (next []byte, needReply bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.handleBindReply(pdu)
}

func (c *Client) handleBindReply(pdu []byte) ([]byte, bool, error) {
	h, err := ParseHeader(pdu)
	if err != nil {
		return nil, false, c.fail(fmt.Errorf("dcerpc: bind reply: %w", err))
	}
	if h.CallID != c.bindCallID {
		return nil, false, c.fail(fmt.Errorf("%w: bind reply call_id %d, want %d", ErrProtocol, h.CallID, c.bindCallID))
	}
	var ack BindAckPDU
	switch {
	case h.Type == PTypeBindNak && c.stage == stageBindAck:
		var nak BindNakPDU
		if err := nak.Unmarshal(pdu); err != nil {
			return nil, false, c.fail(err)
		}
		return nil, false, c.fail(&BindError{Nak: true, Reason: nak.Reason})
	case h.Type == PTypeFault && c.stage == stageAlterResp:
		var f FaultPDU
		if err := f.Unmarshal(pdu); err != nil {
			return nil, false, c.fail(err)
		}
		return nil, false, c.fail(fmt.Errorf("dcerpc: alter_context: %w", f.Status))
	case h.Type == PTypeBindAck && c.stage == stageBindAck:
		err = ack.Unmarshal(pdu)
	case h.Type == PTypeAlterContextResp && c.stage == stageAlterResp:
		err = (*AlterContextRespPDU)(&ack).Unmarshal(pdu)
	default:
		return nil, false, c.fail(fmt.Errorf("%w: unexpected %s while binding", ErrProtocol, h.Type))
	}
	if err != nil {
		return nil, false, c.fail(err)
	}
	if c.stage == stageBindAck {
		if ack.MaxRecvFrag < MinFrag || ack.MaxXmitFrag < MinFrag {
			return nil, false, c.fail(fmt.Errorf("%w: bind_ack fragment sizes %d/%d below %d",
				ErrProtocol, ack.MaxXmitFrag, ack.MaxRecvFrag, MinFrag))
		}
		c.maxXmit = min(c.opts.MaxXmitFrag, ack.MaxRecvFrag)
		// The server sends fragments of up to its max_xmit_frag, never
		// above what we proposed (C706 12.6.3.1).
		c.maxRecv = min(c.opts.MaxRecvFrag, ack.MaxXmitFrag)
		c.assocGroup = ack.AssocGroupID
		c.headerSign = ack.Flags&FlagSupportHeaderSign != 0
		if err := c.takeResults(ack.Results); err != nil {
			return nil, false, c.fail(err)
		}
	}
	if c.opts.Auth == nil {
		c.stage = stageBound
		return nil, false, nil
	}
	return c.nextLeg(ack.Auth)
}

// takeResults records the contexts the server accepted out of those
// offered (MS-RPCE 3.3.1.5.6); the first one is the primary interface.
func (c *Client) takeResults(rs []Result) error {
	if len(rs) != len(c.pendingCtx) {
		return fmt.Errorf("%w: %d results for %d presentation contexts", ErrProtocol, len(rs), len(c.pendingCtx))
	}
	for i, r := range rs {
		pc := c.pendingCtx[i]
		switch r.Result {
		case ResultAcceptance:
			if r.TransferSyntax != NDR20 {
				return fmt.Errorf("%w: server chose transfer syntax %s", ErrProtocol, r.TransferSyntax)
			}
			c.contexts = append(c.contexts, presContext{id: pc.ContextID, iface: pc.AbstractSyntax})
		case ResultNegotiateAck:
			c.features = uint8(r.Reason)
		default:
			if i == 0 {
				return &BindError{Result: r.Result, Reason: r.Reason}
			}
		}
	}
	if len(c.contexts) == 0 {
		return &BindError{Result: ResultProviderRejection}
	}
	return nil
}

// nextLeg continues the security context with the server's token.
func (c *Client) nextLeg(av *AuthVerifier) ([]byte, bool, error) {
	a := c.opts.Auth
	var tok []byte
	done := c.authDone
	if !done {
		if av == nil {
			return nil, false, c.fail(fmt.Errorf("%w: server sent no authentication token", ErrAuth))
		}
		if av.Type != a.Type || av.ContextID != a.ContextID {
			return nil, false, c.fail(fmt.Errorf("%w: server answered auth type %d context %d", ErrAuth, av.Type, av.ContextID))
		}
		var err error
		// The mechanism may keep the token (NTLM's MIC covers all three
		// messages); it must not alias a buffer that is reused.
		tok, done, err = a.Initiator.Step(bytes.Clone(av.Value))
		if err != nil {
			return nil, false, c.fail(fmt.Errorf("%w: %w", ErrAuth, err))
		}
	}
	if done {
		c.authDone = true
		if err := c.establish(); err != nil {
			return nil, false, c.fail(err)
		}
	}
	if len(tok) == 0 {
		if !done {
			return nil, false, c.fail(fmt.Errorf("%w: security provider stalled", ErrAuth))
		}
		c.stage = stageBound
		return nil, false, nil
	}
	v := &AuthVerifier{Type: a.Type, Level: c.authLevel(), ContextID: a.ContextID, Value: tok}
	if done && a.Type == AuthTypeWinNT {
		// NTLM has three legs: the last goes in rpc_auth_3, which the
		// server does not answer (MS-RPCE 3.3.1.5.2.1).
		p := Auth3PDU{Header: Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: c.bindCallID}, Auth: v}
		if c.headerSign {
			p.Flags |= FlagSupportHeaderSign
		}
		b, err := p.Append(nil)
		if err != nil {
			return nil, false, c.fail(err)
		}
		c.stage = stageBound
		return b, false, nil
	}
	// Further legs travel in alter_context, offering the same contexts as
	// the bind did.
	p := AlterContextPDU{
		Header:      Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: c.bindCallID},
		MaxXmitFrag: c.opts.MaxXmitFrag, MaxRecvFrag: c.opts.MaxRecvFrag,
		AssocGroupID: c.assocGroup,
		Contexts:     c.pendingCtx[:1],
		Auth:         v,
	}
	if c.headerSign {
		p.Flags |= FlagSupportHeaderSign
	}
	b, err := p.Append(nil)
	if err != nil {
		return nil, false, c.fail(err)
	}
	c.pendingCtx = p.Contexts
	c.stage = stageAlterResp
	return b, true, nil
}

// establish sets up message protection once the context is built.
func (c *Client) establish() error {
	a := c.opts.Auth
	s := &secContext{typ: a.Type, level: c.authLevel(), ctxID: a.ContextID}
	if s.level >= AuthLevelIntegrity {
		if a.MessageSecurity != nil {
			ms, err := a.MessageSecurity()
			if err != nil {
				return fmt.Errorf("%w: %w", ErrAuth, err)
			}
			s.ms = ms
		} else if m, ok := a.Initiator.(MessageSecurer); ok {
			ms, err := m.MessageSecurity()
			if err != nil {
				return fmt.Errorf("%w: %w", ErrAuth, err)
			}
			s.ms = ms
		}
		if s.ms == nil {
			return fmt.Errorf("%w: security provider offers no message protection for level %s", ErrAuth, s.level)
		}
	}
	c.sec = s
	return nil
}

// MaxXmitFrag is the negotiated size of the fragments the Client sends.
func (c *Client) MaxXmitFrag() uint16 { c.mu.Lock(); defer c.mu.Unlock(); return c.maxXmit }

// AssocGroupID is the association group the server assigned.
func (c *Client) AssocGroupID() uint32 { c.mu.Lock(); defer c.mu.Unlock(); return c.assocGroup }

// Features are the bind time features the server acknowledged.
func (c *Client) Features() uint8 { c.mu.Lock(); defer c.mu.Unlock(); return c.features }

// Bound reports whether the bind (and authentication) completed.
func (c *Client) Bound() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.stage == stageBound }

// Interface is a presentation context of a Client: the primary interface
// bound by Bind, or another one added with AlterContext. Its Call has the
// same signature as Client.Call.
type Interface struct {
	c     *Client
	id    uint16
	iface SyntaxID
}

// Syntax is the abstract syntax of the presentation context.
func (i *Interface) Syntax() SyntaxID { return i.iface }

// Call performs a call on this presentation context.
func (i *Interface) Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error) {
	return i.c.call(ctx, i.id, opnum, stub)
}

// AlterContext adds a presentation context for iface on the bound
// connection (an alter_context exchange) and returns it.
func (c *Client) AlterContext(ctx context.Context, iface SyntaxID) (*Interface, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.ready(); err != nil {
		return nil, err
	}
	if c.t == nil {
		return nil, errors.New("dcerpc: AlterContext on a Client without Transport")
	}
	id := c.nextCtxID
	c.nextCtxID++
	p := AlterContextPDU{
		Header:      Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: c.nextCallID()},
		MaxXmitFrag: c.opts.MaxXmitFrag, MaxRecvFrag: c.opts.MaxRecvFrag,
		AssocGroupID: c.assocGroup,
		Contexts:     []ContextElem{{ContextID: id, AbstractSyntax: iface, TransferSyntaxes: []SyntaxID{NDR20}}},
	}
	b, err := p.Append(nil)
	if err != nil {
		return nil, err
	}
	pdu, err := c.roundTrip(ctx, b)
	if err != nil {
		return nil, c.fail(fmt.Errorf("dcerpc: alter_context %s: %w", iface, err))
	}
	h, err := ParseHeader(pdu)
	if err != nil {
		return nil, c.fail(err)
	}
	if h.CallID != p.CallID {
		return nil, c.fail(fmt.Errorf("%w: alter_context_resp call_id %d, want %d", ErrProtocol, h.CallID, p.CallID))
	}
	switch h.Type {
	case PTypeFault:
		var f FaultPDU
		if err := f.Unmarshal(pdu); err != nil {
			return nil, c.fail(err)
		}
		return nil, fmt.Errorf("dcerpc: alter_context %s: %w", iface, f.Status)
	case PTypeAlterContextResp:
	default:
		return nil, c.fail(fmt.Errorf("%w: %s in reply to alter_context", ErrProtocol, h.Type))
	}
	var r AlterContextRespPDU
	if err := r.Unmarshal(pdu); err != nil {
		return nil, c.fail(err)
	}
	if len(r.Results) != 1 {
		return nil, c.fail(fmt.Errorf("%w: %d results for one presentation context", ErrProtocol, len(r.Results)))
	}
	if res := r.Results[0]; res.Result != ResultAcceptance || res.TransferSyntax != NDR20 {
		return nil, fmt.Errorf("dcerpc: alter_context %s: %w", iface, &BindError{Result: res.Result, Reason: res.Reason})
	}
	c.contexts = append(c.contexts, presContext{id: id, iface: iface})
	return &Interface{c: c, id: id, iface: iface}, nil
}

func (c *Client) ready() error {
	if c.broken != nil {
		return fmt.Errorf("%w: %w", ErrBroken, c.broken)
	}
	if c.stage != stageBound {
		return ErrNotBound
	}
	return nil
}

// Call performs a call on the primary interface: it sends the request
// stub, fragmented to the negotiated size, and returns the response stub.
// A fault from the server is returned as a Fault (wrapped).
func (c *Client) Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error) {
	return c.call(ctx, 0, opnum, stub)
}

// Primary is the Interface for the primary presentation context.
func (c *Client) Primary() *Interface {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.contexts) == 0 {
		return nil
	}
	return &Interface{c: c, id: c.contexts[0].id, iface: c.contexts[0].iface}
}

func (c *Client) call(ctx context.Context, ctxID uint16, opnum uint16, stub []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t == nil {
		return nil, errors.New("dcerpc: Call on a Client without Transport")
	}
	if len(c.contexts) > 0 && ctxID == 0 {
		ctxID = c.contexts[0].id
	}
	pc, err := c.newCall(ctxID, opnum, stub)
	if err != nil {
		return nil, err
	}
	frags := pc.Fragments()
	for _, f := range frags[:len(frags)-1] {
		if err := c.t.Write(ctx, f); err != nil {
			return nil, c.fail(fmt.Errorf("dcerpc: call opnum %d: %w", opnum, err))
		}
	}
	reply, err := c.t.Transceive(ctx, frags[len(frags)-1])
	if err != nil {
		return nil, c.fail(fmt.Errorf("dcerpc: call opnum %d: %w", opnum, err))
	}
	return c.complete(ctx, pc, reply)
}

// Complete takes reply, the first bytes of the call's reply (what
// Transport.Transceive returned for its last fragment), reads the rest
// through the Client's Transport (see Client.Call) and returns the
// response stub, or the error (a Fault for a fault PDU). It is the end of
// a staged call for a caller that moved its request itself.
func (pc *PendingCall) Complete(ctx context.Context, reply []byte) ([]byte, error) {
	c := pc.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t == nil {
		return nil, errors.New("dcerpc: Complete on a Client without Transport")
	}
	return c.complete(ctx, pc, reply)
}

// maxPipelined bounds the reads sent ahead at once.
const maxPipelined = 256

// complete feeds reply to pc and reads the rest of the reply. With a
// MessageReader, the fragments the alloc_hint makes certain are read in
// one flight (less one: see fragmentsAhead); the rest, and everything
// when the hint says nothing reliable, one read at a time.
func (c *Client) complete(ctx context.Context, pc *PendingCall, reply []byte) ([]byte, error) {
	done, err := pc.feed(reply)
	idle := 0
	for err == nil && !done {
		if mr := c.messageReader(); mr != nil {
			if n := min(pc.fragmentsAhead(int(c.maxRecv), c.opts.MaxResponse)-1, maxPipelined); n > 1 {
				var ferr error
				rerr := mr.ReadMessages(ctx, n, int(c.maxRecv), func(msg []byte) bool {
					done, ferr = pc.feed(msg)
					return ferr == nil && !done
				})
				err = ferr
				if rerr != nil {
					rerr = c.fail(fmt.Errorf("dcerpc: call opnum %d: %w", pc.opnum, rerr))
					if err == nil && !done {
						return nil, rerr
					}
					// The reply is whole; only the pipe is lost, for the
					// calls to come.
				}
				continue
			}
		}
		if cap(c.rbuf) < int(c.maxRecv) {
			c.rbuf = make([]byte, c.maxRecv)
		}
		n, rerr := c.t.Read(ctx, c.rbuf[:cap(c.rbuf)])
		if rerr == nil && n == 0 {
			if idle++; idle > 100 {
				rerr = io.ErrNoProgress
			}
		}
		if rerr != nil {
			return nil, c.fail(fmt.Errorf("dcerpc: call opnum %d: %w", pc.opnum, rerr))
		}
		done, err = pc.feed(c.rbuf[:n])
	}
	if err != nil {
		if !isFault(err) {
			c.fail(err)
		}
		return nil, err
	}
	return pc.result, nil
}

// messageReader is the Transport's MessageReader, if it has one.
func (c *Client) messageReader() MessageReader {
	if f := c.opts.MessageReader; f != nil {
		return f()
	}
	mr, _ := c.t.(MessageReader)
	return mr
}
