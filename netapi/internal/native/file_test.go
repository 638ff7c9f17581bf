package native

import (
	"reflect"
	"testing"

	"github.com/lanman/lanman/srvs"
)

func TestFiles(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		cases := []struct {
			level uint32
			b     *bufBuilder
			want  srvs.FileEnum
		}{
			{2, newBuilder(ps, base).rec(D(0x12345)).rec(D(0xFFFFFFFF)),
				srvs.FileEnum{Level: 2, Level2: []srvs.FileInfo2{{ID: 0x12345}, {ID: 0xFFFFFFFF}}}},
			{3, newBuilder(ps, base).
				rec(D(101), D(srvs.PERM_FILE_READ|srvs.PERM_FILE_WRITE), D(2), S(`C:\share\ÄÖÜ.txt`), S("alice")).
				rec(D(102), D(srvs.PERM_FILE_READ), D(0), S(`\PIPE\srvsvc`), S("")).
				rec(D(103), D(0), D(0), Null(), Null()),
				srvs.FileEnum{Level: 3, Level3: []srvs.FileInfo3{
					{ID: 101, Permissions: srvs.PERM_FILE_READ | srvs.PERM_FILE_WRITE, NumLocks: 2, PathName: `C:\share\ÄÖÜ.txt`, UserName: "alice"},
					{ID: 102, Permissions: srvs.PERM_FILE_READ, PathName: `\PIPE\srvsvc`},
					{ID: 103},
				}}},
		}
		for _, c := range cases {
			mem, buf := c.b.build()
			got, err := Files(mem, ps, c.level, buf, uint32(len(c.b.recs)))
			if err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("level %d:\n got %+v\nwant %+v", c.level, got, c.want)
			}
		}
	})
}
