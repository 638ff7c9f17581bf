package srvs

import (
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// ShareInfo0 is SHARE_INFO_0 (MS-SRVS 2.2.4.22).
type ShareInfo0 struct {
	NetName string `json:"netname"`
}

// ShareInfo1 is SHARE_INFO_1 (MS-SRVS 2.2.4.23).
type ShareInfo1 struct {
	NetName string `json:"netname"`
	Type    uint32 `json:"type"` // STYPE_*
	Remark  string `json:"remark"`
}

// ShareInfo2 is SHARE_INFO_2 (MS-SRVS 2.2.4.24).
type ShareInfo2 struct {
	NetName     string `json:"netname"`
	Type        uint32 `json:"type"`
	Remark      string `json:"remark"`
	Permissions uint32 `json:"permissions"` // share-level security only
	MaxUses     uint32 `json:"max_uses"`    // 0xFFFFFFFF for unlimited
	CurrentUses uint32 `json:"current_uses"`
	Path        string `json:"path"`
	Passwd      string `json:"passwd"`
}

// ShareInfo502 is SHARE_INFO_502_I (MS-SRVS 2.2.4.26). The wire's
// shi502_reserved member is the length of SecurityDescriptor (a
// self-relative SECURITY_DESCRIPTOR, MS-DTYP 2.4.6) and is derived from it;
// a nil SecurityDescriptor is a NULL pointer.
type ShareInfo502 struct {
	NetName            string `json:"netname"`
	Type               uint32 `json:"type"`
	Remark             string `json:"remark"`
	Permissions        uint32 `json:"permissions"`
	MaxUses            uint32 `json:"max_uses"`
	CurrentUses        uint32 `json:"current_uses"`
	Path               string `json:"path"`
	Passwd             string `json:"passwd"`
	SecurityDescriptor []byte `json:"security_descriptor"`
}

// MarshalNDR implements ndr.Marshaler.
func (s *ShareInfo0) MarshalNDR(w *ndr.Writer) { w.StringPtr(s.NetName) }

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *ShareInfo0) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.NetName)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*ShareInfo0) NDRScalarSize() int { return 4 }

// MarshalNDR implements ndr.Marshaler.
func (s *ShareInfo1) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(s.NetName)
	w.Uint32(s.Type)
	w.StringPtr(s.Remark)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *ShareInfo1) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.NetName)
	s.Type = r.Uint32()
	r.StringPtr(&s.Remark)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*ShareInfo1) NDRScalarSize() int { return 12 }

// MarshalNDR implements ndr.Marshaler.
func (s *ShareInfo2) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(s.NetName)
	w.Uint32(s.Type)
	w.StringPtr(s.Remark)
	w.Uint32(s.Permissions)
	w.Uint32(s.MaxUses)
	w.Uint32(s.CurrentUses)
	w.StringPtr(s.Path)
	w.StringPtr(s.Passwd)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *ShareInfo2) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.NetName)
	s.Type = r.Uint32()
	r.StringPtr(&s.Remark)
	s.Permissions = r.Uint32()
	s.MaxUses = r.Uint32()
	s.CurrentUses = r.Uint32()
	r.StringPtr(&s.Path)
	r.StringPtr(&s.Passwd)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*ShareInfo2) NDRScalarSize() int { return 32 }

// MarshalNDR implements ndr.Marshaler.
func (s *ShareInfo502) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(s.NetName)
	w.Uint32(s.Type)
	w.StringPtr(s.Remark)
	w.Uint32(s.Permissions)
	w.Uint32(s.MaxUses)
	w.Uint32(s.CurrentUses)
	w.StringPtr(s.Path)
	w.StringPtr(s.Passwd)
	w.Uint32(uint32(len(s.SecurityDescriptor)))
	w.BytesPtr(s.SecurityDescriptor)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *ShareInfo502) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.NetName)
	s.Type = r.Uint32()
	r.StringPtr(&s.Remark)
	s.Permissions = r.Uint32()
	s.MaxUses = r.Uint32()
	s.CurrentUses = r.Uint32()
	r.StringPtr(&s.Path)
	r.StringPtr(&s.Passwd)
	n := r.Uint32()
	r.BytesPtr(&s.SecurityDescriptor, n)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*ShareInfo502) NDRScalarSize() int { return 40 }

// BufferSize is the bytes the entry takes in the buffer a Windows NetApi
// call returns: the structure as laid out natively on 64-bit Windows
// (pointers 8 bytes, aligned) plus each string's UTF-16 code units and
// NUL, plus any byte buffer. A server compares the running sum with
// PreferedMaximumLength to decide how many entries fit (MS-SRVS 3.1.4.8);
// using the 64-bit layout keeps the buffer a 64-bit client builds within
// the size it asked for.
func (s *ShareInfo0) BufferSize() int { return 8 + strSize(s.NetName) }

// BufferSize: see ShareInfo0.BufferSize.
func (s *ShareInfo1) BufferSize() int {
	return 24 + strSize(s.NetName) + strSize(s.Remark)
}

// BufferSize: see ShareInfo0.BufferSize.
func (s *ShareInfo2) BufferSize() int {
	return 56 + strSize(s.NetName) + strSize(s.Remark) + strSize(s.Path) + strSize(s.Passwd)
}

// BufferSize: see ShareInfo0.BufferSize.
func (s *ShareInfo502) BufferSize() int {
	return 72 + strSize(s.NetName) + strSize(s.Remark) + strSize(s.Path) + strSize(s.Passwd) +
		len(s.SecurityDescriptor)
}

// ShareEnum is SHARE_ENUM_STRUCT (MS-SRVS 2.2.4.38) with its
// SHARE_ENUM_UNION; see SessionEnum. Levels 501 and 503 are not modelled.
type ShareEnum struct {
	Level     uint32
	Level0    []ShareInfo0
	Level1    []ShareInfo1
	Level2    []ShareInfo2
	Level502  []ShareInfo502
	NoEntries bool `json:"-"`
}

// Len is the number of entries at the current level.
func (e *ShareEnum) Len() int { return ndr.ContainerLen(e.arm()) }

// shareEnumUnion is SHARE_ENUM_UNION, for the levels ShareEnum has no field for.
var shareEnumUnion = ndr.LevelUnion{Name: "SHARE_ENUM_UNION", Default: ndr.NoDefault, ErrLevel: ErrInvalidLevel}

// arm is the container of e's level, nil for a level without a Go arm.
func (e *ShareEnum) arm() ndr.Container {
	switch e.Level {
	case 0:
		return ndr.Counted(&e.Level0)
	case 1:
		return ndr.Counted(&e.Level1)
	case 2:
		return ndr.Counted(&e.Level2)
	case 502:
		return ndr.Counted(&e.Level502)
	}
	return nil
}

// MarshalNDR implements ndr.Marshaler.
func (e *ShareEnum) MarshalNDR(w *ndr.Writer) {
	shareEnumUnion.WriteEnum(w, e.Level, e.arm(), e.NoEntries)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (e *ShareEnum) UnmarshalNDR(r *ndr.Reader) error {
	*e = ShareEnum{Level: r.Uint32()}
	e.NoEntries = shareEnumUnion.ReadEnum(r, e.Level, e.arm())
	return r.Err()
}

// ShareInfo is the SHARE_INFO union (MS-SRVS 2.2.3.6) that
// NetrShareGetInfo returns: the level and a pointer for that level, nil
// when the server sent NULL. The union has an empty default arm, so a level
// it does not list travels as the discriminant alone; the listed levels
// 501, 503, 1004, 1005, 1006 and 1501 are not modelled and fail to decode
// with ErrInvalidLevel.
type ShareInfo struct {
	Level        uint32
	ShareInfo0   *ShareInfo0
	ShareInfo1   *ShareInfo1
	ShareInfo2   *ShareInfo2
	ShareInfo502 *ShareInfo502
}

// shareInfoUnion is SHARE_INFO for the levels ShareInfo has no field for.
var shareInfoUnion = ndr.LevelUnion{
	Name: "SHARE_INFO", Default: ndr.EmptyDefault, ErrLevel: ErrInvalidLevel,
	Unmodelled: []uint32{501, 503, 1004, 1005, 1006, 1501},
}

// MarshalNDR implements ndr.Marshaler.
func (u *ShareInfo) MarshalNDR(w *ndr.Writer) {
	w.Uint32(u.Level)
	switch u.Level {
	case 0:
		ndr.WritePtr(w, u.ShareInfo0)
	case 1:
		ndr.WritePtr(w, u.ShareInfo1)
	case 2:
		ndr.WritePtr(w, u.ShareInfo2)
	case 502:
		ndr.WritePtr(w, u.ShareInfo502)
	default:
		shareInfoUnion.WriteOther(w, u.Level)
	}
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *ShareInfo) UnmarshalNDR(r *ndr.Reader) error {
	*u = ShareInfo{Level: r.Uint32()}
	switch u.Level {
	case 0:
		u.ShareInfo0 = ndr.ReadPtr[ShareInfo0](r)
	case 1:
		u.ShareInfo1 = ndr.ReadPtr[ShareInfo1](r)
	case 2:
		u.ShareInfo2 = ndr.ReadPtr[ShareInfo2](r)
	case 502:
		u.ShareInfo502 = ndr.ReadPtr[ShareInfo502](r)
	default:
		shareInfoUnion.ReadOther(r, u.Level)
	}
	return r.Err()
}

// NetrShareEnumRequest is the input of NetrShareEnum (opnum 15,
// MS-SRVS 3.1.4.8).
type NetrShareEnumRequest struct {
	ServerName            string
	InfoStruct            ShareEnum
	PreferedMaximumLength uint32
	ResumeHandle          *uint32
}

// NetrShareEnumResponse is the output of NetrShareEnum.
type NetrShareEnumResponse struct {
	InfoStruct   ShareEnum
	TotalEntries uint32
	ResumeHandle *uint32
	Status       win32.Errno
}

// MarshalStub implements Message.
func (m *NetrShareEnumRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	ndr.WriteEnumIn(w, &m.InfoStruct, m.PreferedMaximumLength, m.ResumeHandle)
}

// UnmarshalStub implements Message.
func (m *NetrShareEnumRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrShareEnumRequest{}
	r.OptStringParam(&m.ServerName)
	ndr.ReadEnumIn(r, &m.InfoStruct, &m.PreferedMaximumLength, &m.ResumeHandle)
	return wrap("NetrShareEnum request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrShareEnumResponse) MarshalStub(w *ndr.Writer) {
	ndr.WriteEnumOut(w, &m.InfoStruct, m.TotalEntries, m.ResumeHandle, uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrShareEnumResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrShareEnumResponse{}
	ndr.ReadEnumOut(r, &m.InfoStruct, &m.TotalEntries, &m.ResumeHandle, (*uint32)(&m.Status))
	return wrap("NetrShareEnum response", r.Err())
}

// NetrShareGetInfoRequest is the input of NetrShareGetInfo (opnum 16,
// MS-SRVS 3.1.4.10).
type NetrShareGetInfoRequest struct {
	ServerName string
	NetName    string // [in, string] ref: always sent, even if empty
	Level      uint32
}

// NetrShareGetInfoResponse is the output of NetrShareGetInfo.
type NetrShareGetInfoResponse struct {
	InfoStruct ShareInfo
	Status     win32.Errno
}

// MarshalStub implements Message.
func (m *NetrShareGetInfoRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.String(m.NetName)
	w.Uint32(m.Level)
}

// UnmarshalStub implements Message.
func (m *NetrShareGetInfoRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrShareGetInfoRequest{}
	r.OptStringParam(&m.ServerName)
	m.NetName = r.String()
	m.Level = r.Uint32()
	return wrap("NetrShareGetInfo request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrShareGetInfoResponse) MarshalStub(w *ndr.Writer) {
	m.InfoStruct.MarshalNDR(w)
	w.Flush()
	w.Uint32(uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrShareGetInfoResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrShareGetInfoResponse{}
	m.InfoStruct.UnmarshalNDR(r)
	r.Flush()
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrShareGetInfo response", r.Err())
}
