package native

import (
	"fmt"

	"github.com/lanman/lanman/wkst"
)

// USE_INFO_x (lmuse.h; MS-WKST 2.2.5.22-2.2.5.25). USE_INFO_3 embeds a
// USE_INFO_2, whose size is already a multiple of its alignment, so its
// members can be laid out flat. On 64-bit ui3_flags is followed by 4 bytes
// of tail padding.
var (
	useInfo0 = newShape(ptr, ptr) // local, remote
	// local, remote, password, status, asg_type, refcount, usecount
	useInfo1 = newShape(ptr, ptr, ptr, dword, dword, dword, dword)
	// USE_INFO_1's members, then username, domainname
	useInfo2 = newShape(ptr, ptr, ptr, dword, dword, dword, dword, ptr, ptr)
	// USE_INFO_2's members, then flags
	useInfo3 = newShape(ptr, ptr, ptr, dword, dword, dword, dword, ptr, ptr, dword)
)

// UseInfoSize is sizeof(USE_INFO_level) for pointer size ps, or 0 for a
// level or pointer size that has none. The netapi32 package checks its own
// Go mirror of the structures against it.
func UseInfoSize(ps int, level uint32) int {
	if checkPtrSize(ps) != nil {
		return 0
	}
	switch level {
	case 0:
		return useInfo0.Size(ps)
	case 1:
		return useInfo1.Size(ps)
	case 2:
		return useInfo2.Size(ps)
	case 3:
		return useInfo3.Size(ps)
	}
	return 0
}

// optString reads a string member that may be NULL, which for USE_INFO's
// password, username and domainname means something different from "".
func (e elem) optStr(mem Memory, i int, dst **string, err *error) {
	if *err != nil {
		return
	}
	a := e.p(i)
	if a == 0 {
		*dst = nil
		return
	}
	var s string
	if s, *err = String(mem, a); *err == nil {
		*dst = &s
	}
}

func useInfo0Of(mem Memory, m elem, u *wkst.UseInfo0) (err error) {
	m.str(mem, 0, &u.Local, &err)
	m.str(mem, 1, &u.Remote, &err)
	return err
}

func useInfo1Of(mem Memory, m elem, u *wkst.UseInfo1) (err error) {
	m.str(mem, 0, &u.Local, &err)
	m.str(mem, 1, &u.Remote, &err)
	m.optStr(mem, 2, &u.Password, &err)
	u.Status, u.AsgType, u.RefCount, u.UseCount = m.dw(3), m.dw(4), m.dw(5), m.dw(6)
	return err
}

func useInfo2Of(mem Memory, m elem, u *wkst.UseInfo2) (err error) {
	err = useInfo1Of(mem, m, &u.UseInfo1)
	m.optStr(mem, 7, &u.UserName, &err)
	m.optStr(mem, 8, &u.DomainName, &err)
	return err
}

func useInfo3Of(mem Memory, m elem, u *wkst.UseInfo3) error {
	err := useInfo2Of(mem, m, &u.UseInfo2)
	u.Flags = m.dw(9)
	return err
}

// Uses converts the buffer of a NetUseEnum call at level 0, 1 or 2.
func Uses(mem Memory, ps int, level uint32, buf uint64, count uint32) (wkst.UseEnum, error) {
	e := wkst.UseEnum{Level: level}
	var err error
	switch level {
	case 0:
		e.Level0, err = decodeArray(mem, ps, &useInfo0, buf, count, func(m elem, u *wkst.UseInfo0) error {
			return useInfo0Of(mem, m, u)
		})
	case 1:
		e.Level1, err = decodeArray(mem, ps, &useInfo1, buf, count, func(m elem, u *wkst.UseInfo1) error {
			return useInfo1Of(mem, m, u)
		})
	case 2:
		e.Level2, err = decodeArray(mem, ps, &useInfo2, buf, count, func(m elem, u *wkst.UseInfo2) error {
			return useInfo2Of(mem, m, u)
		})
	default:
		return e, fmt.Errorf("%w: NetUseEnum USE_INFO_%d", ErrInvalidLevel, level)
	}
	if err != nil {
		return wkst.UseEnum{Level: level}, fmt.Errorf("native: USE_INFO_%d: %w", level, err)
	}
	return e, nil
}

// UseInfo converts the buffer of a NetUseGetInfo call at level 0, 1, 2 or
// 3: one structure at buf.
func UseInfo(mem Memory, ps int, level uint32, buf uint64) (wkst.UseInfo, error) {
	u := wkst.UseInfo{Level: level}
	var err error
	switch level {
	case 0:
		var s []wkst.UseInfo0
		if s, err = decodeArray(mem, ps, &useInfo0, buf, 1, func(m elem, u *wkst.UseInfo0) error {
			return useInfo0Of(mem, m, u)
		}); err == nil {
			u.UseInfo0 = &s[0]
		}
	case 1:
		var s []wkst.UseInfo1
		if s, err = decodeArray(mem, ps, &useInfo1, buf, 1, func(m elem, u *wkst.UseInfo1) error {
			return useInfo1Of(mem, m, u)
		}); err == nil {
			u.UseInfo1 = &s[0]
		}
	case 2:
		var s []wkst.UseInfo2
		if s, err = decodeArray(mem, ps, &useInfo2, buf, 1, func(m elem, u *wkst.UseInfo2) error {
			return useInfo2Of(mem, m, u)
		}); err == nil {
			u.UseInfo2 = &s[0]
		}
	case 3:
		var s []wkst.UseInfo3
		if s, err = decodeArray(mem, ps, &useInfo3, buf, 1, func(m elem, u *wkst.UseInfo3) error {
			return useInfo3Of(mem, m, u)
		}); err == nil {
			u.UseInfo3 = &s[0]
		}
	default:
		return u, fmt.Errorf("%w: USE_INFO_%d", ErrInvalidLevel, level)
	}
	if err != nil {
		return wkst.UseInfo{Level: level}, fmt.Errorf("native: USE_INFO_%d: %w", level, err)
	}
	return u, nil
}
