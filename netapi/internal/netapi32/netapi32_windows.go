package netapi32

import (
	"context"

	"github.com/lanman/lanman/netapi/internal/native"
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/wkst"
)

// The enumerations below share one shape. server is `\\name`, `name` or
// "" for the local computer; prefMaxLen is the preferred maximum length of
// the returned data (srvs.MAX_PREFERRED_LENGTH for everything); resume, if
// not nil, is the resume handle, zero on the first call, updated in place.
// They return the entries, entriesread and totalentries, and an error that
// wraps the NET_API_STATUS as a win32.Errno. With ERROR_MORE_DATA the
// entries are returned together with that error, as netapi32 returns
// them. A ctx that ends first abandons the call (see run).

// NetSessionEnum lists the sessions on server at level 0, 1, 2, 10 or 502.
// client (`\\name`) and user, when not "", select the sessions.
func NetSessionEnum(ctx context.Context, server, client, user string, level, prefMaxLen uint32, resume *uint32) (srvs.SessionEnum, uint32, uint32, error) {
	const fn = "NetSessionEnum"
	s, err := uncName(fn, server)
	if err != nil {
		return srvs.SessionEnum{}, 0, 0, err
	}
	c, err := optArg(fn, "client name", client)
	if err != nil {
		return srvs.SessionEnum{}, 0, 0, err
	}
	u, err := optArg(fn, "user name", user)
	if err != nil {
		return srvs.SessionEnum{}, 0, 0, err
	}
	return enumerate(ctx, fn, level, resume,
		func(buf **byte, read, total, rh *uint32) uint32 {
			return netSessionEnum(s, c, u, level, buf, prefMaxLen, read, total, rh)
		},
		func(mem native.Memory, ps int, buf uint64, n uint32) (srvs.SessionEnum, error) {
			return native.Sessions(mem, ps, level, buf, n)
		})
}

// NetSessionDel ends the sessions from client (`\\name`) and/or of user on
// server.
func NetSessionDel(ctx context.Context, server, client, user string) error {
	const fn = "NetSessionDel"
	s, err := uncName(fn, server)
	if err != nil {
		return err
	}
	c, err := optArg(fn, "client name", client)
	if err != nil {
		return err
	}
	u, err := optArg(fn, "user name", user)
	if err != nil {
		return err
	}
	return status(ctx, fn, func() uint32 { return netSessionDel(s, c, u) })
}

// NetConnectionEnum lists the tree connects to a share (qualifier is its
// name) or from a computer (qualifier is `\\name`) on server, at level 0
// or 1.
func NetConnectionEnum(ctx context.Context, server, qualifier string, level, prefMaxLen uint32, resume *uint32) (srvs.ConnectEnum, uint32, uint32, error) {
	const fn = "NetConnectionEnum"
	s, err := uncName(fn, server)
	if err != nil {
		return srvs.ConnectEnum{}, 0, 0, err
	}
	q, err := optArg(fn, "qualifier", qualifier)
	if err != nil {
		return srvs.ConnectEnum{}, 0, 0, err
	}
	return enumerate(ctx, fn, level, resume,
		func(buf **byte, read, total, rh *uint32) uint32 {
			return netConnectionEnum(s, q, level, buf, prefMaxLen, read, total, rh)
		},
		func(mem native.Memory, ps int, buf uint64, n uint32) (srvs.ConnectEnum, error) {
			return native.Connections(mem, ps, level, buf, n)
		})
}

// NetFileEnum lists the opens on server at level 2 or 3, optionally those
// under basePath or of user.
func NetFileEnum(ctx context.Context, server, basePath, user string, level, prefMaxLen uint32, resume *uint32) (srvs.FileEnum, uint32, uint32, error) {
	const fn = "NetFileEnum"
	s, err := uncName(fn, server)
	if err != nil {
		return srvs.FileEnum{}, 0, 0, err
	}
	b, err := optArg(fn, "base path", basePath)
	if err != nil {
		return srvs.FileEnum{}, 0, 0, err
	}
	u, err := optArg(fn, "user name", user)
	if err != nil {
		return srvs.FileEnum{}, 0, 0, err
	}
	return enumerate(ctx, fn, level, resume,
		func(buf **byte, read, total, rh *uint32) uint32 {
			// NetFileEnum's resume handle is a PDWORD_PTR; the server's
			// handle is a DWORD (MS-SRVS 3.1.4.16), so it round-trips.
			if rh == nil {
				return netFileEnum(s, b, u, level, buf, prefMaxLen, read, total, nil)
			}
			h := uintptr(*rh)
			st := netFileEnum(s, b, u, level, buf, prefMaxLen, read, total, &h)
			*rh = uint32(h)
			return st
		},
		func(mem native.Memory, ps int, buf uint64, n uint32) (srvs.FileEnum, error) {
			return native.Files(mem, ps, level, buf, n)
		})
}

// NetFileClose forces the open fileID on server closed.
func NetFileClose(ctx context.Context, server string, fileID uint32) error {
	const fn = "NetFileClose"
	s, err := uncName(fn, server)
	if err != nil {
		return err
	}
	return status(ctx, fn, func() uint32 { return netFileClose(s, fileID) })
}

// NetShareEnum lists the shares on server at level 0, 1, 2 or 502.
func NetShareEnum(ctx context.Context, server string, level, prefMaxLen uint32, resume *uint32) (srvs.ShareEnum, uint32, uint32, error) {
	const fn = "NetShareEnum"
	s, err := uncName(fn, server)
	if err != nil {
		return srvs.ShareEnum{}, 0, 0, err
	}
	return enumerate(ctx, fn, level, resume,
		func(buf **byte, read, total, rh *uint32) uint32 {
			return netShareEnum(s, level, buf, prefMaxLen, read, total, rh)
		},
		func(mem native.Memory, ps int, buf uint64, n uint32) (srvs.ShareEnum, error) {
			return native.Shares(mem, ps, level, buf, n)
		})
}

// NetServerGetInfo describes server at level 100, 101 or 102.
func NetServerGetInfo(ctx context.Context, server string, level uint32) (srvs.ServerInfo, error) {
	const fn = "NetServerGetInfo"
	s, err := uncName(fn, server)
	if err != nil {
		return srvs.ServerInfo{}, err
	}
	return getInfo(ctx, fn, level,
		func(buf **byte) uint32 { return netServerGetInfo(s, level, buf) },
		func(mem native.Memory, ps int, buf uint64) (srvs.ServerInfo, error) {
			return native.ServerInfo(mem, ps, level, buf)
		})
}

// NetWkstaUserEnum lists the users logged on at server at level 0 or 1.
func NetWkstaUserEnum(ctx context.Context, server string, level, prefMaxLen uint32, resume *uint32) (wkst.WkstaUserEnum, uint32, uint32, error) {
	const fn = "NetWkstaUserEnum"
	s, err := uncName(fn, server)
	if err != nil {
		return wkst.WkstaUserEnum{}, 0, 0, err
	}
	return enumerate(ctx, fn, level, resume,
		func(buf **byte, read, total, rh *uint32) uint32 {
			return netWkstaUserEnum(s, level, buf, prefMaxLen, read, total, rh)
		},
		func(mem native.Memory, ps int, buf uint64, n uint32) (wkst.WkstaUserEnum, error) {
			return native.WkstaUsers(mem, ps, level, buf, n)
		})
}

// NetUseEnum lists this computer's uses (server is "" for the local
// computer, the only one Windows accepts) at level 0, 1 or 2.
func NetUseEnum(ctx context.Context, server string, level, prefMaxLen uint32, resume *uint32) (wkst.UseEnum, uint32, uint32, error) {
	const fn = "NetUseEnum"
	s, err := uncName(fn, server)
	if err != nil {
		return wkst.UseEnum{}, 0, 0, err
	}
	return enumerate(ctx, fn, level, resume,
		func(buf **byte, read, total, rh *uint32) uint32 {
			return netUseEnum(s, level, buf, prefMaxLen, read, total, rh)
		},
		func(mem native.Memory, ps int, buf uint64, n uint32) (wkst.UseEnum, error) {
			return native.Uses(mem, ps, level, buf, n)
		})
}

// NetUseGetInfo describes the use useName (a device such as "Z:", or a
// remote `\\server\share` for a deviceless use) at level 0, 1, 2 or 3.
func NetUseGetInfo(ctx context.Context, server, useName string, level uint32) (wkst.UseInfo, error) {
	const fn = "NetUseGetInfo"
	s, err := uncName(fn, server)
	if err != nil {
		return wkst.UseInfo{}, err
	}
	n, err := utf16Arg(fn, "use name", useName)
	if err != nil {
		return wkst.UseInfo{}, err
	}
	return getInfo(ctx, fn, level,
		func(buf **byte) uint32 { return netUseGetInfo(s, n, level, buf) },
		func(mem native.Memory, ps int, buf uint64) (wkst.UseInfo, error) {
			return native.UseInfo(mem, ps, level, buf)
		})
}

// NetUseDel ends the use useName with forceLevel wkst.USE_NOFORCE,
// USE_FORCE or USE_LOTS_OF_FORCE.
func NetUseDel(ctx context.Context, server, useName string, forceLevel uint32) error {
	const fn = "NetUseDel"
	s, err := uncName(fn, server)
	if err != nil {
		return err
	}
	n, err := utf16Arg(fn, "use name", useName)
	if err != nil {
		return err
	}
	return status(ctx, fn, func() uint32 { return netUseDel(s, n, forceLevel) })
}
