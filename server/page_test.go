package server

import (
	"slices"
	"testing"
)

func TestPageEntriesAllSizes(t *testing.T) {
	sizes := []int{10, 30, 20, 5, 40, 10, 10}
	match := func(i int) bool { return i != 3 } // a qualifier dropping entry 3
	all := pageEntries(len(sizes), nil, maxPreferredLength, match, func(i int) int { return sizes[i] })
	if all.more || all.total != 6 || len(all.idx) != 6 {
		t.Fatalf("unlimited: %+v", all)
	}
	for max := uint32(1); max <= 130; max++ {
		var got []int
		resume := uint32(0)
		for calls := 0; ; calls++ {
			if calls > 10 {
				t.Fatalf("max %d: no progress", max)
			}
			p := pageEntries(len(sizes), &resume, max, match, func(i int) int { return sizes[i] })
			if len(p.idx) == 0 {
				t.Fatalf("max %d: empty page", max)
			}
			sum := 0
			for _, i := range p.idx {
				sum += sizes[i]
			}
			if len(p.idx) > 1 && sum > int(max) {
				t.Fatalf("max %d: page of %d bytes", max, sum)
			}
			got = append(got, p.idx...)
			if !p.more {
				break
			}
			if p.resume == 0 || p.total <= uint32(len(p.idx)) {
				t.Fatalf("max %d: more with %+v", max, p)
			}
			resume = p.resume
		}
		if !slices.Equal(got, all.idx) {
			t.Fatalf("max %d: paged %v, want %v", max, got, all.idx)
		}
	}
}

func TestPageEntriesResumePastEnd(t *testing.T) {
	p := pageEntries(3, u32(3), 100, nil, func(int) int { return 1 })
	if len(p.idx) != 0 || p.more || p.total != 0 {
		t.Fatalf("%+v", p)
	}
	p = pageEntries(3, u32(2), 100, nil, func(int) int { return 1 })
	if !slices.Equal(p.idx, []int{2}) || p.total != 1 {
		t.Fatalf("%+v", p)
	}
}

func TestWstrSize(t *testing.T) {
	if wstrSize("") != 2 || wstrSize("ab") != 6 || wstrSize("é") != 4 || wstrSize("😀") != 6 {
		t.Fatal("wstrSize")
	}
}
