package server

import (
	"slices"
	"sync"
)

// idTable is one live table (sessions, tree connects or opens): entries
// kept sorted by their ID. IDs are handed out in increasing order, so an
// insert is an append; a delete is a binary search and a memmove of
// pointers. Enumeration walks the slice in ID order, which gives NetrXxxEnum
// a stable order and resume handles that survive entries coming and going
// (a resume handle is the ID of the last entry returned).
//
// A sorted slice of pointers costs 8 bytes an entry beyond the entry
// itself, less than a map, and snapshots are a single copy.
type idTable[E interface{ tableID() uint32 }] struct {
	mu   sync.RWMutex
	list []E
}

func (t *idTable[E]) search(id uint32) (int, bool) {
	return slices.BinarySearchFunc(t.list, id, func(e E, id uint32) int {
		a := e.tableID()
		switch {
		case a < id:
			return -1
		case a > id:
			return 1
		}
		return 0
	})
}

// add inserts e. IDs normally arrive in increasing order (an append), but
// a wrapped counter still inserts in the right place.
func (t *idTable[E]) add(e E) {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, found := t.search(e.tableID())
	if found {
		t.list[i] = e
		return
	}
	t.list = slices.Insert(t.list, i, e)
}

// remove deletes the entry with id and reports whether it was there.
func (t *idTable[E]) remove(id uint32) (E, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var zero E
	i, found := t.search(id)
	if !found {
		return zero, false
	}
	e := t.list[i]
	t.list = slices.Delete(t.list, i, i+1)
	// Give memory back when a burst of clients has gone.
	if cap(t.list) > 64 && len(t.list) < cap(t.list)/4 {
		t.list = slices.Clip(slices.Clone(t.list))
	}
	return e, true
}

// each calls f for every entry, in ID order, under the table's read lock;
// f must not call back into the table.
func (t *idTable[E]) each(f func(E)) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, e := range t.list {
		f(e)
	}
}

func (t *idTable[E]) get(id uint32) (E, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	i, found := t.search(id)
	if !found {
		var zero E
		return zero, false
	}
	return t.list[i], true
}

func (t *idTable[E]) len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.list)
}

// snapshot copies the entries for which keep returns true (all of them if
// keep is nil), in ID order. keep runs under the table's read lock and
// must not call back into the table.
func (t *idTable[E]) snapshot(keep func(E) bool) []E {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if keep == nil {
		return slices.Clone(t.list)
	}
	var out []E
	for _, e := range t.list {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}
