package native

import (
	"reflect"
	"testing"

	"github.com/lanman/lanman/wkst"
)

func TestWkstaUsers(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		cases := []struct {
			level uint32
			b     *bufBuilder
			want  wkst.WkstaUserEnum
		}{
			{0, newBuilder(ps, base).rec(S("alice")).rec(S("WS01$")),
				wkst.WkstaUserEnum{Level: 0, Level0: []wkst.WkstaUserInfo0{{UserName: "alice"}, {UserName: "WS01$"}}}},
			{1, newBuilder(ps, base).
				rec(S("alice"), S("CORP"), S("LAB TEST"), S("DC01")).
				rec(S("bob"), S("WS01"), Null(), S("")),
				wkst.WkstaUserEnum{Level: 1, Level1: []wkst.WkstaUserInfo1{
					{UserName: "alice", LogonDomain: "CORP", OthDomains: "LAB TEST", LogonServer: "DC01"},
					{UserName: "bob", LogonDomain: "WS01"},
				}}},
		}
		for _, c := range cases {
			mem, buf := c.b.build()
			got, err := WkstaUsers(mem, ps, c.level, buf, uint32(len(c.b.recs)))
			if err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("level %d:\n got %+v\nwant %+v", c.level, got, c.want)
			}
		}
	})
}
