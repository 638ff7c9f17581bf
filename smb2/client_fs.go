package smb2

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/lanman/lanman/ntstatus"
)

// FS returns a read-only io/fs view of the share. fs.FS methods take no
// context, so ctx, given here, bounds every request the view makes.
func (t *Tree) FS(ctx context.Context) fs.FS { return &treeFS{t: t, ctx: ctx} }

type treeFS struct {
	t   *Tree
	ctx context.Context
}

// Open implements fs.FS.
func (v *treeFS) Open(name string) (fs.File, error) {
	// Backslashes and colons would reach the server as separators and
	// stream names; io/fs paths have neither.
	if !fs.ValidPath(name) || strings.ContainsAny(name, `\:`) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := v.t.Open(v.ctx, name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fsError(err)}
	}
	info, err := f.Stat(v.ctx)
	if err != nil {
		f.Close(context.WithoutCancel(v.ctx))
		return nil, &fs.PathError{Op: "open", Path: name, Err: fsError(err)}
	}
	return &fsFile{ctx: v.ctx, f: f, info: allInfo(path.Base(name), info)}, nil
}

// fsError maps the statuses io/fs has names for.
func fsError(err error) error {
	switch {
	case errors.Is(err, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND), errors.Is(err, ntstatus.STATUS_OBJECT_PATH_NOT_FOUND),
		errors.Is(err, ntstatus.STATUS_NO_SUCH_FILE):
		return errors.Join(fs.ErrNotExist, err)
	case errors.Is(err, ntstatus.STATUS_ACCESS_DENIED):
		return errors.Join(fs.ErrPermission, err)
	case errors.Is(err, ErrFileClosed):
		return errors.Join(fs.ErrClosed, err)
	}
	return err
}

// fsFile is an open file or directory of a treeFS. It implements
// fs.File, fs.ReadDirFile, io.ReaderAt and io.Seeker.
type fsFile struct {
	ctx    context.Context
	f      *File
	info   fileInfo
	off    int64
	dir    []DirEntry // entries not yet returned by ReadDir
	dirEOF bool
	listed bool
}

func (x *fsFile) Stat() (fs.FileInfo, error) { return x.info, nil }

func (x *fsFile) Read(p []byte) (int, error) {
	if x.info.IsDir() {
		return 0, &fs.PathError{Op: "read", Path: x.info.name, Err: errors.New("is a directory")}
	}
	n, err := x.f.ReadAt(x.ctx, p, x.off)
	x.off += int64(n)
	if n > 0 && err == io.EOF {
		err = nil
	}
	return n, fsError(err)
}

func (x *fsFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := x.f.ReadAt(x.ctx, p, off)
	return n, fsError(err)
}

func (x *fsFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += x.off
	case io.SeekEnd:
		offset += x.info.size
	default:
		return 0, errors.New("smb2: seek: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("smb2: seek: negative offset")
	}
	x.off = offset
	return offset, nil
}

func (x *fsFile) Close() error { return fsError(x.f.Close(x.ctx)) }

// ReadDir implements fs.ReadDirFile.
func (x *fsFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if !x.info.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: x.info.name, Err: errors.New("not a directory")}
	}
	var out []fs.DirEntry
	for n <= 0 || len(out) < n {
		if len(x.dir) == 0 {
			if x.dirEOF {
				break
			}
			batch, err := x.f.ReadDir(x.ctx, "*", !x.listed)
			x.listed = true
			if err == io.EOF {
				x.dirEOF = true
				continue
			}
			if err != nil {
				return out, fsError(err)
			}
			for _, e := range batch {
				if e.FileName != "." && e.FileName != ".." {
					x.dir = append(x.dir, e)
				}
			}
			continue
		}
		e := x.dir[0]
		x.dir = x.dir[1:]
		out = append(out, dirInfo(&e))
	}
	if n > 0 && len(out) == 0 {
		return nil, io.EOF
	}
	return out, nil
}

// fileInfo is fs.FileInfo and fs.DirEntry for SMB2 metadata.
type fileInfo struct {
	name    string
	size    int64
	attrs   FileAttributes
	modTime time.Time
}

func allInfo(name string, a *FileAllInformation) fileInfo {
	if name == "." || name == "/" {
		name = "."
	}
	attrs := a.Basic.FileAttributes
	if a.Standard.Directory {
		attrs |= FileAttributeDirectory
	}
	return fileInfo{name: name, size: a.Standard.EndOfFile, attrs: attrs, modTime: a.Basic.LastWriteTime.Time()}
}

func dirInfo(e *DirEntry) fileInfo {
	return fileInfo{name: e.FileName, size: e.EndOfFile, attrs: e.FileAttributes, modTime: e.LastWriteTime.Time()}
}

func (i fileInfo) Name() string { return i.name }
func (i fileInfo) Size() int64 {
	if i.IsDir() {
		return 0
	}
	return i.size
}
func (i fileInfo) Mode() fs.FileMode {
	m := fs.FileMode(0o644)
	if i.attrs&FileAttributeReadonly != 0 {
		m = 0o444
	}
	if i.IsDir() {
		m |= fs.ModeDir | 0o111
	}
	return m
}
func (i fileInfo) ModTime() time.Time         { return i.modTime }
func (i fileInfo) IsDir() bool                { return i.attrs&FileAttributeDirectory != 0 }
func (i fileInfo) Sys() any                   { return i.attrs }
func (i fileInfo) Type() fs.FileMode          { return i.Mode().Type() }
func (i fileInfo) Info() (fs.FileInfo, error) { return i, nil }
func (i fileInfo) String() string             { return fs.FormatFileInfo(i) }
