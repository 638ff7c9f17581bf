//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// harnessTB lets the benchmark use internal/sambatest, which is written
// for tests, from a plain program: the harness needs only Helper,
// TempDir, Cleanup and the failure methods. A failure panics with a
// fatalError, which main recovers after running the cleanups.
type harnessTB struct {
	testing.TB // never called: every method the harness uses is below

	dir      string
	mu       sync.Mutex
	n        int
	cleanups []func()
}

type fatalError struct{ msg string }

func (f fatalError) Error() string { return f.msg }

func newHarnessTB(dir string) *harnessTB { return &harnessTB{dir: dir} }

func (t *harnessTB) Helper() {}

func (t *harnessTB) TempDir() string {
	t.mu.Lock()
	t.n++
	d := filepath.Join(t.dir, fmt.Sprintf("tmp%03d", t.n))
	t.mu.Unlock()
	if err := os.MkdirAll(d, 0o700); err != nil {
		panic(fatalError{err.Error()})
	}
	return d
}

func (t *harnessTB) Cleanup(f func()) {
	t.mu.Lock()
	t.cleanups = append(t.cleanups, f)
	t.mu.Unlock()
}

// runCleanups runs the registered cleanups, last first, as testing does.
func (t *harnessTB) runCleanups() {
	t.mu.Lock()
	cs := t.cleanups
	t.cleanups = nil
	t.mu.Unlock()
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i]()
	}
}

func (t *harnessTB) Fatal(args ...any) { panic(fatalError{fmt.Sprint(args...)}) }
func (t *harnessTB) Fatalf(format string, args ...any) {
	panic(fatalError{fmt.Sprintf(format, args...)})
}
func (t *harnessTB) Skipf(format string, args ...any) {
	panic(fatalError{"cannot run: " + fmt.Sprintf(format, args...)})
}
func (t *harnessTB) Logf(format string, args ...any) { logf(format, args...) }
