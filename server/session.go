package server

import (
	"crypto/sha512"
	"time"

	"github.com/lanman/lanman/smb2"
)

func (s *liveSession) tree(id uint32) *liveTree {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.treeID[id]
}

// updatePreauth folds a SESSION_SETUP message into the session's preauth
// integrity hash (MS-SMB2 3.3.5.5: H = SHA-512(H || message)).
func (s *liveSession) updatePreauth(msg []byte) {
	if s.preauth == nil {
		return
	}
	s.preauth = preauthUpdate(s.preauth, msg)
}

func preauthUpdate(h, msg []byte) []byte {
	d := sha512.New()
	d.Write(h)
	d.Write(msg)
	return d.Sum(h[:0])
}

func (s *liveSession) sign(msg []byte) {
	if s.signer != nil {
		s.signer.sign(msg)
	}
}

func (s *liveSession) verify(msg []byte) bool {
	return s.signer != nil && s.signer.verify(msg)
}

// mustEncrypt reports whether a response in this session (and tree, if
// any) must be encrypted (MS-SMB2 3.3.4.1.4).
func (s *liveSession) mustEncrypt(t *liveTree) bool {
	if s.crypter == nil || s.state.Load() != sessionValid {
		return false
	}
	return s.encrypt || (t != nil && t.share.EncryptData)
}

func (s *liveSession) seal(frame []byte) ([]byte, error) {
	return s.crypter.encrypt(frame, uint64(s.id))
}

// decrypt opens an encrypted frame (MS-SMB2 3.3.5.2.1.1) with the keys of
// the session it names.
func (c *conn) decrypt(frame []byte) ([]byte, *liveSession, error) {
	if !c.dialect.Is3x() {
		return nil, nil, dropf("encrypted frame on dialect %v", c.dialect)
	}
	var th smb2.TransformHeader
	if err := th.Unmarshal(frame); err != nil {
		return nil, nil, dropf("%v", err)
	}
	c.mu.Lock()
	s := c.sessions[th.SessionID]
	c.mu.Unlock()
	if s == nil || s.crypter == nil || s.state.Load() != sessionValid {
		return nil, nil, dropf("encrypted frame for unknown session 0x%X", th.SessionID)
	}
	plain, err := s.crypter.decrypt(frame)
	if err != nil {
		return nil, nil, dropf("decrypting: %v", err)
	}
	return plain, s, nil
}

// register makes a newly authenticated session visible in the tables.
func (c *conn) register(s *liveSession) {
	now := time.Now().UnixNano()
	s.start = now
	s.lastActive.Store(now)
	s.state.Store(sessionValid)
	s.acceptor = nil
	s.preauth = nil
	c.srv.tables.sessions.add(s)
}

// logoff ends a session: its opens are closed, its tree connects
// disconnected, and it leaves the tables (MS-SMB2 3.3.5.6).
func (c *conn) logoff(s *liveSession) {
	c.mu.Lock()
	if c.sessions[uint64(s.id)] != s {
		c.mu.Unlock()
		return
	}
	delete(c.sessions, uint64(s.id))
	c.mu.Unlock()
	s.mu.Lock()
	trees := make([]*liveTree, 0, len(s.treeID))
	for _, t := range s.treeID {
		trees = append(trees, t)
	}
	s.mu.Unlock()
	for _, t := range trees {
		c.disconnectTree(t)
	}
	if s.state.Load() == sessionValid {
		c.srv.tables.sessions.remove(s.id)
		c.srv.log.Info("session closed", "session", s.id, "user", s.user, "client", c.clientAddr)
	}
	s.state.Store(sessionExpired)
}

// closeSession is a server-side logoff (NetrSessionDel). The client's
// next request on the session fails with STATUS_USER_SESSION_DELETED;
// as Windows does, the connection is closed too when it carries no
// other session, so that the client notices at once.
func (c *conn) closeSession(s *liveSession) {
	c.logoff(s)
	c.mu.Lock()
	n := len(c.sessions)
	c.mu.Unlock()
	if n == 0 {
		c.shutdown()
	}
}

// disconnectTree closes a tree connect's opens and removes it.
func (c *conn) disconnectTree(t *liveTree) {
	s := t.sess
	s.mu.Lock()
	if s.treeID[t.id] != t {
		s.mu.Unlock()
		return
	}
	delete(s.treeID, t.id)
	opens := make([]*liveOpen, 0)
	for _, o := range s.files {
		if o.tree == t {
			opens = append(opens, o)
		}
	}
	s.mu.Unlock()
	for _, o := range opens {
		c.closeOpen(o)
	}
	c.srv.tables.trees.remove(t.id)
	s.trees.Add(-1)
}

// closeOpen closes an open and removes it from the tables. It is safe to
// call from any goroutine and more than once.
func (c *conn) closeOpen(o *liveOpen) {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return
	}
	o.closed = true
	err := o.h.close()
	o.mu.Unlock()
	s := o.tree.sess
	s.mu.Lock()
	delete(s.files, o.volatile)
	s.mu.Unlock()
	c.srv.locks.release(o)
	c.srv.tables.opens.remove(o.id)
	o.tree.opens.Add(-1)
	s.opens.Add(-1)
	if err != nil {
		c.srv.log.Debug("close", "path", o.displayPath(), "err", err)
	}
}
