package dcerpc

import (
	"errors"
	"fmt"
)

// PendingCall is one call in staged form: the request fragments to send,
// and the reassembly of the reply from whatever pieces the caller feeds.
type PendingCall struct {
	c       *Client
	callID  uint32
	opnum   uint16
	frags   [][]byte
	buf     []byte // partial PDU carried between Feed calls
	result  []byte
	started bool
	done    bool
	err     error

	// The alloc_hint and stub length of the last response fragment, and
	// whether every hint so far was nonzero and agreed with the one
	// before it (see fragmentsAhead).
	lastHint uint32
	lastStub int
	hintOK   bool
}

// NewCall builds the request PDUs of a call on the primary interface
// (staged form). Send Fragments() in order — all but the last with
// Transport.Write, the last with Transport.Transceive — and feed every
// reply byte to Feed until it reports done. Calls must be made one at a
// time, in the order they are created.
//
// Without RPC-level authentication, NewCall may be called between BindPDU
// and HandleBindReply, so that the bind and the first request go out
// together (in one SMB2 compound); the reply then holds the bind_ack, for
// HandleBindReply, followed by the response, for Feed. If the bind fails,
// the call's reply is a fault or nothing at all.
func (c *Client) NewCall(opnum uint16, stub []byte) (*PendingCall, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var id uint16
	if len(c.contexts) > 0 {
		id = c.contexts[0].id
	}
	return c.newCall(id, opnum, stub)
}

// newCall fragments stub into request PDUs of at most maxXmit octets,
// each signed or sealed when the security context asks for it. All
// fragments share one allocation.
func (c *Client) newCall(ctxID uint16, opnum uint16, stub []byte) (*PendingCall, error) {
	maxXmit := c.maxXmit
	if c.stage == stageBindAck && c.opts.Auth == nil && c.broken == nil && len(c.pendingCtx) > 0 {
		// Staged optimism: the first request may be built before the
		// bind_ack arrives, so that it travels in the same SMB2 compound
		// as the bind. It goes on the first proposed context, in fragments
		// of MinFrag, the size every server accepts.
		ctxID = c.pendingCtx[0].ContextID
		maxXmit = MinFrag
	} else if err := c.ready(); err != nil {
		return nil, err
	} else if !c.hasContext(ctxID) {
		return nil, fmt.Errorf("dcerpc: presentation context %d not negotiated", ctxID)
	}
	pc := &PendingCall{c: c, callID: c.nextCallID(), opnum: opnum}
	room := int(maxXmit) - RequestHeaderLen
	overhead := 0
	if c.sec.protects() {
		overhead = secTrailerLen + c.sec.ms.SignatureSize()
		// Whole 16-octet blocks, so that only the last fragment pads.
		room = (room - overhead) &^ 15
	}
	if room <= 0 {
		return nil, fmt.Errorf("dcerpc: fragment size %d leaves no room for stub data", maxXmit)
	}
	n := max(1, (len(stub)+room-1)/room)
	buf := make([]byte, 0, len(stub)+n*(RequestHeaderLen+overhead+15))
	pc.frags = make([][]byte, 0, n)
	var av AuthVerifier
	for i := 0; i < n; i++ {
		chunk := stub[i*room : min(len(stub), (i+1)*room)]
		p := RequestPDU{
			Header:    Header{CallID: pc.callID},
			AllocHint: uint32(len(stub) - i*room),
			ContextID: ctxID,
			Opnum:     opnum,
			Stub:      chunk,
		}
		if i == 0 {
			p.Flags |= FlagFirstFrag
		}
		if i == n-1 {
			p.Flags |= FlagLastFrag
		}
		if c.sec.protects() {
			p.Auth = c.sec.verifier(len(chunk), &av)
		}
		start := len(buf)
		var err error
		buf, err = p.Append(buf)
		if err != nil {
			return nil, err
		}
		if c.sec.protects() {
			if err := c.sec.seal(buf[start:], RequestHeaderLen); err != nil {
				return nil, c.fail(err)
			}
		}
		pc.frags = append(pc.frags, buf[start:len(buf):len(buf)])
	}
	return pc, nil
}

func (c *Client) hasContext(id uint16) bool {
	for _, pc := range c.contexts {
		if pc.id == id {
			return true
		}
	}
	return false
}

// Fragments are the request PDUs, in sending order.
func (pc *PendingCall) Fragments() [][]byte { return pc.frags }

// CallID is the call_id of the call.
func (pc *PendingCall) CallID() uint32 { return pc.callID }

// Feed takes the next bytes of the reply, in any chunking, and reports
// whether the reply is complete. At the privacy level it decrypts b in
// place. After done, Result has the outcome.
func (pc *PendingCall) Feed(b []byte) (done bool, err error) {
	pc.c.mu.Lock()
	defer pc.c.mu.Unlock()
	done, err = pc.feed(b)
	if err != nil && !isFault(err) {
		pc.c.fail(err)
	}
	return done, err
}

// Result is the response stub, or the error (a Fault for a fault PDU).
func (pc *PendingCall) Result() ([]byte, error) {
	if !pc.done {
		return nil, fmt.Errorf("dcerpc: call %d: reply incomplete", pc.callID)
	}
	return pc.result, pc.err
}

func (pc *PendingCall) feed(b []byte) (bool, error) {
	if pc.done {
		if len(b) > 0 {
			return true, fmt.Errorf("%w: %d bytes after the last response fragment", ErrProtocol, len(b))
		}
		return true, pc.err
	}
	for len(b) > 0 {
		var pdu []byte
		if len(pc.buf) == 0 {
			n, err := PDULength(b)
			if err != nil {
				return pc.finish(err)
			}
			if n == 0 || len(b) < n {
				pc.buf = append(pc.buf, b...)
				return false, nil
			}
			pdu, b = b[:n], b[n:]
		} else {
			n, err := PDULength(pc.buf)
			if err != nil {
				return pc.finish(err)
			}
			if n == 0 {
				take := min(HeaderLen-len(pc.buf), len(b))
				pc.buf = append(pc.buf, b[:take]...)
				b = b[take:]
				continue
			}
			take := min(n-len(pc.buf), len(b))
			pc.buf = append(pc.buf, b[:take]...)
			b = b[take:]
			if len(pc.buf) < n {
				return false, nil
			}
			pdu = pc.buf
		}
		done, err := pc.onPDU(pdu)
		pc.buf = pc.buf[:0]
		if err != nil || done {
			if err == nil && len(b) > 0 {
				err = fmt.Errorf("%w: %d bytes after the last response fragment", ErrProtocol, len(b))
			}
			return pc.finish(err)
		}
	}
	return false, nil
}

// isFault reports whether err is a fault from the server, after which
// the connection is still in step; any other error leaves it unusable.
func isFault(err error) bool {
	var f Fault
	return errors.As(err, &f)
}

func (pc *PendingCall) finish(err error) (bool, error) {
	pc.done = true
	if err != nil && pc.err == nil {
		pc.err = err
	}
	return true, pc.err
}

// onPDU handles one whole reply PDU.
func (pc *PendingCall) onPDU(pdu []byte) (bool, error) {
	c := pc.c
	h, err := ParseHeader(pdu)
	if err != nil {
		return true, err
	}
	if h.Type == PTypeShutdown {
		return true, ErrShutdown
	}
	if h.CallID != pc.callID {
		return true, fmt.Errorf("%w: %s for call_id %d, want %d", ErrProtocol, h.Type, h.CallID, pc.callID)
	}
	switch h.Type {
	case PTypeFault:
		var f FaultPDU
		if err := f.Unmarshal(pdu); err != nil {
			return true, err
		}
		return true, fmt.Errorf("dcerpc: call opnum %d: %w", pc.opnum, f.Status)
	case PTypeResponse:
	default:
		return true, fmt.Errorf("%w: %s in reply to a request", ErrProtocol, h.Type)
	}
	var r ResponsePDU
	if err := r.Unmarshal(pdu); err != nil {
		return true, err
	}
	if !pc.started {
		if r.Flags&FlagFirstFrag == 0 {
			return true, fmt.Errorf("%w: first response fragment without PFC_FIRST_FRAG", ErrProtocol)
		}
		pc.started = true
		// alloc_hint is only a hint; never trust it past a modest size.
		pc.result = make([]byte, 0, min(int(r.AllocHint), c.opts.MaxResponse, 1<<20))
		pc.hintOK = r.AllocHint != 0
	} else if r.Flags&FlagFirstFrag != 0 {
		return true, fmt.Errorf("%w: PFC_FIRST_FRAG in the middle of a response", ErrProtocol)
	} else if int64(r.AllocHint) != int64(pc.lastHint)-int64(pc.lastStub) {
		pc.hintOK = false
	}
	pc.lastHint, pc.lastStub = r.AllocHint, len(r.Stub)
	if c.sec.protects() {
		if err := c.sec.open(pdu, RequestHeaderLen, r.Auth); err != nil {
			return true, err
		}
	}
	if len(pc.result)+len(r.Stub) > c.opts.MaxResponse {
		return true, fmt.Errorf("%w: response above %d bytes", ErrTooLarge, c.opts.MaxResponse)
	}
	pc.result = append(pc.result, r.Stub...)
	return r.Flags&FlagLastFrag != 0, nil
}

// fragmentsAhead is how many more response fragments are certain to come,
// by the alloc_hint of the last one, for a server that sends fragments of
// at most maxFrag octets; 0 when that cannot be told.
//
// MS-RPCE 2.2.2.6 asks that the alloc_hint of every fragment be the stub
// length of it and all that follow (Samba and lanman's server do so), so
// what follows the last fragment is its hint less its stub, and no
// fragment carries more stub than maxFrag less the header. A hint of 0
// (allowed: C706 12.6.4.10), one that leaves nothing to come although
// this was not the last fragment, or one that disagrees with the hint and
// stub of the fragment before says nothing reliable. The caller reads one
// fragment fewer than this ahead (a hint rounded up by a few octets must
// not leave a read waiting on an empty pipe) and the rest one by one.
func (pc *PendingCall) fragmentsAhead(maxFrag, maxResponse int) int {
	if pc.done || !pc.started || len(pc.buf) > 0 || !pc.hintOK || pc.lastStub == 0 {
		return 0
	}
	rest := int64(pc.lastHint) - int64(pc.lastStub)
	if rest <= 0 || int64(len(pc.result))+rest > int64(maxResponse) {
		return 0
	}
	per := int64(max(pc.lastStub, maxFrag-RequestHeaderLen))
	return int((rest + per - 1) / per)
}
