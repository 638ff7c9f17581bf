package server

import (
	"errors"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// maxFoldScan bounds the directory entries one case-insensitive lookup
// reads. A directory larger than this is searched only that far, so a
// miss in a huge directory costs a bounded amount of work; names beyond
// the bound are found by their exact spelling only.
const maxFoldScan = 16384

// resolve maps rel (as cleanPath returns it) to the name of what it
// designates on disk, one component at a time through the share's
// os.Root:
//
//   - a component that exists with exactly that spelling is taken as is;
//   - otherwise the directory is searched for names equal to it without
//     regard to case (strings.EqualFold, Unicode simple folding), as
//     Windows clients expect and Samba does by default; if several match,
//     the smallest in byte order wins, so the choice does not depend on
//     directory order;
//   - a component found by neither ends the walk: it and the rest of rel
//     are kept as the client spelled them, for CREATE to create or fail.
//
// Every component found is checked with Lstat and refused with ErrSymlink
// if it is a symbolic link: the server follows no links, even ones that
// stay inside the share. os.Root already guarantees that nothing outside
// the root is reached, whatever races with the file system.
func (s *share) resolve(rel string) (string, error) {
	if rel == "." {
		return rel, nil
	}
	// While every component is spelled exactly, the resolved prefix is
	// rel[:end] and nothing is allocated; after a case fix it is done.
	done := ""
	folded := false
	for start := 0; start < len(rel); {
		end := len(rel)
		if j := strings.IndexByte(rel[start:], '/'); j >= 0 {
			end = start + j
		}
		comp := rel[start:end]
		p := rel[:end]
		if folded {
			p = done + "/" + comp
		}
		fi, err := s.root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			parent := "."
			if start > 0 {
				parent = p[:len(p)-len(comp)-1]
			}
			found, ferr := s.foldLookup(parent, comp)
			if ferr != nil || found == "" {
				// Not there in any case: the rest is new.
				if !folded {
					return rel, nil
				}
				return p + rel[end:], nil
			}
			p = found
			if start > 0 {
				p = parent + "/" + found
			}
			folded = true
			fi, err = s.root.Lstat(p)
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return "", ErrSymlink
		}
		done = p
		start = end + 1
	}
	return done, nil
}

// foldLookup returns the name in directory dir that equals name without
// regard to case (the smallest in byte order if several do), or "" if
// none does among the first maxFoldScan entries. Names on disk that are
// not valid UTF-8 never match.
func (s *share) foldLookup(dir, name string) (string, error) {
	d, err := s.root.Open(dir)
	if err != nil {
		return "", err
	}
	defer d.Close()
	best := ""
	for scanned := 0; scanned < maxFoldScan; {
		names, err := d.Readdirnames(min(256, maxFoldScan-scanned))
		for _, n := range names {
			// A name that is not UTF-8 cannot be spelled by a client,
			// whose names arrive as UTF-16; EqualFold would read each
			// bad byte as U+FFFD and let that one rune stand for any
			// of them, so such names are found by no folded spelling.
			if strings.EqualFold(n, name) && utf8.ValidString(n) && (best == "" || n < best) {
				best = n
			}
		}
		scanned += len(names)
		if err != nil {
			if err == io.EOF {
				break
			}
			return "", err
		}
	}
	return best, nil
}
