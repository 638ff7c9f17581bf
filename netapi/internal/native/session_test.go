package native

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lanman/lanman/srvs"
)

// abis are the two layouts every conversion is tested with, at bases that
// look like the addresses each process gets: a 32-bit large-address-aware
// heap above 2 GiB (where the seeds' Int32 arithmetic overflowed), and a
// 64-bit heap above 4 GiB.
var abis = []struct {
	name string
	ps   int
	base uint64
}{
	{"386", 4, 0x8A3F_0000},
	{"amd64", 8, 0x0000_01D2_4C3A_0000},
}

func forABIs(t *testing.T, f func(t *testing.T, ps int, base uint64)) {
	for _, a := range abis {
		t.Run(a.name, func(t *testing.T) { f(t, a.ps, a.base) })
	}
}

func TestSessions(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		cases := []struct {
			level uint32
			b     *bufBuilder
			want  srvs.SessionEnum
		}{
			{0, newBuilder(ps, base).rec(S(`\\10.0.0.7`)).rec(S(`\\PC-Jürgen`)),
				srvs.SessionEnum{Level: 0, Level0: []srvs.SessionInfo0{{ClientName: `\\10.0.0.7`}, {ClientName: `\\PC-Jürgen`}}}},
			{1, newBuilder(ps, base).
				rec(S(`\\10.0.0.7`), S("alice"), D(3), D(3600), D(12), D(srvs.SESS_GUEST)).
				rec(S(`\\10.0.0.8`), Null(), D(0), D(1), D(0xFFFFFFFF), D(0)),
				srvs.SessionEnum{Level: 1, Level1: []srvs.SessionInfo1{
					{ClientName: `\\10.0.0.7`, UserName: "alice", NumOpens: 3, Time: 3600, IdleTime: 12, UserFlags: srvs.SESS_GUEST},
					{ClientName: `\\10.0.0.8`, UserName: "", NumOpens: 0, Time: 1, IdleTime: 0xFFFFFFFF},
				}}},
			{2, newBuilder(ps, base).
				rec(S(`\\h`), S("bob"), D(1), D(2), D(3), D(srvs.SESS_NOENCRYPTION), S("Windows 10 Pro 19045")),
				srvs.SessionEnum{Level: 2, Level2: []srvs.SessionInfo2{
					{ClientName: `\\h`, UserName: "bob", NumOpens: 1, Time: 2, IdleTime: 3, UserFlags: srvs.SESS_NOENCRYPTION, ClientType: "Windows 10 Pro 19045"},
				}}},
			{10, newBuilder(ps, base).
				rec(S(`\\a`), S("x"), D(7), D(8)).rec(S(`\\b`), S("𝔘ser"), D(9), D(10)).rec(S(`\\c`), S(""), D(11), D(12)),
				srvs.SessionEnum{Level: 10, Level10: []srvs.SessionInfo10{
					{ClientName: `\\a`, UserName: "x", Time: 7, IdleTime: 8},
					{ClientName: `\\b`, UserName: "𝔘ser", Time: 9, IdleTime: 10},
					{ClientName: `\\c`, UserName: "", Time: 11, IdleTime: 12},
				}}},
			{502, newBuilder(ps, base).
				rec(S(`\\fe80::1`), S(`DOM\carol`), D(4), D(5), D(6), D(0), S(""), S(`\Device\NetbiosSmb`)).
				rec(S(`\\b`), S("d"), D(40), D(50), D(60), D(1), S("Samba"), Null()),
				srvs.SessionEnum{Level: 502, Level502: []srvs.SessionInfo502{
					{ClientName: `\\fe80::1`, UserName: `DOM\carol`, NumOpens: 4, Time: 5, IdleTime: 6, ClientType: "", Transport: `\Device\NetbiosSmb`},
					{ClientName: `\\b`, UserName: "d", NumOpens: 40, Time: 50, IdleTime: 60, UserFlags: 1, ClientType: "Samba"},
				}}},
		}
		for _, c := range cases {
			mem, buf := c.b.build()
			got, err := Sessions(mem, ps, c.level, buf, uint32(len(c.b.recs)))
			if err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("level %d:\n got %+v\nwant %+v", c.level, got, c.want)
			}
			if got.Len() != len(c.b.recs) {
				t.Errorf("level %d: Len %d", c.level, got.Len())
			}
		}
	})
}

func TestSessionsErrors(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		mem, buf := newBuilder(ps, base).rec(S("a"), P(base+0x100000), D(0), D(0)).build()
		if _, err := Sessions(mem, ps, 10, buf, 1); !errors.Is(err, ErrBadPointer) {
			t.Errorf("wild pointer: %v", err)
		}
		// Ask for more entries than the memory holds.
		if _, err := Sessions(mem, ps, 10, buf, 1000); !errors.Is(err, ErrBadPointer) {
			t.Errorf("overlong array: %v", err)
		}
		if _, err := Sessions(mem, ps, 10, buf, 0xFFFFFFFF); !errors.Is(err, ErrTooMany) && !errors.Is(err, ErrBadPointer) {
			t.Errorf("huge count: %v", err)
		}
		if _, err := Sessions(mem, ps, 3, buf, 1); !errors.Is(err, ErrInvalidLevel) {
			t.Errorf("level 3: %v", err)
		}
		if _, err := Sessions(mem, 6, 10, buf, 1); !errors.Is(err, ErrPointerSize) {
			t.Errorf("pointer size 6: %v", err)
		}
		if e, err := Sessions(mem, ps, 10, 0, 0); err != nil || e.Len() != 0 {
			t.Errorf("empty: %v %v", e, err)
		}
		if _, err := Sessions(mem, ps, 10, 0, 1); !errors.Is(err, ErrBadPointer) {
			t.Errorf("NULL buffer with entries: %v", err)
		}
	})
}

func BenchmarkSessions502(b *testing.B) {
	bb := newBuilder(8, 0x7FF0_0000)
	for range 100 {
		bb.rec(S(`\\10.0.0.7`), S("alice"), D(3), D(3600), D(12), D(0), S("Windows 10 Pro"), S(`\Device\NetbiosSmb`))
	}
	mem, buf := bb.build()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sessions(mem, 8, 502, buf, 100); err != nil {
			b.Fatal(err)
		}
	}
}
