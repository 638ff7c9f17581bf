package workstation

import (
	"context"
	"io/fs"
	"time"
)

// The redirector reaches servers through these three small interfaces,
// which smb2.go implements over lanman's SMB2/3 client. They hold what the
// use table needs of a connection, and nothing of the table.

// dialer establishes an authenticated SMB session with a server.
type dialer interface {
	dial(ctx context.Context, addr, server string, c *Credentials) (smbSession, error)
}

// smbSession is one authenticated SMB session on its own connection.
type smbSession interface {
	treeConnect(ctx context.Context, path string) (smbTree, error)
	// logoff ends the session and closes its connection.
	logoff(ctx context.Context) error
	// lost reports whether the connection is gone (read error, closed by
	// the server); a lost session is replaced, never revived.
	lost() bool
}

// smbTree is one tree connect.
type smbTree interface {
	// asgType is the share's type as a use's resource type (UseDiskDev,
	// UseSpoolDev or UseIPC).
	asgType() uint32
	disconnect(ctx context.Context) error
	open(ctx context.Context, rel string, flag int, perm fs.FileMode) (smbFile, error)
}

// smbFile is one open of a file or directory.
type smbFile interface {
	readAt(ctx context.Context, p []byte, off int64) (int, error)
	writeAt(ctx context.Context, p []byte, off int64) (int, error)
	stat(ctx context.Context) (fs.FileInfo, error)
	// readDir returns the next entries of a directory, io.EOF at the end.
	readDir(ctx context.Context) ([]fs.FileInfo, error)
	close(ctx context.Context) error
}

// defaults for Config.
const (
	defaultIOTimeout  = 60 * time.Second
	defaultMinBackoff = 500 * time.Millisecond
	defaultMaxBackoff = 30 * time.Second
)
