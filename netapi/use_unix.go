//go:build unix

package netapi

import (
	"context"

	"github.com/lanman/lanman/wkst"
	"github.com/lanman/lanman/workstation"
)

// serviceUses calls the Workstation service's MS-WKST interface.
type serviceUses struct{ c *wkst.Client }

// localUses connects to the user's Workstation service; each call dials
// anew, as the service's socket is local and cheap, and a long-lived
// program must see a service restarted under it.
func localUses(ctx context.Context) (useBackend, error) {
	c, err := workstation.Dial(ctx, workstation.SocketDir())
	if err != nil {
		return nil, err
	}
	return &closingUses{serviceUses{c.Wkst()}, c}, nil
}

// closingUses closes the connection after its one call.
type closingUses struct {
	serviceUses
	conn *workstation.Client
}

func (s *closingUses) NetUseAdd(ctx context.Context, info wkst.UseInfo) (uint32, error) {
	defer s.conn.Close()
	var parm uint32
	resp, err := s.c.NetrUseAdd(ctx, &wkst.NetrUseAddRequest{InfoStruct: info, ErrorParameter: &parm})
	if resp != nil && resp.ErrorParameter != nil {
		parm = *resp.ErrorParameter
	}
	return parm, err
}

func (s *closingUses) NetUseEnum(ctx context.Context, level, prefMaxLen uint32, resume *uint32) (any, uint32, uint32, error) {
	defer s.conn.Close()
	resp, err := s.c.NetrUseEnum(ctx, &wkst.NetrUseEnumRequest{
		InfoStruct: wkst.UseEnum{Level: level}, PreferredMaximumLength: prefMaxLen, ResumeHandle: resumeIn(resume),
	})
	if err != nil {
		return nil, 0, 0, err
	}
	resumeOut(resume, resp.ResumeHandle)
	e := &resp.InfoStruct
	var buf any
	switch e.Level {
	case 0:
		buf = e.Level0
	case 1:
		buf = e.Level1
	case 2:
		buf = e.Level2
	}
	return buf, uint32(e.Len()), resp.TotalEntries, statusError(resp.Status)
}

func (s *closingUses) NetUseGetInfo(ctx context.Context, name string, level uint32) (any, error) {
	defer s.conn.Close()
	resp, err := s.c.NetrUseGetInfo(ctx, &wkst.NetrUseGetInfoRequest{UseName: name, Level: level})
	if err != nil {
		return nil, err
	}
	return useInfoBuf(&resp.InfoStruct), nil
}

func (s *closingUses) NetUseDel(ctx context.Context, name string, force uint32) error {
	defer s.conn.Close()
	_, err := s.c.NetrUseDel(ctx, &wkst.NetrUseDelRequest{UseName: name, ForceLevel: force})
	return err
}
