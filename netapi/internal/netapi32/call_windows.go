package netapi32

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sys/windows"

	"github.com/lanman/lanman/netapi/internal/native"
	"github.com/lanman/lanman/win32"
)

// run calls f on its own goroutine and waits for it or for ctx. netapi32
// calls block, sometimes for the whole SMB timeout of an unreachable
// server, and cannot be interrupted; when ctx ends first, run returns
// ctx's error at once and f finishes in the background, releasing whatever
// it allocated. f must therefore own everything it touches.
func run[T any](ctx context.Context, f func() T) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	ch := make(chan T, 1)
	go func() { ch <- f() }()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// uncName converts a server name for netapi32: "" is NULL (the local
// computer); a bare name gets the leading backslashes that some of the
// functions insist on.
func uncName(fn, s string) (*uint16, error) {
	if s == "" {
		return nil, nil
	}
	if !strings.HasPrefix(s, `\\`) {
		s = `\\` + s
	}
	return utf16Arg(fn, "server name", s)
}

// optArg converts an optional string argument: "" is NULL.
func optArg(fn, what, s string) (*uint16, error) {
	if s == "" {
		return nil, nil
	}
	return utf16Arg(fn, what, s)
}

// utf16Arg converts a string argument, which must not contain NUL.
func utf16Arg(fn, what, s string) (*uint16, error) {
	p, err := windows.UTF16PtrFromString(s)
	if err != nil {
		return nil, fmt.Errorf("netapi32: %s: %s contains NUL: %w", fn, what, win32.ERROR_INVALID_PARAMETER)
	}
	return p, nil
}

// statusErr is the error for a NET_API_STATUS, nil for NERR_Success.
func statusErr(fn string, level uint32, st uint32) error {
	if st == 0 {
		return nil
	}
	return fmt.Errorf("netapi32: %s level %d: %w", fn, level, win32.Errno(st))
}

// enumResult is what an enumeration's goroutine hands back.
type enumResult[T any] struct {
	v           T
	read, total uint32
	resume      uint32
	err         error
}

// enumCall is one netapi32 enumeration: it fills buf, the counts and the
// resume handle (which may be nil) and returns the NET_API_STATUS.
type enumCall func(buf **byte, read, total, resume *uint32) uint32

// converter turns count entries at buf into T.
type converter[T any] func(mem native.Memory, ps int, buf uint64, count uint32) (T, error)

// enumerate runs call, converts its buffer with conv and frees it. With
// ERROR_MORE_DATA the entries read so far are returned along with the
// error, as netapi32 returns them. resume, if not nil, is passed in and
// updated only when the call completes.
func enumerate[T any](ctx context.Context, fn string, level uint32, resume *uint32, call enumCall, conv converter[T]) (T, uint32, uint32, error) {
	var in uint32
	if resume != nil {
		in = *resume
	}
	r, err := run(ctx, func() (r enumResult[T]) {
		var buf *byte
		rp := &r.resume
		if resume == nil {
			rp = nil
		} else {
			r.resume = in
		}
		st := call(&buf, &r.read, &r.total, rp)
		if buf != nil {
			// MS docs: free the buffer even when the call fails with
			// ERROR_MORE_DATA (or anything else that allocated it).
			defer netApiBufferFree(buf)
		}
		if st != 0 && win32.Errno(st) != win32.ERROR_MORE_DATA {
			r.err = statusErr(fn, level, st)
			return r
		}
		var addr uint64
		var mem native.Memory = native.Region{}
		if buf != nil {
			mem, addr = bufferMemory(buf)
		}
		v, cerr := conv(mem, ptrSize, addr, r.read)
		if cerr != nil {
			r.err = fmt.Errorf("netapi32: %s level %d: %w", fn, level, cerr)
			return r
		}
		r.v, r.err = v, statusErr(fn, level, st)
		return r
	})
	if err != nil {
		var zero T
		return zero, 0, 0, fmt.Errorf("netapi32: %s: %w", fn, err)
	}
	if resume != nil {
		*resume = r.resume
	}
	return r.v, r.read, r.total, r.err
}

// getInfo runs a call that returns one structure in a buffer, converts it
// and frees the buffer.
func getInfo[T any](ctx context.Context, fn string, level uint32, call func(buf **byte) uint32, conv func(mem native.Memory, ps int, buf uint64) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	r, err := run(ctx, func() (r result) {
		var buf *byte
		st := call(&buf)
		if buf != nil {
			defer netApiBufferFree(buf)
		}
		if st != 0 {
			r.err = statusErr(fn, level, st)
			return r
		}
		if buf == nil {
			r.err = fmt.Errorf("netapi32: %s level %d: success without a buffer: %w", fn, level, native.ErrBadPointer)
			return r
		}
		mem, addr := bufferMemory(buf)
		if r.v, r.err = conv(mem, ptrSize, addr); r.err != nil {
			r.err = fmt.Errorf("netapi32: %s level %d: %w", fn, level, r.err)
		}
		return r
	})
	if err != nil {
		return r.v, fmt.Errorf("netapi32: %s: %w", fn, err)
	}
	return r.v, r.err
}

// status runs a call that only returns a NET_API_STATUS.
func status(ctx context.Context, fn string, call func() uint32) error {
	st, err := run(ctx, call)
	if err != nil {
		return fmt.Errorf("netapi32: %s: %w", fn, err)
	}
	if st != 0 {
		return fmt.Errorf("netapi32: %s: %w", fn, win32.Errno(st))
	}
	return nil
}
