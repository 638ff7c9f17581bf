package workstation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lanman/lanman/win32"
)

// ErrStale is returned by a file whose handle was lost with its
// connection: the use reconnected, but an SMB handle does not survive its
// session.
var ErrStale = errors.New("workstation: file handle lost with its connection")

// File is a file or directory opened through a use. While it is open it
// counts in the use's refcount; NetUseDel with USE_NOFORCE fails until it
// is closed. It implements io.ReaderAt, io.WriterAt, io.ReadWriteSeeker
// and fs.ReadDirFile; the methods without a context use the redirector's
// IOTimeout.
type File struct {
	r    *Redirector
	u    *use
	name string // as opened, for errors and Stat
	sess smbSession

	mu     sync.Mutex
	f      smbFile
	closed bool
	off    int64
	dir    []fs.FileInfo // entries read ahead by ReadDir
	dirEOF bool
}

// OpenFile opens a file through a use, named "X:/dir/file",
// "name:dir/file" or \\server\share\dir\file. flag and perm are those of
// os.OpenFile (O_RDONLY, O_WRONLY, O_RDWR, O_CREATE, O_EXCL, O_TRUNC,
// O_APPEND is not supported). A lost connection is re-established first.
func (r *Redirector) OpenFile(ctx context.Context, name string, flag int, perm fs.FileMode) (*File, error) {
	useName, rel, err := splitPath(name)
	if err != nil {
		return nil, err
	}
	u, err := r.lookup(useName)
	if err != nil {
		return nil, err
	}
	return r.openOn(ctx, u, name, rel, flag, perm)
}

func (r *Redirector) openOn(ctx context.Context, u *use, name, rel string, flag int, perm fs.FileMode) (*File, error) {
	if flag&os.O_APPEND != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("O_APPEND: %w", errors.ErrUnsupported)}
	}
	tree, smb, err := r.touch(ctx, u)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	sf, err := tree.open(ctx, rel, flag, perm)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f := &File{r: r, u: u, name: name, sess: smb, f: sf}
	r.mu.Lock()
	if u.deleted {
		r.mu.Unlock()
		sf.close(ctx)
		return nil, &fs.PathError{Op: "open", Path: name, Err: win32.NERR_UseNotFound}
	}
	u.files[f] = struct{}{}
	r.mu.Unlock()
	return f, nil
}

// Open opens a file or directory for reading.
func (r *Redirector) Open(ctx context.Context, name string) (*File, error) {
	return r.OpenFile(ctx, name, os.O_RDONLY, 0)
}

// Create creates or truncates a file, opened for reading and writing.
func (r *Redirector) Create(ctx context.Context, name string) (*File, error) {
	return r.OpenFile(ctx, name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

// Stat describes a file or directory through a use.
func (r *Redirector) Stat(ctx context.Context, name string) (fs.FileInfo, error) {
	f, err := r.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer f.CloseContext(ctx)
	return f.StatContext(ctx)
}

// ReadDir lists a directory through a use, sorted by name.
func (r *Redirector) ReadDir(ctx context.Context, name string) ([]fs.DirEntry, error) {
	f, err := r.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer f.CloseContext(ctx)
	var out []fs.DirEntry
	for {
		ents, err := f.ReadDirContext(ctx, 256)
		out = append(out, ents...)
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, err
		}
	}
	sortDirEntries(out)
	return out, nil
}

func (f *File) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), f.r.cfg.IOTimeout)
}

// live returns the handle, or why it cannot be used.
func (f *File) live() (smbFile, error) {
	if f.closed {
		return nil, os.ErrClosed
	}
	if f.sess.lost() {
		return nil, ErrStale
	}
	return f.f, nil
}

func (f *File) wrap(op string, err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	return &fs.PathError{Op: op, Path: f.name, Err: err}
}

// Name is the name the file was opened with.
func (f *File) Name() string { return f.name }

// ReadAtContext reads len(p) bytes at off, or fewer with io.EOF at the end
// of the file.
func (f *File) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	f.mu.Lock()
	h, err := f.live()
	f.mu.Unlock()
	if err != nil {
		return 0, f.wrap("read", err)
	}
	n := 0
	for n < len(p) {
		m, err := h.readAt(ctx, p[n:], off+int64(n))
		n += m
		if err != nil {
			return n, f.wrap("read", err)
		}
		if m == 0 {
			return n, io.EOF
		}
	}
	return n, nil
}

// WriteAtContext writes p at off.
func (f *File) WriteAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	f.mu.Lock()
	h, err := f.live()
	f.mu.Unlock()
	if err != nil {
		return 0, f.wrap("write", err)
	}
	n := 0
	for n < len(p) {
		m, err := h.writeAt(ctx, p[n:], off+int64(n))
		n += m
		if err != nil {
			return n, f.wrap("write", err)
		}
		if m == 0 {
			return n, f.wrap("write", io.ErrShortWrite)
		}
	}
	return n, nil
}

// ReadAt implements io.ReaderAt.
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	ctx, cancel := f.ctx()
	defer cancel()
	return f.ReadAtContext(ctx, p, off)
}

// WriteAt implements io.WriterAt.
func (f *File) WriteAt(p []byte, off int64) (int, error) {
	ctx, cancel := f.ctx()
	defer cancel()
	return f.WriteAtContext(ctx, p, off)
}

// Read implements io.Reader from the file's offset.
func (f *File) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	ctx, cancel := f.ctx()
	defer cancel()
	f.mu.Lock()
	h, err := f.live()
	off := f.off
	f.mu.Unlock()
	if err != nil {
		return 0, f.wrap("read", err)
	}
	n, err := h.readAt(ctx, p, off)
	f.mu.Lock()
	f.off += int64(n)
	f.mu.Unlock()
	if err == nil && n == 0 {
		err = io.EOF
	}
	return n, f.wrap("read", err)
}

// Write implements io.Writer at the file's offset.
func (f *File) Write(p []byte) (int, error) {
	f.mu.Lock()
	off := f.off
	f.mu.Unlock()
	n, err := f.WriteAt(p, off)
	f.mu.Lock()
	f.off += int64(n)
	f.mu.Unlock()
	return n, err
}

// Seek implements io.Seeker.
func (f *File) Seek(offset int64, whence int) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = f.off
	case io.SeekEnd:
		h, err := f.live()
		if err != nil {
			return 0, f.wrap("seek", err)
		}
		ctx, cancel := f.ctx()
		fi, err := h.stat(ctx)
		cancel()
		if err != nil {
			return 0, f.wrap("seek", err)
		}
		base = fi.Size()
	default:
		return 0, f.wrap("seek", fs.ErrInvalid)
	}
	if base+offset < 0 {
		return 0, f.wrap("seek", fs.ErrInvalid)
	}
	f.off = base + offset
	return f.off, nil
}

// StatContext describes the open file.
func (f *File) StatContext(ctx context.Context) (fs.FileInfo, error) {
	f.mu.Lock()
	h, err := f.live()
	f.mu.Unlock()
	if err != nil {
		return nil, f.wrap("stat", err)
	}
	fi, err := h.stat(ctx)
	return fi, f.wrap("stat", err)
}

// Stat implements fs.File.
func (f *File) Stat() (fs.FileInfo, error) {
	ctx, cancel := f.ctx()
	defer cancel()
	return f.StatContext(ctx)
}

// ReadDirContext reads up to n entries of a directory ("." and ".." left
// out), or all remaining ones when n <= 0, as fs.ReadDirFile does.
func (f *File) ReadDirContext(ctx context.Context, n int) ([]fs.DirEntry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, err := f.live()
	if err != nil {
		return nil, f.wrap("readdir", err)
	}
	for !f.dirEOF && (n <= 0 || len(f.dir) < n) {
		ents, err := h.readDir(ctx)
		for _, e := range ents {
			if e.Name() != "." && e.Name() != ".." {
				f.dir = append(f.dir, e)
			}
		}
		if err == io.EOF {
			f.dirEOF = true
			break
		}
		if err != nil {
			return nil, f.wrap("readdir", err)
		}
	}
	k := len(f.dir)
	if n > 0 && k > n {
		k = n
	}
	out := make([]fs.DirEntry, k)
	for i, fi := range f.dir[:k] {
		out[i] = fs.FileInfoToDirEntry(fi)
	}
	f.dir = f.dir[k:]
	if n > 0 && k == 0 {
		return nil, io.EOF
	}
	return out, nil
}

// ReadDir implements fs.ReadDirFile.
func (f *File) ReadDir(n int) ([]fs.DirEntry, error) {
	ctx, cancel := f.ctx()
	defer cancel()
	return f.ReadDirContext(ctx, n)
}

// CloseContext closes the file and drops it from its use's refcount.
func (f *File) CloseContext(ctx context.Context) error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return f.wrap("close", os.ErrClosed)
	}
	f.closed = true
	h := f.f
	stale := f.sess.lost()
	f.mu.Unlock()
	f.r.mu.Lock()
	delete(f.u.files, f)
	f.r.mu.Unlock()
	if stale {
		return nil // the handle died with its connection
	}
	return f.wrap("close", h.close(ctx))
}

// Close implements io.Closer.
func (f *File) Close() error {
	ctx, cancel := f.ctx()
	defer cancel()
	return f.CloseContext(ctx)
}

// forceClose closes the file on behalf of NetUseDel with force.
func (f *File) forceClose(ctx context.Context) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.closed = true
	h := f.f
	stale := f.sess.lost()
	f.mu.Unlock()
	f.r.mu.Lock()
	delete(f.u.files, f)
	f.r.mu.Unlock()
	if !stale {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		h.close(cctx)
		cancel()
	}
}

// FS returns an io/fs view of the share behind a use. Names are slash
// separated and relative to the share's root, as fs.FS requires.
func (r *Redirector) FS(useName string) (fs.FS, error) {
	u, err := r.lookup(useName)
	if err != nil {
		return nil, err
	}
	return &useFS{r: r, u: u}, nil
}

type useFS struct {
	r *Redirector
	u *use
}

func (s *useFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) || strings.Contains(name, `\`) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.r.cfg.IOTimeout)
	defer cancel()
	rel := ""
	if name != "." {
		rel = strings.ReplaceAll(name, "/", `\`)
	}
	f, err := s.r.openOn(ctx, s.u, name, rel, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func sortDirEntries(ents []fs.DirEntry) {
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
}

// fileInfo is an fs.FileInfo built from SMB2 attributes.
type fileInfo struct {
	name  string
	size  int64
	mode  fs.FileMode
	mtime time.Time
}

func (fi *fileInfo) Name() string       { return path.Base(fi.name) }
func (fi *fileInfo) Size() int64        { return fi.size }
func (fi *fileInfo) Mode() fs.FileMode  { return fi.mode }
func (fi *fileInfo) ModTime() time.Time { return fi.mtime }
func (fi *fileInfo) IsDir() bool        { return fi.mode.IsDir() }
func (fi *fileInfo) Sys() any           { return nil }
