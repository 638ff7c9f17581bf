package srvs

import (
	"fmt"

	"github.com/lanman/lanman/win32"
)

// The data of testdata/impacket_gen.py, as Go values.

func u32(v uint32) *uint32 { return &v }

type sess struct {
	cname, username                     string
	numOpens, time, idleTime, userFlags uint32
	cltype, transport                   string
}

var sessions = []sess{
	{`\\10.0.0.1`, "alice", 3, 100, 7, 0, "", `\Device\NetbiosSmb`},
	{`\\ws-jürgen`, "Jürgen 𝄞", 0, 4000000000, 0, 1, "Windows 10", "TCP"},
}

func sessionEnum(level uint32) SessionEnum {
	e := SessionEnum{Level: level}
	for _, s := range sessions {
		switch level {
		case 0:
			e.Level0 = append(e.Level0, SessionInfo0{s.cname})
		case 1:
			e.Level1 = append(e.Level1, SessionInfo1{s.cname, s.username, s.numOpens, s.time, s.idleTime, s.userFlags})
		case 2:
			e.Level2 = append(e.Level2, SessionInfo2{s.cname, s.username, s.numOpens, s.time, s.idleTime, s.userFlags, s.cltype})
		case 10:
			e.Level10 = append(e.Level10, SessionInfo10{s.cname, s.username, s.time, s.idleTime})
		case 502:
			e.Level502 = append(e.Level502, SessionInfo502{s.cname, s.username, s.numOpens, s.time, s.idleTime, s.userFlags, s.cltype, s.transport})
		}
	}
	return e
}

var connections = []ConnectionInfo1{
	{ID: 1, Type: 0, NumOpens: 2, NumUsers: 1, Time: 60, UserName: "alice", NetName: "C$"},
	{ID: 2, Type: 3, NumOpens: 0, NumUsers: 1, Time: 5, UserName: "bob", NetName: "IPC$"},
}

var files = []FileInfo3{
	{ID: 77, Permissions: 3, NumLocks: 0, PathName: `C:\share\a.txt`, UserName: "alice"},
	{ID: 4294967295, Permissions: 1, NumLocks: 2, PathName: `\PIPE\srvsvc`, UserName: "bob"},
}

var sd = []byte{1, 0, 4, 0x80, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

var shares = []ShareInfo502{
	{NetName: "IPC$", Type: 0x80000003, Remark: "Remote IPC", MaxUses: 0xFFFFFFFF, CurrentUses: 1},
	{NetName: "data", Type: 0, Permissions: 0x7F, MaxUses: 10, Path: `C:\data`, SecurityDescriptor: sd},
}

func share0(s ShareInfo502) ShareInfo0 { return ShareInfo0{s.NetName} }
func share1(s ShareInfo502) ShareInfo1 { return ShareInfo1{s.NetName, s.Type, s.Remark} }
func share2(s ShareInfo502) ShareInfo2 {
	return ShareInfo2{s.NetName, s.Type, s.Remark, s.Permissions, s.MaxUses, s.CurrentUses, s.Path, s.Passwd}
}

var server102 = ServerInfo102{
	PlatformID: 500, Name: "LANMAN", VersionMajor: 10, VersionMinor: 0, Type: 0x00009003,
	Comment: "lanman server", Users: 0, Disc: -1, Hidden: 0, Announce: 240, AnnDelta: 3000,
	Licenses: 0, UserPath: `c:\`,
}

// goldenCases are the messages impacket_gen.py builds, by name.
func goldenCases() map[string]Message {
	m := map[string]Message{}
	for _, level := range []uint32{0, 1, 2, 10, 502} {
		req := &NetrSessionEnumRequest{
			ServerName:            `\\srv`,
			InfoStruct:            SessionEnum{Level: level},
			PreferedMaximumLength: MAX_PREFERRED_LENGTH,
		}
		switch level {
		case 1:
			req.ClientName = `\\10.0.0.1`
		case 2:
			req.UserName = "alice"
		case 10:
			req.PreferedMaximumLength = 4096
		case 502:
			req.ResumeHandle = u32(7)
		}
		m[fmt.Sprintf("NetrSessionEnumRequest_%d", level)] = req
		resp := &NetrSessionEnumResponse{InfoStruct: sessionEnum(level), TotalEntries: 5}
		if level == 502 {
			resp.ResumeHandle = u32(2)
			resp.Status = win32.ERROR_MORE_DATA
		}
		m[fmt.Sprintf("NetrSessionEnumResponse_%d", level)] = resp
	}
	m["NetrSessionEnumResponse_denied"] = &NetrSessionEnumResponse{
		InfoStruct: SessionEnum{Level: 10}, Status: win32.ERROR_ACCESS_DENIED,
	}
	m["NetrSessionDelRequest"] = &NetrSessionDelRequest{ClientName: `\\10.0.0.1`, UserName: "alice"}
	m["NetrSessionDelResponse"] = &NetrSessionDelResponse{Status: 2312}

	for _, level := range []uint32{0, 1} {
		req := &NetrConnectionEnumRequest{
			ServerName: `\\srv`, Qualifier: "IPC$", InfoStruct: ConnectEnum{Level: level},
			PreferedMaximumLength: MAX_PREFERRED_LENGTH, ResumeHandle: u32(0),
		}
		resp := &NetrConnectionEnumResponse{InfoStruct: ConnectEnum{Level: level}, TotalEntries: 2, ResumeHandle: u32(0)}
		if level == 1 {
			req.Qualifier = `\\10.0.0.1`
			resp.InfoStruct.Level1 = connections
		} else {
			for _, c := range connections {
				resp.InfoStruct.Level0 = append(resp.InfoStruct.Level0, ConnectionInfo0{c.ID})
			}
		}
		m[fmt.Sprintf("NetrConnectionEnumRequest_%d", level)] = req
		m[fmt.Sprintf("NetrConnectionEnumResponse_%d", level)] = resp
	}

	for _, level := range []uint32{2, 3} {
		req := &NetrFileEnumRequest{ServerName: `\\srv`, InfoStruct: FileEnum{Level: level}, PreferedMaximumLength: 1024}
		resp := &NetrFileEnumResponse{InfoStruct: FileEnum{Level: level}, TotalEntries: 2}
		get := &NetrFileGetInfoResponse{InfoStruct: FileInfo{Level: level}}
		if level == 3 {
			req.BasePath, req.UserName = `C:\share`, "alice"
			resp.InfoStruct.Level3 = files
			f := files[0]
			get.InfoStruct.FileInfo3 = &f
		} else {
			for _, f := range files {
				resp.InfoStruct.Level2 = append(resp.InfoStruct.Level2, FileInfo2{f.ID})
			}
			get.InfoStruct.FileInfo2 = &FileInfo2{files[0].ID}
		}
		m[fmt.Sprintf("NetrFileEnumRequest_%d", level)] = req
		m[fmt.Sprintf("NetrFileEnumResponse_%d", level)] = resp
		m[fmt.Sprintf("NetrFileGetInfoRequest_%d", level)] = &NetrFileGetInfoRequest{ServerName: `\\srv`, FileID: 77, Level: level}
		m[fmt.Sprintf("NetrFileGetInfoResponse_%d", level)] = get
	}
	m["NetrFileCloseRequest"] = &NetrFileCloseRequest{ServerName: `\\srv`, FileID: 77}
	m["NetrFileCloseResponse"] = &NetrFileCloseResponse{Status: 2314}

	for _, level := range []uint32{0, 1, 2, 502} {
		m[fmt.Sprintf("NetrShareEnumRequest_%d", level)] = &NetrShareEnumRequest{
			ServerName: `\\srv`, InfoStruct: ShareEnum{Level: level},
			PreferedMaximumLength: MAX_PREFERRED_LENGTH, ResumeHandle: u32(0),
		}
		resp := &NetrShareEnumResponse{InfoStruct: ShareEnum{Level: level}, TotalEntries: 2, ResumeHandle: u32(0)}
		get := &NetrShareGetInfoResponse{InfoStruct: ShareInfo{Level: level}}
		for _, s := range shares {
			switch level {
			case 0:
				resp.InfoStruct.Level0 = append(resp.InfoStruct.Level0, share0(s))
			case 1:
				resp.InfoStruct.Level1 = append(resp.InfoStruct.Level1, share1(s))
			case 2:
				resp.InfoStruct.Level2 = append(resp.InfoStruct.Level2, share2(s))
			case 502:
				resp.InfoStruct.Level502 = append(resp.InfoStruct.Level502, s)
			}
		}
		s := shares[1]
		switch level {
		case 0:
			v := share0(s)
			get.InfoStruct.ShareInfo0 = &v
		case 1:
			v := share1(s)
			get.InfoStruct.ShareInfo1 = &v
		case 2:
			v := share2(s)
			get.InfoStruct.ShareInfo2 = &v
		case 502:
			get.InfoStruct.ShareInfo502 = &s
		}
		m[fmt.Sprintf("NetrShareEnumResponse_%d", level)] = resp
		m[fmt.Sprintf("NetrShareGetInfoRequest_%d", level)] = &NetrShareGetInfoRequest{ServerName: `\\srv`, NetName: "data", Level: level}
		m[fmt.Sprintf("NetrShareGetInfoResponse_%d", level)] = get
	}

	for _, level := range []uint32{100, 101, 102} {
		m[fmt.Sprintf("NetrServerGetInfoRequest_%d", level)] = &NetrServerGetInfoRequest{ServerName: `\\srv`, Level: level}
		s := server102
		resp := &NetrServerGetInfoResponse{InfoStruct: ServerInfo{Level: level}}
		switch level {
		case 100:
			resp.InfoStruct.ServerInfo100 = &ServerInfo100{s.PlatformID, s.Name}
		case 101:
			resp.InfoStruct.ServerInfo101 = &ServerInfo101{s.PlatformID, s.Name, s.VersionMajor, s.VersionMinor, s.Type, s.Comment}
		case 102:
			resp.InfoStruct.ServerInfo102 = &s
		}
		m[fmt.Sprintf("NetrServerGetInfoResponse_%d", level)] = resp
	}
	return m
}
