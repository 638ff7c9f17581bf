package native

import (
	"fmt"

	"github.com/lanman/lanman/wkst"
)

// WKSTA_USER_INFO_x (lmwksta.h; MS-WKST 2.2.5.9-2.2.5.10): pointers only.
var (
	wkstaUserInfo0 = newShape(ptr)                // wkui0_username
	wkstaUserInfo1 = newShape(ptr, ptr, ptr, ptr) // username, logon_domain, oth_domains, logon_server
)

// WkstaUsers converts the buffer of a NetWkstaUserEnum call at level 0 or
// 1.
func WkstaUsers(mem Memory, ps int, level uint32, buf uint64, count uint32) (wkst.WkstaUserEnum, error) {
	e := wkst.WkstaUserEnum{Level: level}
	var err error
	switch level {
	case 0:
		e.Level0, err = decodeArray(mem, ps, &wkstaUserInfo0, buf, count, func(m elem, u *wkst.WkstaUserInfo0) (err error) {
			m.str(mem, 0, &u.UserName, &err)
			return err
		})
	case 1:
		e.Level1, err = decodeArray(mem, ps, &wkstaUserInfo1, buf, count, func(m elem, u *wkst.WkstaUserInfo1) (err error) {
			m.str(mem, 0, &u.UserName, &err)
			m.str(mem, 1, &u.LogonDomain, &err)
			m.str(mem, 2, &u.OthDomains, &err)
			m.str(mem, 3, &u.LogonServer, &err)
			return err
		})
	default:
		return e, fmt.Errorf("%w: WKSTA_USER_INFO_%d", ErrInvalidLevel, level)
	}
	if err != nil {
		return wkst.WkstaUserEnum{Level: level}, fmt.Errorf("native: WKSTA_USER_INFO_%d: %w", level, err)
	}
	return e, nil
}
