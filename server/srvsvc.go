package server

import (
	"context"
	"strings"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/win32"
)

// rpcService is the handler of one RPC interface (srvsvc or wkssvc).
type rpcService = dcerpc.OpTable

// maxQualifier is the longest qualifier MS-SRVS accepts: 1,024
// characters including the terminator.
const maxQualifier = 1023

func qualifierTooLong(s string) bool { return len([]rune(s)) > maxQualifier }

// afterKey carries, in a call's context, the list of actions to run once
// the SMB response carrying the RPC reply has been sent (NetrSessionDel of
// the caller's own session).
type afterKey struct{}

func runAfter(ctx context.Context, f func()) {
	if p, ok := ctx.Value(afterKey{}).(*[]func()); ok {
		*p = append(*p, f)
		return
	}
	f()
}

// rpcCall decodes a request stub, runs h, and encodes its response. A
// stub that does not decode faults with nca_s_fault_ndr, except an unknown
// information level, which is answered with ERROR_INVALID_LEVEL as the
// spec requires (resp must then encode with its zero InfoStruct).
func rpcCall[Req, Resp srvsMessage](ctx context.Context, call *dcerpc.Call, req Req, resp Resp,
	setStatus func(win32.Errno), h func(id gss.Identity) win32.Errno) ([]byte, error) {
	if err := req.UnmarshalStub(newReader(call.Stub)); err != nil {
		if isInvalidLevel(err) {
			setStatus(win32.ERROR_INVALID_LEVEL)
			return marshalStub(resp), nil
		}
		return nil, dcerpc.FaultNDR
	}
	setStatus(h(call.Identity))
	return marshalStub(resp), nil
}

func newSrvsvc(s *Server) rpcService {
	t := make(rpcService, srvs.OpNetrServerGetInfo+1)
	t[srvs.OpNetrConnectionEnum] = s.netrConnectionEnum
	t[srvs.OpNetrFileEnum] = s.netrFileEnum
	t[srvs.OpNetrFileGetInfo] = s.netrFileGetInfo
	t[srvs.OpNetrFileClose] = s.netrFileClose
	t[srvs.OpNetrSessionEnum] = s.netrSessionEnum
	t[srvs.OpNetrSessionDel] = s.netrSessionDel
	t[srvs.OpNetrShareEnum] = s.netrShareEnum
	t[srvs.OpNetrShareGetInfo] = s.netrShareGetInfo
	t[srvs.OpNetrServerGetInfo] = s.netrServerGetInfo
	return t
}

// isAdmin is the access check of MS-SRVS appendix B: Windows requires
// membership of Administrators (or Server Operators, which lanman does
// not have) for the calls that reveal or change other users' state.
func isAdmin(id gss.Identity) bool { return id.Admin && !id.Anonymous && !id.Guest }

// adminCall is the common start of the calls kept to administrators that
// take two optional qualifiers (a client or base path, and a user): the
// access check comes first, then the qualifiers' length.
func adminCall(id gss.Identity, q1, q2 string) win32.Errno {
	if !isAdmin(id) {
		return win32.ERROR_ACCESS_DENIED
	}
	if qualifierTooLong(q1) || qualifierTooLong(q2) {
		return win32.ERROR_INVALID_PARAMETER
	}
	return win32.NERR_Success
}

// secondsSince is the whole seconds from the wall-clock time ns (Unix
// nanoseconds) to now, 0 if ns is later.
func secondsSince(ns int64, now time.Time) uint32 {
	d := now.UnixNano() - ns
	if d < 0 {
		return 0
	}
	return uint32(d / int64(time.Second))
}

// sessionCname is sesi502_cname: the client's address in the \\name
// form Windows reports and the ClientName qualifier uses.
// It is built once per connection, so enumerations do not allocate it.
func sessionCname(s *liveSession) string { return s.conn.cname }

func sessionInfo502(s *liveSession, now time.Time) srvs.SessionInfo502 {
	var flags uint32
	if s.guest || s.anonymous {
		flags |= srvs.SESS_GUEST
	}
	return srvs.SessionInfo502{
		ClientName: sessionCname(s),
		UserName:   s.user,
		NumOpens:   uint32(s.opens.Load()),
		Time:       secondsSince(s.start, now),
		IdleTime:   secondsSince(s.lastActive.Load(), now),
		UserFlags:  flags,
		ClientType: "",
		Transport:  sessionTransport,
	}
}

// sessionTransport is sesi502_transport: lanman serves SMB over TCP, which
// Windows reports under its NetBIOS-over-TCP device name.
const sessionTransport = `\Device\NetbiosSmb`

// sessionSize is the PreferedMaximumLength cost of session s at level:
// sessionEntrySize of its strings, without reading its counters and clocks.
func sessionSize(level uint32, s *liveSession) int {
	e := srvs.SessionInfo502{ClientName: sessionCname(s), UserName: s.user, Transport: sessionTransport}
	return sessionEntrySize(level, &e)
}

// netrSessionEnum is MS-SRVS 3.1.4.5.
func (s *Server) netrSessionEnum(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrSessionEnumRequest
	var resp srvs.NetrSessionEnumResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		resp.InfoStruct.Level = req.InfoStruct.Level
		resp.ResumeHandle = req.ResumeHandle
		if st := adminCall(id, req.ClientName, req.UserName); st != win32.NERR_Success {
			return st
		}
		if req.ClientName != "" && !strings.HasPrefix(req.ClientName, `\\`) {
			return win32.NERR_InvalidComputer
		}
		switch req.InfoStruct.Level {
		case 0, 1, 2, 10, 502:
		default:
			return win32.ERROR_INVALID_LEVEL
		}
		now := time.Now()
		// The resume handle indexes the whole table, so paging runs over
		// the snapshot and only the entries returned are converted.
		list := s.tables.sessions.snapshot(nil)
		match := func(i int) bool {
			return (req.ClientName == "" || strings.EqualFold(sessionCname(list[i]), req.ClientName)) &&
				(req.UserName == "" || strings.EqualFold(list[i].user, req.UserName))
		}
		lvl := req.InfoStruct.Level
		size := func(i int) int { return sessionSize(lvl, list[i]) }
		if resume := resumeOf(req.ResumeHandle); int64(resume) >= int64(len(list)) && resume != 0 {
			setSessionLevel(&resp.InfoStruct, lvl, nil, nil, now)
			return win32.NERR_Success
		}
		p := pageEntries(len(list), req.ResumeHandle, req.PreferedMaximumLength, match, size)
		if p.total == 0 && (req.ClientName != "" || req.UserName != "") {
			if req.ClientName != "" {
				found := false
				for _, e := range list {
					if strings.EqualFold(sessionCname(e), req.ClientName) {
						found = true
						break
					}
				}
				if !found {
					return win32.NERR_ClientNameNotFound
				}
			}
			return win32.NERR_UserNotFound
		}
		setSessionLevel(&resp.InfoStruct, lvl, list, p.idx, now)
		resp.TotalEntries = p.total
		return finishPage(p, req.ResumeHandle, &resp.ResumeHandle)
	})
}

// finishPage sets the resume handle and status of a paged enumeration.
func finishPage(p enumPage, in *uint32, out **uint32) win32.Errno {
	if p.more {
		if in != nil {
			r := p.resume
			*out = &r
		}
		return win32.ERROR_MORE_DATA
	}
	if in != nil {
		// Windows hands back 0 when the enumeration is complete.
		var z uint32
		*out = &z
	}
	return win32.NERR_Success
}

func sessionEntrySize(level uint32, e *srvs.SessionInfo502) int {
	switch level {
	case 0:
		return (&srvs.SessionInfo0{ClientName: e.ClientName}).BufferSize()
	case 1:
		return (&srvs.SessionInfo1{ClientName: e.ClientName, UserName: e.UserName}).BufferSize()
	case 2:
		return (&srvs.SessionInfo2{ClientName: e.ClientName, UserName: e.UserName, ClientType: e.ClientType}).BufferSize()
	case 10:
		return (&srvs.SessionInfo10{ClientName: e.ClientName, UserName: e.UserName}).BufferSize()
	}
	return e.BufferSize()
}

// setSessionLevel fills out with the sessions list[idx[k]] at level,
// converting each straight into the level's structure. The slice is
// non-nil even when empty: an empty container, not a NULL one.
func setSessionLevel(out *srvs.SessionEnum, level uint32, list []*liveSession, idx []int, now time.Time) {
	out.Level = level
	switch level {
	case 0:
		out.Level0 = make([]srvs.SessionInfo0, len(idx))
		for k, i := range idx {
			out.Level0[k] = srvs.SessionInfo0{ClientName: sessionCname(list[i])}
		}
	case 1:
		out.Level1 = make([]srvs.SessionInfo1, len(idx))
		for k, i := range idx {
			e := sessionInfo502(list[i], now)
			out.Level1[k] = srvs.SessionInfo1{ClientName: e.ClientName, UserName: e.UserName, NumOpens: e.NumOpens,
				Time: e.Time, IdleTime: e.IdleTime, UserFlags: e.UserFlags}
		}
	case 2:
		out.Level2 = make([]srvs.SessionInfo2, len(idx))
		for k, i := range idx {
			e := sessionInfo502(list[i], now)
			out.Level2[k] = srvs.SessionInfo2{ClientName: e.ClientName, UserName: e.UserName, NumOpens: e.NumOpens,
				Time: e.Time, IdleTime: e.IdleTime, UserFlags: e.UserFlags, ClientType: e.ClientType}
		}
	case 10:
		out.Level10 = make([]srvs.SessionInfo10, len(idx))
		for k, i := range idx {
			e := sessionInfo502(list[i], now)
			out.Level10[k] = srvs.SessionInfo10{ClientName: e.ClientName, UserName: e.UserName, Time: e.Time, IdleTime: e.IdleTime}
		}
	case 502:
		out.Level502 = make([]srvs.SessionInfo502, len(idx))
		for k, i := range idx {
			out.Level502[k] = sessionInfo502(list[i], now)
		}
	}
}

// netrSessionDel is MS-SRVS 3.1.4.6.
func (s *Server) netrSessionDel(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrSessionDelRequest
	var resp srvs.NetrSessionDelResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		if st := adminCall(id, req.ClientName, req.UserName); st != win32.NERR_Success {
			return st
		}
		if req.ClientName == "" && req.UserName == "" {
			return win32.ERROR_INVALID_PARAMETER
		}
		if req.ClientName != "" && !strings.HasPrefix(req.ClientName, `\\`) {
			return win32.NERR_ClientNameNotFound
		}
		self, _ := ctx.Value(sessionKey{}).(*liveSession)
		victims := s.tables.sessions.snapshot(func(e *liveSession) bool {
			return (req.ClientName == "" || strings.EqualFold(sessionCname(e), req.ClientName)) &&
				(req.UserName == "" || strings.EqualFold(e.user, req.UserName))
		})
		if len(victims) == 0 {
			return win32.NERR_ClientNameNotFound
		}
		for _, v := range victims {
			s.log.Info("NetrSessionDel", "session", v.id, "user", v.user, "by", id.User)
			if v == self {
				// The caller's own session goes once this reply is out.
				runAfter(ctx, func() { v.conn.closeSession(v) })
				continue
			}
			v.conn.closeSession(v)
		}
		return win32.NERR_Success
	})
}

// sessionKey carries the calling SMB session in a call's context.
type sessionKey struct{}

// connectionInfo1 is tree connect t as CONNECTION_INFO_1. coni1_netname
// is the share when the qualifier named a client, the client otherwise
// (MS-SRVS 2.2.4.2).
func connectionInfo1(t *liveTree, byClient bool, now time.Time) srvs.ConnectionInfo1 {
	e := srvs.ConnectionInfo1{
		ID:       t.id,
		Type:     t.share.typ,
		NumOpens: uint32(t.opens.Load()),
		NumUsers: 1,
		Time:     secondsSince(t.start, now),
		UserName: t.sess.user,
	}
	if byClient {
		e.NetName = t.share.Name
	} else {
		e.NetName = sessionCname(t.sess)
	}
	return e
}

// netrConnectionEnum is MS-SRVS 3.1.4.1.
func (s *Server) netrConnectionEnum(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrConnectionEnumRequest
	var resp srvs.NetrConnectionEnumResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		resp.InfoStruct.Level = req.InfoStruct.Level
		resp.ResumeHandle = req.ResumeHandle
		if st := adminCall(id, req.Qualifier, ""); st != win32.NERR_Success {
			return st
		}
		if req.Qualifier == "" {
			return win32.ERROR_INVALID_PARAMETER
		}
		lvl := req.InfoStruct.Level
		if lvl != 0 && lvl != 1 {
			return win32.ERROR_INVALID_LEVEL
		}
		byClient := strings.HasPrefix(req.Qualifier, `\\`)
		if !byClient {
			if _, ok := s.share(req.Qualifier); !ok {
				return win32.NERR_NetNameNotFound
			}
		}
		now := time.Now()
		list := s.tables.trees.snapshot(nil)
		match := func(i int) bool {
			if byClient {
				return strings.EqualFold(sessionCname(list[i].sess), req.Qualifier)
			}
			return strings.EqualFold(list[i].share.Name, req.Qualifier)
		}
		size := func(i int) int {
			if lvl == 0 {
				return (&srvs.ConnectionInfo0{}).BufferSize()
			}
			e := connectionInfo1(list[i], byClient, now)
			return e.BufferSize()
		}
		p := pageEntries(len(list), req.ResumeHandle, req.PreferedMaximumLength, match, size)
		resp.InfoStruct.Level = lvl
		if lvl == 0 {
			resp.InfoStruct.Level0 = make([]srvs.ConnectionInfo0, len(p.idx))
			for k, i := range p.idx {
				resp.InfoStruct.Level0[k] = srvs.ConnectionInfo0{ID: list[i].id}
			}
		} else {
			resp.InfoStruct.Level1 = make([]srvs.ConnectionInfo1, len(p.idx))
			for k, i := range p.idx {
				resp.InfoStruct.Level1[k] = connectionInfo1(list[i], byClient, now)
			}
		}
		resp.TotalEntries = p.total
		return finishPage(p, req.ResumeHandle, &resp.ResumeHandle)
	})
}

// filePermissions maps an open's access mask to fi3_permissions.
func filePermissions(access uint32) uint32 {
	var p uint32
	if access&(fileReadData|fileExecute) != 0 {
		p |= srvs.PERM_FILE_READ
	}
	if access&(fileWriteData|fileAppendData) != 0 {
		p |= srvs.PERM_FILE_WRITE
	}
	if access&fileAppendData != 0 {
		p |= srvs.PERM_FILE_CREATE
	}
	if access&fileExecute != 0 {
		p |= srvs.ACCESS_EXEC
	}
	if access&accessDelete != 0 {
		p |= srvs.ACCESS_DELETE
	}
	if access&fileWriteAttributes != 0 {
		p |= srvs.ACCESS_ATRIB
	}
	if access&(writeDAC|writeOwner) != 0 {
		p |= srvs.ACCESS_PERM
	}
	return p
}

func fileInfo3(o *liveOpen) srvs.FileInfo3 {
	return srvs.FileInfo3{
		ID:          o.id,
		Permissions: filePermissions(o.access),
		NumLocks:    uint32(o.locks.Load()),
		PathName:    o.displayPath(),
		UserName:    o.tree.sess.user,
	}
}

// hasPathPrefix reports whether path starts with base, compared without
// regard to case (Windows paths).
func hasPathPrefix(path, base string) bool {
	return len(path) >= len(base) && strings.EqualFold(path[:len(base)], base)
}

// netrFileEnum is MS-SRVS 3.1.4.2.
func (s *Server) netrFileEnum(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrFileEnumRequest
	var resp srvs.NetrFileEnumResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		resp.InfoStruct.Level = req.InfoStruct.Level
		resp.ResumeHandle = req.ResumeHandle
		if st := adminCall(id, req.BasePath, req.UserName); st != win32.NERR_Success {
			return st
		}
		lvl := req.InfoStruct.Level
		if lvl != 2 && lvl != 3 {
			return win32.ERROR_INVALID_LEVEL
		}
		list := s.tables.opens.snapshot(nil)
		match := func(i int) bool {
			o := list[i]
			return (req.BasePath == "" || hasPathPrefix(o.displayPath(), req.BasePath)) &&
				(req.UserName == "" || strings.EqualFold(o.tree.sess.user, req.UserName))
		}
		size := func(i int) int {
			if lvl == 2 {
				return (&srvs.FileInfo2{}).BufferSize()
			}
			e := fileInfo3(list[i])
			return e.BufferSize()
		}
		p := pageEntries(len(list), req.ResumeHandle, req.PreferedMaximumLength, match, size)
		if lvl == 2 {
			resp.InfoStruct.Level2 = make([]srvs.FileInfo2, len(p.idx))
			for k, i := range p.idx {
				resp.InfoStruct.Level2[k] = srvs.FileInfo2{ID: list[i].id}
			}
		} else {
			resp.InfoStruct.Level3 = make([]srvs.FileInfo3, len(p.idx))
			for k, i := range p.idx {
				resp.InfoStruct.Level3[k] = fileInfo3(list[i])
			}
		}
		resp.TotalEntries = p.total
		return finishPage(p, req.ResumeHandle, &resp.ResumeHandle)
	})
}

// netrFileGetInfo is MS-SRVS 3.1.4.3.
func (s *Server) netrFileGetInfo(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrFileGetInfoRequest
	var resp srvs.NetrFileGetInfoResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		resp.InfoStruct.Level = req.Level
		if !isAdmin(id) {
			return win32.ERROR_ACCESS_DENIED
		}
		if req.Level != 2 && req.Level != 3 {
			return win32.ERROR_INVALID_LEVEL
		}
		o, ok := s.tables.opens.get(req.FileID)
		if !ok {
			return win32.ERROR_FILE_NOT_FOUND
		}
		fi := fileInfo3(o)
		if req.Level == 2 {
			resp.InfoStruct.FileInfo2 = &srvs.FileInfo2{ID: fi.ID}
		} else {
			resp.InfoStruct.FileInfo3 = &fi
		}
		return win32.NERR_Success
	})
}

// netrFileClose is MS-SRVS 3.1.4.4.
func (s *Server) netrFileClose(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrFileCloseRequest
	var resp srvs.NetrFileCloseResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		if !isAdmin(id) {
			return win32.ERROR_ACCESS_DENIED
		}
		o, ok := s.tables.opens.get(req.FileID)
		if !ok {
			return win32.NERR_FileIdNotFound
		}
		if self, _ := ctx.Value(openKey{}).(*liveOpen); self == o {
			// Closing the very pipe this call came through: after
			// the reply.
			runAfter(ctx, func() { o.tree.sess.conn.closeOpen(o) })
		} else {
			o.tree.sess.conn.closeOpen(o)
		}
		s.log.Info("NetrFileClose", "id", o.id, "path", o.displayPath(), "by", id.User)
		return win32.NERR_Success
	})
}

// openKey carries the pipe open a call arrived on in its context.
type openKey struct{}

// shareEntry is sh as SHARE_INFO_502 with uses current tree connects.
func shareEntry(sh *share, uses uint32) srvs.ShareInfo502 {
	path := ""
	if !sh.isIPC() {
		path = sh.abs
	}
	return srvs.ShareInfo502{
		NetName:     sh.Name,
		Type:        sh.typ,
		Remark:      sh.Comment,
		Permissions: 0,
		MaxUses:     0xFFFFFFFF,
		CurrentUses: uses,
		Path:        path,
	}
}

func shareEntrySize(level uint32, e *srvs.ShareInfo502) int {
	switch level {
	case 0:
		return (&srvs.ShareInfo0{NetName: e.NetName}).BufferSize()
	case 1:
		return (&srvs.ShareInfo1{NetName: e.NetName, Remark: e.Remark}).BufferSize()
	case 2:
		return (&srvs.ShareInfo2{NetName: e.NetName, Remark: e.Remark, Path: e.Path}).BufferSize()
	}
	return e.BufferSize()
}

// shareLevelAccess checks the level of NetrShareEnum and
// NetrShareGetInfo: Windows lets any user see shares at levels 0 and 1
// and keeps the levels with local paths (2, 502) to administrators, as
// NetrShareGetInfo's note <61> says.
func shareLevelAccess(id gss.Identity, lvl uint32) win32.Errno {
	switch lvl {
	case 0, 1:
		return win32.NERR_Success
	case 2, 502:
		if !isAdmin(id) {
			return win32.ERROR_ACCESS_DENIED
		}
		return win32.NERR_Success
	}
	return win32.ERROR_INVALID_LEVEL
}

func shareInfo1(e *srvs.ShareInfo502) srvs.ShareInfo1 {
	return srvs.ShareInfo1{NetName: e.NetName, Type: e.Type, Remark: e.Remark}
}

func shareInfo2(e *srvs.ShareInfo502) srvs.ShareInfo2 {
	return srvs.ShareInfo2{NetName: e.NetName, Type: e.Type, Remark: e.Remark,
		Permissions: e.Permissions, MaxUses: e.MaxUses, CurrentUses: e.CurrentUses, Path: e.Path}
}

// netrShareEnum is MS-SRVS 3.1.4.8.
func (s *Server) netrShareEnum(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrShareEnumRequest
	var resp srvs.NetrShareEnumResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		lvl := req.InfoStruct.Level
		resp.InfoStruct.Level = lvl
		resp.ResumeHandle = req.ResumeHandle
		if st := shareLevelAccess(id, lvl); st != win32.NERR_Success {
			return st
		}
		var uses []uint32
		if lvl == 2 || lvl == 502 {
			uses = s.shareUses()
		}
		entry := func(i int) srvs.ShareInfo502 {
			var n uint32
			if uses != nil {
				n = uses[i]
			}
			return shareEntry(s.shares[i], n)
		}
		p := pageEntries(len(s.shares), req.ResumeHandle, req.PreferedMaximumLength, nil, func(i int) int {
			e := entry(i)
			return shareEntrySize(lvl, &e)
		})
		switch lvl {
		case 0:
			resp.InfoStruct.Level0 = make([]srvs.ShareInfo0, len(p.idx))
		case 1:
			resp.InfoStruct.Level1 = make([]srvs.ShareInfo1, len(p.idx))
		case 2:
			resp.InfoStruct.Level2 = make([]srvs.ShareInfo2, len(p.idx))
		case 502:
			resp.InfoStruct.Level502 = make([]srvs.ShareInfo502, len(p.idx))
		}
		for k, i := range p.idx {
			e := entry(i)
			switch lvl {
			case 0:
				resp.InfoStruct.Level0[k] = srvs.ShareInfo0{NetName: e.NetName}
			case 1:
				resp.InfoStruct.Level1[k] = shareInfo1(&e)
			case 2:
				resp.InfoStruct.Level2[k] = shareInfo2(&e)
			case 502:
				resp.InfoStruct.Level502[k] = e
			}
		}
		resp.TotalEntries = p.total
		return finishPage(p, req.ResumeHandle, &resp.ResumeHandle)
	})
}

// shareUses counts the tree connects to each share, indexed as s.shares,
// in one pass over the tree table.
func (s *Server) shareUses() []uint32 {
	uses := make([]uint32, len(s.shares))
	s.tables.trees.each(func(t *liveTree) {
		for i, sh := range s.shares {
			if t.share == sh {
				uses[i]++
				break
			}
		}
	})
	return uses
}

// netrShareGetInfo is MS-SRVS 3.1.4.10.
func (s *Server) netrShareGetInfo(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrShareGetInfoRequest
	var resp srvs.NetrShareGetInfoResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		resp.InfoStruct.Level = req.Level
		if st := shareLevelAccess(id, req.Level); st != win32.NERR_Success {
			return st
		}
		sh, ok := s.share(req.NetName)
		if !ok {
			return win32.NERR_NetNameNotFound
		}
		var uses uint32
		s.tables.trees.each(func(t *liveTree) {
			if t.share == sh {
				uses++
			}
		})
		e := shareEntry(sh, uses)
		switch req.Level {
		case 0:
			resp.InfoStruct.ShareInfo0 = &srvs.ShareInfo0{NetName: e.NetName}
		case 1:
			i1 := shareInfo1(&e)
			resp.InfoStruct.ShareInfo1 = &i1
		case 2:
			i2 := shareInfo2(&e)
			resp.InfoStruct.ShareInfo2 = &i2
		case 502:
			resp.InfoStruct.ShareInfo502 = &e
		}
		return win32.NERR_Success
	})
}

// Server version reported by NetrServerGetInfo: the NT 10.0 family, as
// current Windows servers report.
const (
	serverVersionMajor = 10
	serverVersionMinor = 0
	serverType         = srvs.SV_TYPE_WORKSTATION | srvs.SV_TYPE_SERVER | srvs.SV_TYPE_NT | srvs.SV_TYPE_SERVER_NT
)

// netrServerGetInfo is MS-SRVS 3.1.4.17.
func (s *Server) netrServerGetInfo(ctx context.Context, call *dcerpc.Call) ([]byte, error) {
	var req srvs.NetrServerGetInfoRequest
	var resp srvs.NetrServerGetInfoResponse
	return rpcCall(ctx, call, &req, &resp, func(e win32.Errno) { resp.Status = e }, func(id gss.Identity) win32.Errno {
		resp.InfoStruct.Level = req.Level
		name := s.cfg.ServerName
		switch req.Level {
		case 100:
			resp.InfoStruct.ServerInfo100 = &srvs.ServerInfo100{PlatformID: srvs.PLATFORM_ID_NT, Name: name}
		case 101:
			resp.InfoStruct.ServerInfo101 = &srvs.ServerInfo101{PlatformID: srvs.PLATFORM_ID_NT, Name: name,
				VersionMajor: serverVersionMajor, VersionMinor: serverVersionMinor, Type: serverType, Comment: s.cfg.Comment}
		case 102:
			if !isAdmin(id) {
				return win32.ERROR_ACCESS_DENIED
			}
			resp.InfoStruct.ServerInfo102 = &srvs.ServerInfo102{PlatformID: srvs.PLATFORM_ID_NT, Name: name,
				VersionMajor: serverVersionMajor, VersionMinor: serverVersionMinor, Type: serverType, Comment: s.cfg.Comment,
				Users: uint32(s.tables.sessions.len()), Disc: int32(s.limits.IdleTimeout / time.Minute),
				Announce: 240, AnnDelta: 3000, UserPath: `C:\`}
		default:
			return win32.ERROR_INVALID_LEVEL
		}
		return win32.NERR_Success
	})
}
