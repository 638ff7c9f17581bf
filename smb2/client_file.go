package smb2

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/lanman/lanman/ntstatus"
)

// maxIOChunk bounds one READ or WRITE: large enough for full speed,
// small enough that several can be in flight within the credits.
const maxIOChunk = 1 << 20

// maxIOParallel is how many READs or WRITEs one ReadAt/WriteAt keeps in
// flight.
const maxIOParallel = 8

// CreateParams are the parameters of a CREATE request (MS-SMB2 2.2.13).
type CreateParams struct {
	DesiredAccess     AccessMask
	FileAttributes    FileAttributes
	ShareAccess       ShareAccess
	CreateDisposition CreateDisposition
	CreateOptions     CreateOptions
	// ImpersonationLevel defaults to Impersonation (the zero value,
	// Anonymous, is not useful for a redirector).
	ImpersonationLevel ImpersonationLevel
}

// File is an open file, directory or named pipe.
type File struct {
	tree   *Tree
	id     FileID
	name   string
	create CreateResponse
	closed atomic.Bool
}

// ErrFileClosed is returned for operations on a closed File.
var ErrFileClosed = errors.New("smb2: file already closed")

func (p *CreateParams) request(name string) *CreateRequest {
	imp := p.ImpersonationLevel
	if imp == ImpersonationAnonymous {
		imp = ImpersonationImpersonation
	}
	return &CreateRequest{
		RequestedOplockLevel: OplockLevelNone,
		ImpersonationLevel:   imp,
		DesiredAccess:        p.DesiredAccess,
		FileAttributes:       p.FileAttributes,
		ShareAccess:          p.ShareAccess,
		CreateDisposition:    p.CreateDisposition,
		CreateOptions:        p.CreateOptions,
		Name:                 name,
	}
}

// Create opens or creates name (relative to the share root, with / or \
// separators) as p says.
func (t *Tree) Create(ctx context.Context, name string, p *CreateParams) (*File, error) {
	name = cleanPath(name)
	var resp CreateResponse
	if _, err := t.sess.conn.roundTrip(ctx, t.req(p.request(name)), &resp); err != nil {
		return nil, fmt.Errorf("smb2: create %q on %s: %w", name, t.path, err)
	}
	return t.newFile(name, &resp), nil
}

func (t *Tree) newFile(name string, resp *CreateResponse) *File {
	f := &File{tree: t, id: resp.FileID, name: name, create: *resp}
	f.create.Contexts = nil // they alias the frame
	return f
}

// Open opens an existing file or directory for reading.
func (t *Tree) Open(ctx context.Context, name string) (*File, error) {
	return t.Create(ctx, name, &CreateParams{
		DesiredAccess:     GenericRead,
		ShareAccess:       FileShareRead | FileShareWrite | FileShareDelete,
		CreateDisposition: FileOpen,
	})
}

// OpenFile creates or truncates a regular file for reading and writing.
func (t *Tree) OpenFile(ctx context.Context, name string, disp CreateDisposition) (*File, error) {
	return t.Create(ctx, name, &CreateParams{
		DesiredAccess:     GenericRead | GenericWrite | Delete,
		FileAttributes:    FileAttributeNormal,
		ShareAccess:       FileShareRead | FileShareWrite | FileShareDelete,
		CreateDisposition: disp,
		CreateOptions:     FileNonDirectoryFile,
	})
}

// Mkdir creates a directory.
func (t *Tree) Mkdir(ctx context.Context, name string) error {
	f, err := t.Create(ctx, name, &CreateParams{
		DesiredAccess:     FileReadAttributes,
		FileAttributes:    FileAttributeDirectory,
		ShareAccess:       FileShareRead | FileShareWrite | FileShareDelete,
		CreateDisposition: FileCreate,
		CreateOptions:     FileDirectoryFile,
	})
	if err != nil {
		return err
	}
	return f.Close(ctx)
}

// Remove deletes a file or an empty directory: it opens it with DELETE
// access and FILE_DELETE_ON_CLOSE and closes it.
func (t *Tree) Remove(ctx context.Context, name string) error {
	f, err := t.Create(ctx, name, &CreateParams{
		DesiredAccess:     Delete | FileReadAttributes,
		ShareAccess:       FileShareRead | FileShareWrite | FileShareDelete,
		CreateDisposition: FileOpen,
		CreateOptions:     FileDeleteOnClose | FileOpenReparsePoint,
	})
	if err != nil {
		return err
	}
	return f.Close(ctx)
}

// Rename renames oldname to newname (both relative to the share root).
func (t *Tree) Rename(ctx context.Context, oldname, newname string, replace bool) error {
	f, err := t.Create(ctx, oldname, &CreateParams{
		DesiredAccess:     Delete | FileReadAttributes | Synchronize,
		ShareAccess:       FileShareRead | FileShareWrite | FileShareDelete,
		CreateDisposition: FileOpen,
	})
	if err != nil {
		return err
	}
	err = f.Rename(ctx, newname, replace)
	if cerr := f.Close(ctx); err == nil {
		err = cerr
	}
	return err
}

// Name is the file's path relative to the share root.
func (f *File) Name() string { return f.name }

// ID is the SMB2 FileId.
func (f *File) ID() FileID { return f.id }

// Tree is the tree connect the file was opened on.
func (f *File) Tree() *Tree { return f.tree }

// CreateResponse returns what the server said when the file was opened
// (times, size and attributes as of then).
func (f *File) CreateResponse() CreateResponse { return f.create }

func (f *File) conn() *Conn { return f.tree.sess.conn }

func (f *File) check(op string) error {
	if f.closed.Load() {
		return fmt.Errorf("smb2: %s %q: %w", op, f.name, ErrFileClosed)
	}
	return nil
}

// Close closes the open (MS-SMB2 3.2.4.5).
func (f *File) Close(ctx context.Context) error {
	if f.closed.Swap(true) {
		return fmt.Errorf("smb2: close %q: %w", f.name, ErrFileClosed)
	}
	if _, err := f.conn().roundTrip(ctx, f.tree.req(&CloseRequest{FileID: f.id}), &CloseResponse{}); err != nil {
		return fmt.Errorf("smb2: close %q: %w", f.name, err)
	}
	return nil
}

// Flush asks the server to write cached data to storage.
func (f *File) Flush(ctx context.Context) error {
	if err := f.check("flush"); err != nil {
		return err
	}
	if _, err := f.conn().roundTrip(ctx, f.tree.req(&FlushRequest{FileID: f.id}), &FlushResponse{}); err != nil {
		return fmt.Errorf("smb2: flush %q: %w", f.name, err)
	}
	return nil
}

// ioChunk is the size of one READ or WRITE: the server's limit, bounded
// by maxIOChunk and by the credits the server lets us hold.
func (c *Conn) ioChunk(limit uint32) int {
	n := min(int(limit), maxIOChunk)
	if c.multiCredit {
		n = min(n, max(1, c.credits.peakCredits())*65536)
	}
	return n
}

// readOnce issues one READ of up to len(p) bytes at off. It returns
// io.EOF at or past the end of the file. A STATUS_BUFFER_OVERFLOW (a
// pipe message longer than p) returns the data with errPartial.
func (f *File) readOnce(ctx context.Context, p []byte, off int64) (int, error) {
	c := f.conn()
	req := f.tree.req(&ReadRequest{
		Padding: 0x50, // data right after the fixed response
		Length:  uint32(len(p)),
		Offset:  uint64(off),
		FileID:  f.id,
	})
	req.charge = c.charge(len(p))
	var resp ReadResponse
	r, err := c.roundTrip(ctx, req, &resp, ntstatus.STATUS_BUFFER_OVERFLOW)
	if err != nil {
		if errors.Is(err, ntstatus.STATUS_END_OF_FILE) {
			return 0, io.EOF
		}
		return 0, err
	}
	if len(resp.Data) > len(p) {
		return 0, fmt.Errorf("%w: READ of %d bytes returned %d", ErrProtocol, len(p), len(resp.Data))
	}
	n := copy(p, resp.Data)
	if r.hdr.Status == ntstatus.STATUS_BUFFER_OVERFLOW {
		return n, errPartial
	}
	return n, nil
}

// errPartial marks a pipe read or transceive that returned only the
// start of a message.
var errPartial = errors.New("smb2: partial message")

// ReadAt reads len(p) bytes at off, as io.ReaderAt does: n < len(p)
// comes with an error, io.EOF at the end of the file. Large reads are
// split into chunks read in parallel.
func (f *File) ReadAt(ctx context.Context, p []byte, off int64) (int, error) {
	if err := f.check("read"); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, fmt.Errorf("smb2: read %q: negative offset", f.name)
	}
	chunk := f.conn().ioChunk(f.conn().maxRead)
	n, err := parallelIO(ctx, len(p), chunk, func(ctx context.Context, lo, hi int) (int, error) {
		n, err := f.readOnce(ctx, p[lo:hi], off+int64(lo))
		if err == errPartial {
			err = nil
		}
		return n, err
	})
	if err != nil && err != io.EOF {
		return n, fmt.Errorf("smb2: read %q at %d: %w", f.name, off, err)
	}
	if err == nil && n < len(p) {
		err = io.EOF
	}
	return n, err
}

// WriteAt writes p at off; large writes are split into chunks written in
// parallel.
func (f *File) WriteAt(ctx context.Context, p []byte, off int64) (int, error) {
	if err := f.check("write"); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, fmt.Errorf("smb2: write %q: negative offset", f.name)
	}
	chunk := f.conn().ioChunk(f.conn().maxWrite)
	n, err := parallelIO(ctx, len(p), chunk, func(ctx context.Context, lo, hi int) (int, error) {
		return f.writeOnce(ctx, p[lo:hi], off+int64(lo))
	})
	if err != nil {
		return n, fmt.Errorf("smb2: write %q at %d: %w", f.name, off, err)
	}
	return n, nil
}

func (f *File) writeOnce(ctx context.Context, p []byte, off int64) (int, error) {
	c := f.conn()
	req := f.tree.req(&WriteRequest{Offset: uint64(off), FileID: f.id, Data: p})
	req.charge = c.charge(len(p))
	var resp WriteResponse
	if _, err := c.roundTrip(ctx, req, &resp); err != nil {
		return 0, err
	}
	if int(resp.Count) > len(p) {
		return 0, fmt.Errorf("%w: WRITE of %d bytes reported %d", ErrProtocol, len(p), resp.Count)
	}
	if int(resp.Count) < len(p) {
		return int(resp.Count), io.ErrShortWrite
	}
	return len(p), nil
}

// parallelIO runs op over [0,size) in chunks, up to maxIOParallel at a
// time, and returns the length of the prefix done without error and the
// first error (by position) that cut it short. A short chunk ends the
// prefix as well.
func parallelIO(ctx context.Context, size, chunk int, op func(ctx context.Context, lo, hi int) (int, error)) (int, error) {
	if size <= chunk {
		if size == 0 {
			return 0, nil
		}
		return op(ctx, 0, size)
	}
	nchunks := (size + chunk - 1) / chunk
	done := make([]int, nchunks)
	errs := make([]error, nchunks)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, maxIOParallel)
	var wg sync.WaitGroup
	for i := 0; i < nchunks; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			errs[i] = ctx.Err()
		}
		if errs[i] != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			lo := i * chunk
			hi := min(lo+chunk, size)
			done[i], errs[i] = op(ctx, lo, hi)
			if errs[i] != nil || done[i] < hi-lo {
				cancel() // later chunks are of no use
			}
		}(i)
	}
	wg.Wait()
	n := 0
	for i := 0; i < nchunks; i++ {
		n += done[i]
		if errs[i] != nil {
			return n, errs[i]
		}
		if done[i] < min(chunk, size-i*chunk) {
			return n, nil
		}
	}
	return n, nil
}

// QueryInfo fills info (FileBasicInformation, FileStandardInformation,
// FileAllInformation, FileFsSizeInformation, ...) from the server.
func (f *File) QueryInfo(ctx context.Context, info FileInfo) error {
	if err := f.check("query info"); err != nil {
		return err
	}
	c := f.conn()
	outLen := min(c.maxTransact, 64<<10)
	req := f.tree.req(&QueryInfoRequest{
		InfoType:           info.InfoType(),
		FileInfoClass:      info.InfoClass(),
		OutputBufferLength: outLen,
		FileID:             f.id,
	})
	req.charge = c.charge(int(outLen))
	var resp QueryInfoResponse
	if _, err := c.roundTrip(ctx, req, &resp); err != nil {
		return fmt.Errorf("smb2: query info %q class %d: %w", f.name, info.InfoClass(), err)
	}
	if err := info.Unmarshal(resp.Output); err != nil {
		return fmt.Errorf("smb2: query info %q class %d: %w", f.name, info.InfoClass(), err)
	}
	return nil
}

// SetInfo applies info (FileEndOfFileInformation,
// FileDispositionInformation, FileRenameInformation,
// FileBasicInformation, ...).
func (f *File) SetInfo(ctx context.Context, info FileInfo) error {
	if err := f.check("set info"); err != nil {
		return err
	}
	req := f.tree.req(&SetInfoRequest{
		InfoType:      info.InfoType(),
		FileInfoClass: info.InfoClass(),
		FileID:        f.id,
		Buffer:        info.Marshal(nil),
	})
	if _, err := f.conn().roundTrip(ctx, req, &SetInfoResponse{}); err != nil {
		return fmt.Errorf("smb2: set info %q class %d: %w", f.name, info.InfoClass(), err)
	}
	return nil
}

// Truncate sets the file's size.
func (f *File) Truncate(ctx context.Context, size int64) error {
	return f.SetInfo(ctx, &FileEndOfFileInformation{EndOfFile: size})
}

// SetDeleteOnClose marks the file to be deleted when its last handle
// closes (or unmarks it).
func (f *File) SetDeleteOnClose(ctx context.Context, del bool) error {
	return f.SetInfo(ctx, &FileDispositionInformation{DeletePending: del})
}

// Rename gives the open file a new name (relative to the share root).
func (f *File) Rename(ctx context.Context, newname string, replace bool) error {
	newname = cleanPath(newname)
	if err := f.SetInfo(ctx, &FileRenameInformation{ReplaceIfExists: replace, FileName: newname}); err != nil {
		return err
	}
	f.name = newname
	return nil
}

// ReadDir returns the next batch of entries of an open directory that
// match pattern ("*" for all), starting over when restart is set
// (MS-SMB2 3.2.4.17). At the end it returns io.EOF and no entries.
func (f *File) ReadDir(ctx context.Context, pattern string, restart bool) ([]DirEntry, error) {
	if err := f.check("read dir"); err != nil {
		return nil, err
	}
	if pattern == "" {
		pattern = "*"
	}
	c := f.conn()
	outLen := min(c.maxTransact, 64<<10)
	var flags uint8
	if restart {
		flags |= QueryDirRestartScans
	}
	const class = FileIDBothDirectoryInformationClass
	req := f.tree.req(&QueryDirectoryRequest{
		FileInformationClass: class,
		Flags:                flags,
		FileID:               f.id,
		FileName:             pattern,
		OutputBufferLength:   outLen,
	})
	req.charge = c.charge(int(outLen))
	var resp QueryDirectoryResponse
	if _, err := c.roundTrip(ctx, req, &resp); err != nil {
		if errors.Is(err, ntstatus.STATUS_NO_MORE_FILES) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("smb2: read dir %q: %w", f.name, err)
	}
	entries, err := ParseDirEntries(class, resp.Output)
	if err != nil {
		return nil, fmt.Errorf("smb2: read dir %q: %w", f.name, err)
	}
	return entries, nil
}

// ReadDirAll reads a whole directory, without "." and "..".
func (f *File) ReadDirAll(ctx context.Context) ([]DirEntry, error) {
	var all []DirEntry
	for restart := true; ; restart = false {
		batch, err := f.ReadDir(ctx, "*", restart)
		if err == io.EOF {
			return all, nil
		}
		if err != nil {
			return all, err
		}
		for _, e := range batch {
			if e.FileName != "." && e.FileName != ".." {
				all = append(all, e)
			}
		}
	}
}

// Stat returns the file's FileAllInformation.
func (f *File) Stat(ctx context.Context) (*FileAllInformation, error) {
	var info FileAllInformation
	if err := f.QueryInfo(ctx, &info); err != nil {
		return nil, err
	}
	return &info, nil
}
