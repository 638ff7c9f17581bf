package netapi

import (
	"context"
	"fmt"

	"github.com/lanman/lanman/wkst"
)

// The NetUse functions manage this machine's own connections to shares
// ("uses"). They are local: servername must be "" (MS-WKST 3.2.4.7-10;
// Windows refuses them from remote callers). Outside Windows they go to
// lanman's Workstation service over its Unix socket, which the CLI starts
// on demand (lanman workstation serve); when it is not running they
// return NERR_WkstaNotStarted, as Windows does when LanmanWorkstation is
// stopped. On Windows they call netapi32.

// USE_INFO_x constants (MS-WKST 2.2.5.22-25, and the force levels of
// NetUseDel).
const (
	USE_OK       = wkst.USE_OK
	USE_PAUSED   = wkst.USE_PAUSED
	USE_SESSLOST = wkst.USE_SESSLOST
	USE_DISCONN  = wkst.USE_DISCONN
	USE_NETERR   = wkst.USE_NETERR
	USE_CONN     = wkst.USE_CONN
	USE_RECONN   = wkst.USE_RECONN

	USE_WILDCARD = wkst.USE_WILDCARD
	USE_DISKDEV  = wkst.USE_DISKDEV
	USE_SPOOLDEV = wkst.USE_SPOOLDEV
	USE_CHARDEV  = wkst.USE_CHARDEV
	USE_IPC      = wkst.USE_IPC

	USE_NOFORCE       = wkst.USE_NOFORCE
	USE_FORCE         = wkst.USE_FORCE
	USE_LOTS_OF_FORCE = wkst.USE_LOTS_OF_FORCE
)

// useBackend is where the NetUse functions go: the Workstation service's
// MS-WKST client on Unix, netapi32 on Windows.
type useBackend interface {
	NetUseAdd(ctx context.Context, info wkst.UseInfo) (parmErr uint32, err error)
	NetUseEnum(ctx context.Context, level, prefMaxLen uint32, resumeHandle *uint32) (any, uint32, uint32, error)
	NetUseGetInfo(ctx context.Context, useName string, level uint32) (any, error)
	NetUseDel(ctx context.Context, useName string, forceLevel uint32) error
}

func localOnly(servername string) error {
	if servername != "" {
		return fmt.Errorf("netapi: NetUse functions are local; server %q: %w", servername, ERROR_NOT_SUPPORTED)
	}
	return nil
}

// NetUseAdd makes a use from a *UseInfo1, *UseInfo2 or *UseInfo3 (level 1,
// 2 or 3). On ERROR_INVALID_PARAMETER, parmErr says which member was
// wrong (USE_INFO parameter numbers of MS-WKST 3.2.4.7).
func NetUseAdd(ctx context.Context, servername string, buf any) (parmErr uint32, err error) {
	if err := localOnly(servername); err != nil {
		return 0, err
	}
	info := wkst.UseInfo{}
	switch b := buf.(type) {
	case *UseInfo1:
		info.Level, info.UseInfo1 = 1, b
	case *UseInfo2:
		info.Level, info.UseInfo2 = 2, b
	case *UseInfo3:
		info.Level, info.UseInfo3 = 3, b
	default:
		return 0, fmt.Errorf("netapi: NetUseAdd takes *UseInfo1, *UseInfo2 or *UseInfo3, not %T: %w", buf, ERROR_INVALID_LEVEL)
	}
	b, err := localUses(ctx)
	if err != nil {
		return 0, err
	}
	return b.NetUseAdd(ctx, info)
}

// NetUseEnum lists the uses at level 0, 1 or 2. It pages as MS-WKST
// 3.2.4.10 says, which names NERR_BufTooSmall for a page that does not
// hold every entry (where the other Enum calls say ERROR_MORE_DATA).
func NetUseEnum(ctx context.Context, servername string, level, prefmaxlen uint32, resumeHandle *uint32) (bufptr any, entriesread, totalentries uint32, err error) {
	if err := localOnly(servername); err != nil {
		return nil, 0, 0, err
	}
	b, err := localUses(ctx)
	if err != nil {
		return nil, 0, 0, err
	}
	return b.NetUseEnum(ctx, level, prefmaxlen, resumeHandle)
}

// NetUseGetInfo returns *UseInfo0 … *UseInfo3 for a use, named by its
// local name or its remote name.
func NetUseGetInfo(ctx context.Context, servername, usename string, level uint32) (bufptr any, err error) {
	if err := localOnly(servername); err != nil {
		return nil, err
	}
	b, err := localUses(ctx)
	if err != nil {
		return nil, err
	}
	return b.NetUseGetInfo(ctx, usename, level)
}

// NetUseDel ends a use. With USE_NOFORCE it fails while files are open
// through the use; USE_FORCE and USE_LOTS_OF_FORCE close them first.
func NetUseDel(ctx context.Context, servername, usename string, forceLevel uint32) error {
	if err := localOnly(servername); err != nil {
		return err
	}
	b, err := localUses(ctx)
	if err != nil {
		return err
	}
	return b.NetUseDel(ctx, usename, forceLevel)
}

func useInfoBuf(i *wkst.UseInfo) any {
	switch i.Level {
	case 0:
		return i.UseInfo0
	case 1:
		return i.UseInfo1
	case 2:
		return i.UseInfo2
	case 3:
		return i.UseInfo3
	}
	return nil
}
