package server

import (
	"math/rand/v2"
	"testing"
)

type tent uint32

func (e tent) tableID() uint32 { return uint32(e) }

func TestIDTable(t *testing.T) {
	var tb idTable[tent]
	for i := 1; i <= 1000; i++ {
		tb.add(tent(i))
	}
	tb.add(tent(5000))
	tb.add(tent(2000)) // out of order still sorts
	removed := map[uint32]bool{}
	for _, i := range rand.Perm(1000)[:700] {
		id := uint32(i + 1)
		if _, ok := tb.remove(id); !ok {
			t.Fatalf("remove %d failed", id)
		}
		removed[id] = true
	}
	if _, ok := tb.remove(1_000_000); ok {
		t.Fatal("removed a missing id")
	}
	all := tb.snapshot(nil)
	if len(all) != tb.len() || len(all) != 302 {
		t.Fatalf("len = %d, snapshot %d", tb.len(), len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1] >= all[i] {
			t.Fatalf("not sorted at %d: %v %v", i, all[i-1], all[i])
		}
	}
	for i := uint32(1); i <= 1000; i++ {
		_, ok := tb.get(i)
		if ok == removed[i] {
			t.Fatalf("get(%d) = %v", i, ok)
		}
	}
	even := tb.snapshot(func(e tent) bool { return e%2 == 0 })
	for _, e := range even {
		if e%2 != 0 {
			t.Fatal("filter ignored")
		}
	}
}
