package workstation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

// WkstSyntax is the wkssvc interface as the service registers it.
var WkstSyntax = dcerpc.SyntaxID{
	UUID:    dcerpc.UUID(wkst.InterfaceUUID),
	Version: wkst.InterfaceVersionMajor,
	Minor:   wkst.InterfaceVersionMinor,
}

// WkstaInfo is what NetrWkstaGetInfo reports of this workstation.
type WkstaInfo struct {
	ComputerName string // upper-cased host name when empty
	LanGroup     string // "WORKGROUP" when empty
	VerMajor     uint32
	VerMinor     uint32
}

// wkstHandler serves MS-WKST from a Redirector.
type wkstHandler struct {
	r    *Redirector
	info WkstaInfo
}

func (h *wkstHandler) table() dcerpc.OpTable {
	t := make(dcerpc.OpTable, wkst.OpNetrUseEnum+1)
	t[wkst.OpNetrWkstaGetInfo] = h.wkstaGetInfo
	t[wkst.OpNetrUseAdd] = h.useAdd
	t[wkst.OpNetrUseGetInfo] = h.useGetInfo
	t[wkst.OpNetrUseDel] = h.useDel
	t[wkst.OpNetrUseEnum] = h.useEnum
	return t
}

// decode unmarshals a request stub; a stub that does not decode faults
// with RPC_X_BAD_STUB_DATA, as the RPC runtime would.
func decode(call *dcerpc.Call, m wkst.Message) error {
	if err := wkst.Unmarshal(call.Stub, m); err != nil {
		return fmt.Errorf("workstation: opnum %d: %w: %w", call.Opnum, dcerpc.FaultNDR, err)
	}
	return nil
}

func (h *wkstHandler) wkstaGetInfo(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req wkst.NetrWkstaGetInfoRequest
	if err := decode(call, &req); err != nil {
		return nil, err
	}
	resp := wkst.NetrWkstaGetInfoResponse{WkstaInfo: wkst.WkstaInfo{Level: req.Level}}
	i := h.info
	switch req.Level {
	case 100:
		resp.WkstaInfo.WkstaInfo100 = &wkst.WkstaInfo100{PlatformID: wkst.PLATFORM_ID_NT, ComputerName: i.ComputerName, LanGroup: i.LanGroup, VerMajor: i.VerMajor, VerMinor: i.VerMinor}
	case 101:
		resp.WkstaInfo.WkstaInfo101 = &wkst.WkstaInfo101{PlatformID: wkst.PLATFORM_ID_NT, ComputerName: i.ComputerName, LanGroup: i.LanGroup, VerMajor: i.VerMajor, VerMinor: i.VerMinor}
	case 102:
		resp.WkstaInfo.WkstaInfo102 = &wkst.WkstaInfo102{PlatformID: wkst.PLATFORM_ID_NT, ComputerName: i.ComputerName, LanGroup: i.LanGroup, VerMajor: i.VerMajor, VerMinor: i.VerMinor, LoggedOnUsers: 1}
	default:
		// MS-WKST 3.2.4.1: other levels fail with ERROR_INVALID_LEVEL (502
		// and the 10xx levels are not kept by this redirector).
		resp.WkstaInfo = wkst.WkstaInfo{Level: req.Level}
		resp.Status = win32.ERROR_INVALID_LEVEL
	}
	return wkst.Marshal(&resp), nil
}

// invalidParam is an ERROR_INVALID_PARAMETER that names the USE_INFO
// member at fault, for NetrUseAdd's ErrorParameter (the USE_*_PARMNUM
// values of lmuse.h).
type invalidParam struct {
	parm uint32
	err  error
}

func (e *invalidParam) Error() string { return e.err.Error() }
func (e *invalidParam) Unwrap() error { return e.err }

// USE_*_PARMNUM (lmuse.h).
const (
	parmLocal    = 1
	parmRemote   = 2
	parmPassword = 3
	parmAsgType  = 4
	parmUserName = 5
	parmDomain   = 6
)

func (h *wkstHandler) useAdd(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req wkst.NetrUseAddRequest
	if err := decode(call, &req); err != nil {
		return nil, err
	}
	resp := wkst.NetrUseAddResponse{ErrorParameter: req.ErrorParameter}
	p, err := useParams(&req.InfoStruct)
	if err == nil {
		err = h.r.Add(ctx, p)
	}
	resp.Status = ErrnoOf(err)
	if err != nil {
		h.r.log.Info("workstation: NetrUseAdd failed", "remote", p.Remote, "err", err)
	}
	if resp.Status == win32.ERROR_INVALID_PARAMETER && req.ErrorParameter != nil {
		v := addParm(err)
		var ip *invalidParam
		if errors.As(err, &ip) {
			v = ip.parm
		}
		resp.ErrorParameter = &v
	}
	return wkst.Marshal(&resp), nil
}

// useParams reads a USE_INFO of any level (MS-WKST 3.2.4.7). Levels 0 and
// 1 carry no user: the use joins the session the redirector has with the
// server, or is anonymous. At levels 2 and 3, NULL user name, domain and
// password ask for a null session; otherwise they are the credentials.
// Level 0 has no resource type: a disk when a local name is given, else
// whatever the share is.
func useParams(u *wkst.UseInfo) (UseParams, error) {
	var p UseParams
	var i1 *wkst.UseInfo1
	var i2 *wkst.UseInfo2
	switch u.Level {
	case 0:
		if u.UseInfo0 == nil {
			break
		}
		p.Local, p.Remote = u.UseInfo0.Local, u.UseInfo0.Remote
		p.AsgType = UseWildcard
		if p.Local != "" {
			p.AsgType = UseDiskDev
		}
		return p, nil
	case 1:
		i1 = u.UseInfo1
	case 2:
		i2 = u.UseInfo2
	case 3:
		if u.UseInfo3 != nil {
			i2 = &u.UseInfo3.UseInfo2
		}
	default:
		return p, fmt.Errorf("workstation: NetrUseAdd level %d: %w", u.Level, win32.ERROR_INVALID_LEVEL)
	}
	if i2 != nil {
		i1 = &i2.UseInfo1
	}
	if i1 == nil {
		return p, &invalidParam{0, fmt.Errorf("workstation: NetrUseAdd without a USE_INFO: %w", win32.ERROR_INVALID_PARAMETER)}
	}
	p.Local, p.Remote, p.AsgType = i1.Local, i1.Remote, i1.AsgType
	if i1.Password != nil && len(*i1.Password) > maxPasswordLen {
		return p, &invalidParam{parmPassword, fmt.Errorf("workstation: password too long: %w", win32.ERROR_INVALID_PARAMETER)}
	}
	if i2 != nil {
		c := &Credentials{}
		if i2.UserName != nil {
			c.User = *i2.UserName
		}
		if i2.DomainName != nil {
			c.Domain = *i2.DomainName
		}
		if i1.Password != nil {
			c.Password = *i1.Password
		}
		if c.User == "" && c.Password != "" {
			return p, &invalidParam{parmUserName, fmt.Errorf("workstation: a password without a user name: %w", win32.ERROR_INVALID_PARAMETER)}
		}
		p.Creds = c
	}
	return p, nil
}

// addParm attributes a Redirector.Add validation error to a USE_INFO
// member.
func addParm(err error) uint32 {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "resource type"), strings.Contains(msg, "share, not a"):
		return parmAsgType
	case strings.Contains(msg, "local name"):
		return parmLocal
	case strings.Contains(msg, "remote name"):
		return parmRemote
	case strings.Contains(msg, "password"), strings.Contains(msg, "NT hash"):
		return parmPassword
	}
	return 0
}

func (h *wkstHandler) useGetInfo(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req wkst.NetrUseGetInfoRequest
	if err := decode(call, &req); err != nil {
		return nil, err
	}
	resp := wkst.NetrUseGetInfoResponse{InfoStruct: wkst.UseInfo{Level: req.Level}}
	switch {
	case req.Level > 3:
		resp.Status = win32.ERROR_INVALID_LEVEL
	case req.UseName == "":
		resp.Status = win32.ERROR_INVALID_PARAMETER
	default:
		info, err := h.r.GetInfo(req.UseName)
		if err != nil {
			resp.Status = ErrnoOf(err)
			break
		}
		fill(&resp.InfoStruct, &info)
	}
	if resp.Status != 0 {
		resp.InfoStruct = wkst.UseInfo{Level: req.Level} // a NULL arm
	}
	return wkst.Marshal(&resp), nil
}

// fill sets the arm of u for u.Level (MS-WKST 3.2.4.8: the password is
// always NULL; level 3 carries level 2 with flags 0).
func fill(u *wkst.UseInfo, in *Info) {
	switch u.Level {
	case 0:
		u.UseInfo0 = &wkst.UseInfo0{Local: in.Local, Remote: in.Remote}
	case 1:
		v := info1(in)
		u.UseInfo1 = &v
	case 2:
		v := info2(in)
		u.UseInfo2 = &v
	case 3:
		u.UseInfo3 = &wkst.UseInfo3{UseInfo2: info2(in)}
	}
}

func info1(in *Info) wkst.UseInfo1 {
	return wkst.UseInfo1{Local: in.Local, Remote: in.Remote, Status: in.Status, AsgType: in.AsgType, RefCount: in.RefCount, UseCount: in.UseCount}
}

func info2(in *Info) wkst.UseInfo2 {
	user, dom := in.UserName, in.Domain
	return wkst.UseInfo2{UseInfo1: info1(in), UserName: &user, DomainName: &dom}
}

func (h *wkstHandler) useDel(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req wkst.NetrUseDelRequest
	if err := decode(call, &req); err != nil {
		return nil, err
	}
	var resp wkst.NetrUseDelResponse
	switch {
	case req.ForceLevel > UseLotsOfForce:
		resp.Status = win32.ERROR_INVALID_LEVEL
	case req.UseName == "":
		resp.Status = win32.ERROR_INVALID_PARAMETER
	default:
		resp.Status = ErrnoOf(h.r.Del(ctx, req.UseName, req.ForceLevel))
	}
	return wkst.Marshal(&resp), nil
}

// useEnum pages the table (MS-WKST 3.2.4.10). The resume handle is the ID
// of the last use returned, so deleting uses between calls neither skips
// nor repeats the others.
//
// When PreferredMaximumLength cannot hold every remaining entry, the
// method returns the entries that fit with NERR_BufTooSmall, as MS-WKST
// 3.2.4.10 prescribes ("return the maximum number of entries that fit ...
// and return NERR_BufTooSmall"), where the other enumeration methods of
// MS-WKST and MS-SRVS return ERROR_MORE_DATA. Callers page on either.
// The sizes are those of the entries in a 64-bit NetApi buffer
// (wkst.UseInfoN.BufferSize).
func (h *wkstHandler) useEnum(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req wkst.NetrUseEnumRequest
	if err := decode(call, &req); err != nil {
		return nil, err
	}
	level := req.InfoStruct.Level
	resp := wkst.NetrUseEnumResponse{InfoStruct: wkst.UseEnum{Level: level}, ResumeHandle: req.ResumeHandle}
	if level > 2 {
		resp.Status = win32.ERROR_INVALID_LEVEL
		return wkst.Marshal(&resp), nil
	}
	var after uint32
	if req.ResumeHandle != nil {
		after = *req.ResumeHandle
	}
	all := h.r.List()
	rest := all[:0]
	for _, in := range all {
		if in.ID > after {
			rest = append(rest, in)
		}
	}
	resp.TotalEntries = uint32(len(rest))
	budget := int64(req.PreferredMaximumLength)
	unlimited := req.PreferredMaximumLength == wkst.MAX_PREFERRED_LENGTH
	var used int64
	n := 0
	for i := range rest {
		in := &rest[i]
		var size int
		switch level {
		case 0:
			v := wkst.UseInfo0{Local: in.Local, Remote: in.Remote}
			size = v.BufferSize()
			if unlimited || used+int64(size) <= budget {
				resp.InfoStruct.Level0 = append(resp.InfoStruct.Level0, v)
			}
		case 1:
			v := info1(in)
			size = v.BufferSize()
			if unlimited || used+int64(size) <= budget {
				resp.InfoStruct.Level1 = append(resp.InfoStruct.Level1, v)
			}
		case 2:
			v := info2(in)
			size = v.BufferSize()
			if unlimited || used+int64(size) <= budget {
				resp.InfoStruct.Level2 = append(resp.InfoStruct.Level2, v)
			}
		}
		if !unlimited && used+int64(size) > budget {
			break
		}
		used += int64(size)
		n++
	}
	if n < len(rest) {
		resp.Status = win32.NERR_BufTooSmall
		if n > 0 && req.ResumeHandle != nil {
			v := rest[n-1].ID
			resp.ResumeHandle = &v
		}
	} else if req.ResumeHandle != nil {
		zero := uint32(0)
		resp.ResumeHandle = &zero
	}
	// An empty container is an empty array, not a NULL one.
	switch level {
	case 0:
		if resp.InfoStruct.Level0 == nil {
			resp.InfoStruct.Level0 = []wkst.UseInfo0{}
		}
	case 1:
		if resp.InfoStruct.Level1 == nil {
			resp.InfoStruct.Level1 = []wkst.UseInfo1{}
		}
	case 2:
		if resp.InfoStruct.Level2 == nil {
			resp.InfoStruct.Level2 = []wkst.UseInfo2{}
		}
	}
	return wkst.Marshal(&resp), nil
}
