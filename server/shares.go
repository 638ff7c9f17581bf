package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Share types, as MS-SRVS 2.2.2.4 numbers them (shi1_type).
const (
	STYPE_DISKTREE = 0x00000000
	STYPE_IPC      = 0x00000003
	STYPE_SPECIAL  = 0x80000000
)

// Share is a disk share: a local directory published under a name.
type Share struct {
	Name     string // as clients see it; 1..80 characters, no '\\' '/' or ':'
	Path     string // the local directory
	ReadOnly bool
	Comment  string
	// EncryptData makes the share require SMB 3.x encryption
	// (MS-SMB2 3.3.5.7: Share.EncryptData).
	EncryptData bool
}

// ErrInvalidPath is returned by the resolver for a name that could leave
// the share's root or that names something other than a plain file or
// directory: "..", absolute names, alternate data streams, symbolic links,
// and characters Windows forbids in names. It maps to
// STATUS_OBJECT_NAME_INVALID (or ACCESS_DENIED for links) on the wire.
var ErrInvalidPath = errors.New("server: path not allowed")

// ErrSymlink is returned when a path goes through a symbolic link; the
// server never follows links, even ones that stay inside the share.
var ErrSymlink = errors.New("server: path goes through a symbolic link")

// share is a configured share, live.
type share struct {
	Share
	typ  uint32
	root *os.Root // nil for IPC$
	abs  string   // absolute local path, for NetrFileEnum/NetrShareGetInfo

	// names orders renames against everything that turns a name into a
	// file: CREATE and delete-on-close hold it shared, a rename
	// exclusively, so a rename's checks and the move it makes are atomic
	// towards every other client of this server.
	names sync.RWMutex
	// opens are the share's open disk handles, which a rename checks and
	// updates.
	openMu sync.Mutex
	opens  map[*diskHandle]struct{}
}

func (s *share) register(h *diskHandle) {
	s.openMu.Lock()
	if s.opens == nil {
		s.opens = map[*diskHandle]struct{}{}
	}
	s.opens[h] = struct{}{}
	s.openMu.Unlock()
}

func (s *share) unregister(h *diskHandle) {
	s.openMu.Lock()
	delete(s.opens, h)
	s.openMu.Unlock()
}

func (s *share) isIPC() bool { return s.root == nil }

func openShare(sh Share) (*share, error) {
	if err := validShareName(sh.Name); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(sh.Path)
	if err != nil {
		return nil, fmt.Errorf("server: share %s: %w", sh.Name, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("server: share %s: %w", sh.Name, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("server: share %s: %s is not a directory", sh.Name, abs)
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("server: share %s: %w", sh.Name, err)
	}
	return &share{Share: sh, typ: STYPE_DISKTREE, root: r, abs: abs}, nil
}

func validShareName(n string) error {
	if n == "" || len(n) > 80 || strings.ContainsAny(n, "\\/:*?\"<>|\x00") {
		return fmt.Errorf("server: invalid share name %q", n)
	}
	if strings.EqualFold(n, "IPC$") {
		return fmt.Errorf("server: share name %q is reserved", n)
	}
	return nil
}

// cleanPath turns an SMB2 file name (relative to the share root,
// '\\'-separated, MS-SMB2 2.2.13) into a slash-separated relative path for
// os.Root, refusing anything that could leave the root or address
// something other than a file: "." and ".." components (and names made
// of dots and spaces only, which Windows trims to those), absolute names,
// drive letters and alternate data streams (':'), and the characters
// Windows forbids. "" is the root itself and comes back as ".".
func cleanPath(name string) (string, error) {
	if name == "" {
		return ".", nil
	}
	if name[0] == '\\' || name[0] == '/' {
		return "", fmt.Errorf("%w: %q is absolute", ErrInvalidPath, name)
	}
	var b strings.Builder
	b.Grow(len(name))
	for comp := range strings.SplitSeq(name, "\\") {
		if comp == "" {
			// A trailing backslash ("dir\") is tolerated; an empty
			// component anywhere else is not.
			continue
		}
		if strings.Trim(comp, ". ") == "" {
			// ".", "..", and every spelling Windows trims to one of
			// them or to nothing ("...", ".. ", " "): a Windows host
			// would read them as dot components, so no share on any
			// host accepts them.
			return "", fmt.Errorf("%w: %q has a %q component", ErrInvalidPath, name, comp)
		}
		for i := 0; i < len(comp); i++ {
			c := comp[i]
			if c < 0x20 || strings.IndexByte("/:*?\"<>|", c) >= 0 {
				return "", fmt.Errorf("%w: %q has a forbidden character", ErrInvalidPath, name)
			}
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(comp)
	}
	if b.Len() == 0 {
		return ".", nil
	}
	if strings.Contains(name, "\\\\") {
		return "", fmt.Errorf("%w: %q has an empty component", ErrInvalidPath, name)
	}
	return b.String(), nil
}

// localPath is the absolute local path of rel, for display in
// NetrFileEnum (fi3_pathname) and logs only; all file access goes through
// s.root.
func (s *share) localPath(rel string) string {
	if rel == "." {
		return s.abs
	}
	return filepath.Join(s.abs, filepath.FromSlash(rel))
}
