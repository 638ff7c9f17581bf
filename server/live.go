package server

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/lanman/lanman/gss"
)

// SessionInfo is a snapshot of one authenticated SMB session, the row that
// NetrSessionEnum reports (MS-SRVS 3.1.1.8 SMB session state).
type SessionInfo struct {
	ID         uint64 // the SMB2 SessionId
	ClientAddr string // the client's IP address, as Windows reports sesi_cname
	ClientName string // the workstation name the client gave during NTLM
	User       string
	Domain     string
	Dialect    uint16 // 0x0202 … 0x0311
	Signed     bool
	Encrypted  bool
	Guest      bool
	Admin      bool
	Start      time.Time
	LastActive time.Time
	Opens      int // files and pipes open in the session
	Trees      int // tree connects in the session
}

// TreeInfo is a snapshot of one tree connect, the row of
// NetrConnectionEnum (MS-SRVS 3.1.1.9).
type TreeInfo struct {
	ID         uint32 // the SMB2 TreeId, and coni1_id
	SessionID  uint64
	Share      string
	ShareType  uint32 // STYPE_*
	User       string
	ClientAddr string
	Opens      int
	Start      time.Time
}

// OpenInfo is a snapshot of one open, the row of NetrFileEnum (MS-SRVS
// 3.1.1.7).
type OpenInfo struct {
	ID        uint32 // fi3_id; also the low half of the SMB2 FileId
	SessionID uint64
	TreeID    uint32
	Share     string
	Path      string // the local path for a disk file, \PIPE\name for a pipe
	User      string
	Access    uint32 // the granted access mask (MS-SMB2 2.2.13.1)
	Locks     int    // byte-range locks held
	Pipe      bool
}

// Session states (MS-SMB2 3.3.1.8 Session.State).
const (
	sessionInProgress = iota
	sessionValid
	sessionExpired
)

// liveSession is an SMB session: its table entry and its protocol state
// in one struct. It is small on purpose: it is most of what an idle
// session costs (see BenchmarkIdleSessions).
type liveSession struct {
	id    uint32
	conn  *conn
	state atomic.Uint32

	// Setup state, dropped once the session is valid.
	acceptor gss.Acceptor
	preauth  []byte // session preauth integrity hash (3.1.1)

	// Security state, fixed once valid.
	signer  *smb2Signer // nil when the session does not sign
	crypter *smb2Crypter
	encrypt bool // Session.EncryptData

	mu     sync.Mutex
	treeID map[uint32]*liveTree
	files  map[uint64]*liveOpen // by the volatile half of FileId

	user       string
	domain     string
	clientName string
	dialect    uint16
	signed     bool
	encrypted  bool
	guest      bool
	admin      bool
	anonymous  bool
	start      int64 // unix nanoseconds
	lastActive atomic.Int64
	opens      atomic.Int32
	trees      atomic.Int32
}

func (s *liveSession) tableID() uint32 { return s.id }

func (s *liveSession) info() SessionInfo {
	return SessionInfo{
		ID:         uint64(s.id),
		ClientAddr: s.conn.clientAddr,
		ClientName: s.clientName,
		User:       s.user,
		Domain:     s.domain,
		Dialect:    s.dialect,
		Signed:     s.signed,
		Encrypted:  s.encrypted,
		Guest:      s.guest,
		Admin:      s.admin,
		Start:      time.Unix(0, s.start),
		LastActive: time.Unix(0, s.lastActive.Load()),
		Opens:      int(s.opens.Load()),
		Trees:      int(s.trees.Load()),
	}
}

// liveTree is a tree connect and its table entry.
type liveTree struct {
	id        uint32
	sess      *liveSession
	share     *share
	start     int64
	maxAccess uint32
	opens     atomic.Int32
}

func (t *liveTree) tableID() uint32 { return t.id }

func (t *liveTree) info() TreeInfo {
	return TreeInfo{
		ID:         t.id,
		SessionID:  uint64(t.sess.id),
		Share:      t.share.Name,
		ShareType:  t.share.typ,
		User:       t.sess.user,
		ClientAddr: t.sess.conn.clientAddr,
		Opens:      int(t.opens.Load()),
		Start:      time.Unix(0, t.start),
	}
}

// liveOpen is an open and its table entry. Its SMB2 FileId is
// {Persistent: id, Volatile: id | random high half}, so that a FileId
// cannot be guessed from the NetrFileEnum id alone.
type liveOpen struct {
	id       uint32
	volatile uint64
	mu       sync.Mutex // serializes operations on h
	closed   bool
	tree     *liveTree
	path     string // display path (OpenInfo.Path) of a pipe; see displayPath
	access   uint32
	locks    atomic.Int32
	// h is the handle behind the open: a file, a directory or a pipe.
	h handle
}

func (o *liveOpen) tableID() uint32 { return o.id }

// displayPath is OpenInfo.Path and fi3_pathname: the local path of a disk
// open (which follows renames) or \PIPE\name.
func (o *liveOpen) displayPath() string {
	if d, ok := o.h.(*diskHandle); ok {
		return d.loc.Load().display
	}
	return o.path
}

func (o *liveOpen) info() OpenInfo {
	return OpenInfo{
		ID:        o.id,
		SessionID: uint64(o.tree.sess.id),
		TreeID:    o.tree.id,
		Share:     o.tree.share.Name,
		Path:      o.displayPath(),
		User:      o.tree.sess.user,
		Access:    o.access,
		Locks:     int(o.locks.Load()),
		Pipe:      o.tree.share.isIPC(),
	}
}

// tables is the server's live state: three ID-ordered tables, and the
// counters that hand out IDs. IDs start at 1: 0 is "no resume handle".
type tables struct {
	sessions idTable[*liveSession]
	trees    idTable[*liveTree]
	opens    idTable[*liveOpen]

	nextSession atomic.Uint32
	nextTree    atomic.Uint32
	nextOpen    atomic.Uint32
}

// newID draws the next nonzero ID from c.
func newID(c *atomic.Uint32) uint32 {
	for {
		if id := c.Add(1); id != 0 {
			return id
		}
	}
}
