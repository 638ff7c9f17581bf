package wkst

import (
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// WkstaInfo100 is WKSTA_INFO_100 (MS-WKST 2.2.5.1).
type WkstaInfo100 struct {
	PlatformID   uint32 `json:"platform_id"`
	ComputerName string `json:"computername"`
	LanGroup     string `json:"langroup"` // domain or workgroup
	VerMajor     uint32 `json:"ver_major"`
	VerMinor     uint32 `json:"ver_minor"`
}

// WkstaInfo101 is WKSTA_INFO_101 (MS-WKST 2.2.5.2).
type WkstaInfo101 struct {
	PlatformID   uint32 `json:"platform_id"`
	ComputerName string `json:"computername"`
	LanGroup     string `json:"langroup"`
	VerMajor     uint32 `json:"ver_major"`
	VerMinor     uint32 `json:"ver_minor"`
	LanRoot      string `json:"lanroot"`
}

// WkstaInfo102 is WKSTA_INFO_102 (MS-WKST 2.2.5.3).
type WkstaInfo102 struct {
	PlatformID    uint32 `json:"platform_id"`
	ComputerName  string `json:"computername"`
	LanGroup      string `json:"langroup"`
	VerMajor      uint32 `json:"ver_major"`
	VerMinor      uint32 `json:"ver_minor"`
	LanRoot       string `json:"lanroot"`
	LoggedOnUsers uint32 `json:"logged_on_users"`
}

// MarshalNDR implements ndr.Marshaler.
func (s *WkstaInfo100) MarshalNDR(w *ndr.Writer) {
	w.Uint32(s.PlatformID)
	w.StringPtr(s.ComputerName)
	w.StringPtr(s.LanGroup)
	w.Uint32(s.VerMajor)
	w.Uint32(s.VerMinor)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *WkstaInfo100) UnmarshalNDR(r *ndr.Reader) error {
	s.PlatformID = r.Uint32()
	r.StringPtr(&s.ComputerName)
	r.StringPtr(&s.LanGroup)
	s.VerMajor = r.Uint32()
	s.VerMinor = r.Uint32()
	return r.Err()
}

// MarshalNDR implements ndr.Marshaler.
func (s *WkstaInfo101) MarshalNDR(w *ndr.Writer) {
	w.Uint32(s.PlatformID)
	w.StringPtr(s.ComputerName)
	w.StringPtr(s.LanGroup)
	w.Uint32(s.VerMajor)
	w.Uint32(s.VerMinor)
	w.StringPtr(s.LanRoot)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *WkstaInfo101) UnmarshalNDR(r *ndr.Reader) error {
	s.PlatformID = r.Uint32()
	r.StringPtr(&s.ComputerName)
	r.StringPtr(&s.LanGroup)
	s.VerMajor = r.Uint32()
	s.VerMinor = r.Uint32()
	r.StringPtr(&s.LanRoot)
	return r.Err()
}

// MarshalNDR implements ndr.Marshaler.
func (s *WkstaInfo102) MarshalNDR(w *ndr.Writer) {
	w.Uint32(s.PlatformID)
	w.StringPtr(s.ComputerName)
	w.StringPtr(s.LanGroup)
	w.Uint32(s.VerMajor)
	w.Uint32(s.VerMinor)
	w.StringPtr(s.LanRoot)
	w.Uint32(s.LoggedOnUsers)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *WkstaInfo102) UnmarshalNDR(r *ndr.Reader) error {
	s.PlatformID = r.Uint32()
	r.StringPtr(&s.ComputerName)
	r.StringPtr(&s.LanGroup)
	s.VerMajor = r.Uint32()
	s.VerMinor = r.Uint32()
	r.StringPtr(&s.LanRoot)
	s.LoggedOnUsers = r.Uint32()
	return r.Err()
}

// WkstaInfo is the WKSTA_INFO union (MS-WKST 2.2.4.1) for levels 100, 101
// and 102; a pointer is nil when NULL was sent. The union has an empty
// default arm, so an unlisted level travels as the discriminant alone; the
// listed levels 502, 1013, 1018 and 1046 are not modelled and fail to
// decode with ErrInvalidLevel.
type WkstaInfo struct {
	Level        uint32
	WkstaInfo100 *WkstaInfo100
	WkstaInfo101 *WkstaInfo101
	WkstaInfo102 *WkstaInfo102
}

// wkstaInfoUnion is WKSTA_INFO for the levels WkstaInfo has no field for.
var wkstaInfoUnion = ndr.LevelUnion{
	Name: "WKSTA_INFO", Default: ndr.EmptyDefault, ErrLevel: ErrInvalidLevel,
	Unmodelled: []uint32{502, 1013, 1018, 1046},
}

// MarshalNDR implements ndr.Marshaler.
func (u *WkstaInfo) MarshalNDR(w *ndr.Writer) {
	w.Uint32(u.Level)
	switch u.Level {
	case 100:
		ndr.WritePtr(w, u.WkstaInfo100)
	case 101:
		ndr.WritePtr(w, u.WkstaInfo101)
	case 102:
		ndr.WritePtr(w, u.WkstaInfo102)
	default:
		wkstaInfoUnion.WriteOther(w, u.Level)
	}
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *WkstaInfo) UnmarshalNDR(r *ndr.Reader) error {
	*u = WkstaInfo{Level: r.Uint32()}
	switch u.Level {
	case 100:
		u.WkstaInfo100 = ndr.ReadPtr[WkstaInfo100](r)
	case 101:
		u.WkstaInfo101 = ndr.ReadPtr[WkstaInfo101](r)
	case 102:
		u.WkstaInfo102 = ndr.ReadPtr[WkstaInfo102](r)
	default:
		wkstaInfoUnion.ReadOther(r, u.Level)
	}
	return r.Err()
}

// NetrWkstaGetInfoRequest is the input of NetrWkstaGetInfo (opnum 0,
// MS-WKST 3.2.4.1).
type NetrWkstaGetInfoRequest struct {
	ServerName string
	Level      uint32
}

// NetrWkstaGetInfoResponse is the output of NetrWkstaGetInfo.
type NetrWkstaGetInfoResponse struct {
	WkstaInfo WkstaInfo
	Status    win32.Errno
}

// MarshalStub implements Message.
func (m *NetrWkstaGetInfoRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.Uint32(m.Level)
}

// UnmarshalStub implements Message.
func (m *NetrWkstaGetInfoRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrWkstaGetInfoRequest{}
	r.OptStringParam(&m.ServerName)
	m.Level = r.Uint32()
	return wrap("NetrWkstaGetInfo request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrWkstaGetInfoResponse) MarshalStub(w *ndr.Writer) {
	m.WkstaInfo.MarshalNDR(w)
	w.Flush()
	w.Uint32(uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrWkstaGetInfoResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrWkstaGetInfoResponse{}
	m.WkstaInfo.UnmarshalNDR(r)
	r.Flush()
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrWkstaGetInfo response", r.Err())
}

// WkstaUserInfo0 is WKSTA_USER_INFO_0 (MS-WKST 2.2.5.9).
type WkstaUserInfo0 struct {
	UserName string `json:"username"`
}

// WkstaUserInfo1 is WKSTA_USER_INFO_1 (MS-WKST 2.2.5.10).
type WkstaUserInfo1 struct {
	UserName    string `json:"username"`
	LogonDomain string `json:"logon_domain"`
	OthDomains  string `json:"oth_domains"`
	LogonServer string `json:"logon_server"`
}

// MarshalNDR implements ndr.Marshaler.
func (s *WkstaUserInfo0) MarshalNDR(w *ndr.Writer) { w.StringPtr(s.UserName) }

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *WkstaUserInfo0) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.UserName)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*WkstaUserInfo0) NDRScalarSize() int { return 4 }

// BufferSize is the bytes the entry takes in a 64-bit NetApi buffer: the
// native structure plus its strings (see srvs.ShareInfo0.BufferSize).
func (s *WkstaUserInfo0) BufferSize() int { return 8 + strSize(s.UserName) }

// MarshalNDR implements ndr.Marshaler.
func (s *WkstaUserInfo1) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(s.UserName)
	w.StringPtr(s.LogonDomain)
	w.StringPtr(s.OthDomains)
	w.StringPtr(s.LogonServer)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *WkstaUserInfo1) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.UserName)
	r.StringPtr(&s.LogonDomain)
	r.StringPtr(&s.OthDomains)
	r.StringPtr(&s.LogonServer)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*WkstaUserInfo1) NDRScalarSize() int { return 16 }

// BufferSize: see WkstaUserInfo0.BufferSize.
func (s *WkstaUserInfo1) BufferSize() int {
	return 32 + strSize(s.UserName) + strSize(s.LogonDomain) + strSize(s.OthDomains) + strSize(s.LogonServer)
}

// WkstaUserEnum is WKSTA_USER_ENUM_STRUCT (MS-WKST 2.2.5.14): the level
// and the entries in the slice of that level. A nil slice is a container
// with a NULL Buffer; NoEntries is a NULL container pointer. The union's
// default arm is empty, so another level travels as the discriminant alone.
type WkstaUserEnum struct {
	Level     uint32
	Level0    []WkstaUserInfo0
	Level1    []WkstaUserInfo1
	NoEntries bool `json:"-"`
}

// Len is the number of entries at the current level.
func (e *WkstaUserEnum) Len() int { return ndr.ContainerLen(e.arm()) }

// wkstaUserEnumUnion is WKSTA_USER_ENUM_UNION, for the levels WkstaUserEnum has no field for.
var wkstaUserEnumUnion = ndr.LevelUnion{Name: "WKSTA_USER_ENUM_UNION", Default: ndr.EmptyDefault, ErrLevel: ErrInvalidLevel}

// arm is the container of e's level, nil for a level without a Go arm.
func (e *WkstaUserEnum) arm() ndr.Container {
	switch e.Level {
	case 0:
		return ndr.Counted(&e.Level0)
	case 1:
		return ndr.Counted(&e.Level1)
	}
	return nil
}

// MarshalNDR implements ndr.Marshaler.
func (e *WkstaUserEnum) MarshalNDR(w *ndr.Writer) {
	wkstaUserEnumUnion.WriteEnum(w, e.Level, e.arm(), e.NoEntries)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (e *WkstaUserEnum) UnmarshalNDR(r *ndr.Reader) error {
	*e = WkstaUserEnum{Level: r.Uint32()}
	e.NoEntries = wkstaUserEnumUnion.ReadEnum(r, e.Level, e.arm())
	return r.Err()
}

// NetrWkstaUserEnumRequest is the input of NetrWkstaUserEnum (opnum 2,
// MS-WKST 3.2.4.3).
type NetrWkstaUserEnumRequest struct {
	ServerName             string
	UserInfo               WkstaUserEnum
	PreferredMaximumLength uint32
	ResumeHandle           *uint32
}

// NetrWkstaUserEnumResponse is the output of NetrWkstaUserEnum.
type NetrWkstaUserEnumResponse struct {
	UserInfo     WkstaUserEnum
	TotalEntries uint32
	ResumeHandle *uint32
	Status       win32.Errno
}

// MarshalStub implements Message.
func (m *NetrWkstaUserEnumRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	ndr.WriteEnumIn(w, &m.UserInfo, m.PreferredMaximumLength, m.ResumeHandle)
}

// UnmarshalStub implements Message.
func (m *NetrWkstaUserEnumRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrWkstaUserEnumRequest{}
	r.OptStringParam(&m.ServerName)
	ndr.ReadEnumIn(r, &m.UserInfo, &m.PreferredMaximumLength, &m.ResumeHandle)
	return wrap("NetrWkstaUserEnum request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrWkstaUserEnumResponse) MarshalStub(w *ndr.Writer) {
	ndr.WriteEnumOut(w, &m.UserInfo, m.TotalEntries, m.ResumeHandle, uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrWkstaUserEnumResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrWkstaUserEnumResponse{}
	ndr.ReadEnumOut(r, &m.UserInfo, &m.TotalEntries, &m.ResumeHandle, (*uint32)(&m.Status))
	return wrap("NetrWkstaUserEnum response", r.Err())
}
