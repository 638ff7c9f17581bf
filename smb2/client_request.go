package smb2

import (
	"context"
	"fmt"
	"time"

	"github.com/lanman/lanman/ntstatus"
)

// creditTarget is how many credits the client tries to hold: enough for
// a deep pipeline of 1 MiB reads. Each request asks for what it spends
// plus a little more until the window reaches the target.
const creditTarget = 512

// request is one message to send, alone or in a compound.
type request struct {
	body      Message
	treeID    uint32
	sess      *Session // signs and encrypts; nil before session setup
	encrypt   bool     // this message must travel encrypted
	related   bool     // FlagRelatedOperations (not on the first of a chain)
	charge    int      // credits; 0 means 1
	sessionID uint64   // overrides sess.id (SESSION_SETUP before an ID exists)
}

func (r *request) creditCharge() int { return max(r.charge, 1) }

// roundTrip sends one request and waits for its final response, which it
// returns decoded into resp. A failure status becomes a *StatusError,
// except the statuses ok lists, which are returned with a nil error.
func (c *Conn) roundTrip(ctx context.Context, req *request, resp Message, ok ...ntstatus.Status) (*response, error) {
	calls, err := c.send(ctx, []*request{req})
	if err != nil {
		return nil, err
	}
	r, err := c.wait(ctx, calls[0])
	if err != nil {
		return nil, err
	}
	return r, decodeResponse(r, resp, ok...)
}

// decodeResponse turns a response into resp or an error.
func decodeResponse(r *response, resp Message, ok ...ntstatus.Status) error {
	st := r.hdr.Status
	if st != ntstatus.STATUS_SUCCESS && !containsStatus(ok, st) {
		se := &StatusError{Command: r.hdr.Command, Status: st}
		var e ErrorResponse
		if e.Unmarshal(r.body) == nil {
			se.Data = &e
		}
		return se
	}
	if resp == nil {
		return nil
	}
	// A warning or an accepted error may come as an ERROR body
	// (STATUS_BUFFER_OVERFLOW on an IOCTL comes as a full IOCTL body).
	if err := resp.Unmarshal(r.body); err != nil {
		if st != ntstatus.STATUS_SUCCESS {
			var e ErrorResponse
			if e.Unmarshal(r.body) == nil {
				return &StatusError{Command: r.hdr.Command, Status: st, Data: &e}
			}
		}
		return fmt.Errorf("smb2: %s response: %w", r.hdr.Command, err)
	}
	return nil
}

func containsStatus(list []ntstatus.Status, s ntstatus.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// send writes reqs as one frame (a related compound when len(reqs) > 1)
// and returns a call per request, in order. Credits for all of them are
// taken first, waiting with ctx.
func (c *Conn) send(ctx context.Context, reqs []*request) ([]*call, error) {
	return c.sendFrames(ctx, [][]*request{reqs})
}

// sendFrames writes several frames, each one message or one compound
// chain, back to back in a single socket write, and returns a call per
// request, in order. It is how requests are pipelined without being
// compounded: a server processes the frames one after the other, as if
// each had been sent alone, and some requests (a READ on a named pipe
// that may wait for data) cannot go in the middle of a compound (MS-SMB2
// 3.3.5.2.7). The write counts as one round trip.
func (c *Conn) sendFrames(ctx context.Context, frames [][]*request) ([]*call, error) {
	charge, nreq := 0, 0
	for _, reqs := range frames {
		for _, r := range reqs {
			charge += r.creditCharge()
		}
		nreq += len(reqs)
	}
	if err := c.credits.acquire(ctx, charge); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("smb2: waiting for %d credits: %w", charge, err)
		}
		return nil, err
	}
	askFor := 0
	if c.credits.available() < creditTarget {
		askFor = 32
	}
	// Marshal outside the send lock; IDs are patched in under it.
	built := make([]builtFrame, len(frames))
	for i, reqs := range frames {
		built[i] = c.buildFrame(reqs, askFor)
		if built[i].encrypt && (built[i].encSess == nil || !built[i].encSess.canEncrypt()) {
			c.credits.release(charge)
			return nil, fmt.Errorf("smb2: %s: %w", reqs[0].body.Command(), ErrEncryptionUnavailable)
		}
	}

	calls := make([]*call, 0, nreq)
	c.sendMu.Lock()
	id := c.nextID
	var out []byte
	for i, reqs := range frames {
		var err error
		id, out, err = c.sealFrame(reqs, &built[i], id, out, &calls)
		if err != nil {
			c.sendMu.Unlock()
			c.credits.release(charge)
			return nil, err
		}
	}

	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		c.sendMu.Unlock()
		return nil, err
	}
	for _, cl := range calls {
		c.calls[cl.id] = cl
	}
	c.mu.Unlock()
	c.nextID = id
	err := c.write(ctx, out)
	c.sendMu.Unlock()
	if err != nil {
		// A partial write leaves the stream unusable.
		c.closeWith(err)
		return nil, fmt.Errorf("smb2: send %s: %w", frames[0][0].body.Command(), err)
	}
	c.roundTrips.Add(1)
	c.messages.Add(uint64(nreq))
	return calls, nil
}

// builtFrame is one frame marshalled, before its message IDs, signatures
// and encryption.
type builtFrame struct {
	frame   []byte // with room for the transport header at [0:4]
	starts  []int  // offset of each message in frame
	encrypt bool
	encSess *Session
}

// buildFrame marshals reqs as one frame: one message, or a compound chain
// padded to 8-byte boundaries.
func (c *Conn) buildFrame(reqs []*request, askFor int) builtFrame {
	b := builtFrame{starts: make([]int, len(reqs))}
	frame := make([]byte, 4, 4+HeaderSize*len(reqs)+256)
	for i, r := range reqs {
		b.starts[i] = len(frame)
		h := Header{
			CreditCharge: uint16(r.creditCharge()),
			Credits:      uint16(r.creditCharge() + askFor),
			TreeID:       r.treeID,
			ProcessID:    0xFEFF,
		}
		if !c.multiCredit {
			// MS-SMB2 3.2.4.1.5: 2.0.2 (or no LARGE_MTU) sends 0.
			h.CreditCharge = 0
		}
		if r.sess != nil {
			h.SessionID = r.sess.id
		}
		if r.sessionID != 0 {
			h.SessionID = r.sessionID
		}
		if r.related {
			h.Flags |= FlagRelatedOperations
		}
		frame = AppendMessage(frame, &h, r.body)
		if r.encrypt {
			b.encrypt = true
			if b.encSess == nil {
				b.encSess = r.sess
			}
		}
	}
	if len(reqs) > 1 {
		// Pad and chain: AppendCompound works on separate messages.
		msgs := make([][]byte, len(reqs))
		for i := range reqs {
			end := len(frame)
			if i+1 < len(reqs) {
				end = b.starts[i+1]
			}
			msgs[i] = frame[b.starts[i]:end]
		}
		frame = AppendCompound(make([]byte, 4, len(frame)+8*len(reqs)), msgs...)
		// Recompute the message starts in the padded frame.
		off := 4
		for i := range reqs {
			b.starts[i] = off
			off += int(le.Uint32(frame[off+headerNextCommandOffset:]))
		}
	}
	b.frame = frame
	return b
}

// sealFrame gives the messages of a built frame their IDs from id on,
// signs or encrypts it, appends it with its transport header to out and
// adds a call per request to calls. Called with sendMu held.
func (c *Conn) sealFrame(reqs []*request, b *builtFrame, id uint64, out []byte, calls *[]*call) (uint64, []byte, error) {
	frame, starts := b.frame, b.starts
	first := len(*calls)
	for i, r := range reqs {
		le.PutUint64(frame[starts[i]+headerMessageIDOffset:], id)
		*calls = append(*calls, &call{
			id:      id,
			cmd:     r.body.Command(),
			sess:    r.sess,
			encrypt: r.encrypt,
			ch:      make(chan *response, 1),
		})
		id += uint64(r.creditCharge())
	}
	// Sign each message of the chain over its padded bytes.
	for i, r := range reqs {
		end := len(frame)
		if i+1 < len(reqs) {
			end = starts[i+1]
		}
		if !b.encrypt && r.sess != nil && r.sess.signs() {
			r.sess.sign(frame[starts[i]:end], false)
		}
		(*calls)[first+i].req = frame[starts[i]:end]
	}
	wire := frame
	if b.encrypt {
		var err error
		wire, err = b.encSess.encrypt(frame[4:])
		if err != nil {
			return id, out, fmt.Errorf("smb2: encrypt %s: %w", reqs[0].body.Command(), err)
		}
	}
	if len(wire)-4 > maxTransportFrame {
		return id, out, fmt.Errorf("smb2: %s: %d-byte message: %w", reqs[0].body.Command(), len(wire)-4, ErrFrameTooLarge)
	}
	putFrameHeader(wire, len(wire)-4)
	if out == nil {
		// The common case, one frame: write it as it is.
		return id, wire, nil
	}
	return id, append(out, wire...), nil
}

// write writes one frame, bounded by ctx and the write timeout. Called
// with sendMu held.
func (c *Conn) write(ctx context.Context, frame []byte) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(c.opts.WriteTimeout)
	}
	c.nc.SetWriteDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { c.nc.SetWriteDeadline(time.Unix(1, 0)) })
	_, err := c.nc.Write(frame)
	stop()
	if err == nil {
		c.bytesSent.Add(uint64(len(frame)))
	} else if ctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return err
}

// wait waits for cl's final response. When ctx ends first it sends an
// SMB2 CANCEL for the request (MS-SMB2 3.2.4.24) and returns ctx's error;
// the response, when it comes, is dropped.
func (c *Conn) wait(ctx context.Context, cl *call) (*response, error) {
	select {
	case r := <-cl.ch:
		if r.err != nil {
			return nil, r.err
		}
		return r, nil
	case <-c.done:
		return nil, c.Err()
	case <-ctx.Done():
	}
	c.mu.Lock()
	if _, pending := c.calls[cl.id]; !pending {
		// Answered meanwhile (the reader is about to deliver it), or
		// the connection ended.
		c.mu.Unlock()
		select {
		case r := <-cl.ch:
			if r.err != nil {
				return nil, r.err
			}
			return r, nil
		case <-c.done:
			return nil, c.Err()
		}
	}
	cl.abandoned = true
	async, asyncID := cl.async, cl.asyncID
	c.mu.Unlock()
	c.cancel(cl, async, asyncID)
	return nil, fmt.Errorf("smb2: %s: %w", cl.cmd, ctx.Err())
}

// cancel sends an SMB2 CANCEL for cl. It takes no credit and gets no
// answer (MS-SMB2 3.2.4.1.3); failures are ignored, as the caller has
// already given up.
func (c *Conn) cancel(cl *call, async bool, asyncID uint64) {
	h := Header{MessageID: cl.id, ProcessID: 0xFEFF}
	if async {
		h.Flags |= FlagAsyncCommand
		h.AsyncID = asyncID
	}
	if cl.sess != nil {
		h.SessionID = cl.sess.id
	}
	frame := AppendMessage(make([]byte, 4, 4+HeaderSize+4), &h, &CancelRequest{})
	out := frame
	if cl.encrypt && cl.sess != nil && cl.sess.canEncrypt() {
		var err error
		if out, err = cl.sess.encrypt(frame[4:]); err != nil {
			return
		}
	} else if cl.sess != nil && cl.sess.signs() {
		cl.sess.sign(frame[4:], true)
	}
	putFrameHeader(out, len(out)-4)
	ctx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	c.sendMu.Lock()
	err := c.write(ctx, out)
	c.sendMu.Unlock()
	if err != nil {
		c.closeWith(err)
	}
}
