package server

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/lanman/lanman/ntstatus"
)

// Access mask bits (MS-SMB2 2.2.13.1.1, MS-DTYP 2.4.3).
const (
	fileReadData        = 0x00000001
	fileWriteData       = 0x00000002
	fileAppendData      = 0x00000004
	fileReadEA          = 0x00000008
	fileWriteEA         = 0x00000010
	fileExecute         = 0x00000020
	fileDeleteChild     = 0x00000040
	fileReadAttributes  = 0x00000080
	fileWriteAttributes = 0x00000100
	accessDelete        = 0x00010000
	readControl         = 0x00020000
	writeDAC            = 0x00040000
	writeOwner          = 0x00080000
	synchronize         = 0x00100000
	accessSystemSec     = 0x01000000
	maximumAllowed      = 0x02000000
	genericAll          = 0x10000000
	genericExecute      = 0x20000000
	genericWrite        = 0x40000000
	genericRead         = 0x80000000

	fileAllAccess = 0x001F01FF
	// writeAccess are the bits that change a file or its metadata.
	writeAccess = fileWriteData | fileAppendData | fileWriteEA | fileDeleteChild |
		fileWriteAttributes | accessDelete | writeDAC | writeOwner
	readOnlyMax = fileReadData | fileReadEA | fileExecute | fileReadAttributes | readControl | synchronize
)

// CREATE dispositions, options and actions (MS-SMB2 2.2.13, 2.2.14).
const (
	dispSupersede   = 0
	dispOpen        = 1
	dispCreate      = 2
	dispOpenIf      = 3
	dispOverwrite   = 4
	dispOverwriteIf = 5

	optDirectoryFile    = 0x00000001
	optNonDirectoryFile = 0x00000040
	optDeleteOnClose    = 0x00001000

	actionSuperseded  = 0
	actionOpened      = 1
	actionCreated     = 2
	actionOverwritten = 3
)

// mapGeneric turns generic and MAXIMUM_ALLOWED rights into specific ones
// (MS-SMB2 3.3.5.9; the mapping of MS-FSCC for files).
func mapGeneric(access uint32, readOnly bool) uint32 {
	if access&genericRead != 0 {
		access |= 0x00120089
	}
	if access&genericWrite != 0 {
		access |= 0x00120116
	}
	if access&genericExecute != 0 {
		access |= 0x001200A0
	}
	if access&genericAll != 0 {
		access |= fileAllAccess
	}
	if access&maximumAllowed != 0 {
		if readOnly {
			access |= readOnlyMax
		} else {
			access |= fileAllAccess
		}
	}
	return access &^ (genericRead | genericWrite | genericExecute | genericAll | maximumAllowed)
}

// createParams are the parts of a CREATE request the disk layer uses.
type createParams struct {
	name        string
	access      uint32
	disposition uint32
	options     uint32
	attrs       uint32
}

// handle is what an open refers to: a disk file or directory, or a pipe.
type handle interface {
	close() error
}

// diskHandle is an open file or directory on a disk share.
type diskHandle struct {
	sh *share
	// loc is where the open is: it changes when the file, or another
	// open of it, is renamed (see rename.go). It is read without locks;
	// code that resolves it to a file-system path holds sh.names.RLock
	// so that no rename moves the file in between.
	loc           atomic.Pointer[diskLoc]
	f             *os.File
	dir           bool
	access        uint32
	deleteOnClose bool

	mu      sync.Mutex
	listing []fs.DirEntry // a directory's entries, read on the first QUERY_DIRECTORY
	listPos int
	pattern string
	// returned is set once a scan has returned an entry, to tell
	// STATUS_NO_SUCH_FILE (nothing matched) from STATUS_NO_MORE_FILES.
	returned bool
}

// diskLoc is the name of an open disk file or directory.
type diskLoc struct {
	rel     string // slash-separated, relative to the share ("." is the root)
	name    string // the name as the client gave it, for FileNameInformation
	display string // the local path, for NetrFileEnum's fi3_pathname
}

func (h *diskHandle) rel() string { return h.loc.Load().rel }

func (h *diskHandle) setLoc(rel, name string) {
	h.loc.Store(&diskLoc{rel: rel, name: name, display: h.sh.localPath(rel)})
}

// statusOf maps a file-system error to the NTSTATUS a Windows server
// would return.
func statusOf(err error) ntstatus.Status {
	var pe *os.PathError
	var errno syscall.Errno
	switch {
	case err == nil:
		return ntstatus.STATUS_SUCCESS
	case errors.Is(err, ErrSymlink):
		return ntstatus.STATUS_ACCESS_DENIED
	case errors.Is(err, ErrInvalidPath):
		return ntstatus.STATUS_OBJECT_NAME_INVALID
	case errors.Is(err, fs.ErrNotExist):
		return ntstatus.STATUS_OBJECT_NAME_NOT_FOUND
	case errors.Is(err, fs.ErrExist):
		return ntstatus.STATUS_OBJECT_NAME_COLLISION
	case errors.Is(err, fs.ErrPermission):
		return ntstatus.STATUS_ACCESS_DENIED
	case errors.As(err, &errno) || (errors.As(err, &pe) && errors.As(pe.Err, &errno)):
		switch errno {
		case syscall.ENOTDIR:
			return ntstatus.STATUS_OBJECT_PATH_NOT_FOUND
		case syscall.EISDIR:
			return ntstatus.STATUS_FILE_IS_A_DIRECTORY
		case syscall.ENOTEMPTY:
			return ntstatus.STATUS_DIRECTORY_NOT_EMPTY
		case syscall.ENOSPC:
			return statusDiskFull
		case syscall.EROFS:
			return statusMediaWriteProtected
		case syscall.ENAMETOOLONG:
			return ntstatus.STATUS_OBJECT_NAME_INVALID
		}
	}
	// Escapes from os.Root ("path escapes from parent") land here too.
	return ntstatus.STATUS_ACCESS_DENIED
}

// create opens or creates a file or directory on the share as a CREATE
// request asks (MS-SMB2 3.3.5.9), through the share's os.Root.
func (s *share) create(p createParams) (*diskHandle, uint32, ntstatus.Status) {
	rel, err := cleanPath(p.name)
	if err != nil {
		return nil, 0, ntstatus.STATUS_OBJECT_NAME_INVALID
	}
	if p.disposition > dispOverwriteIf {
		return nil, 0, ntstatus.STATUS_INVALID_PARAMETER
	}
	if p.options&optDirectoryFile != 0 && p.options&optNonDirectoryFile != 0 {
		return nil, 0, ntstatus.STATUS_INVALID_PARAMETER
	}
	access := mapGeneric(p.access, s.ReadOnly)
	if p.options&optDeleteOnClose != 0 {
		if access&accessDelete == 0 {
			return nil, 0, ntstatus.STATUS_ACCESS_DENIED
		}
	}
	if access&accessSystemSec != 0 {
		return nil, 0, ntstatus.STATUS_PRIVILEGE_NOT_HELD
	}
	mutating := p.disposition != dispOpen && p.disposition != dispOpenIf
	if s.ReadOnly && (access&writeAccess != 0 || mutating || p.options&optDeleteOnClose != 0) {
		return nil, 0, ntstatus.STATUS_ACCESS_DENIED
	}
	// Hold off renames until the open is registered under the name it
	// resolved (see share.rename).
	s.names.RLock()
	defer s.names.RUnlock()
	if rel, err = s.resolve(rel); err != nil {
		return nil, 0, statusOf(err)
	}
	fi, err := s.root.Lstat(rel)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, 0, statusOf(err)
	}
	if !exists {
		// Distinguish a missing parent (PATH_NOT_FOUND) from a missing
		// leaf (NAME_NOT_FOUND), as clients rely on it.
		if dir := path.Dir(rel); dir != "." {
			if pfi, perr := s.root.Lstat(dir); perr != nil || !pfi.IsDir() {
				return nil, 0, ntstatus.STATUS_OBJECT_PATH_NOT_FOUND
			}
		}
	}
	if exists && !fi.Mode().IsRegular() && !fi.IsDir() {
		return nil, 0, ntstatus.STATUS_ACCESS_DENIED // devices, sockets, fifos
	}
	h := &diskHandle{sh: s, access: access, deleteOnClose: p.options&optDeleteOnClose != 0}
	h.setLoc(rel, p.name)
	action := uint32(actionOpened)
	switch {
	case exists && p.disposition == dispCreate:
		return nil, 0, ntstatus.STATUS_OBJECT_NAME_COLLISION
	case !exists && (p.disposition == dispOpen || p.disposition == dispOverwrite):
		return nil, 0, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND
	case exists && fi.IsDir():
		if p.options&optNonDirectoryFile != 0 {
			return nil, 0, ntstatus.STATUS_FILE_IS_A_DIRECTORY
		}
		if mutating && p.disposition != dispCreate {
			return nil, 0, ntstatus.STATUS_INVALID_PARAMETER // cannot overwrite a directory
		}
		if rel == "." && h.deleteOnClose {
			return nil, 0, statusCannotDelete
		}
		h.dir = true
		h.f, err = s.root.Open(rel)
	case exists:
		if p.options&optDirectoryFile != 0 {
			return nil, 0, ntstatus.STATUS_NOT_A_DIRECTORY
		}
		flag := os.O_RDONLY
		if access&(fileWriteData|fileAppendData) != 0 || mutating {
			flag = os.O_RDWR
		}
		if p.disposition == dispOverwrite || p.disposition == dispOverwriteIf || p.disposition == dispSupersede {
			flag |= os.O_TRUNC
			action = actionOverwritten
			if p.disposition == dispSupersede {
				action = actionSuperseded
			}
		}
		h.f, err = s.root.OpenFile(rel, flag, 0)
	case p.options&optDirectoryFile != 0:
		if err = s.root.Mkdir(rel, 0o755); err == nil {
			h.dir = true
			h.f, err = s.root.Open(rel)
		}
		action = actionCreated
	default:
		h.f, err = s.root.OpenFile(rel, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		action = actionCreated
	}
	if err != nil {
		return nil, 0, statusOf(err)
	}
	// os.Root confined the open to the share; make sure it also opened
	// what Lstat saw and not a link swapped in since.
	ofi, err := h.f.Stat()
	if err != nil || (!ofi.Mode().IsRegular() && !ofi.IsDir()) {
		h.f.Close()
		return nil, 0, ntstatus.STATUS_ACCESS_DENIED
	}
	if lfi, err := s.root.Lstat(rel); err != nil || !os.SameFile(ofi, lfi) {
		h.f.Close()
		return nil, 0, ntstatus.STATUS_ACCESS_DENIED
	}
	s.register(h)
	return h, action, ntstatus.STATUS_SUCCESS
}

func (h *diskHandle) meta() (fileMeta, ntstatus.Status) {
	fi, err := h.f.Stat()
	if err != nil {
		return fileMeta{}, statusOf(err)
	}
	return metaOf(path.Base(h.rel()), fi, h.sh.ReadOnly), ntstatus.STATUS_SUCCESS
}

func (h *diskHandle) close() error {
	s := h.sh
	s.unregister(h)
	err := h.f.Close()
	if h.deleteOnClose && !s.ReadOnly {
		s.names.RLock()
		rerr := s.root.Remove(h.rel())
		s.names.RUnlock()
		if rerr != nil && err == nil {
			err = rerr
		}
	}
	return err
}

func (h *diskHandle) read(off uint64, n uint32) ([]byte, ntstatus.Status) {
	if h.dir {
		return nil, ntstatus.STATUS_INVALID_DEVICE_REQUEST
	}
	if h.access&(fileReadData|fileExecute) == 0 {
		return nil, ntstatus.STATUS_ACCESS_DENIED
	}
	if off > 1<<62 {
		return nil, ntstatus.STATUS_INVALID_PARAMETER
	}
	buf := make([]byte, n)
	k, err := h.f.ReadAt(buf, int64(off))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, statusOf(err)
	}
	if k == 0 && n > 0 {
		return nil, ntstatus.STATUS_END_OF_FILE
	}
	return buf[:k], ntstatus.STATUS_SUCCESS
}

func (h *diskHandle) write(off uint64, data []byte) (uint32, ntstatus.Status) {
	if h.dir {
		return 0, ntstatus.STATUS_INVALID_DEVICE_REQUEST
	}
	if h.access&(fileWriteData|fileAppendData) == 0 || h.sh.ReadOnly {
		return 0, ntstatus.STATUS_ACCESS_DENIED
	}
	if off == 0xFFFFFFFFFFFFFFFF { // append (MS-SMB2 2.2.21)
		fi, err := h.f.Stat()
		if err != nil {
			return 0, statusOf(err)
		}
		off = uint64(fi.Size())
	}
	if off > 1<<62 {
		return 0, ntstatus.STATUS_INVALID_PARAMETER
	}
	k, err := h.f.WriteAt(data, int64(off))
	if err != nil {
		return uint32(k), statusOf(err)
	}
	return uint32(k), ntstatus.STATUS_SUCCESS
}

func (h *diskHandle) flush() ntstatus.Status {
	if h.dir || h.sh.ReadOnly {
		return ntstatus.STATUS_SUCCESS
	}
	return statusOf(h.f.Sync())
}

// queryDirectory fills a QUERY_DIRECTORY response buffer of at most max
// bytes (MS-SMB2 3.3.5.18).
func (h *diskHandle) queryDirectory(class uint8, flags uint8, pattern string, max uint32) ([]byte, ntstatus.Status) {
	const (
		restartScans       = 0x01
		returnSingleEntry  = 0x02
		indexSpecified     = 0x04
		reopen             = 0x10
		entryAlign         = 8
		maxEntriesPerReply = 4096
	)
	if !h.dir {
		return nil, ntstatus.STATUS_INVALID_PARAMETER
	}
	if !validDirClass(class) {
		return nil, ntstatus.STATUS_INVALID_INFO_CLASS
	}
	if h.access&fileReadData == 0 { // FILE_LIST_DIRECTORY
		return nil, ntstatus.STATUS_ACCESS_DENIED
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.listing == nil || flags&(restartScans|reopen) != 0 || (pattern != "" && pattern != h.pattern) {
		h.sh.names.RLock()
		d, err := h.sh.root.Open(h.rel())
		h.sh.names.RUnlock()
		if err != nil {
			return nil, statusOf(err)
		}
		ents, err := d.ReadDir(-1)
		d.Close()
		if err != nil {
			return nil, statusOf(err)
		}
		// Hide what the server would refuse to open: links and
		// special files.
		ents = slices.DeleteFunc(ents, func(e fs.DirEntry) bool {
			return !e.Type().IsRegular() && !e.IsDir()
		})
		slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
		h.listing = ents
		h.listPos = -2 // "." and ".." first
		if pattern == "" {
			pattern = "*"
		}
		h.pattern = pattern
		h.returned = false
	}
	var out []byte
	prev := -1
	n := 0
	for ; h.listPos < len(h.listing); h.listPos++ {
		var m fileMeta
		switch h.listPos {
		case -2, -1:
			name := "."
			if h.listPos == -1 {
				name = ".."
			}
			if !matchPattern(h.pattern, name) {
				continue
			}
			fi, err := h.f.Stat()
			if err != nil {
				continue
			}
			m = metaOf(name, fi, h.sh.ReadOnly)
		default:
			e := h.listing[h.listPos]
			if !matchPattern(h.pattern, e.Name()) {
				continue
			}
			fi, err := e.Info()
			if err != nil {
				continue // gone since the listing
			}
			m = metaOf(e.Name(), fi, h.sh.ReadOnly)
		}
		before := len(out)
		for len(out)%entryAlign != 0 {
			out = append(out, 0)
		}
		start := len(out)
		out, _ = appendDirEntry(out, class, &m)
		if uint32(len(out)) > max {
			out = out[:before] // retried on the next call
			if prev < 0 {
				return nil, ntstatus.STATUS_INFO_LENGTH_MISMATCH
			}
			break
		}
		if prev >= 0 {
			le.PutUint32(out[prev:], uint32(start-prev))
		}
		prev = start
		n++
		if flags&returnSingleEntry != 0 || n >= maxEntriesPerReply {
			h.listPos++
			break
		}
	}
	first := !h.returned
	if prev >= 0 {
		h.returned = true
		return out, ntstatus.STATUS_SUCCESS
	}
	if first {
		// Nothing matched at all in this scan (MS-SMB2 3.3.5.18).
		return nil, ntstatus.STATUS_NO_SUCH_FILE
	}
	return nil, ntstatus.STATUS_NO_MORE_FILES
}
