package netapi32

import (
	"context"
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

// useInfo1, useInfo2 and useInfo3 are USE_INFO_1/2/3 (lmuse.h) as NetUseAdd
// reads them. Go lays these out as the Win32 ABI does on every Windows
// architecture (pointers at their natural width and alignment, then
// DWORDs), and USE_INFO_3 embeds a USE_INFO_2, as the Go structs embed; the
// constant checks below and TestUseInfoLayout hold them to it.
type useInfo1 struct {
	local, remote, password             *uint16
	status, asgType, refCount, useCount uint32
}

type useInfo2 struct {
	useInfo1
	userName, domainName *uint16
}

type useInfo3 struct {
	useInfo2
	flags uint32
}

// Compile-time size checks: each array length is negative, failing the
// build, unless the size is exactly the Win32 one.
const uptr = unsafe.Sizeof(uintptr(0))

var (
	_ [unsafe.Sizeof(useInfo1{}) - (3*uptr + 16)]byte
	_ [(3*uptr + 16) - unsafe.Sizeof(useInfo1{})]byte
	_ [unsafe.Sizeof(useInfo2{}) - (5*uptr + 16)]byte
	_ [(5*uptr + 16) - unsafe.Sizeof(useInfo2{})]byte
	_ [unsafe.Sizeof(useInfo3{}) - (6*uptr + 16)]byte
	_ [(6*uptr + 16) - unsafe.Sizeof(useInfo3{})]byte
)

// useArgs builds the USE_INFO of a NetUseAdd call. The UTF-16 strings it
// points to are Go memory, reachable from the structure; the password's copy
// is kept apart so that it can be wiped after the call.
type useArgs struct {
	fn       string
	password []uint16
}

// str converts s, "" to NULL.
func (a *useArgs) str(what, s string) (*uint16, error) { return optArg(a.fn, what, s) }

// optStr converts a nullable string: nil is NULL, and a non-nil "" is an
// empty string (for ui2_password, "no password" rather than "the caller's").
func (a *useArgs) optStr(what string, s *string) (*uint16, error) {
	if s == nil {
		return nil, nil
	}
	return utf16Arg(a.fn, what, *s)
}

// fill1 lays out the USE_INFO_1 members of u.
func (a *useArgs) fill1(dst *useInfo1, u *wkst.UseInfo1) (err error) {
	if dst.local, err = a.str("local device", u.Local); err != nil {
		return err
	}
	if dst.remote, err = utf16Arg(a.fn, "remote name", u.Remote); err != nil {
		return err
	}
	if u.Password != nil {
		// Kept apart so it can be wiped after the call. The password
		// never appears in an error: only its name does.
		pw, perr := windows.UTF16FromString(*u.Password)
		if perr != nil {
			return fmt.Errorf("netapi32: %s: password contains NUL: %w", a.fn, win32.ERROR_INVALID_PARAMETER)
		}
		a.password = pw
		dst.password = &pw[0]
	}
	dst.status, dst.asgType, dst.refCount, dst.useCount = u.Status, u.AsgType, u.RefCount, u.UseCount
	return nil
}

// fill2 lays out the USE_INFO_2 members of u.
func (a *useArgs) fill2(dst *useInfo2, u *wkst.UseInfo2) (err error) {
	if err = a.fill1(&dst.useInfo1, &u.UseInfo1); err != nil {
		return err
	}
	if dst.userName, err = a.optStr("user name", u.UserName); err != nil {
		return err
	}
	dst.domainName, err = a.optStr("domain name", u.DomainName)
	return err
}

// wipe zeroes the password's copy.
func (a *useArgs) wipe() { clear(a.password) }

// NetUseAdd creates a use on this computer (server "" is the local
// computer, the only one Windows accepts) from info at level 1, 2 or 3,
// whose member for that level must be set. parmErr is the index of the
// offending member when the status is ERROR_INVALID_PARAMETER.
//
// If ctx ends while netapi32 is connecting, NetUseAdd returns ctx's error,
// but the use may still be created when the call completes.
func NetUseAdd(ctx context.Context, server string, info wkst.UseInfo) (parmErr uint32, err error) {
	const fn = "NetUseAdd"
	s, err := uncName(fn, server)
	if err != nil {
		return 0, err
	}
	a := &useArgs{fn: fn}
	var buf unsafe.Pointer
	switch info.Level {
	case 1:
		if info.UseInfo1 == nil {
			return 0, fmt.Errorf("netapi32: %s level 1 without a USE_INFO_1: %w", fn, win32.ERROR_INVALID_PARAMETER)
		}
		u := new(useInfo1)
		err, buf = a.fill1(u, info.UseInfo1), unsafe.Pointer(u)
	case 2:
		if info.UseInfo2 == nil {
			return 0, fmt.Errorf("netapi32: %s level 2 without a USE_INFO_2: %w", fn, win32.ERROR_INVALID_PARAMETER)
		}
		u := new(useInfo2)
		err, buf = a.fill2(u, info.UseInfo2), unsafe.Pointer(u)
	case 3:
		if info.UseInfo3 == nil {
			return 0, fmt.Errorf("netapi32: %s level 3 without a USE_INFO_3: %w", fn, win32.ERROR_INVALID_PARAMETER)
		}
		u := new(useInfo3)
		err, buf = a.fill2(&u.useInfo2, &info.UseInfo3.UseInfo2), unsafe.Pointer(u)
		u.flags = info.UseInfo3.Flags
	default:
		return 0, fmt.Errorf("netapi32: %s level %d: %w", fn, info.Level, win32.ERROR_INVALID_LEVEL)
	}
	if err != nil {
		a.wipe()
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		a.wipe()
		return 0, fmt.Errorf("netapi32: %s: %w", fn, err)
	}
	// As run, but the goroutine, once started, owns the password and
	// wipes it whether or not anyone still waits for the result.
	type result struct{ st, parmErr uint32 }
	ch := make(chan result, 1)
	go func() {
		var r result
		// The structure and every string it points to are heap memory
		// that stays reachable, and in place, until KeepAlive.
		r.st = netUseAdd(s, info.Level, (*byte)(buf), &r.parmErr)
		runtime.KeepAlive(buf)
		runtime.KeepAlive(a)
		a.wipe()
		ch <- r
	}()
	select {
	case r := <-ch:
		return r.parmErr, statusErr(fn, info.Level, r.st)
	case <-ctx.Done():
		return 0, fmt.Errorf("netapi32: %s: %w", fn, ctx.Err())
	}
}
