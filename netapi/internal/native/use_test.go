package native

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lanman/lanman/wkst"
)

func sp(s string) *string { return &s }

func TestUses(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		cases := []struct {
			level uint32
			b     *bufBuilder
			want  wkst.UseEnum
		}{
			{0, newBuilder(ps, base).rec(S("Z:"), S(`\\srv\data`)).rec(S(""), S(`\\srv\IPC$`)),
				wkst.UseEnum{Level: 0, Level0: []wkst.UseInfo0{{Local: "Z:", Remote: `\\srv\data`}, {Remote: `\\srv\IPC$`}}}},
			{1, newBuilder(ps, base).
				rec(S("Z:"), S(`\\srv\data`), Null(), D(wkst.USE_OK), D(wkst.USE_DISKDEV), D(1), D(2)).
				rec(S("LPT1:"), S(`\\srv\printer`), Null(), D(wkst.USE_DISCONN), D(wkst.USE_SPOOLDEV), D(0), D(0)),
				wkst.UseEnum{Level: 1, Level1: []wkst.UseInfo1{
					{Local: "Z:", Remote: `\\srv\data`, Status: wkst.USE_OK, AsgType: wkst.USE_DISKDEV, RefCount: 1, UseCount: 2},
					{Local: "LPT1:", Remote: `\\srv\printer`, Status: wkst.USE_DISCONN, AsgType: wkst.USE_SPOOLDEV},
				}}},
			// The seeds' sample walks exactly this: USE_INFO_2 from a
			// large-address-aware 32-bit process.
			{2, newBuilder(ps, base).
				rec(S("Z:"), S(`\\srv\data`), Null(), D(wkst.USE_OK), D(wkst.USE_DISKDEV), D(1), D(1), S("alice"), S("CORP")).
				rec(S(""), S(`\\srv\IPC$`), Null(), D(wkst.USE_OK), D(wkst.USE_IPC), D(0), D(1), Null(), S("")).
				rec(S("Y:"), S(`\\ünï\ß`), S(""), D(wkst.USE_NETERR), D(wkst.USE_DISKDEV), D(0), D(0), S(""), Null()),
				wkst.UseEnum{Level: 2, Level2: []wkst.UseInfo2{
					{UseInfo1: wkst.UseInfo1{Local: "Z:", Remote: `\\srv\data`, AsgType: wkst.USE_DISKDEV, RefCount: 1, UseCount: 1},
						UserName: sp("alice"), DomainName: sp("CORP")},
					{UseInfo1: wkst.UseInfo1{Remote: `\\srv\IPC$`, AsgType: wkst.USE_IPC, UseCount: 1}, DomainName: sp("")},
					{UseInfo1: wkst.UseInfo1{Local: "Y:", Remote: `\\ünï\ß`, Password: sp(""), Status: wkst.USE_NETERR},
						UserName: sp("")},
				}}},
		}
		for _, c := range cases {
			mem, buf := c.b.build()
			got, err := Uses(mem, ps, c.level, buf, uint32(len(c.b.recs)))
			if err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("level %d:\n got %+v\nwant %+v", c.level, got, c.want)
			}
		}
		mem, buf := newBuilder(ps, base).rec(S("Z:"), S(`\\s\x`)).build()
		if _, err := Uses(mem, ps, 3, buf, 1); !errors.Is(err, ErrInvalidLevel) {
			t.Errorf("NetUseEnum level 3: %v", err)
		}
	})
}

func TestUseInfo(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		ui1 := wkst.UseInfo1{Local: "Z:", Remote: `\\srv\data`, Status: wkst.USE_OK, AsgType: wkst.USE_DISKDEV, RefCount: 1, UseCount: 1}
		cases := []struct {
			level uint32
			b     *bufBuilder
			want  wkst.UseInfo
		}{
			{0, newBuilder(ps, base).rec(S("Z:"), S(`\\srv\data`)),
				wkst.UseInfo{Level: 0, UseInfo0: &wkst.UseInfo0{Local: "Z:", Remote: `\\srv\data`}}},
			{1, newBuilder(ps, base).rec(S("Z:"), S(`\\srv\data`), Null(), D(0), D(0), D(1), D(1)),
				wkst.UseInfo{Level: 1, UseInfo1: &ui1}},
			{2, newBuilder(ps, base).rec(S("Z:"), S(`\\srv\data`), Null(), D(0), D(0), D(1), D(1), S("bob"), Null()),
				wkst.UseInfo{Level: 2, UseInfo2: &wkst.UseInfo2{UseInfo1: ui1, UserName: sp("bob")}}},
			{3, newBuilder(ps, base).rec(S("Z:"), S(`\\srv\data`), Null(), D(0), D(0), D(1), D(1), S("bob"), S("CORP"), D(0x7)),
				wkst.UseInfo{Level: 3, UseInfo3: &wkst.UseInfo3{UseInfo2: wkst.UseInfo2{UseInfo1: ui1, UserName: sp("bob"), DomainName: sp("CORP")}, Flags: 7}}},
		}
		for _, c := range cases {
			mem, buf := c.b.build()
			got, err := UseInfo(mem, ps, c.level, buf)
			if err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("level %d:\n got %+v\nwant %+v", c.level, got, c.want)
			}
		}
		// USE_INFO_3's flags lie beyond a USE_INFO_2: asking for level 3
		// over a bare USE_INFO_2 must fail, not read past it.
		mem, buf := newBuilder(ps, base).rec(Null(), Null(), Null(), D(0), D(0), D(0), D(0), Null(), Null()).build()
		mem.Data = mem.Data[:UseInfoSize(ps, 2)] // nothing after it
		if _, err := UseInfo(mem, ps, 3, buf); !errors.Is(err, ErrBadPointer) {
			t.Errorf("level 3 over USE_INFO_2: %v", err)
		}
		if _, err := UseInfo(mem, ps, 4, buf); !errors.Is(err, ErrInvalidLevel) {
			t.Errorf("level 4: %v", err)
		}
	})
}
