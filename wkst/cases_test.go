package wkst

import (
	"fmt"

	"github.com/lanman/lanman/win32"
)

// The data of testdata/impacket_gen.py, as Go values.

func u32(v uint32) *uint32 { return &v }
func str(s string) *string { return &s }

var wksta = WkstaInfo102{
	PlatformID: 500, ComputerName: "WS-01", LanGroup: "WORKGROUP", VerMajor: 10, VerMinor: 0,
	LanRoot: `C:\Windows`, LoggedOnUsers: 2,
}

var users = []WkstaUserInfo1{
	{UserName: "alice", LogonDomain: "CORP", OthDomains: "", LogonServer: "DC1"},
	{UserName: "Zoë", LogonDomain: "WS-01", OthDomains: "X Y", LogonServer: "WS-01"},
}

var uses = []UseInfo2{
	{UseInfo1: UseInfo1{Local: "Z:", Remote: `\\srv\data`, Status: USE_OK, AsgType: USE_DISKDEV, RefCount: 1, UseCount: 1},
		UserName: str("alice"), DomainName: str("CORP")},
	{UseInfo1: UseInfo1{Local: "", Remote: `\\srv\IPC$`, Password: str(""), Status: USE_SESSLOST, AsgType: USE_IPC, RefCount: 0, UseCount: 2}},
}

func use0(u UseInfo2) UseInfo0 { return UseInfo0{u.Local, u.Remote} }

func useInfo(level uint32, u UseInfo2) UseInfo {
	out := UseInfo{Level: level}
	switch level {
	case 0:
		v := use0(u)
		out.UseInfo0 = &v
	case 1:
		v := u.UseInfo1
		out.UseInfo1 = &v
	case 2:
		out.UseInfo2 = &u
	case 3:
		out.UseInfo3 = &UseInfo3{UseInfo2: u}
	}
	return out
}

// goldenCases are the messages impacket_gen.py builds, by name.
func goldenCases() map[string]Message {
	m := map[string]Message{}
	for _, level := range []uint32{100, 101, 102} {
		m[fmt.Sprintf("NetrWkstaGetInfoRequest_%d", level)] = &NetrWkstaGetInfoRequest{ServerName: `\\ws-01`, Level: level}
		w := wksta
		resp := &NetrWkstaGetInfoResponse{WkstaInfo: WkstaInfo{Level: level}}
		switch level {
		case 100:
			resp.WkstaInfo.WkstaInfo100 = &WkstaInfo100{w.PlatformID, w.ComputerName, w.LanGroup, w.VerMajor, w.VerMinor}
		case 101:
			resp.WkstaInfo.WkstaInfo101 = &WkstaInfo101{w.PlatformID, w.ComputerName, w.LanGroup, w.VerMajor, w.VerMinor, w.LanRoot}
		case 102:
			resp.WkstaInfo.WkstaInfo102 = &w
		}
		m[fmt.Sprintf("NetrWkstaGetInfoResponse_%d", level)] = resp
	}
	for _, level := range []uint32{0, 1} {
		req := &NetrWkstaUserEnumRequest{UserInfo: WkstaUserEnum{Level: level}, PreferredMaximumLength: MAX_PREFERRED_LENGTH}
		resp := &NetrWkstaUserEnumResponse{UserInfo: WkstaUserEnum{Level: level}, TotalEntries: 2}
		if level == 1 {
			req.ResumeHandle = u32(0)
			resp.ResumeHandle = u32(0)
			resp.UserInfo.Level1 = users
		} else {
			for _, u := range users {
				resp.UserInfo.Level0 = append(resp.UserInfo.Level0, WkstaUserInfo0{u.UserName})
			}
		}
		m[fmt.Sprintf("NetrWkstaUserEnumRequest_%d", level)] = req
		m[fmt.Sprintf("NetrWkstaUserEnumResponse_%d", level)] = resp
	}
	for _, level := range []uint32{0, 1, 2, 3} {
		add := &NetrUseAddRequest{InfoStruct: useInfo(level, uses[0])}
		if level == 1 {
			add.ErrorParameter = u32(0)
		}
		m[fmt.Sprintf("NetrUseAddRequest_%d", level)] = add
		m[fmt.Sprintf("NetrUseGetInfoRequest_%d", level)] = &NetrUseGetInfoRequest{UseName: "Z:", Level: level}
		m[fmt.Sprintf("NetrUseGetInfoResponse_%d", level)] = &NetrUseGetInfoResponse{InfoStruct: useInfo(level, uses[1])}
	}
	m["NetrUseAddResponse"] = &NetrUseAddResponse{ErrorParameter: u32(3), Status: win32.ERROR_INVALID_PARAMETER}
	m["NetrUseDelRequest"] = &NetrUseDelRequest{UseName: `\\srv\IPC$`, ForceLevel: USE_LOTS_OF_FORCE}
	m["NetrUseDelResponse"] = &NetrUseDelResponse{Status: win32.NERR_UseNotFound}
	for _, level := range []uint32{0, 1, 2} {
		m[fmt.Sprintf("NetrUseEnumRequest_%d", level)] = &NetrUseEnumRequest{
			InfoStruct: UseEnum{Level: level}, PreferredMaximumLength: MAX_PREFERRED_LENGTH, ResumeHandle: u32(0),
		}
		resp := &NetrUseEnumResponse{InfoStruct: UseEnum{Level: level}, TotalEntries: 2, ResumeHandle: u32(1)}
		for _, u := range uses {
			switch level {
			case 0:
				resp.InfoStruct.Level0 = append(resp.InfoStruct.Level0, use0(u))
			case 1:
				resp.InfoStruct.Level1 = append(resp.InfoStruct.Level1, u.UseInfo1)
			case 2:
				resp.InfoStruct.Level2 = append(resp.InfoStruct.Level2, u)
			}
		}
		m[fmt.Sprintf("NetrUseEnumResponse_%d", level)] = resp
	}
	return m
}
