package smb2

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntstatus"
)

// maxSessionSetupLegs bounds the authentication exchange, so a server
// that keeps answering MORE_PROCESSING_REQUIRED cannot loop us forever.
const maxSessionSetupLegs = 8

// Session is an authenticated SMB2 session on a Conn.
type Session struct {
	conn *Conn
	id   uint64

	flags       SessionFlags
	signing     bool // every request signed, every response verified
	encryptData bool // every request encrypted (Session.EncryptData)

	keys sessionKeys

	ipcMu sync.Mutex
	ipc   *Tree // the IPC$ tree connect, shared by OpenPipe
}

// SessionSetup authenticates a new session with mech (NTLM through
// SPNEGO, typically), following MS-SMB2 3.2.4.2.3 and 3.2.5.3.1: the
// tokens are exchanged in SESSION_SETUP requests; for 3.1.1 the requests
// and the non-final responses extend the session's preauthentication
// hash; the keys are derived per dialect; the final response's signature
// is verified. A failed logon returns an error wrapping the server's
// status (errors.Is(err, ntstatus.STATUS_LOGON_FAILURE)).
func (c *Conn) SessionSetup(ctx context.Context, mech gss.Initiator) (*Session, error) {
	s := &Session{conn: c}
	hash := c.preauth
	var in []byte
	var final *response
	mechDone := false
	for leg := 0; ; leg++ {
		if leg == maxSessionSetupLegs {
			return nil, fmt.Errorf("smb2: session setup: %w: more than %d legs", ErrProtocol, maxSessionSetupLegs)
		}
		out, done, err := mech.Step(in)
		if err != nil {
			return nil, fmt.Errorf("smb2: session setup: %w", err)
		}
		mechDone = done
		if len(out) == 0 {
			if done && final != nil {
				break
			}
			return nil, fmt.Errorf("smb2: session setup: mechanism produced no token")
		}
		req := &SessionSetupRequest{
			SecurityMode:   uint8(clientSecurityMode),
			SecurityBuffer: out,
		}
		calls, err := c.send(ctx, []*request{{body: req, sessionID: s.id}})
		if err != nil {
			return nil, fmt.Errorf("smb2: session setup: %w", err)
		}
		r, err := c.wait(ctx, calls[0])
		if err != nil {
			return nil, fmt.Errorf("smb2: session setup: %w", err)
		}
		hash.Update(calls[0].req)
		var resp SessionSetupResponse
		if err := decodeResponse(r, &resp, ntstatus.STATUS_MORE_PROCESSING_REQUIRED); err != nil {
			return nil, fmt.Errorf("smb2: session setup: %w", err)
		}
		if s.id == 0 {
			s.id = r.hdr.SessionID
		} else if r.hdr.SessionID != s.id {
			return nil, fmt.Errorf("smb2: session setup: %w: session ID changed from 0x%X to 0x%X", ErrProtocol, s.id, r.hdr.SessionID)
		}
		if s.id == 0 {
			return nil, fmt.Errorf("smb2: session setup: %w: server assigned session ID 0", ErrProtocol)
		}
		in = resp.SecurityBuffer
		if r.hdr.Status == ntstatus.STATUS_SUCCESS {
			final = r
			s.flags = resp.SessionFlags
			if !mechDone {
				// The server's last token (e.g. SPNEGO's
				// accept-completed with a mechListMIC) completes
				// the context on our side.
				out, done, err := mech.Step(in)
				if err != nil {
					return nil, fmt.Errorf("smb2: session setup: %w", err)
				}
				if !done || len(out) != 0 {
					return nil, fmt.Errorf("smb2: session setup: %w: server finished before the mechanism", ErrProtocol)
				}
			}
			break
		}
		// MORE_PROCESSING_REQUIRED responses are hashed too.
		hash.Update(r.msg)
	}

	guestOrNull := s.flags&(SessionFlagIsGuest|SessionFlagIsNull) != 0
	if !guestOrNull {
		key := mech.SessionKey()
		if len(key) == 0 {
			return nil, fmt.Errorf("smb2: session setup: mechanism exported no session key")
		}
		if err := s.keys.derive(c, key, &hash); err != nil {
			return nil, fmt.Errorf("smb2: session setup: %w", err)
		}
		s.signing = true
		// MS-SMB2 3.2.5.3.1: the final response is signed with the
		// new key; verifying it proves the server knew the key.
		if final.hdr.Flags&FlagSigned == 0 {
			return nil, fmt.Errorf("smb2: session setup: %w: final response not signed", ErrBadSignature)
		}
		if err := s.keys.verify(final.msg); err != nil {
			return nil, fmt.Errorf("smb2: session setup: %w", err)
		}
	}
	s.encryptData = s.flags&SessionFlagEncryptData != 0 || c.opts.RequireEncryption
	if s.encryptData && (guestOrNull || !c.supportsEncryption()) {
		// Leave politely: the server has a session up for us. The
		// logoff is signed (when there are keys) and best effort.
		s.encryptData = false
		s.Logoff(ctx)
		return nil, fmt.Errorf("smb2: session setup: dialect %v, cipher %v: %w", c.dialect, c.cipher, ErrEncryptionUnavailable)
	}
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return nil, err
	}
	c.sessions[s.id] = s
	c.mu.Unlock()
	return s, nil
}

// ID is the SessionId the server assigned.
func (s *Session) ID() uint64 { return s.id }

// Conn is the connection the session lives on.
func (s *Session) Conn() *Conn { return s.conn }

// Flags are the SessionFlags of the final SESSION_SETUP response.
func (s *Session) Flags() SessionFlags { return s.flags }

// Encrypted reports whether all of the session's traffic is encrypted.
func (s *Session) Encrypted() bool { return s.encryptData }

// Signed reports whether the session's messages are signed.
func (s *Session) Signed() bool { return s.signing }

// ApplicationKey is the key higher layers use for their own protection
// (MS-SMB2 3.2.4.25): the SMB 3.x ApplicationKey, or the session key for
// 2.x. Nil for guest and null sessions.
func (s *Session) ApplicationKey() []byte { return s.keys.application }

// Logoff ends the session (MS-SMB2 3.2.4.23).
func (s *Session) Logoff(ctx context.Context) error {
	c := s.conn
	_, err := c.roundTrip(ctx, s.req(&LogoffRequest{}, 0, false), &LogoffResponse{})
	c.mu.Lock()
	delete(c.sessions, s.id)
	c.mu.Unlock()
	if err != nil {
		return fmt.Errorf("smb2: logoff: %w", err)
	}
	return nil
}

// req builds a request on the session (and tree treeID, whose encryption
// flag is treeEncrypt).
func (s *Session) req(body Message, treeID uint32, treeEncrypt bool) *request {
	return &request{body: body, sess: s, treeID: treeID, encrypt: s.encryptData || treeEncrypt}
}

// signs reports whether s signs its (unencrypted) messages.
func (s *Session) signs() bool { return s.signing }

// canEncrypt reports whether s holds encryption keys.
func (s *Session) canEncrypt() bool { return s.keys.canEncrypt() }

// sign signs one message in place.
func (s *Session) sign(msg []byte, cancel bool) { s.keys.sign(msg, cancel) }

// verify checks one received message's signature.
func (s *Session) verify(msg []byte) error { return s.keys.verify(msg) }

// encrypt wraps a plaintext frame (one message or a chain) in a
// TRANSFORM_HEADER and returns a new buffer with 4 bytes reserved in
// front for the transport header.
func (s *Session) encrypt(plain []byte) ([]byte, error) { return s.keys.encrypt(s.id, plain) }

// decrypt opens an encrypted frame.
func (s *Session) decrypt(frame []byte, th *TransformHeader) ([]byte, error) {
	return s.keys.decrypt(frame, th)
}

var errNoKeys = errors.New("smb2: session has no keys")
