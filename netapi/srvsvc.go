package netapi

import (
	"context"

	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/wkst"
)

// The Win32-faithful calls, as methods of a dialled Client. Each returns
// the buffer as a slice of the level's type, the entries read, the total
// entries the server reported, and ERROR_MORE_DATA (with the entries that
// fit) when the resume handle should be passed back for more.

// NetSessionEnum lists the server's SMB sessions (MS-SRVS 3.1.4.5).
// uncClientName (`\\name`) and userName, when not empty, keep only the
// sessions from that client or of that user. level is 0, 1, 2, 10 or 502;
// the buffer is []SessionInfo0 … []SessionInfo502.
func (c *Client) NetSessionEnum(ctx context.Context, uncClientName, userName string, level, prefMaxLen uint32, resumeHandle *uint32) (buf any, entriesRead, totalEntries uint32, err error) {
	resp, err := c.srvs().NetrSessionEnum(ctx, &srvs.NetrSessionEnumRequest{
		ServerName:            c.uncServer(),
		ClientName:            uncClientName,
		UserName:              userName,
		InfoStruct:            srvs.SessionEnum{Level: level},
		PreferedMaximumLength: prefMaxLen,
		ResumeHandle:          resumeIn(resumeHandle),
	})
	if err != nil {
		return nil, 0, 0, err
	}
	e := &resp.InfoStruct
	return page(resumeHandle, resp.ResumeHandle, pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1, 2: e.Level2, 10: e.Level10, 502: e.Level502}), e.Len(), resp.TotalEntries, resp.Status)
}

// NetSessionDel ends the sessions from uncClientName and/or of userName
// (MS-SRVS 3.1.4.6).
func (c *Client) NetSessionDel(ctx context.Context, uncClientName, userName string) error {
	_, err := c.srvs().NetrSessionDel(ctx, &srvs.NetrSessionDelRequest{ServerName: c.uncServer(), ClientName: uncClientName, UserName: userName})
	return err
}

// NetConnectionEnum lists the tree connects to a share (qualifier is the
// share name) or from a computer (qualifier is `\\computer`), MS-SRVS
// 3.1.4.1. level is 0 or 1.
func (c *Client) NetConnectionEnum(ctx context.Context, qualifier string, level, prefMaxLen uint32, resumeHandle *uint32) (buf any, entriesRead, totalEntries uint32, err error) {
	resp, err := c.srvs().NetrConnectionEnum(ctx, &srvs.NetrConnectionEnumRequest{
		ServerName:            c.uncServer(),
		Qualifier:             qualifier,
		InfoStruct:            srvs.ConnectEnum{Level: level},
		PreferedMaximumLength: prefMaxLen,
		ResumeHandle:          resumeIn(resumeHandle),
	})
	if err != nil {
		return nil, 0, 0, err
	}
	e := &resp.InfoStruct
	return page(resumeHandle, resp.ResumeHandle, pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1}), e.Len(), resp.TotalEntries, resp.Status)
}

// NetFileEnum lists the server's open files (MS-SRVS 3.1.4.2), those under
// basePath and of userName when given. level is 2 or 3.
func (c *Client) NetFileEnum(ctx context.Context, basePath, userName string, level, prefMaxLen uint32, resumeHandle *uint32) (buf any, entriesRead, totalEntries uint32, err error) {
	resp, err := c.srvs().NetrFileEnum(ctx, &srvs.NetrFileEnumRequest{
		ServerName:            c.uncServer(),
		BasePath:              basePath,
		UserName:              userName,
		InfoStruct:            srvs.FileEnum{Level: level},
		PreferedMaximumLength: prefMaxLen,
		ResumeHandle:          resumeIn(resumeHandle),
	})
	if err != nil {
		return nil, 0, 0, err
	}
	e := &resp.InfoStruct
	return page(resumeHandle, resp.ResumeHandle, pick(e.Level, map[uint32]any{2: e.Level2, 3: e.Level3}), e.Len(), resp.TotalEntries, resp.Status)
}

// NetFileClose closes an open file by its id (MS-SRVS 3.1.4.4).
func (c *Client) NetFileClose(ctx context.Context, fileID uint32) error {
	_, err := c.srvs().NetrFileClose(ctx, &srvs.NetrFileCloseRequest{ServerName: c.uncServer(), FileID: fileID})
	return err
}

// NetShareGetInfo returns *ShareInfo0, *ShareInfo1, *ShareInfo2 or
// *ShareInfo502 for one share (MS-SRVS 3.1.4.10).
func (c *Client) NetShareGetInfo(ctx context.Context, netname string, level uint32) (any, error) {
	resp, err := c.srvs().NetrShareGetInfo(ctx, &srvs.NetrShareGetInfoRequest{ServerName: c.uncServer(), NetName: netname, Level: level})
	if err != nil {
		return nil, err
	}
	i := &resp.InfoStruct
	return pick(i.Level, map[uint32]any{0: i.ShareInfo0, 1: i.ShareInfo1, 2: i.ShareInfo2, 502: i.ShareInfo502}), nil
}

// NetFileGetInfo returns *FileInfo2 or *FileInfo3 for one open
// (MS-SRVS 3.1.4.3).
func (c *Client) NetFileGetInfo(ctx context.Context, fileID, level uint32) (any, error) {
	resp, err := c.srvs().NetrFileGetInfo(ctx, &srvs.NetrFileGetInfoRequest{ServerName: c.uncServer(), FileID: fileID, Level: level})
	if err != nil {
		return nil, err
	}
	i := &resp.InfoStruct
	return pick(i.Level, map[uint32]any{2: i.FileInfo2, 3: i.FileInfo3}), nil
}

// NetShareEnum lists the shares (MS-SRVS 3.1.4.8). level is 0, 1, 2 or 502.
func (c *Client) NetShareEnum(ctx context.Context, level, prefMaxLen uint32, resumeHandle *uint32) (buf any, entriesRead, totalEntries uint32, err error) {
	resp, err := c.srvs().NetrShareEnum(ctx, &srvs.NetrShareEnumRequest{
		ServerName:            c.uncServer(),
		InfoStruct:            srvs.ShareEnum{Level: level},
		PreferedMaximumLength: prefMaxLen,
		ResumeHandle:          resumeIn(resumeHandle),
	})
	if err != nil {
		return nil, 0, 0, err
	}
	e := &resp.InfoStruct
	return page(resumeHandle, resp.ResumeHandle, pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1, 2: e.Level2, 502: e.Level502}), e.Len(), resp.TotalEntries, resp.Status)
}

// NetServerGetInfo returns *ServerInfo100, *ServerInfo101 or
// *ServerInfo102 for level 100, 101 or 102 (MS-SRVS 3.1.4.17).
func (c *Client) NetServerGetInfo(ctx context.Context, level uint32) (any, error) {
	resp, err := c.srvs().NetrServerGetInfo(ctx, &srvs.NetrServerGetInfoRequest{ServerName: c.uncServer(), Level: level})
	if err != nil {
		return nil, err
	}
	i := &resp.InfoStruct
	return pick(i.Level, map[uint32]any{100: i.ServerInfo100, 101: i.ServerInfo101, 102: i.ServerInfo102}), nil
}

// NetWkstaUserEnum lists the users logged on to the server's workstation
// service (MS-WKST 3.2.4.3); level is 0 or 1.
func (c *Client) NetWkstaUserEnum(ctx context.Context, level, prefMaxLen uint32, resumeHandle *uint32) (buf any, entriesRead, totalEntries uint32, err error) {
	resp, err := c.wkst().NetrWkstaUserEnum(ctx, &wkst.NetrWkstaUserEnumRequest{
		ServerName:             c.uncServer(),
		UserInfo:               wkst.WkstaUserEnum{Level: level},
		PreferredMaximumLength: prefMaxLen,
		ResumeHandle:           resumeIn(resumeHandle),
	})
	if err != nil {
		return nil, 0, 0, err
	}
	e := &resp.UserInfo
	return page(resumeHandle, resp.ResumeHandle, pick(e.Level, map[uint32]any{0: e.Level0, 1: e.Level1}), e.Len(), resp.TotalEntries, resp.Status)
}

// page returns one page of an enumeration the Win32 way, handing the
// server's resume handle back to the caller's.
func page(resumeHandle, got *uint32, buf any, n int, total uint32, status Errno) (any, uint32, uint32, error) {
	resumeOut(resumeHandle, got)
	return buf, uint32(n), total, statusError(status)
}

// pick is the buffer of the answered level. A level the server answered
// but the codec does not know has already failed decoding.
func pick(level uint32, byLevel map[uint32]any) any { return byLevel[level] }

// resumeIn sends the caller's resume handle; a nil handle is sent as a
// NULL pointer, which asks for no resumption.
func resumeIn(h *uint32) *uint32 {
	if h == nil {
		return nil
	}
	v := *h
	return &v
}

func resumeOut(h, got *uint32) {
	if h == nil {
		return
	}
	if got == nil {
		*h = 0
		return
	}
	*h = *got
}

// statusError is the NET_API_STATUS of a reply as an error: nil for
// NERR_Success, the Errno otherwise (ERROR_MORE_DATA included).
func statusError(s Errno) error {
	if s == NERR_Success {
		return nil
	}
	return s
}
