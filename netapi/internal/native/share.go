package native

import (
	"fmt"

	"github.com/lanman/lanman/srvs"
)

// SHARE_INFO_x (lmshare.h; MS-SRVS 2.2.4.22-2.2.4.26). On 64-bit a DWORD
// followed by a pointer is padded: after shi1_type, shi2_type,
// shi2_current_uses and shi502_reserved.
var (
	shareInfo0 = newShape(ptr)             // shi0_netname
	shareInfo1 = newShape(ptr, dword, ptr) // netname, type, remark
	// netname, type, remark, permissions, max_uses, current_uses, path, passwd
	shareInfo2 = newShape(ptr, dword, ptr, dword, dword, dword, ptr, ptr)
	// SHARE_INFO_2's members, then reserved, security_descriptor
	shareInfo502 = newShape(ptr, dword, ptr, dword, dword, dword, ptr, ptr, dword, ptr)
)

// Shares converts the buffer of a NetShareEnum call at level 0, 1, 2 or
// 502.
func Shares(mem Memory, ps int, level uint32, buf uint64, count uint32) (srvs.ShareEnum, error) {
	e := srvs.ShareEnum{Level: level}
	var err error
	switch level {
	case 0:
		e.Level0, err = decodeArray(mem, ps, &shareInfo0, buf, count, func(m elem, s *srvs.ShareInfo0) (err error) {
			m.str(mem, 0, &s.NetName, &err)
			return err
		})
	case 1:
		e.Level1, err = decodeArray(mem, ps, &shareInfo1, buf, count, func(m elem, s *srvs.ShareInfo1) (err error) {
			m.str(mem, 0, &s.NetName, &err)
			s.Type = m.dw(1)
			m.str(mem, 2, &s.Remark, &err)
			return err
		})
	case 2:
		e.Level2, err = decodeArray(mem, ps, &shareInfo2, buf, count, func(m elem, s *srvs.ShareInfo2) (err error) {
			m.str(mem, 0, &s.NetName, &err)
			s.Type = m.dw(1)
			m.str(mem, 2, &s.Remark, &err)
			s.Permissions, s.MaxUses, s.CurrentUses = m.dw(3), m.dw(4), m.dw(5)
			m.str(mem, 6, &s.Path, &err)
			m.str(mem, 7, &s.Passwd, &err)
			return err
		})
	case 502:
		e.Level502, err = decodeArray(mem, ps, &shareInfo502, buf, count, func(m elem, s *srvs.ShareInfo502) (err error) {
			m.str(mem, 0, &s.NetName, &err)
			s.Type = m.dw(1)
			m.str(mem, 2, &s.Remark, &err)
			s.Permissions, s.MaxUses, s.CurrentUses = m.dw(3), m.dw(4), m.dw(5)
			m.str(mem, 6, &s.Path, &err)
			m.str(mem, 7, &s.Passwd, &err)
			if err != nil {
				return err
			}
			s.SecurityDescriptor, err = SecurityDescriptor(mem, m.p(9))
			return err
		})
	default:
		return e, fmt.Errorf("%w: SHARE_INFO_%d", ErrInvalidLevel, level)
	}
	if err != nil {
		return srvs.ShareEnum{Level: level}, fmt.Errorf("native: SHARE_INFO_%d: %w", level, err)
	}
	return e, nil
}
