package workstation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/lanman/lanman/win32"
)

// Config configures a Redirector.
type Config struct {
	// Port is the SMB port used when a remote name gives none (0: 445).
	Port int
	// Workstation is the name this machine gives servers in NTLM ("" : the
	// host name).
	Workstation string
	// IOTimeout bounds the file operations that take no context
	// (io.ReaderAt and friends); 0 means one minute.
	IOTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait between reconnection
	// attempts of a lost use (0: half a second and 30 seconds).
	MinBackoff, MaxBackoff time.Duration
	Logger                 *slog.Logger

	dialer dialer // tests and smb2.go
}

// UseParams describe a new use (the USE_INFO_x given to NetUseAdd).
type UseParams struct {
	Local   string // optional local name: "X:", "LPT1:", or on Unix any name
	Remote  string // \\server\share
	AsgType uint32 // UseDiskDev, UseSpoolDev, UseIPC (UseWildcard: the share's type)
	// Creds are the credentials of the session. nil means the session the
	// redirector already has with that server, or an anonymous one.
	Creds *Credentials
}

// Info describes a use as NetUseGetInfo and NetUseEnum report it
// (USE_INFO_2 without a password; MS-WKST 3.2.1.8).
type Info struct {
	ID       uint32 // stable while the use lives; the resume handle of enumerations
	Local    string
	Remote   string
	Status   uint32
	AsgType  uint32
	RefCount uint32 // files open through the use
	UseCount uint32 // NetUseAdd calls that made or joined the use
	UserName string
	Domain   string
}

// Redirector is the table of uses. It is safe for concurrent use.
type Redirector struct {
	cfg Config
	log *slog.Logger

	mu       sync.Mutex
	nextID   uint32
	uses     []*use // in ID order
	sessions map[string]*session
	closed   bool
}

// session is one SMB session shared by the uses of one server.
type session struct {
	key    string // addr, the session's identity in the table
	addr   string
	server string
	creds  *Credentials
	refs   int // uses on it (guarded by Redirector.mu)

	mu   sync.Mutex // serializes (re)connecting
	smb  smbSession // nil until connected; guarded by mu
	down time.Time  // when the last attempt failed; guarded by mu
	wait time.Duration
	err  error // the last failure
}

// use is one entry of the table.
type use struct {
	id       uint32
	local    string
	remote   unc
	asg      uint32
	sess     *session
	usecount uint32
	deleted  bool // guarded by Redirector.mu

	mu       sync.Mutex         // serializes (re)connecting the tree
	tree     smbTree            // guarded by mu
	treeSess smbSession         // the session tree belongs to; guarded by mu
	reconn   bool               // a reconnection runs (status USE_RECONN); guarded by Redirector.mu
	files    map[*File]struct{} // guarded by Redirector.mu
}

// ErrClosed is returned by a Redirector after Close.
var ErrClosed = errors.New("workstation: redirector closed")

// New returns an empty table of uses.
func New(cfg Config) *Redirector {
	if cfg.IOTimeout <= 0 {
		cfg.IOTimeout = defaultIOTimeout
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = defaultMinBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(defaultMaxBackoff, cfg.MinBackoff)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.dialer == nil {
		cfg.dialer = &smb2Dialer{workstation: cfg.Workstation}
	}
	return &Redirector{cfg: cfg, log: cfg.Logger, sessions: map[string]*session{}}
}

// Add makes a use (NetUseAdd, MS-WKST 3.2.4.7): it validates the names,
// sets up or joins the SMB session with the server, tree-connects the
// share and checks the share's type against p.AsgType. A use with no local
// name on a share that already has one joins it (its use count goes up).
func (r *Redirector) Add(ctx context.Context, p UseParams) error {
	rem, err := parseUNC(p.Remote, r.cfg.Port)
	if err != nil {
		return err
	}
	asg := p.AsgType
	local := ""
	if p.Local != "" {
		// MS-WKST 3.2.4.7: USE_WILDCARD and USE_IPC need no device, and
		// are refused with one; on Unix an IPC use may still be named.
		if asg == UseWildcard || asg == UseCharDev {
			return fmt.Errorf("workstation: a local name with resource type %d: %w", asg, win32.ERROR_INVALID_PARAMETER)
		}
		if local, err = canonicalLocal(p.Local, asg); err != nil {
			return err
		}
	} else if asg == UseCharDev {
		return fmt.Errorf("workstation: serial devices are not supported: %w", win32.ERROR_INVALID_PARAMETER)
	} else if asg > UseIPC && asg != UseWildcard {
		return fmt.Errorf("workstation: resource type %d: %w", asg, win32.ERROR_INVALID_PARAMETER)
	}
	if p.Creds != nil && len(p.Creds.Password) > maxPasswordLen {
		return fmt.Errorf("workstation: password longer than %d characters: %w", maxPasswordLen, win32.ERROR_INVALID_PARAMETER)
	}
	if p.Creds != nil && len(p.Creds.NTHash) != 0 && len(p.Creds.NTHash) != 16 {
		return fmt.Errorf("workstation: NT hash of %d bytes: %w", len(p.Creds.NTHash), win32.ERROR_INVALID_PARAMETER)
	}

	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrClosed
	}
	if local != "" {
		if u := r.findLocked(local); u != nil {
			r.mu.Unlock()
			return fmt.Errorf("workstation: %s is already used for %s: %w", local, u.remote, win32.ERROR_ALREADY_ASSIGNED)
		}
	}
	s := r.sessions[rem.Addr]
	if s != nil && p.Creds != nil && !p.Creds.Anonymous() &&
		(!strings.EqualFold(s.creds.User, p.Creds.User) || !strings.EqualFold(s.creds.Domain, p.Creds.Domain) || !s.creds.sameSecret(p.Creds)) {
		// Windows allows one set of credentials per server and user
		// session; so does lanman, so that every use of a server is one
		// SMB session.
		r.mu.Unlock()
		return fmt.Errorf("workstation: %s has a session as %s: %w", rem.Server, s.creds, win32.ERROR_SESSION_CREDENTIAL_CONFLICT)
	}
	if local == "" && s != nil {
		for _, u := range r.uses {
			if u.local == "" && u.remote.Addr == rem.Addr && strings.EqualFold(u.remote.Share, rem.Share) && (asg == UseWildcard || asg == u.asg) {
				u.usecount++
				r.mu.Unlock()
				return nil
			}
		}
	}
	if s == nil {
		s = &session{key: rem.Addr, addr: rem.Addr, server: rem.Server, creds: p.Creds.clone()}
		r.sessions[s.key] = s
	}
	s.refs++
	r.mu.Unlock()

	u := &use{local: local, remote: rem, asg: asg, sess: s, usecount: 1, files: map[*File]struct{}{}}
	tree, smb, err := r.connectTree(ctx, u)
	if err == nil && asg != UseWildcard && tree.asgType() != asg {
		tree.disconnect(ctx)
		err = fmt.Errorf("workstation: %s is a %s share, not a %s: %w", rem, asgName(tree.asgType()), asgName(asg), win32.ERROR_INVALID_PARAMETER)
	}
	if err != nil {
		r.release(ctx, s)
		return err
	}
	u.tree, u.treeSess = tree, smb
	u.asg = tree.asgType()

	r.mu.Lock()
	if r.closed || (local != "" && r.findLocked(local) != nil) {
		closed := r.closed
		r.mu.Unlock()
		tree.disconnect(ctx)
		r.release(ctx, s)
		if closed {
			return ErrClosed
		}
		return fmt.Errorf("workstation: %s was assigned meanwhile: %w", local, win32.ERROR_ALREADY_ASSIGNED)
	}
	r.nextID++
	u.id = r.nextID
	r.uses = append(r.uses, u)
	r.mu.Unlock()
	r.log.Info("workstation: use added", "local", local, "remote", rem.String(), "user", s.creds)
	return nil
}

// connectTree makes sure the session is up (dialing it again if it was
// lost, with backoff) and tree-connects u's share. It returns the session
// the tree belongs to.
func (r *Redirector) connectTree(ctx context.Context, u *use) (smbTree, smbSession, error) {
	smb, err := r.connectSession(ctx, u.sess)
	if err != nil {
		return nil, nil, err
	}
	// The tree connect names the server without the port (MS-SMB2
	// 2.2.9: \\server\share).
	t, err := smb.treeConnect(ctx, `\\`+u.remote.Server+`\`+u.remote.Share)
	if err != nil {
		return nil, nil, err
	}
	return t, smb, nil
}

func (r *Redirector) connectSession(ctx context.Context, s *session) (smbSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.smb != nil && s.smb.lost() {
		s.smb.logoff(ctx) // closes what is left of the connection
		s.smb = nil
	}
	if s.smb != nil {
		return s.smb, nil
	}
	if !s.down.IsZero() && time.Since(s.down) < s.wait {
		return nil, fmt.Errorf("workstation: %s: next attempt in %v: %w", s.server, (s.wait - time.Since(s.down)).Round(time.Millisecond), s.err)
	}
	smb, err := r.cfg.dialer.dial(ctx, s.addr, s.server, s.creds)
	if err != nil {
		s.down = time.Now()
		s.wait = min(max(2*s.wait, r.cfg.MinBackoff), r.cfg.MaxBackoff)
		s.err = err
		return nil, err
	}
	s.smb, s.down, s.wait, s.err = smb, time.Time{}, 0, nil
	return smb, nil
}

// touch makes sure u has a live tree connect, reconnecting it (and its
// session) when the connection was lost. Files opened on the old
// connection stay stale: their handles died with it.
func (r *Redirector) touch(ctx context.Context, u *use) (smbTree, smbSession, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.tree != nil && !u.treeSess.lost() {
		return u.tree, u.treeSess, nil
	}
	r.mu.Lock()
	if u.deleted {
		r.mu.Unlock()
		return nil, nil, fmt.Errorf("workstation: %s: %w", u.remote, win32.NERR_UseNotFound)
	}
	u.reconn = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		u.reconn = false
		r.mu.Unlock()
	}()
	if u.tree != nil {
		u.tree = nil // its connection is gone; nothing to disconnect
	}
	tree, smb, err := r.connectTree(ctx, u)
	if err != nil {
		return nil, nil, fmt.Errorf("workstation: reconnecting %s: %w", u.remote, err)
	}
	u.tree, u.treeSess = tree, smb
	r.log.Info("workstation: use reconnected", "remote", u.remote.String())
	return tree, smb, nil
}

// release drops one use's reference on s and logs the session off when it
// was the last.
func (r *Redirector) release(ctx context.Context, s *session) {
	r.mu.Lock()
	s.refs--
	last := s.refs == 0
	if last && r.sessions[s.key] == s {
		delete(r.sessions, s.key)
	}
	r.mu.Unlock()
	if !last {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.smb != nil {
		if err := s.smb.logoff(ctx); err != nil {
			r.log.Debug("workstation: logoff", "server", s.server, "err", err)
		}
		s.smb = nil
	}
	s.creds.wipe()
}

// findLocked looks a use up by local name or, for a UNC name, by remote
// name (MS-WKST 3.2.4.8-9), preferring a use without a local name.
func (r *Redirector) findLocked(name string) *use {
	if !isUNC(name) {
		for _, u := range r.uses {
			if sameLocal(u.local, name) {
				return u
			}
		}
		return nil
	}
	rem, err := parseUNC(name, r.cfg.Port)
	if err != nil {
		return nil
	}
	var found *use
	for _, u := range r.uses {
		if u.remote.Addr == rem.Addr && strings.EqualFold(u.remote.Share, rem.Share) {
			if u.local == "" {
				return u
			}
			if found == nil {
				found = u
			}
		}
	}
	return found
}

func (r *Redirector) lookup(name string) (*use, error) {
	if name == "" {
		return nil, fmt.Errorf("workstation: empty use name: %w", win32.ERROR_INVALID_PARAMETER)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	u := r.findLocked(name)
	if u == nil {
		return nil, fmt.Errorf("workstation: %s: %w", name, win32.NERR_UseNotFound)
	}
	return u, nil
}

// GetInfo describes the use named by its local or remote name
// (NetUseGetInfo, MS-WKST 3.2.4.8).
func (r *Redirector) GetInfo(name string) (Info, error) {
	u, err := r.lookup(name)
	if err != nil {
		return Info{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.infoLocked(u), nil
}

// List describes every use, in the order they were made.
func (r *Redirector) List() []Info {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Info, 0, len(r.uses))
	for _, u := range r.uses {
		out = append(out, r.infoLocked(u))
	}
	return out
}

func (r *Redirector) infoLocked(u *use) Info {
	return Info{
		ID:       u.id,
		Local:    u.local,
		Remote:   u.remote.String(),
		Status:   u.status(),
		AsgType:  u.asg,
		RefCount: uint32(len(u.files)),
		UseCount: u.usecount,
		UserName: u.sess.creds.User,
		Domain:   u.sess.creds.Domain,
	}
}

// status tells the truth about the connection (MS-WKST 2.2.5.23):
// USE_RECONN while a reconnection runs, USE_NETERR when the last one
// failed, USE_DISCONN when the connection is lost and nobody has touched
// the use since, USE_OK otherwise. Called with Redirector.mu held; it only
// peeks at the session, never waits on it.
func (u *use) status() uint32 {
	if u.reconn {
		return UseReconn
	}
	s := u.sess
	if !s.mu.TryLock() {
		// Someone is connecting the session right now.
		return UseReconn
	}
	defer s.mu.Unlock()
	switch {
	case s.smb == nil && s.err != nil:
		return UseNetErr
	case s.smb == nil || s.smb.lost():
		return UseDisconn
	}
	if !u.mu.TryLock() {
		return UseReconn
	}
	defer u.mu.Unlock()
	if u.tree == nil || u.treeSess != s.smb {
		// The session was re-established for another use; this one's
		// tree connect died with the old connection.
		return UseDisconn
	}
	return UseOK
}

// Del ends a use (NetUseDel, MS-WKST 3.2.4.9), named by its local or its
// remote name.
//
// With open files, USE_NOFORCE fails with ERROR_DEVICE_IN_USE (2404), the
// code MS-WKST 3.2.4.9 gives ("the connection handle is in use"; its table
// prints the value as 0x00002404, which is the decimal 2404 in a hex
// costume). USE_LOTS_OF_FORCE closes the files first. USE_FORCE does too,
// as Win32's NetUseDel documents it ("do not fail the disconnection if
// open files exist"); MS-WKST 3.2.4.9 describes it as USE_NOFORCE, but
// what the API's users rely on is the Win32 documentation.
//
// A use joined by several NetUseAdd calls (use count above one) only has
// its count lowered, unless the force is USE_LOTS_OF_FORCE. The last use
// of a session logs it off.
func (r *Redirector) Del(ctx context.Context, name string, force uint32) error {
	if force > UseLotsOfForce {
		return fmt.Errorf("workstation: force level %d: %w", force, win32.ERROR_INVALID_LEVEL)
	}
	u, err := r.lookup(name)
	if err != nil {
		return err
	}
	r.mu.Lock()
	if u.deleted {
		r.mu.Unlock()
		return fmt.Errorf("workstation: %s: %w", name, win32.NERR_UseNotFound)
	}
	if u.usecount > 1 && force != UseLotsOfForce {
		u.usecount--
		r.mu.Unlock()
		return nil
	}
	if len(u.files) > 0 && force == UseNoForce {
		n := len(u.files)
		r.mu.Unlock()
		return fmt.Errorf("workstation: %s has %d open files: %w", name, n, win32.ERROR_DEVICE_IN_USE)
	}
	u.deleted = true
	for i, x := range r.uses {
		if x == u {
			r.uses = append(r.uses[:i], r.uses[i+1:]...)
			break
		}
	}
	files := make([]*File, 0, len(u.files))
	for f := range u.files {
		files = append(files, f)
	}
	r.mu.Unlock()

	r.teardown(ctx, u, files)
	r.log.Info("workstation: use deleted", "name", name, "force", force, "closed", len(files))
	return nil
}

// teardown closes u's files and tree connect and releases its session.
func (r *Redirector) teardown(ctx context.Context, u *use, files []*File) {
	for _, f := range files {
		f.forceClose(ctx)
	}
	u.mu.Lock()
	if u.tree != nil {
		if err := u.tree.disconnect(ctx); err != nil {
			r.log.Debug("workstation: tree disconnect", "remote", u.remote.String(), "err", err)
		}
		u.tree = nil
	}
	u.mu.Unlock()
	r.release(ctx, u.sess)
}

// Close deletes every use with USE_LOTS_OF_FORCE and refuses further
// calls.
func (r *Redirector) Close(ctx context.Context) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	uses := r.uses
	r.uses = nil
	type job struct {
		u     *use
		files []*File
	}
	jobs := make([]job, 0, len(uses))
	for _, u := range uses {
		u.deleted = true
		j := job{u: u}
		for f := range u.files {
			j.files = append(j.files, f)
		}
		jobs = append(jobs, j)
	}
	r.mu.Unlock()
	for _, j := range jobs {
		r.teardown(ctx, j.u, j.files)
	}
	return nil
}

func asgName(t uint32) string {
	switch t {
	case UseDiskDev:
		return "disk"
	case UseSpoolDev:
		return "printer"
	case UseCharDev:
		return "serial device"
	case UseIPC:
		return "IPC"
	case UseWildcard:
		return "any"
	}
	return fmt.Sprintf("type %d", t)
}
