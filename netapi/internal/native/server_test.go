package native

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lanman/lanman/srvs"
)

func TestServerInfo(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		typ := srvs.SV_TYPE_WORKSTATION | srvs.SV_TYPE_SERVER | srvs.SV_TYPE_NT
		cases := []struct {
			level uint32
			b     *bufBuilder
			want  srvs.ServerInfo
		}{
			{100, newBuilder(ps, base).rec(D(srvs.PLATFORM_ID_NT), S("FILESRV")),
				srvs.ServerInfo{Level: 100, ServerInfo100: &srvs.ServerInfo100{PlatformID: srvs.PLATFORM_ID_NT, Name: "FILESRV"}}},
			{101, newBuilder(ps, base).rec(D(srvs.PLATFORM_ID_NT), S("FILESRV"), D(10), D(0), D(typ), S("Büro")),
				srvs.ServerInfo{Level: 101, ServerInfo101: &srvs.ServerInfo101{
					PlatformID: srvs.PLATFORM_ID_NT, Name: "FILESRV", VersionMajor: 10, Type: typ, Comment: "Büro"}}},
			{102, newBuilder(ps, base).rec(D(srvs.PLATFORM_ID_NT), S("FILESRV"), D(6), D(1), D(typ), S(""),
				D(0xFFFFFFFF), D(0xFFFFFFFF), D(1), D(240), D(3000), D(0), S(`c:\`)),
				srvs.ServerInfo{Level: 102, ServerInfo102: &srvs.ServerInfo102{
					PlatformID: srvs.PLATFORM_ID_NT, Name: "FILESRV", VersionMajor: 6, VersionMinor: 1, Type: typ,
					Users: 0xFFFFFFFF, Disc: -1, Hidden: 1, Announce: 240, AnnDelta: 3000, UserPath: `c:\`}}},
		}
		for _, c := range cases {
			mem, buf := c.b.build()
			got, err := ServerInfo(mem, ps, c.level, buf)
			if err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("level %d:\n got %+v\nwant %+v", c.level, got, c.want)
			}
		}
		mem, buf := newBuilder(ps, base).rec(D(500), S("X")).build()
		if _, err := ServerInfo(mem, ps, 101, buf); !errors.Is(err, ErrBadPointer) {
			t.Errorf("level 101 over a SERVER_INFO_100: %v", err)
		}
		if _, err := ServerInfo(mem, ps, 0, 0); !errors.Is(err, ErrInvalidLevel) {
			t.Errorf("level 0: %v", err)
		}
		if _, err := ServerInfo(mem, ps, 100, 0); !errors.Is(err, ErrBadPointer) {
			t.Errorf("NULL: %v", err)
		}
	})
}
