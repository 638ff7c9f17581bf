package workstation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/smb2"
	"github.com/lanman/lanman/spnego"
)

// smb2Dialer connects through lanman's SMB2/3 client, authenticating with
// NTLMv2 inside SPNEGO, as Windows' redirector does.
type smb2Dialer struct {
	workstation string
	opts        *smb2.Options
}

func (d *smb2Dialer) dial(ctx context.Context, addr, server string, c *Credentials) (smbSession, error) {
	ws := d.workstation
	if ws == "" {
		h, _ := os.Hostname()
		h, _, _ = strings.Cut(h, ".")
		ws = strings.ToUpper(h)
	}
	cfg := ntlm.ClientConfig{Workstation: ws, TargetSPN: "cifs/" + server}
	if c.Anonymous() {
		cfg.Anonymous = true
	} else {
		cfg.User, cfg.Domain, cfg.Password = c.User, c.Domain, c.Password
		if len(c.NTHash) == 16 {
			cfg.NTHash = c.NTHash
			cfg.Password = ""
		}
	}
	mech, err := ntlm.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("workstation: %s: %w", server, err)
	}
	var opts smb2.Options
	if d.opts != nil {
		opts = *d.opts
	}
	if opts.ServerName == "" {
		opts.ServerName = server
	}
	conn, err := smb2.Dial(ctx, addr, &opts)
	if err != nil {
		return nil, fmt.Errorf("workstation: connecting to %s: %w", server, err)
	}
	sess, err := conn.SessionSetup(ctx, spnego.NewInitiator(mech))
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("workstation: logging on to %s as %s: %w", server, c, err)
	}
	return &smb2Session{conn: conn, sess: sess}, nil
}

type smb2Session struct {
	conn *smb2.Conn
	sess *smb2.Session
}

func (s *smb2Session) treeConnect(ctx context.Context, path string) (smbTree, error) {
	t, err := s.sess.TreeConnect(ctx, path)
	if err != nil {
		return nil, err
	}
	return &smb2Tree{t: t}, nil
}

func (s *smb2Session) logoff(ctx context.Context) error {
	var err error
	if !s.lost() {
		err = s.sess.Logoff(ctx)
	}
	s.conn.Close()
	return err
}

func (s *smb2Session) lost() bool {
	select {
	case <-s.conn.Done():
		return true
	default:
		return false
	}
}

type smb2Tree struct{ t *smb2.Tree }

func (t *smb2Tree) asgType() uint32 {
	switch t.t.ShareType() {
	case smb2.ShareTypePipe:
		return UseIPC
	case smb2.ShareTypePrint:
		return UseSpoolDev
	}
	return UseDiskDev
}

func (t *smb2Tree) disconnect(ctx context.Context) error { return t.t.Disconnect(ctx) }

// open maps os.OpenFile's flags to an SMB2 CREATE (MS-SMB2 2.2.13).
func (t *smb2Tree) open(ctx context.Context, rel string, flag int, perm fs.FileMode) (smbFile, error) {
	p := smb2.CreateParams{
		ShareAccess: smb2.FileShareRead | smb2.FileShareWrite | smb2.FileShareDelete,
	}
	switch flag & (os.O_RDONLY | os.O_WRONLY | os.O_RDWR) {
	case os.O_RDONLY:
		p.DesiredAccess = smb2.GenericRead
	case os.O_WRONLY:
		p.DesiredAccess = smb2.GenericWrite | smb2.FileReadAttributes
	default:
		p.DesiredAccess = smb2.GenericRead | smb2.GenericWrite
	}
	switch {
	case flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0:
		p.CreateDisposition = smb2.FileCreate
	case flag&os.O_CREATE != 0 && flag&os.O_TRUNC != 0:
		p.CreateDisposition = smb2.FileOverwriteIf
	case flag&os.O_CREATE != 0:
		p.CreateDisposition = smb2.FileOpenIf
	case flag&os.O_TRUNC != 0:
		p.CreateDisposition = smb2.FileOverwrite
	default:
		p.CreateDisposition = smb2.FileOpen
	}
	if flag&os.O_CREATE != 0 {
		p.FileAttributes = smb2.FileAttributeNormal
		p.CreateOptions = smb2.FileNonDirectoryFile
	}
	f, err := t.t.Create(ctx, rel, &p)
	if err != nil {
		return nil, mapFSError(err)
	}
	name := rel
	if i := strings.LastIndexByte(rel, '\\'); i >= 0 {
		name = rel[i+1:]
	}
	if name == "" {
		name = "."
	}
	return &smb2File{f: f, name: name}, nil
}

// mapFSError keeps the NTSTATUS in the chain and adds the io/fs sentinel
// that matches it, so callers can test either.
func mapFSError(err error) error {
	switch ErrnoOf(err) {
	case 2, 3: // ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND
		return errors.Join(fs.ErrNotExist, err)
	case 5:
		return errors.Join(fs.ErrPermission, err)
	case 80:
		return errors.Join(fs.ErrExist, err)
	}
	return err
}

type smb2File struct {
	f    *smb2.File
	name string
	dir  bool // ReadDir has started
}

func (f *smb2File) readAt(ctx context.Context, p []byte, off int64) (int, error) {
	n, err := f.f.ReadAt(ctx, p, off)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

func (f *smb2File) writeAt(ctx context.Context, p []byte, off int64) (int, error) {
	return f.f.WriteAt(ctx, p, off)
}

func (f *smb2File) stat(ctx context.Context) (fs.FileInfo, error) {
	all, err := f.f.Stat(ctx)
	if err != nil {
		return nil, err
	}
	return infoOf(f.name, all.Basic.FileAttributes, all.Standard.EndOfFile, all.Basic.LastWriteTime), nil
}

func (f *smb2File) readDir(ctx context.Context) ([]fs.FileInfo, error) {
	restart := !f.dir
	f.dir = true
	ents, err := f.f.ReadDir(ctx, "*", restart)
	if err != nil {
		return nil, err
	}
	out := make([]fs.FileInfo, 0, len(ents))
	for _, e := range ents {
		out = append(out, infoOf(e.FileName, e.FileAttributes, e.EndOfFile, e.LastWriteTime))
	}
	return out, nil
}

func (f *smb2File) close(ctx context.Context) error { return f.f.Close(ctx) }

func infoOf(name string, attr smb2.FileAttributes, size int64, mtime smb2.Filetime) *fileInfo {
	mode := fs.FileMode(0o644)
	if attr&smb2.FileAttributeReadonly != 0 {
		mode = 0o444
	}
	if attr&smb2.FileAttributeDirectory != 0 {
		mode |= fs.ModeDir | 0o111
	}
	return &fileInfo{name: name, size: size, mode: mode, mtime: mtime.Time()}
}
