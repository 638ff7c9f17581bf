package native

import (
	"testing"
)

// convert runs the converter for call (mod the number of calls) on mem.
// It returns the entries converted, or -1 on an error.
func convert(mem Memory, ps int, call uint8, level uint32, buf uint64, count uint32) int {
	type conv func() (int, error)
	calls := []conv{
		func() (int, error) { e, err := Sessions(mem, ps, level, buf, count); return e.Len(), err },
		func() (int, error) { e, err := Connections(mem, ps, level, buf, count); return e.Len(), err },
		func() (int, error) { e, err := Files(mem, ps, level, buf, count); return e.Len(), err },
		func() (int, error) { e, err := Shares(mem, ps, level, buf, count); return e.Len(), err },
		func() (int, error) {
			u, err := ServerInfo(mem, ps, level, buf)
			if err != nil || (u.ServerInfo100 == nil && u.ServerInfo101 == nil && u.ServerInfo102 == nil) {
				return 0, err
			}
			return 1, nil
		},
		func() (int, error) { e, err := WkstaUsers(mem, ps, level, buf, count); return e.Len(), err },
		func() (int, error) { e, err := Uses(mem, ps, level, buf, count); return e.Len(), err },
		func() (int, error) {
			u, err := UseInfo(mem, ps, level, buf)
			if err != nil || (u.UseInfo0 == nil && u.UseInfo1 == nil && u.UseInfo2 == nil && u.UseInfo3 == nil) {
				return 0, err
			}
			return 1, nil
		},
	}
	n, err := calls[int(call)%len(calls)]()
	if err != nil {
		return -1
	}
	return n
}

// levels are the levels each call has, indexed like convert's calls; the
// fuzzer picks one with a byte so it spends its time on valid levels.
var fuzzLevels = [][]uint32{
	{0, 1, 2, 10, 502}, {0, 1}, {2, 3}, {0, 1, 2, 502}, {100, 101, 102}, {0, 1}, {0, 1, 2}, {0, 1, 2, 3},
}

// single marks the calls that convert one structure, whatever the count.
var single = map[int]bool{4: true, 7: true}

const fuzzBase = 0x7FF0_0000

// FuzzConvert feeds every converter arbitrary memory: bytes at fuzzBase, an
// array at an offset into it, any count. Nothing may panic, and a
// successful conversion has exactly count entries.
func FuzzConvert(f *testing.F) {
	for _, ps := range []int{4, 8} {
		mem, _ := newBuilder(ps, fuzzBase).
			rec(S(`\\10.0.0.7`), S("alice"), D(3), D(3600), D(12), D(1), S("Windows"), S("tcp")).
			rec(S(`\\b`), Null(), D(0), D(1), D(2), D(0), S(""), Null()).build()
		f.Add(mem.Data, uint8(ps/8), uint8(0), uint8(4), uint16(0), uint32(2))
		mem, _ = newBuilder(ps, fuzzBase).
			rec(D(7), D(0), D(2), D(1), D(65), S("alice"), S("data")).build()
		f.Add(mem.Data, uint8(ps/8), uint8(1), uint8(1), uint16(0), uint32(1))
		mem, _ = newBuilder(ps, fuzzBase).
			rec(D(101), D(3), D(2), S(`C:\x`), S("alice")).build()
		f.Add(mem.Data, uint8(ps/8), uint8(2), uint8(1), uint16(0), uint32(1))
		mem, _ = newBuilder(ps, fuzzBase).
			rec(S("data"), D(0), S("r"), D(0), D(1), D(0), S(`D:\`), Null(), D(0), Blob(everyoneFullSD)).build()
		f.Add(mem.Data, uint8(ps/8), uint8(3), uint8(3), uint16(0), uint32(1))
		mem, _ = newBuilder(ps, fuzzBase).
			rec(D(500), S("SRV"), D(10), D(0), D(3), S("c"), D(1), D(2), D(0), D(4), D(5), D(6), S(`c:\`)).build()
		f.Add(mem.Data, uint8(ps/8), uint8(4), uint8(2), uint16(0), uint32(1))
		mem, _ = newBuilder(ps, fuzzBase).
			rec(S("alice"), S("CORP"), S(""), S("DC")).build()
		f.Add(mem.Data, uint8(ps/8), uint8(5), uint8(1), uint16(0), uint32(1))
		mem, _ = newBuilder(ps, fuzzBase).
			rec(S("Z:"), S(`\\srv\data`), Null(), D(0), D(0), D(1), D(1), S("alice"), S("CORP"), D(0)).build()
		f.Add(mem.Data, uint8(ps/8), uint8(6), uint8(2), uint16(0), uint32(1))
		f.Add(mem.Data, uint8(ps/8), uint8(7), uint8(3), uint16(0), uint32(1))
	}
	f.Add([]byte{}, uint8(0), uint8(0), uint8(0), uint16(0), uint32(0xFFFFFFFF))
	f.Fuzz(func(t *testing.T, data []byte, wide, call, lvl uint8, off uint16, count uint32) {
		ps := 4
		if wide&1 != 0 {
			ps = 8
		}
		levels := fuzzLevels[int(call)%len(fuzzLevels)]
		level := levels[int(lvl)%len(levels)]
		mem := Region{Base: fuzzBase, Data: data}
		n := convert(mem, ps, call, level, fuzzBase+uint64(off), count)
		if n >= 0 && !single[int(call)%len(fuzzLevels)] && n != int(count) {
			t.Fatalf("converted %d entries of %d", n, count)
		}
	})
}
