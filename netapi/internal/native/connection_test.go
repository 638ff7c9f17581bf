package native

import (
	"reflect"
	"testing"

	"github.com/lanman/lanman/srvs"
)

func TestConnections(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		cases := []struct {
			level uint32
			b     *bufBuilder
			want  srvs.ConnectEnum
		}{
			{0, newBuilder(ps, base).rec(D(1)).rec(D(0x80000002)).rec(D(3)),
				srvs.ConnectEnum{Level: 0, Level0: []srvs.ConnectionInfo0{{ID: 1}, {ID: 0x80000002}, {ID: 3}}}},
			{1, newBuilder(ps, base).
				rec(D(7), D(srvs.STYPE_DISKTREE), D(2), D(1), D(65), S("alice"), S("data")).
				rec(D(8), D(srvs.STYPE_IPC|srvs.STYPE_SPECIAL), D(0), D(1), D(3), S(`\\10.1.2.3`), S("IPC$")).
				rec(D(9), D(0), D(0), D(0), D(0), Null(), Null()),
				srvs.ConnectEnum{Level: 1, Level1: []srvs.ConnectionInfo1{
					{ID: 7, Type: srvs.STYPE_DISKTREE, NumOpens: 2, NumUsers: 1, Time: 65, UserName: "alice", NetName: "data"},
					{ID: 8, Type: srvs.STYPE_IPC | srvs.STYPE_SPECIAL, NumUsers: 1, Time: 3, UserName: `\\10.1.2.3`, NetName: "IPC$"},
					{ID: 9},
				}}},
		}
		for _, c := range cases {
			mem, buf := c.b.build()
			got, err := Connections(mem, ps, c.level, buf, uint32(len(c.b.recs)))
			if err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("level %d:\n got %+v\nwant %+v", c.level, got, c.want)
			}
		}
	})
}
