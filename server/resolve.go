package server

import (
	"errors"
	"io"
	"io/fs"
	"os"
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
//   - a component found by neither, or one below something that is not a
//     directory, ends the walk: it and the rest of rel are kept as the
//     client spelled them, for CREATE to create or fail.
//
// Every component found is checked with Lstat and refused with ErrSymlink
// if it is a symbolic link or a Windows junction: the server follows no
// links, even ones that stay inside the share. os.Root already guarantees
// that nothing outside the root is reached, whatever races with the file
// system.
//
// The walk holds the directory it is in open (os.Root.OpenRoot) and looks
// up each component in it alone, so its cost grows with the number of
// components, not with its square: a client that builds a directory chain
// thousands deep cannot make every lookup in it take seconds.
func (s *share) resolve(rel string) (string, error) {
	if rel == "." {
		return rel, nil
	}
	dir := s.root
	defer func() {
		if dir != s.root {
			dir.Close()
		}
	}()
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
		fi, err := dir.Lstat(comp)
		if errors.Is(err, fs.ErrNotExist) {
			found, ferr := foldLookup(dir, comp)
			if ferr != nil || found == "" {
				// Not there in any case: the rest is new.
				return joinRest(rel, done, folded, start), nil
			}
			if !folded {
				done = rel[:max(start-1, 0)]
				folded = true
			}
			comp = found
			fi, err = dir.Lstat(comp)
		}
		if err != nil {
			return "", err
		}
		// On Windows, Go reports junctions (mount points) and other
		// name-surrogate reparse points as ModeIrregular, not
		// ModeSymlink: they are links all the same.
		if fi.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0 {
			return "", ErrSymlink
		}
		if folded {
			if done == "" {
				done = comp
			} else {
				done += "/" + comp
			}
		}
		start = end + 1
		if start >= len(rel) {
			break
		}
		if !fi.IsDir() {
			// A file used as a directory: what the caller does
			// with the name fails as the file system says.
			return joinRest(rel, done, folded, start), nil
		}
		sub, err := dir.OpenRoot(comp)
		if err != nil {
			return "", err
		}
		if dir != s.root {
			dir.Close()
		}
		dir = sub
	}
	if !folded {
		return rel, nil
	}
	return done, nil
}

// joinRest is the resolved prefix of rel (done if folded, else rel up to
// start) followed by rel from start on.
func joinRest(rel, done string, folded bool, start int) string {
	if !folded {
		return rel
	}
	if done == "" {
		return rel[start:]
	}
	return done + "/" + rel[start:]
}

// foldLookup returns the name in directory dir that equals name without
// regard to case (the smallest in byte order if several do), or "" if
// none does among the first maxFoldScan entries. Names on disk that are
// not valid UTF-8 never match.
func foldLookup(dir *os.Root, name string) (string, error) {
	d, err := dir.Open(".")
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
