package native

import (
	"fmt"

	"github.com/lanman/lanman/srvs"
)

// CONNECTION_INFO_x (lmshare.h; MS-SRVS 2.2.4.1-2.2.4.2). On 64-bit the
// five DWORDs of level 1 leave 4 bytes of padding before coni1_username.
var (
	connectionInfo0 = newShape(dword)                                       // coni0_id
	connectionInfo1 = newShape(dword, dword, dword, dword, dword, ptr, ptr) // id, type, num_opens, num_users, time, username, netname
)

// Connections converts the buffer of a NetConnectionEnum call at level 0
// or 1.
func Connections(mem Memory, ps int, level uint32, buf uint64, count uint32) (srvs.ConnectEnum, error) {
	e := srvs.ConnectEnum{Level: level}
	var err error
	switch level {
	case 0:
		e.Level0, err = decodeArray(mem, ps, &connectionInfo0, buf, count, func(m elem, c *srvs.ConnectionInfo0) error {
			c.ID = m.dw(0)
			return nil
		})
	case 1:
		e.Level1, err = decodeArray(mem, ps, &connectionInfo1, buf, count, func(m elem, c *srvs.ConnectionInfo1) (err error) {
			c.ID, c.Type, c.NumOpens, c.NumUsers, c.Time = m.dw(0), m.dw(1), m.dw(2), m.dw(3), m.dw(4)
			m.str(mem, 5, &c.UserName, &err)
			m.str(mem, 6, &c.NetName, &err)
			return err
		})
	default:
		return e, fmt.Errorf("%w: CONNECTION_INFO_%d", ErrInvalidLevel, level)
	}
	if err != nil {
		return srvs.ConnectEnum{Level: level}, fmt.Errorf("native: CONNECTION_INFO_%d: %w", level, err)
	}
	return e, nil
}
