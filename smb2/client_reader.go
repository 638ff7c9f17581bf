package smb2

import (
	"fmt"

	"github.com/lanman/lanman/ntstatus"
)

// unsolicitedMessageID marks a message that answers no request, such as
// an oplock break (MS-SMB2 3.2.5.1.2).
const unsolicitedMessageID = ^uint64(0)

// readLoop reads frames until the connection ends and hands each
// response to the call waiting for it. Anything that breaks the framing
// (a bad length, an undecryptable or malformed frame) ends the
// connection: after it the byte stream cannot be trusted.
func (c *Conn) readLoop() {
	for {
		frame, err := readFrame(c.nc, int(c.maxFrame.Load()))
		if err != nil {
			c.closeWith(fmt.Errorf("smb2: read: %w", err))
			return
		}
		c.bytesRecv.Add(uint64(len(frame) + 4))
		if err := c.handleFrame(frame); err != nil {
			c.closeWith(err)
			return
		}
	}
}

// handleFrame processes one received frame: decrypts it when it is a
// TRANSFORM_HEADER frame, splits a compound chain, and dispatches each
// message.
func (c *Conn) handleFrame(frame []byte) error {
	var encSess *Session
	switch KindOf(frame) {
	case FramePlain:
	case FrameEncrypted:
		// MS-SMB2 3.2.5.1.1.1.
		var th TransformHeader
		if err := th.Unmarshal(frame); err != nil {
			return fmt.Errorf("smb2: received frame: %w", err)
		}
		c.mu.Lock()
		s := c.sessions[th.SessionID]
		c.mu.Unlock()
		if s == nil || !s.canEncrypt() {
			return fmt.Errorf("%w: encrypted frame for unknown session 0x%X", ErrProtocol, th.SessionID)
		}
		plain, err := s.decrypt(frame, &th)
		if err != nil {
			return fmt.Errorf("smb2: received frame: %w", err)
		}
		if KindOf(plain) != FramePlain {
			return fmt.Errorf("%w: encrypted frame holds no SMB2 message", ErrProtocol)
		}
		frame, encSess = plain, s
	case FrameSMB1:
		return fmt.Errorf("%w: SMB1 message (lanman never speaks SMB1)", ErrProtocol)
	default:
		return fmt.Errorf("%w: frame with ProtocolId % X", ErrMalformed, frame[:min(4, len(frame))])
	}
	msgs, err := SplitCompound(frame)
	if err != nil {
		return fmt.Errorf("smb2: received frame: %w", err)
	}
	for _, m := range msgs {
		if err := c.dispatch(m, encSess); err != nil {
			return err
		}
	}
	return nil
}

// dispatch matches one message to its call. Errors it returns end the
// connection; problems confined to one response fail only that call.
func (c *Conn) dispatch(msg []byte, encSess *Session) error {
	var h Header
	if err := h.Unmarshal(msg); err != nil {
		return fmt.Errorf("smb2: received message: %w", err)
	}
	if !h.IsResponse() {
		return fmt.Errorf("%w: server sent a request (%s)", ErrProtocol, h.Command)
	}
	if encSess != nil && h.SessionID != encSess.id {
		// MS-SMB2 3.2.5.1.1.1: every message of an encrypted frame
		// belongs to the session that encrypted it.
		return fmt.Errorf("%w: encrypted frame of session 0x%X carries session 0x%X", ErrProtocol, encSess.id, h.SessionID)
	}
	if h.MessageID == unsolicitedMessageID {
		// Oplock and lease breaks: lanman asks for neither.
		c.discarded.Add(1)
		return nil
	}
	c.mu.Lock()
	cl := c.calls[h.MessageID]
	if cl == nil {
		c.mu.Unlock()
		c.discarded.Add(1)
		return nil
	}
	pending := h.Status == ntstatus.STATUS_PENDING && h.IsAsync()
	if pending {
		// MS-SMB2 3.2.5.1.5: an interim response; the final one
		// follows with the same MessageId.
		cl.async, cl.asyncID = true, h.AsyncID
	} else {
		delete(c.calls, h.MessageID)
	}
	abandoned := cl.abandoned
	c.mu.Unlock()

	// MS-SMB2 3.2.5.1.4.
	c.credits.grant(int(h.Credits))
	if pending {
		return nil
	}
	if abandoned {
		c.abandonedAnswered.Add(1)
		return nil
	}
	r := &response{hdr: h, body: msg[HeaderSize:], msg: msg, encrypted: encSess != nil}
	r.err = c.check(cl, r)
	cl.ch <- r
	return nil
}

// check applies the per-response security rules: the command must match
// the request's, an encrypted session's answers must be encrypted, and a
// signing session's answers must be signed (MS-SMB2 3.2.5.1.3, 3.2.5.1.8).
func (c *Conn) check(cl *call, r *response) error {
	h := &r.hdr
	if h.Command != cl.cmd {
		return fmt.Errorf("%w: %s answered with %s", ErrProtocol, cl.cmd, h.Command)
	}
	if cl.cmd == CommandSessionSetup {
		// Verified by the session setup itself, once it has the key.
		return nil
	}
	s := cl.sess
	if s == nil {
		return nil
	}
	if cl.encrypt {
		if !r.encrypted {
			return fmt.Errorf("%w: %s answered in plaintext on an encrypted session", ErrProtocol, cl.cmd)
		}
		return nil
	}
	if r.encrypted || !s.signs() {
		return nil
	}
	if h.Flags&FlagSigned == 0 {
		switch h.Status {
		case ntstatus.STATUS_USER_SESSION_DELETED, ntstatus.STATUS_NETWORK_SESSION_EXPIRED:
			// The server no longer has the key to sign with.
			return nil
		}
		return fmt.Errorf("%w: unsigned %s response on a signed session (status %v)", ErrBadSignature, cl.cmd, h.Status)
	}
	if err := s.verify(r.msg); err != nil {
		return fmt.Errorf("smb2: %s response: %w", cl.cmd, err)
	}
	return nil
}
