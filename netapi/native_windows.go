package netapi

import (
	"context"

	"github.com/lanman/lanman/netapi/internal/netapi32"
	"github.com/lanman/lanman/wkst"
)

// On Windows the package-level functions call netapi32.dll as the
// logged-on user unless credentials are configured (see DefaultOptions).
func init() {
	nativeServer = func(name string) Server { return native{name} }
}

// native is netapi32 for one server name ("" is the local computer). It
// converts the native buffers to the same Go types the RPC path returns.
type native struct{ name string }

func (n native) NetSessionEnum(ctx context.Context, client, user string, level, max uint32, resume *uint32) (any, uint32, uint32, error) {
	e, read, total, err := netapi32.NetSessionEnum(ctx, n.name, client, user, level, max, resume)
	return pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1, 2: e.Level2, 10: e.Level10, 502: e.Level502}), read, total, err
}

// Close has nothing to release: netapi32 manages its own connections.
func (native) Close() error { return nil }

func (n native) NetSessionDel(ctx context.Context, client, user string) error {
	return netapi32.NetSessionDel(ctx, n.name, client, user)
}

func (n native) NetConnectionEnum(ctx context.Context, qualifier string, level, max uint32, resume *uint32) (any, uint32, uint32, error) {
	e, read, total, err := netapi32.NetConnectionEnum(ctx, n.name, qualifier, level, max, resume)
	return pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1}), read, total, err
}

func (n native) NetFileEnum(ctx context.Context, basePath, user string, level, max uint32, resume *uint32) (any, uint32, uint32, error) {
	e, read, total, err := netapi32.NetFileEnum(ctx, n.name, basePath, user, level, max, resume)
	return pick(e.Level, map[uint32]any{2: e.Level2, 3: e.Level3}), read, total, err
}

func (n native) NetFileClose(ctx context.Context, id uint32) error {
	return netapi32.NetFileClose(ctx, n.name, id)
}

func (n native) NetShareEnum(ctx context.Context, level, max uint32, resume *uint32) (any, uint32, uint32, error) {
	e, read, total, err := netapi32.NetShareEnum(ctx, n.name, level, max, resume)
	return pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1, 2: e.Level2, 502: e.Level502}), read, total, err
}

func (n native) NetServerGetInfo(ctx context.Context, level uint32) (any, error) {
	i, err := netapi32.NetServerGetInfo(ctx, n.name, level)
	if err != nil {
		return nil, err
	}
	return pick(i.Level, map[uint32]any{100: i.ServerInfo100, 101: i.ServerInfo101, 102: i.ServerInfo102}), nil
}

func (n native) NetWkstaUserEnum(ctx context.Context, level, max uint32, resume *uint32) (any, uint32, uint32, error) {
	e, read, total, err := netapi32.NetWkstaUserEnum(ctx, n.name, level, max, resume)
	return pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1}), read, total, err
}

func localUses(context.Context) (useBackend, error) { return native{}, nil }

func (native) NetUseAdd(ctx context.Context, info wkst.UseInfo) (uint32, error) {
	return netapi32.NetUseAdd(ctx, "", info)
}

func (native) NetUseEnum(ctx context.Context, level, max uint32, resume *uint32) (any, uint32, uint32, error) {
	e, read, total, err := netapi32.NetUseEnum(ctx, "", level, max, resume)
	return pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1, 2: e.Level2}), read, total, err
}

func (native) NetUseGetInfo(ctx context.Context, name string, level uint32) (any, error) {
	i, err := netapi32.NetUseGetInfo(ctx, "", name, level)
	if err != nil {
		return nil, err
	}
	return useInfoBuf(&i), nil
}

func (native) NetUseDel(ctx context.Context, name string, force uint32) error {
	return netapi32.NetUseDel(ctx, "", name, force)
}
