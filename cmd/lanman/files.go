//go:build unix

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
)

func init() {
	register(verb{name: "ls", summary: "list a directory through a use (X:/dir, \\\\server\\share\\dir)", run: runLs})
	register(verb{name: "cat", summary: "print files through a use", run: runCat})
	register(verb{name: "cp", summary: "copy a file to, from or between uses", run: runCp})
}

// isUsePath tells a path through a use ("X:/dir", "name:dir",
// \\server\share\dir) from a local one. A local path with a colon in its
// first element can be written ./a:b.
func isUsePath(p string) bool {
	if isRemoteName(p) {
		return true
	}
	i := strings.IndexByte(p, ':')
	return i > 0 && !strings.ContainsAny(p[:i], `/\`)
}

// lsRow is one directory entry as `lanman ls` prints it.
type lsRow struct {
	Name  string    `json:"name"`
	Size  int64     `json:"size"`
	Mode  string    `json:"mode"`
	MTime time.Time `json:"mtime"`
}

func rowOf(fi fs.FileInfo) lsRow {
	name := fi.Name()
	if fi.IsDir() {
		name += "/"
	}
	return lsRow{Name: name, Size: fi.Size(), Mode: fi.Mode().String(), MTime: fi.ModTime().UTC().Truncate(time.Second)}
}

func runLs(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ls", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	jsonOut := fs.Bool("json", false, "print JSON")
	csvOut := fs.Bool("csv", false, "print CSV")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || !isUsePath(pos[0]) {
		return usageError(`want one path through a use: X:/dir or \\server\share\dir`)
	}
	f := formatTable
	if *jsonOut {
		f = formatJSON
	} else if *csvOut {
		f = formatCSV
	}
	c, err := dialService(ctx, e, false)
	if err != nil {
		return err
	}
	defer c.Close()
	fi, err := c.Stat(ctx, pos[0])
	if err != nil {
		return err
	}
	var rows []lsRow
	if fi.IsDir() {
		ents, err := c.ReadDir(ctx, pos[0])
		if err != nil {
			return err
		}
		rows = make([]lsRow, 0, len(ents))
		for _, e := range ents {
			rows = append(rows, rowOf(e))
		}
	} else {
		rows = []lsRow{rowOf(fi)}
	}
	return writeRows(e.stdout, f, rows)
}

func runCat(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("cat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("want one or more paths through uses")
	}
	for _, p := range pos {
		if !isUsePath(p) {
			return usageError("%q is not a path through a use", p)
		}
	}
	c, err := dialService(ctx, e, false)
	if err != nil {
		return err
	}
	defer c.Close()
	for _, p := range pos {
		f, err := c.OpenFile(ctx, p, os.O_RDONLY)
		if err != nil {
			return err
		}
		_, err = io.Copy(e.stdout, f)
		cerr := f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if cerr != nil {
			return cerr
		}
	}
	return nil
}

func runCp(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("cp", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("want SRC DST (either may be a path through a use, or - for standard output)")
	}
	src, dst := pos[0], pos[1]
	if !isUsePath(src) && !isUsePath(dst) {
		return usageError("neither %q nor %q is a path through a use", src, dst)
	}
	c, err := dialService(ctx, e, false)
	if err != nil {
		return err
	}
	defer c.Close()

	var r io.Reader
	var closeSrc func() error
	if isUsePath(src) {
		f, err := c.OpenFile(ctx, src, os.O_RDONLY)
		if err != nil {
			return err
		}
		if f.Stat().IsDir() {
			f.Close()
			return fmt.Errorf("%s is a directory", src)
		}
		r, closeSrc = f, f.Close
	} else {
		f, err := os.Open(src)
		if err != nil {
			return err
		}
		r, closeSrc = f, f.Close
	}
	defer closeSrc()

	var w io.Writer
	var closeDst func() error
	switch {
	case dst == "-":
		w, closeDst = e.stdout, func() error { return nil }
	case isUsePath(dst):
		f, err := c.OpenFile(ctx, dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
		if err != nil {
			return err
		}
		w, closeDst = f, f.Close
	default:
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
		if err != nil {
			return err
		}
		w, closeDst = f, f.Close
	}
	// Large buffers: each remote read or write is one call to the service.
	_, err = io.CopyBuffer(w, struct{ io.Reader }{r}, make([]byte, 1<<20))
	cerr := closeDst()
	if err != nil {
		return fmt.Errorf("copying %s to %s: %w", src, dst, err)
	}
	return cerr
}
