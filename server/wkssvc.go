package server

import (
	"context"
	"errors"
	"strings"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

// srvsMessage is what srvs and wkst request and response types share.
type srvsMessage interface {
	MarshalStub(w *ndr.Writer)
	UnmarshalStub(r *ndr.Reader) error
}

func newReader(b []byte) *ndr.Reader { return ndr.NewReader(b) }

// marshalStub encodes a response stub with a pooled ndr.Writer: the
// result is one allocation of exactly its size, however large the
// enumeration.
func marshalStub(m srvsMessage) []byte { return ndr.Marshal(m.MarshalStub) }

func newWkssvc(s *Server) rpcService {
	t := make(rpcService, wkst.OpNetrUseEnum+1)
	t[wkst.OpNetrWkstaGetInfo] = s.netrWkstaGetInfo
	t[wkst.OpNetrWkstaUserEnum] = s.netrWkstaUserEnum
	// MS-WKST 3.2.4.7-10: the Use methods SHOULD NOT be invoked
	// remotely and return ERROR_CALL_NOT_IMPLEMENTED. Every call that
	// reaches this server is remote (it came over \PIPE\wkssvc), so each
	// one answers that after decoding its request.
	t[wkst.OpNetrUseAdd] = useNotImplemented(func() (srvsMessage, func(win32.Errno) srvsMessage) {
		return new(wkst.NetrUseAddRequest), func(e win32.Errno) srvsMessage { return &wkst.NetrUseAddResponse{Status: e} }
	})
	t[wkst.OpNetrUseGetInfo] = useNotImplemented(func() (srvsMessage, func(win32.Errno) srvsMessage) {
		req := new(wkst.NetrUseGetInfoRequest)
		return req, func(e win32.Errno) srvsMessage {
			r := &wkst.NetrUseGetInfoResponse{Status: e}
			r.InfoStruct.Level = req.Level
			return r
		}
	})
	t[wkst.OpNetrUseDel] = useNotImplemented(func() (srvsMessage, func(win32.Errno) srvsMessage) {
		return new(wkst.NetrUseDelRequest), func(e win32.Errno) srvsMessage { return &wkst.NetrUseDelResponse{Status: e} }
	})
	t[wkst.OpNetrUseEnum] = useNotImplemented(func() (srvsMessage, func(win32.Errno) srvsMessage) {
		req := new(wkst.NetrUseEnumRequest)
		return req, func(e win32.Errno) srvsMessage {
			r := &wkst.NetrUseEnumResponse{Status: e, ResumeHandle: req.ResumeHandle}
			r.InfoStruct.Level = req.InfoStruct.Level
			return r
		}
	})
	return t
}

func useNotImplemented(mk func() (srvsMessage, func(win32.Errno) srvsMessage)) dcerpc.HandlerFunc {
	return func(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
		req, resp := mk()
		if err := req.UnmarshalStub(newReader(call.Stub)); err != nil && !isInvalidLevel(err) {
			return nil, dcerpc.FaultNDR
		}
		return marshalStub(resp(win32.ERROR_CALL_NOT_IMPLEMENTED)), nil
	}
}

// netrWkstaGetInfo is MS-WKST 3.2.4.1.
func (s *Server) netrWkstaGetInfo(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req wkst.NetrWkstaGetInfoRequest
	var resp wkst.NetrWkstaGetInfoResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		resp.WkstaInfo.Level = req.Level
		base := wkst.WkstaInfo100{PlatformID: 500, ComputerName: s.cfg.ServerName, LanGroup: s.cfg.Domain,
			VerMajor: serverVersionMajor, VerMinor: serverVersionMinor}
		switch req.Level {
		case 100:
			resp.WkstaInfo.WkstaInfo100 = &base
		case 101:
			resp.WkstaInfo.WkstaInfo101 = &wkst.WkstaInfo101{PlatformID: base.PlatformID, ComputerName: base.ComputerName,
				LanGroup: base.LanGroup, VerMajor: base.VerMajor, VerMinor: base.VerMinor, LanRoot: ""}
		case 102:
			// <29>: level 102 (and 502) are for administrators.
			if !isAdmin(id) {
				return win32.ERROR_ACCESS_DENIED
			}
			resp.WkstaInfo.WkstaInfo102 = &wkst.WkstaInfo102{PlatformID: base.PlatformID, ComputerName: base.ComputerName,
				LanGroup: base.LanGroup, VerMajor: base.VerMajor, VerMinor: base.VerMinor, LanRoot: "",
				LoggedOnUsers: uint32(len(s.loggedOnUsers()))}
		default:
			return win32.ERROR_INVALID_LEVEL
		}
		return win32.NERR_Success
	})
}

// loggedOnUsers are the distinct users with a session on the server, in
// order of their first session: the server's idea of "users currently
// logged on" (MS-WKST 3.2.1.3).
func (s *Server) loggedOnUsers() []wkst.WkstaUserInfo1 {
	var out []wkst.WkstaUserInfo1
	seen := map[string]bool{}
	for _, e := range s.tables.sessions.snapshot(nil) {
		if e.anonymous {
			continue
		}
		k := strings.ToUpper(e.domain + `\` + e.user)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, wkst.WkstaUserInfo1{UserName: e.user, LogonDomain: e.domain, LogonServer: s.cfg.ServerName})
	}
	return out
}

// netrWkstaUserEnum is MS-WKST 3.2.4.3.
func (s *Server) netrWkstaUserEnum(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req wkst.NetrWkstaUserEnumRequest
	var resp wkst.NetrWkstaUserEnumResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		lvl := req.UserInfo.Level
		resp.UserInfo.Level = lvl
		resp.ResumeHandle = req.ResumeHandle
		if !isAdmin(id) { // <35>
			return win32.ERROR_ACCESS_DENIED
		}
		if lvl != 0 && lvl != 1 {
			return win32.ERROR_INVALID_LEVEL
		}
		users := s.loggedOnUsers()
		p := pageEntries(len(users), req.ResumeHandle, req.PreferredMaximumLength, nil, func(i int) int {
			if lvl == 0 {
				return (&wkst.WkstaUserInfo0{UserName: users[i].UserName}).BufferSize()
			}
			return users[i].BufferSize()
		})
		for _, i := range p.idx {
			if lvl == 0 {
				resp.UserInfo.Level0 = append(resp.UserInfo.Level0, wkst.WkstaUserInfo0{UserName: users[i].UserName})
			} else {
				resp.UserInfo.Level1 = append(resp.UserInfo.Level1, users[i])
			}
		}
		if lvl == 0 && resp.UserInfo.Level0 == nil {
			resp.UserInfo.Level0 = []wkst.WkstaUserInfo0{}
		}
		if lvl == 1 && resp.UserInfo.Level1 == nil {
			resp.UserInfo.Level1 = []wkst.WkstaUserInfo1{}
		}
		resp.TotalEntries = p.total
		return finishPage(p, req.ResumeHandle, &resp.ResumeHandle)
	})
}

func isInvalidLevel(err error) bool {
	return errors.Is(err, wkst.ErrInvalidLevel) || errors.Is(err, srvs.ErrInvalidLevel)
}
