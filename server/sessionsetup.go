package server

import (
	"errors"
	"slices"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

// sessionSetup handles SESSION_SETUP (MS-SMB2 3.3.5.5): each request
// carries one SPNEGO token to the session's acceptor; the last one
// establishes the session, derives its keys and enters it in the tables.
func (c *conn) sessionSetup(r *request) response {
	var req smb2.SessionSetupRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	if req.Flags&smb2.SessionSetupFlagBinding != 0 {
		// No multichannel: a session cannot be bound to a second
		// connection.
		return errResp(ntstatus.STATUS_REQUEST_NOT_ACCEPTED)
	}
	var s *liveSession
	if r.hdr.SessionID == 0 {
		if c.srv.tables.sessions.len()+c.pendingSessions() >= c.srv.limits.MaxSessions {
			c.srv.log.Warn("session refused: too many sessions", "client", c.clientAddr)
			return errResp(ntstatus.STATUS_REQUEST_NOT_ACCEPTED)
		}
		s = &liveSession{
			id:       newID(&c.srv.tables.nextSession),
			conn:     c,
			acceptor: c.srv.newAcceptor(),
		}
		if c.dialect == smb2.Dialect311 {
			s.preauth = slices.Clone(c.preauth)
		}
		c.mu.Lock()
		if c.sessions == nil {
			c.sessions = map[uint64]*liveSession{}
		}
		c.sessions[uint64(s.id)] = s
		c.mu.Unlock()
		r.hdr.SessionID = uint64(s.id)
	} else {
		c.mu.Lock()
		s = c.sessions[r.hdr.SessionID]
		c.mu.Unlock()
		if s == nil {
			return errResp(ntstatus.STATUS_USER_SESSION_DELETED)
		}
		if s.state.Load() != sessionInProgress {
			// Re-authentication of an established session is not
			// supported; the session stays as it is.
			return errResp(ntstatus.STATUS_REQUEST_NOT_ACCEPTED)
		}
	}
	s.updatePreauth(r.raw)
	out, done, err := s.acceptor.Step(req.SecurityBuffer)
	if err != nil {
		c.dropSetup(s)
		st := ntstatus.STATUS_LOGON_FAILURE
		var ns ntstatus.Status
		if errors.As(err, &ns) && ns.IsError() {
			st = ns
		}
		c.srv.log.Info("logon failed", "client", c.clientAddr, "err", err)
		return response{status: st, signWith: nil, noSign: true}
	}
	if !done {
		return response{
			status:      ntstatus.STATUS_MORE_PROCESSING_REQUIRED,
			body:        &smb2.SessionSetupResponse{SecurityBuffer: out},
			noSign:      true,
			preauthSess: s,
		}
	}
	id := s.acceptor.Identity()
	if id.Anonymous && !c.srv.cfg.AllowAnonymous {
		c.dropSetup(s)
		c.srv.log.Info("anonymous logon refused", "client", c.clientAddr)
		return response{status: ntstatus.STATUS_ACCESS_DENIED, noSign: true}
	}
	s.user, s.domain, s.clientName = id.User, id.Domain, id.Workstation
	s.admin = id.Admin && !id.Anonymous && !id.Guest
	s.guest = id.Guest
	s.anonymous = id.Anonymous
	s.dialect = uint16(c.dialect)
	var flags smb2.SessionFlags
	switch {
	case id.Anonymous:
		flags |= smb2.SessionFlagIsNull
	case id.Guest:
		flags |= smb2.SessionFlagIsGuest
	default:
		key := s.acceptor.SessionKey()
		if len(key) == 0 {
			c.dropSetup(s)
			return response{status: ntstatus.STATUS_LOGON_FAILURE, noSign: true}
		}
		if err := s.deriveKeys(c, key); err != nil {
			c.dropSetup(s)
			c.srv.log.Error("key derivation failed", "err", err)
			return response{status: ntstatus.STATUS_INTERNAL_ERROR, noSign: true}
		}
		s.signed = true
		if c.srv.cfg.RequireEncryption {
			if s.crypter == nil {
				// MS-SMB2 3.3.5.5.3: a client that cannot encrypt
				// cannot log on to a server that requires it.
				c.dropSetup(s)
				return response{status: ntstatus.STATUS_ACCESS_DENIED, noSign: true}
			}
			s.encrypt = true
			s.encrypted = true
			flags |= smb2.SessionFlagEncryptData
		}
	}
	c.register(s)
	c.srv.log.Info("session established", "session", s.id, "user", s.user, "domain", s.domain,
		"workstation", s.clientName, "client", c.clientAddr, "dialect", c.dialect.String(),
		"signed", s.signed, "encrypted", s.encrypt, "guest", s.guest, "anonymous", s.anonymous, "admin", s.admin)
	return response{body: &smb2.SessionSetupResponse{SessionFlags: flags, SecurityBuffer: out}, signWith: s}
}

// pendingSessions counts sessions still being set up on this connection.
func (c *conn) pendingSessions() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.sessions {
		if s.state.Load() == sessionInProgress {
			n++
		}
	}
	return n
}

// dropSetup forgets a session whose setup failed.
func (c *conn) dropSetup(s *liveSession) {
	c.mu.Lock()
	delete(c.sessions, uint64(s.id))
	c.mu.Unlock()
	s.acceptor = nil
	s.state.Store(sessionExpired)
}

// handleLogoff handles LOGOFF (MS-SMB2 3.3.5.6). The response is signed
// with the session, so the session goes away only after it is sent.
func (c *conn) handleLogoff(r *request) response {
	var req smb2.LogoffRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	s := r.sess
	return response{body: &smb2.LogoffResponse{}, afterSend: func() { c.logoff(s) }}
}
