//go:build unix

package workstation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

// Client is a connection to the user's Workstation service.
type Client struct {
	conn net.Conn
	rpc  *dcerpc.Client
	wk   *wkst.Client
	ctl  *dcerpc.Interface
}

// Dial connects to the service of the calling user (dir "" means
// SocketDir()). When no service runs it returns an error wrapping
// NERR_WkstaNotStarted (2138), as Windows' NetUse* functions do when the
// Workstation service is stopped.
func Dial(ctx context.Context, dir string) (*Client, error) {
	if dir == "" {
		dir = SocketDir()
	}
	// Talk only to a service whose directory is still private: anything
	// else may be another user's trap.
	if err := checkPrivateDir(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("workstation: %w", win32.NERR_WkstaNotStarted)
		}
		return nil, err
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", filepath.Join(dir, SocketName))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
			return nil, fmt.Errorf("workstation: %w", win32.NERR_WkstaNotStarted)
		}
		return nil, fmt.Errorf("workstation: %w", err)
	}
	// The service checks us; we check the service.
	if err := checkPeer(c.(*net.UnixConn), os.Geteuid()); err != nil {
		c.Close()
		return nil, err
	}
	rpc, err := dcerpc.Bind(ctx, dcerpc.NewStreamTransport(c), WkstSyntax, nil)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("workstation: bind: %w", err)
	}
	return &Client{conn: c, rpc: rpc, wk: wkst.NewClient(rpc)}, nil
}

// Close ends the connection; files opened through it are closed by the
// service.
func (c *Client) Close() error { return c.conn.Close() }

// Wkst is the raw MS-WKST client on the service, for callers that want
// the exact messages (levels, paging).
func (c *Client) Wkst() *wkst.Client { return c.wk }

// UseAdd makes a use (NetUseAdd at level 2). creds nil means the session
// the service already has with the server, or an anonymous one.
func (c *Client) UseAdd(ctx context.Context, p UseParams) error {
	i := wkst.UseInfo2{UseInfo1: wkst.UseInfo1{Local: p.Local, Remote: p.Remote, AsgType: p.AsgType}}
	if p.Creds != nil {
		i.UserName, i.DomainName = &p.Creds.User, &p.Creds.Domain
		i.Password = &p.Creds.Password
	}
	var parm uint32
	_, err := c.wk.NetrUseAdd(ctx, &wkst.NetrUseAddRequest{InfoStruct: wkst.UseInfo{Level: 2, UseInfo2: &i}, ErrorParameter: &parm})
	return err
}

// UseGetInfo describes one use at level 0, 1, 2 or 3.
func (c *Client) UseGetInfo(ctx context.Context, name string, level uint32) (wkst.UseInfo, error) {
	resp, err := c.wk.NetrUseGetInfo(ctx, &wkst.NetrUseGetInfoRequest{UseName: name, Level: level})
	if resp == nil {
		return wkst.UseInfo{}, err
	}
	return resp.InfoStruct, err
}

// UseDel ends a use with the given force level.
func (c *Client) UseDel(ctx context.Context, name string, force uint32) error {
	_, err := c.wk.NetrUseDel(ctx, &wkst.NetrUseDelRequest{UseName: name, ForceLevel: force})
	return err
}

// UseEnum lists every use at level 2, paging through NetrUseEnum with
// pages of prefMax bytes (0: all at once). NERR_BufTooSmall, MS-WKST's
// "more entries" status, and ERROR_MORE_DATA both continue the paging.
func (c *Client) UseEnum(ctx context.Context, prefMax uint32) ([]wkst.UseInfo2, error) {
	if prefMax == 0 {
		prefMax = wkst.MAX_PREFERRED_LENGTH
	}
	var out []wkst.UseInfo2
	var resume uint32
	for {
		req := &wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: 2}, PreferredMaximumLength: prefMax, ResumeHandle: &resume}
		resp, err := c.wk.NetrUseEnum(ctx, req)
		if resp == nil {
			return out, err
		}
		out = append(out, resp.InfoStruct.Level2...)
		if resp.Status != win32.NERR_BufTooSmall && resp.Status != win32.ERROR_MORE_DATA {
			return out, err
		}
		if len(resp.InfoStruct.Level2) == 0 || resp.ResumeHandle == nil {
			return out, fmt.Errorf("workstation: NetrUseEnum: a page of %d bytes holds no entry: %w", prefMax, win32.NERR_BufTooSmall)
		}
		resume = *resp.ResumeHandle
	}
}

// WkstaGetInfo calls NetrWkstaGetInfo at level 100, 101 or 102.
func (c *Client) WkstaGetInfo(ctx context.Context, level uint32) (wkst.WkstaInfo, error) {
	resp, err := c.wk.NetrWkstaGetInfo(ctx, &wkst.NetrWkstaGetInfoRequest{Level: level})
	if resp == nil {
		return wkst.WkstaInfo{}, err
	}
	return resp.WkstaInfo, err
}

// control calls the private control interface, binding it on first use.
func (c *Client) control(ctx context.Context, op uint16, stub []byte) (*ndr.Reader, error) {
	if c.ctl == nil {
		i, err := c.rpc.AlterContext(ctx, ControlSyntax)
		if err != nil {
			return nil, fmt.Errorf("workstation: control interface: %w", err)
		}
		c.ctl = i
	}
	out, err := c.ctl.Call(ctx, op, stub)
	if err != nil {
		return nil, fmt.Errorf("workstation: control opnum %d: %w", op, err)
	}
	return ndr.NewReader(out), nil
}

// status reads the trailing status of a control reply.
func status(r *ndr.Reader, what string) error {
	st := win32.Errno(r.Uint32())
	if err := r.Err(); err != nil {
		return fmt.Errorf("workstation: %s reply: %w", what, err)
	}
	if st != 0 {
		return fmt.Errorf("workstation: %s: %w", what, st)
	}
	return nil
}

// Stop asks the service to end; it closes its uses.
func (c *Client) Stop(ctx context.Context) error {
	r, err := c.control(ctx, opStop, nil)
	if err != nil {
		return err
	}
	return status(r, "stop")
}

// Stat describes a file through a use ("X:/dir/file", `\\srv\share\f`).
func (c *Client) Stat(ctx context.Context, name string) (fs.FileInfo, error) {
	var w ndr.Writer
	w.String(name)
	r, err := c.control(ctx, opStat, w.Bytes())
	if err != nil {
		return nil, err
	}
	var st FileStat
	st.unmarshal(r)
	if err := status(r, "stat "+name); err != nil {
		return nil, err
	}
	return st.fileInfo(), nil
}

// ReadDir lists a directory through a use, sorted by name.
func (c *Client) ReadDir(ctx context.Context, name string) ([]fs.FileInfo, error) {
	var w ndr.Writer
	w.String(name)
	r, err := c.control(ctx, opReadDir, w.Bytes())
	if err != nil {
		return nil, err
	}
	n := r.Uint32()
	if int64(n)*minStatSize > int64(r.Remaining()) {
		return nil, fmt.Errorf("workstation: readdir reply: %d entries in %d bytes: %w", n, r.Remaining(), ndr.ErrMalformed)
	}
	out := make([]fs.FileInfo, 0, n)
	for range n {
		var st FileStat
		st.unmarshal(r)
		out = append(out, st.fileInfo())
	}
	if err := status(r, "readdir "+name); err != nil {
		return nil, err
	}
	return out, nil
}

// RemoteFile is a file opened through a use in the service.
type RemoteFile struct {
	c      *Client
	handle uint32
	name   string
	info   fs.FileInfo
	off    int64
	ctx    context.Context
}

// OpenFile opens a file through a use; flag is os.OpenFile's (without
// O_APPEND). The file's I/O methods use ctx.
func (c *Client) OpenFile(ctx context.Context, name string, flag int) (*RemoteFile, error) {
	var w ndr.Writer
	w.String(name)
	w.Uint32(uint32(flag))
	r, err := c.control(ctx, opOpen, w.Bytes())
	if err != nil {
		return nil, err
	}
	h := r.Uint32()
	var st FileStat
	st.unmarshal(r)
	if err := status(r, "open "+name); err != nil {
		return nil, err
	}
	return &RemoteFile{c: c, handle: h, name: name, info: st.fileInfo(), ctx: ctx}, nil
}

// Stat is the file's description when it was opened.
func (f *RemoteFile) Stat() fs.FileInfo { return f.info }

// ReadAt implements io.ReaderAt.
func (f *RemoteFile) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		chunk := min(len(p)-n, maxIO)
		var w ndr.Writer
		w.Uint32(f.handle)
		w.Align(8)
		w.Uint64(uint64(off + int64(n)))
		w.Uint32(uint32(chunk))
		r, err := f.c.control(f.ctx, opRead, w.Bytes())
		if err != nil {
			return n, err
		}
		cnt := r.Uint32()
		var data []byte
		r.BytesPtr(&data, cnt)
		r.Flush()
		if err := status(r, "read "+f.name); err != nil {
			return n, err
		}
		if int(cnt) > chunk {
			return n, fmt.Errorf("workstation: read reply of %d bytes for %d: %w", cnt, chunk, ndr.ErrMalformed)
		}
		n += copy(p[n:], data)
		if cnt == 0 {
			return n, io.EOF
		}
	}
	return n, nil
}

// Read implements io.Reader.
func (f *RemoteFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	p = p[:min(len(p), maxIO)]
	n, err := f.ReadAt(p, f.off)
	f.off += int64(n)
	if n > 0 && err == io.EOF {
		err = nil
	}
	return n, err
}

// WriteAt implements io.WriterAt.
func (f *RemoteFile) WriteAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		chunk := p[n:min(len(p), n+maxIO)]
		var w ndr.Writer
		w.Uint32(f.handle)
		w.Align(8)
		w.Uint64(uint64(off + int64(n)))
		w.Uint32(uint32(len(chunk)))
		w.BytesPtr(chunk)
		w.Flush()
		r, err := f.c.control(f.ctx, opWrite, w.Bytes())
		if err != nil {
			return n, err
		}
		m := r.Uint32()
		if err := status(r, "write "+f.name); err != nil {
			return n, err
		}
		if m == 0 || int(m) > len(chunk) {
			return n, io.ErrShortWrite
		}
		n += int(m)
	}
	return n, nil
}

// Write implements io.Writer.
func (f *RemoteFile) Write(p []byte) (int, error) {
	n, err := f.WriteAt(p, f.off)
	f.off += int64(n)
	return n, err
}

// Close closes the file in the service.
func (f *RemoteFile) Close() error {
	var w ndr.Writer
	w.Uint32(f.handle)
	r, err := f.c.control(f.ctx, opClose, w.Bytes())
	if err != nil {
		return err
	}
	return status(r, "close "+f.name)
}

// Spawn starts the service as "exe args..." (the lanman binary with
// "workstation serve"), detached from the caller's session and terminal as
// gpg-agent is, and waits until it answers on the socket of dir. A service
// that is already running is fine.
func Spawn(ctx context.Context, dir string, exe string, args ...string) (*Client, error) {
	if c, err := Dial(ctx, dir); err == nil {
		return c, nil
	} else if !errors.Is(err, win32.NERR_WkstaNotStarted) {
		return nil, err
	}
	cmd := exec.Command(exe, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("workstation: starting the service: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		c, err := Dial(ctx, dir)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, win32.NERR_WkstaNotStarted) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("workstation: waiting for the service: %w", ctx.Err())
		case werr := <-exited:
			// Another process may have won the race for the lock.
			if c, err := Dial(ctx, dir); err == nil {
				return c, nil
			}
			return nil, fmt.Errorf("workstation: the service exited at start (%v): %w", werr, win32.NERR_WkstaNotStarted)
		case <-tick.C:
		}
	}
}
