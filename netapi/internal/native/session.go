package native

import (
	"fmt"

	"github.com/lanman/lanman/srvs"
)

// SESSION_INFO_x (lmshare.h; MS-SRVS 2.2.4.11-2.2.4.15).
var (
	sessionInfo0   = newShape(ptr)                                  // sesi0_cname
	sessionInfo1   = newShape(ptr, ptr, dword, dword, dword, dword) // cname, username, num_opens, time, idle_time, user_flags
	sessionInfo2   = newShape(ptr, ptr, dword, dword, dword, dword, ptr)
	sessionInfo10  = newShape(ptr, ptr, dword, dword) // cname, username, time, idle_time
	sessionInfo502 = newShape(ptr, ptr, dword, dword, dword, dword, ptr, ptr)
)

// Sessions converts the buffer of a NetSessionEnum call at the given level
// (0, 1, 2, 10 or 502): count structures at buf, in memory whose pointers
// are ps bytes wide.
func Sessions(mem Memory, ps int, level uint32, buf uint64, count uint32) (srvs.SessionEnum, error) {
	e := srvs.SessionEnum{Level: level}
	var err error
	switch level {
	case 0:
		e.Level0, err = decodeArray(mem, ps, &sessionInfo0, buf, count, func(m elem, s *srvs.SessionInfo0) (err error) {
			m.str(mem, 0, &s.ClientName, &err)
			return err
		})
	case 1:
		e.Level1, err = decodeArray(mem, ps, &sessionInfo1, buf, count, func(m elem, s *srvs.SessionInfo1) (err error) {
			m.str(mem, 0, &s.ClientName, &err)
			m.str(mem, 1, &s.UserName, &err)
			s.NumOpens, s.Time, s.IdleTime, s.UserFlags = m.dw(2), m.dw(3), m.dw(4), m.dw(5)
			return err
		})
	case 2:
		e.Level2, err = decodeArray(mem, ps, &sessionInfo2, buf, count, func(m elem, s *srvs.SessionInfo2) (err error) {
			m.str(mem, 0, &s.ClientName, &err)
			m.str(mem, 1, &s.UserName, &err)
			s.NumOpens, s.Time, s.IdleTime, s.UserFlags = m.dw(2), m.dw(3), m.dw(4), m.dw(5)
			m.str(mem, 6, &s.ClientType, &err)
			return err
		})
	case 10:
		e.Level10, err = decodeArray(mem, ps, &sessionInfo10, buf, count, func(m elem, s *srvs.SessionInfo10) (err error) {
			m.str(mem, 0, &s.ClientName, &err)
			m.str(mem, 1, &s.UserName, &err)
			s.Time, s.IdleTime = m.dw(2), m.dw(3)
			return err
		})
	case 502:
		e.Level502, err = decodeArray(mem, ps, &sessionInfo502, buf, count, func(m elem, s *srvs.SessionInfo502) (err error) {
			m.str(mem, 0, &s.ClientName, &err)
			m.str(mem, 1, &s.UserName, &err)
			s.NumOpens, s.Time, s.IdleTime, s.UserFlags = m.dw(2), m.dw(3), m.dw(4), m.dw(5)
			m.str(mem, 6, &s.ClientType, &err)
			m.str(mem, 7, &s.Transport, &err)
			return err
		})
	default:
		return e, fmt.Errorf("%w: SESSION_INFO_%d", ErrInvalidLevel, level)
	}
	if err != nil {
		return srvs.SessionEnum{Level: level}, fmt.Errorf("native: SESSION_INFO_%d: %w", level, err)
	}
	return e, nil
}
