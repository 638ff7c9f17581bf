package server

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

// rename applies FileRenameInformation (MS-SMB2 3.3.5.21.1, MS-FSCC
// 2.4.42.2) to an open file or directory.
func (h *diskHandle) rename(buf []byte) ntstatus.Status {
	if len(buf) < 20 { // FILE_RENAME_INFORMATION_TYPE_2 without a name
		return ntstatus.STATUS_INFO_LENGTH_MISMATCH
	}
	var ri smb2.FileRenameInformation
	if err := ri.Unmarshal(buf); err != nil {
		return ntstatus.STATUS_INVALID_PARAMETER
	}
	if ri.RootDirectory != 0 {
		return ntstatus.STATUS_INVALID_PARAMETER
	}
	if h.access&accessDelete == 0 {
		return ntstatus.STATUS_ACCESS_DENIED
	}
	name := strings.TrimPrefix(ri.FileName, `\`)
	if strings.HasPrefix(name, ":") {
		// A stream rename (MS-FSCC 2.4.42.2); files here have only
		// their unnamed data stream.
		return ntstatus.STATUS_NOT_SUPPORTED
	}
	newRel, err := cleanPath(name)
	if err != nil || newRel == "." {
		return ntstatus.STATUS_OBJECT_NAME_INVALID
	}
	return h.sh.rename(h, newRel, name, ri.ReplaceIfExists)
}

// rename moves the file or directory open as h to newRel, the way NTFS
// does a rename through a handle:
//
//   - the share root cannot be renamed, and nothing can be moved into
//     itself;
//   - an existing target is a collision unless replace is set, and even
//     then a directory, or a file some client has open, is not replaced
//     (STATUS_ACCESS_DENIED), nor is anything replaced by a directory;
//   - a directory with anything open below it is not renamed;
//   - a name that differs from the old one only in case renames to the
//     new spelling;
//   - every open of the file follows it to its new name (the descriptor
//     stays valid across directories).
//
// All of it happens under s.names held exclusively, so no CREATE of this
// server runs between the checks and the move. Local processes are not
// bound by that lock: one that creates the target in that instant has it
// replaced, as os.Root offers no rename that refuses to replace.
func (s *share) rename(h *diskHandle, newRel, name string, replace bool) ntstatus.Status {
	s.names.Lock()
	defer s.names.Unlock()
	old := h.rel()
	if old == "." {
		return ntstatus.STATUS_ACCESS_DENIED
	}
	// The name must still designate the open file: a local process may
	// have moved it, and then renaming by name would move something else.
	ofi, err := h.f.Stat()
	if err != nil {
		return statusOf(err)
	}
	if lfi, err := s.root.Lstat(old); err != nil || !os.SameFile(ofi, lfi) {
		return ntstatus.STATUS_ACCESS_DENIED
	}
	dst, err := s.resolve(newRel)
	if err != nil {
		return statusOf(err)
	}
	if parent := path.Dir(dst); parent != "." {
		if pfi, err := s.root.Lstat(parent); err != nil || !pfi.IsDir() {
			return ntstatus.STATUS_OBJECT_PATH_NOT_FOUND
		}
	}
	if strings.HasPrefix(dst, old+"/") {
		return ntstatus.STATUS_INVALID_PARAMETER // into itself
	}
	tfi, err := s.root.Lstat(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return statusOf(err)
	case os.SameFile(ofi, tfi) && strings.EqualFold(dst, old):
		// The same name, found again through case folding (or on a
		// file system that ignores case): take the new spelling.
		dst = path.Join(path.Dir(dst), path.Base(newRel))
		if dst == old {
			h.setLoc(old, name)
			return ntstatus.STATUS_SUCCESS
		}
	case !replace:
		return ntstatus.STATUS_OBJECT_NAME_COLLISION
	case tfi.IsDir() || h.dir || os.SameFile(ofi, tfi):
		// Directories are never replaced; nor is a hard link of the
		// file itself, which rename(2) would leave in place.
		return ntstatus.STATUS_ACCESS_DENIED
	case s.isOpen(dst, nil, false):
		return ntstatus.STATUS_ACCESS_DENIED
	}
	if h.dir && s.isOpen(old, h, true) {
		return ntstatus.STATUS_ACCESS_DENIED
	}
	if err := s.root.Rename(old, dst); err != nil {
		return statusOf(err)
	}
	s.openMu.Lock()
	for o := range s.opens {
		if o == h || o.rel() != old {
			continue
		}
		o.setLoc(dst, strings.ReplaceAll(dst, "/", `\`))
	}
	s.openMu.Unlock()
	h.setLoc(dst, name)
	return ntstatus.STATUS_SUCCESS
}

// isOpen reports whether an open other than except is at rel or, with
// below, anywhere under the directory rel.
//
// Names are compared without regard to case. On a file system that
// ignores case (macOS, Windows), resolve keeps the client's spelling of a
// name it finds exactly, so the same file can be open as "DIR/f" and be
// renamed as "dir"; an exact comparison would let such a rename or
// replace through and leave the opens on stale names. On a file system
// that keeps case, twins that differ only in case are then treated as one
// for this check, which refuses more, never less.
func (s *share) isOpen(rel string, except *diskHandle, below bool) bool {
	s.openMu.Lock()
	defer s.openMu.Unlock()
	for o := range s.opens {
		if o == except {
			continue
		}
		r := o.rel()
		if !below {
			if strings.EqualFold(r, rel) {
				return true
			}
			continue
		}
		for p := path.Dir(r); p != "." && p != "/"; p = path.Dir(p) {
			if strings.EqualFold(p, rel) {
				return true
			}
		}
	}
	return false
}
