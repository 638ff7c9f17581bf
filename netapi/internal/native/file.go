package native

import (
	"fmt"

	"github.com/lanman/lanman/srvs"
)

// FILE_INFO_x (lmshare.h; MS-SRVS 2.2.4.6-2.2.4.7). On 64-bit the three
// DWORDs of level 3 leave 4 bytes of padding before fi3_pathname.
var (
	fileInfo2 = newShape(dword)                         // fi2_id
	fileInfo3 = newShape(dword, dword, dword, ptr, ptr) // id, permissions, num_locks, pathname, username
)

// Files converts the buffer of a NetFileEnum call at level 2 or 3.
func Files(mem Memory, ps int, level uint32, buf uint64, count uint32) (srvs.FileEnum, error) {
	e := srvs.FileEnum{Level: level}
	var err error
	switch level {
	case 2:
		e.Level2, err = decodeArray(mem, ps, &fileInfo2, buf, count, func(m elem, f *srvs.FileInfo2) error {
			f.ID = m.dw(0)
			return nil
		})
	case 3:
		e.Level3, err = decodeArray(mem, ps, &fileInfo3, buf, count, func(m elem, f *srvs.FileInfo3) (err error) {
			f.ID, f.Permissions, f.NumLocks = m.dw(0), m.dw(1), m.dw(2)
			m.str(mem, 3, &f.PathName, &err)
			m.str(mem, 4, &f.UserName, &err)
			return err
		})
	default:
		return e, fmt.Errorf("%w: FILE_INFO_%d", ErrInvalidLevel, level)
	}
	if err != nil {
		return srvs.FileEnum{Level: level}, fmt.Errorf("native: FILE_INFO_%d: %w", level, err)
	}
	return e, nil
}
