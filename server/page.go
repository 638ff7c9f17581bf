package server

import "unicode/utf8"

// maxPreferredLength is MAX_PREFERRED_LENGTH (MS-SRVS 2.2.2.2): return
// everything.
const maxPreferredLength = 0xFFFFFFFF

// enumPage is the outcome of paging one NetrXxxEnum call.
type enumPage struct {
	idx    []int  // indexes of the entries to return, in order
	total  uint32 // TotalEntries
	resume uint32 // the ResumeHandle to return
	more   bool   // ERROR_MORE_DATA
}

// resumeOf is the position a request's optional ResumeHandle names.
func resumeOf(h *uint32) uint32 {
	if h == nil {
		return 0
	}
	return *h
}

// pageEntries applies the paging rules MS-SRVS 3.1.4.1, 3.1.4.2, 3.1.4.5
// and 3.1.4.8 share to a list of n entries:
//
//   - the ResumeHandle is an index into the list; nil or 0 starts at the
//     beginning and a value at or past the end returns no entries and
//     success;
//   - qualifiers (match) are applied after the resume position, and
//     TotalEntries counts the entries that pass them from that position;
//   - whole entries are returned while their total size stays within
//     PreferedMaximumLength; if some are left, the result is
//     ERROR_MORE_DATA and the resume handle is the index after the last
//     entry returned (nonzero, as the spec requires).
//
// One deviation, shared with Windows' own server: at least one entry is
// always returned when there is one, even if it alone exceeds
// PreferedMaximumLength, so that a caller paging with a tiny buffer still
// makes progress instead of looping on ERROR_MORE_DATA with no entries.
//
// size is the entry's cost against PreferedMaximumLength: the size of its
// fixed structure plus its strings, as the Win32 API would lay it out in
// the caller's buffer (see entrySize).
func pageEntries(n int, resumeHandle *uint32, prefMax uint32, match func(i int) bool, size func(i int) int) enumPage {
	var p enumPage
	resume := resumeOf(resumeHandle)
	if int64(resume) >= int64(n) {
		return p
	}
	start := int(resume)
	// One allocation: at most every entry from start on is returned.
	p.idx = make([]int, 0, n-start)
	used := uint64(0)
	last := -1
	for i := start; i < n; i++ {
		if match != nil && !match(i) {
			continue
		}
		p.total++
		if p.more {
			continue
		}
		sz := uint64(size(i))
		if prefMax != maxPreferredLength && len(p.idx) > 0 && used+sz > uint64(prefMax) {
			p.more = true
			continue
		}
		used += sz
		p.idx = append(p.idx, i)
		last = i
	}
	if p.more {
		p.resume = uint32(last + 1)
	}
	return p
}

// wstrSize is the size of s as a terminated UTF-16 string.
func wstrSize(s string) int {
	n := 2
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if r >= 0x10000 {
			n += 4
		} else {
			n += 2
		}
	}
	return n
}
