package native

import (
	"fmt"

	"github.com/lanman/lanman/srvs"
)

// SERVER_INFO_10x (lmserver.h; MS-SRVS 2.2.4.40-2.2.4.42). Each begins
// with sv10x_platform_id, a DWORD, so on 64-bit the name follows 4 bytes of
// padding; sv101_type and sv102_licenses are padded likewise.
var (
	serverInfo100 = newShape(dword, ptr) // platform_id, name
	// platform_id, name, version_major, version_minor, type, comment
	serverInfo101 = newShape(dword, ptr, dword, dword, dword, ptr)
	// SERVER_INFO_101's members, then users, disc, hidden, announce,
	// anndelta, licenses, userpath
	serverInfo102 = newShape(dword, ptr, dword, dword, dword, ptr, dword, dword, dword, dword, dword, dword, ptr)
)

// ServerInfo converts the buffer of a NetServerGetInfo call at level 100,
// 101 or 102: one structure at buf.
func ServerInfo(mem Memory, ps int, level uint32, buf uint64) (srvs.ServerInfo, error) {
	u := srvs.ServerInfo{Level: level}
	var err error
	switch level {
	case 100:
		var s []srvs.ServerInfo100
		s, err = decodeArray(mem, ps, &serverInfo100, buf, 1, func(m elem, s *srvs.ServerInfo100) (err error) {
			s.PlatformID = m.dw(0)
			m.str(mem, 1, &s.Name, &err)
			return err
		})
		if err == nil {
			u.ServerInfo100 = &s[0]
		}
	case 101:
		var s []srvs.ServerInfo101
		s, err = decodeArray(mem, ps, &serverInfo101, buf, 1, func(m elem, s *srvs.ServerInfo101) (err error) {
			s.PlatformID = m.dw(0)
			m.str(mem, 1, &s.Name, &err)
			s.VersionMajor, s.VersionMinor, s.Type = m.dw(2), m.dw(3), m.dw(4)
			m.str(mem, 5, &s.Comment, &err)
			return err
		})
		if err == nil {
			u.ServerInfo101 = &s[0]
		}
	case 102:
		var s []srvs.ServerInfo102
		s, err = decodeArray(mem, ps, &serverInfo102, buf, 1, func(m elem, s *srvs.ServerInfo102) (err error) {
			s.PlatformID = m.dw(0)
			m.str(mem, 1, &s.Name, &err)
			s.VersionMajor, s.VersionMinor, s.Type = m.dw(2), m.dw(3), m.dw(4)
			m.str(mem, 5, &s.Comment, &err)
			s.Users = m.dw(6)
			s.Disc = int32(m.dw(7)) // LONG: -1 (SV_NODISC) is "never"
			s.Hidden = int32(m.dw(8))
			s.Announce, s.AnnDelta, s.Licenses = m.dw(9), m.dw(10), m.dw(11)
			m.str(mem, 12, &s.UserPath, &err)
			return err
		})
		if err == nil {
			u.ServerInfo102 = &s[0]
		}
	default:
		return u, fmt.Errorf("%w: SERVER_INFO_%d", ErrInvalidLevel, level)
	}
	if err != nil {
		return srvs.ServerInfo{Level: level}, fmt.Errorf("native: SERVER_INFO_%d: %w", level, err)
	}
	return u, nil
}
