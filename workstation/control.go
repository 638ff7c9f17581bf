package workstation

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// ControlSyntax is lanman's private interface on the service socket, next
// to wkssvc: stopping the service, and the file operations through uses
// that the CLI's ls, cat and cp need (the uses, and so their files, live
// in the service process). It is never offered on the network.
var ControlSyntax = dcerpc.SyntaxID{
	UUID:    dcerpc.MustParseUUID("4c616e6d-616e-5773-a8e3-0c1f2b3d4e5f"),
	Version: 1,
}

// Control operations.
const (
	opStop    uint16 = 0
	opStat    uint16 = 1
	opReadDir uint16 = 2
	opOpen    uint16 = 3
	opRead    uint16 = 4
	opWrite   uint16 = 5
	opClose   uint16 = 6
)

// maxIO bounds one read or write of the control interface.
const maxIO = 1 << 20

// maxHandles bounds the files one connection keeps open.
const maxHandles = 1024

// FileStat is a file's description on the control interface.
type FileStat struct {
	Name  string
	Size  int64
	Mode  fs.FileMode
	MTime time.Time
}

func (s *FileStat) marshal(w *ndr.Writer) {
	w.String(s.Name)
	w.Align(8)
	w.Uint64(uint64(s.Size))
	w.Uint32(uint32(s.Mode))
	w.Align(8)
	w.Uint64(uint64(s.MTime.UnixNano()))
}

// minStatSize is the fewest bytes a marshalled FileStat takes.
const minStatSize = 12 + 2 + 8 + 4 + 8

func (s *FileStat) unmarshal(r *ndr.Reader) {
	s.Name = r.String()
	r.Align(8)
	s.Size = int64(r.Uint64())
	s.Mode = fs.FileMode(r.Uint32())
	r.Align(8)
	s.MTime = time.Unix(0, int64(r.Uint64()))
}

func statOf(fi fs.FileInfo) FileStat {
	return FileStat{Name: fi.Name(), Size: fi.Size(), Mode: fi.Mode(), MTime: fi.ModTime()}
}

// Name, Size, Mode, ModTime, IsDir and Sys make FileStat an fs.FileInfo.
func (s *FileStat) fileInfo() fs.FileInfo {
	return &fileInfo{name: s.Name, size: s.Size, mode: s.Mode, mtime: s.MTime}
}

// controlHandler serves the control interface of one connection; the
// files it opened are closed when the connection ends.
type controlHandler struct {
	r    *Redirector
	stop func()

	mu    sync.Mutex
	next  uint32
	files map[uint32]*File
}

func newControlHandler(r *Redirector, stop func()) *controlHandler {
	return &controlHandler{r: r, stop: stop, files: map[uint32]*File{}}
}

func (h *controlHandler) table() dcerpc.OpTable {
	return dcerpc.OpTable{
		opStop:    h.opStop,
		opStat:    h.opStat,
		opReadDir: h.opReadDir,
		opOpen:    h.opOpen,
		opRead:    h.opRead,
		opWrite:   h.opWrite,
		opClose:   h.opClose,
	}
}

// closeAll closes what the connection left open.
func (h *controlHandler) closeAll(ctx context.Context) {
	h.mu.Lock()
	files := h.files
	h.files = map[uint32]*File{}
	h.mu.Unlock()
	for _, f := range files {
		f.CloseContext(ctx)
	}
}

func badStub(call *dcerpc.Call, err error) error {
	return fmt.Errorf("workstation: control opnum %d: %w: %w", call.Opnum, dcerpc.FaultNDR, err)
}

func statusOnly(err error) []byte {
	var w ndr.Writer
	w.Uint32(uint32(ErrnoOf(err)))
	return w.Bytes()
}

func (h *controlHandler) opStop(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	h.stop()
	return statusOnly(nil), nil
}

func (h *controlHandler) opStat(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	r := ndr.NewReader(call.Stub)
	name := r.String()
	if err := r.Err(); err != nil {
		return nil, badStub(call, err)
	}
	fi, err := h.r.Stat(ctx, name)
	var w ndr.Writer
	var st FileStat
	if err == nil {
		st = statOf(fi)
	}
	st.marshal(&w)
	w.Uint32(uint32(ErrnoOf(err)))
	return w.Bytes(), nil
}

func (h *controlHandler) opReadDir(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	r := ndr.NewReader(call.Stub)
	name := r.String()
	if err := r.Err(); err != nil {
		return nil, badStub(call, err)
	}
	ents, err := h.r.ReadDir(ctx, name)
	var w ndr.Writer
	w.Uint32(uint32(len(ents)))
	for _, e := range ents {
		var st FileStat
		if fi, ierr := e.Info(); ierr == nil {
			st = statOf(fi)
		} else {
			st.Name = e.Name()
		}
		st.marshal(&w)
	}
	w.Uint32(uint32(ErrnoOf(err)))
	return w.Bytes(), nil
}

func (h *controlHandler) opOpen(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	r := ndr.NewReader(call.Stub)
	name := r.String()
	flag := int(r.Uint32())
	if err := r.Err(); err != nil {
		return nil, badStub(call, err)
	}
	allowed := os.O_RDONLY | os.O_WRONLY | os.O_RDWR | os.O_CREATE | os.O_EXCL | os.O_TRUNC
	var f *File
	var err error
	h.mu.Lock()
	full := len(h.files) >= maxHandles
	h.mu.Unlock()
	switch {
	case flag&^allowed != 0:
		err = fmt.Errorf("workstation: open flags %#x: %w", flag, win32.ERROR_INVALID_PARAMETER)
	case full:
		err = fmt.Errorf("workstation: %d files open on this connection: %w", maxHandles, win32.Errno(4)) // ERROR_TOO_MANY_OPEN_FILES
	default:
		f, err = h.r.OpenFile(ctx, name, flag, 0o666)
	}
	var w ndr.Writer
	var handle uint32
	var st FileStat
	if err == nil {
		if fi, serr := f.StatContext(ctx); serr == nil {
			st = statOf(fi)
		}
		h.mu.Lock()
		h.next++
		handle = h.next
		h.files[handle] = f
		h.mu.Unlock()
	}
	w.Uint32(handle)
	st.marshal(&w)
	w.Uint32(uint32(ErrnoOf(err)))
	return w.Bytes(), nil
}

func (h *controlHandler) file(handle uint32) (*File, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f, ok := h.files[handle]
	if !ok {
		return nil, fmt.Errorf("workstation: handle %d: %w", handle, win32.ERROR_INVALID_HANDLE)
	}
	return f, nil
}

func (h *controlHandler) opRead(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	r := ndr.NewReader(call.Stub)
	handle := r.Uint32()
	r.Align(8)
	off := r.Uint64()
	n := r.Uint32()
	if err := r.Err(); err != nil {
		return nil, badStub(call, err)
	}
	if n > maxIO || off > 1<<62 {
		return nil, badStub(call, fmt.Errorf("read of %d bytes at %d", n, off))
	}
	var data []byte
	f, err := h.file(handle)
	if err == nil {
		data = make([]byte, n)
		var m int
		m, err = f.ReadAtContext(ctx, data, int64(off))
		data = data[:m]
		if err == io.EOF {
			err = nil
		}
	}
	var w ndr.Writer
	w.Uint32(uint32(len(data)))
	w.BytesPtr(data)
	w.Flush()
	w.Uint32(uint32(ErrnoOf(err)))
	return w.Bytes(), nil
}

func (h *controlHandler) opWrite(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	r := ndr.NewReader(call.Stub)
	handle := r.Uint32()
	r.Align(8)
	off := r.Uint64()
	n := r.Uint32()
	var data []byte
	r.BytesPtr(&data, n)
	r.Flush()
	if err := r.Err(); err != nil {
		return nil, badStub(call, err)
	}
	if off > 1<<62 {
		return nil, badStub(call, fmt.Errorf("write at %d", off))
	}
	var m int
	f, err := h.file(handle)
	if err == nil {
		m, err = f.WriteAtContext(ctx, data, int64(off))
	}
	var w ndr.Writer
	w.Uint32(uint32(m))
	w.Uint32(uint32(ErrnoOf(err)))
	return w.Bytes(), nil
}

func (h *controlHandler) opClose(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	r := ndr.NewReader(call.Stub)
	handle := r.Uint32()
	if err := r.Err(); err != nil {
		return nil, badStub(call, err)
	}
	h.mu.Lock()
	f, ok := h.files[handle]
	delete(h.files, handle)
	h.mu.Unlock()
	var err error
	if !ok {
		err = fmt.Errorf("workstation: handle %d: %w", handle, win32.ERROR_INVALID_HANDLE)
	} else {
		err = f.CloseContext(ctx)
	}
	return statusOnly(err), nil
}
