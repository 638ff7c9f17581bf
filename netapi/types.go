package netapi

import (
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/wkst"
)

// The information structures, one Go type per Win32 structure and level.
// They are the very types the MS-SRVS and MS-WKST codecs decode, so no
// copy is made between the wire and the caller; their JSON names are the
// Win32 member names without the level prefix (sesi502_cname is "cname").
type (
	SessionInfo0    = srvs.SessionInfo0
	SessionInfo1    = srvs.SessionInfo1
	SessionInfo2    = srvs.SessionInfo2
	SessionInfo10   = srvs.SessionInfo10
	SessionInfo502  = srvs.SessionInfo502
	ConnectionInfo0 = srvs.ConnectionInfo0
	ConnectionInfo1 = srvs.ConnectionInfo1
	FileInfo2       = srvs.FileInfo2
	FileInfo3       = srvs.FileInfo3
	ShareInfo0      = srvs.ShareInfo0
	ShareInfo1      = srvs.ShareInfo1
	ShareInfo2      = srvs.ShareInfo2
	ShareInfo502    = srvs.ShareInfo502
	ServerInfo100   = srvs.ServerInfo100
	ServerInfo101   = srvs.ServerInfo101
	ServerInfo102   = srvs.ServerInfo102
	WkstaUserInfo0  = wkst.WkstaUserInfo0
	WkstaUserInfo1  = wkst.WkstaUserInfo1
	UseInfo0        = wkst.UseInfo0
	UseInfo1        = wkst.UseInfo1
	UseInfo2        = wkst.UseInfo2
	UseInfo3        = wkst.UseInfo3
)

// SessionInfo is the set of NetSessionEnum result types; the type chooses
// the level.
type SessionInfo interface {
	SessionInfo0 | SessionInfo1 | SessionInfo2 | SessionInfo10 | SessionInfo502
}

// ConnectionInfo is the set of NetConnectionEnum result types.
type ConnectionInfo interface {
	ConnectionInfo0 | ConnectionInfo1
}

// FileInfo is the set of NetFileEnum result types.
type FileInfo interface{ FileInfo2 | FileInfo3 }

// ShareInfo is the set of NetShareEnum result types.
type ShareInfo interface {
	ShareInfo0 | ShareInfo1 | ShareInfo2 | ShareInfo502
}

// WkstaUserInfo is the set of NetWkstaUserEnum result types.
type WkstaUserInfo interface {
	WkstaUserInfo0 | WkstaUserInfo1
}

// levelOf is the information level a result type stands for.
func levelOf[T any]() uint32 {
	var z T
	switch any(z).(type) {
	case SessionInfo0, ConnectionInfo0, ShareInfo0, WkstaUserInfo0, UseInfo0:
		return 0
	case SessionInfo1, ConnectionInfo1, ShareInfo1, WkstaUserInfo1, UseInfo1:
		return 1
	case SessionInfo2, FileInfo2, ShareInfo2, UseInfo2:
		return 2
	case FileInfo3, UseInfo3:
		return 3
	case SessionInfo10:
		return 10
	case SessionInfo502, ShareInfo502:
		return 502
	case ServerInfo100:
		return 100
	case ServerInfo101:
		return 101
	case ServerInfo102:
		return 102
	}
	panic("netapi: no information level for this type")
}
