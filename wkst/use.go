package wkst

import (
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// UseInfo0 is USE_INFO_0 (MS-WKST 2.2.5.22).
type UseInfo0 struct {
	Local  string `json:"local"`  // the device (E:, LPT1), "" for a deviceless use
	Remote string `json:"remote"` // \\server\share
}

// UseInfo1 is USE_INFO_1 (MS-WKST 2.2.5.23). Password is nil for NULL
// (the caller's credentials) and is never sent back by a server.
type UseInfo1 struct {
	Local    string  `json:"local"`
	Remote   string  `json:"remote"`
	Password *string `json:"password,omitempty"`
	Status   uint32  `json:"status"`   // USE_OK, USE_PAUSED, ...
	AsgType  uint32  `json:"asg_type"` // USE_DISKDEV, USE_IPC, ...
	RefCount uint32  `json:"refcount"`
	UseCount uint32  `json:"usecount"`
}

// UseInfo2 is USE_INFO_2 (MS-WKST 2.2.5.24), which carries a USE_INFO_1
// in place (embedded here, so its JSON fields are promoted as they are in
// the flat Win32 USE_INFO_2). UserName and DomainName are nil for NULL,
// which NetUseAdd takes as "the caller's".
type UseInfo2 struct {
	UseInfo1
	UserName   *string `json:"username"`
	DomainName *string `json:"domainname"`
}

// UseInfo3 is USE_INFO_3 (MS-WKST 2.2.5.25).
type UseInfo3 struct {
	UseInfo2
	Flags uint32 `json:"flags"` // reserved: sent as zero, ignored
}

// MarshalNDR implements ndr.Marshaler.
func (u *UseInfo0) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(u.Local)
	w.StringPtr(u.Remote)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *UseInfo0) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&u.Local)
	r.StringPtr(&u.Remote)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*UseInfo0) NDRScalarSize() int { return 8 }

// MarshalNDR implements ndr.Marshaler.
func (u *UseInfo1) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(u.Local)
	w.StringPtr(u.Remote)
	w.NullableStringPtr(u.Password)
	w.Uint32(u.Status)
	w.Uint32(u.AsgType)
	w.Uint32(u.RefCount)
	w.Uint32(u.UseCount)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *UseInfo1) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&u.Local)
	r.StringPtr(&u.Remote)
	r.NullableStringPtr(&u.Password)
	u.Status = r.Uint32()
	u.AsgType = r.Uint32()
	u.RefCount = r.Uint32()
	u.UseCount = r.Uint32()
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*UseInfo1) NDRScalarSize() int { return 28 }

// MarshalNDR implements ndr.Marshaler.
func (u *UseInfo2) MarshalNDR(w *ndr.Writer) {
	u.UseInfo1.MarshalNDR(w)
	w.NullableStringPtr(u.UserName)
	w.NullableStringPtr(u.DomainName)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *UseInfo2) UnmarshalNDR(r *ndr.Reader) error {
	u.UseInfo1.UnmarshalNDR(r)
	r.NullableStringPtr(&u.UserName)
	r.NullableStringPtr(&u.DomainName)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*UseInfo2) NDRScalarSize() int { return 36 }

// MarshalNDR implements ndr.Marshaler.
func (u *UseInfo3) MarshalNDR(w *ndr.Writer) {
	u.UseInfo2.MarshalNDR(w)
	w.Uint32(u.Flags)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *UseInfo3) UnmarshalNDR(r *ndr.Reader) error {
	u.UseInfo2.UnmarshalNDR(r)
	u.Flags = r.Uint32()
	return r.Err()
}

// BufferSize is the bytes the entry takes in a 64-bit NetUseEnum buffer:
// the native (flat) Win32 structure plus its strings.
func (u *UseInfo0) BufferSize() int { return 16 + strSize(u.Local) + strSize(u.Remote) }

// BufferSize: see UseInfo0.BufferSize.
func (u *UseInfo1) BufferSize() int {
	return 40 + strSize(u.Local) + strSize(u.Remote) + pstrSize(u.Password)
}

// BufferSize: see UseInfo0.BufferSize.
func (u *UseInfo2) BufferSize() int {
	return u.UseInfo1.BufferSize() + 16 + pstrSize(u.UserName) + pstrSize(u.DomainName)
}

// UseInfo is the USE_INFO union (MS-WKST 2.2.4.2) of NetrUseAdd and
// NetrUseGetInfo: the level and a pointer for that level, nil for NULL. Its
// default arm is empty, so another level travels as the discriminant alone.
type UseInfo struct {
	Level    uint32
	UseInfo0 *UseInfo0
	UseInfo1 *UseInfo1
	UseInfo2 *UseInfo2
	UseInfo3 *UseInfo3
}

// MarshalNDR implements ndr.Marshaler.
func (u *UseInfo) MarshalNDR(w *ndr.Writer) {
	w.Uint32(u.Level)
	switch u.Level {
	case 0:
		ndr.WritePtr(w, u.UseInfo0)
	case 1:
		ndr.WritePtr(w, u.UseInfo1)
	case 2:
		ndr.WritePtr(w, u.UseInfo2)
	case 3:
		ndr.WritePtr(w, u.UseInfo3)
	}
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *UseInfo) UnmarshalNDR(r *ndr.Reader) error {
	*u = UseInfo{Level: r.Uint32()}
	switch u.Level {
	case 0:
		u.UseInfo0 = ndr.ReadPtr[UseInfo0](r)
	case 1:
		u.UseInfo1 = ndr.ReadPtr[UseInfo1](r)
	case 2:
		u.UseInfo2 = ndr.ReadPtr[UseInfo2](r)
	case 3:
		u.UseInfo3 = ndr.ReadPtr[UseInfo3](r)
	}
	return r.Err()
}

// UseEnum is USE_ENUM_STRUCT (MS-WKST 2.2.5.29): the level (0, 1 or 2)
// and the entries in the slice of that level; see WkstaUserEnum.
//
// The containers' Buffer is a conformant array sized by EntriesRead. The
// IDL in MS-WKST 2.2.5.26-28 omits the size_is attribute, but Windows and
// Samba marshal an array (a single structure could not carry
// EntriesRead > 1), and so does lanman.
type UseEnum struct {
	Level     uint32
	Level0    []UseInfo0
	Level1    []UseInfo1
	Level2    []UseInfo2
	NoEntries bool `json:"-"`
}

// Len is the number of entries at the current level.
func (e *UseEnum) Len() int { return ndr.ContainerLen(e.arm()) }

// useEnumUnion is USE_ENUM_UNION, for the levels UseEnum has no field for.
var useEnumUnion = ndr.LevelUnion{Name: "USE_ENUM_UNION", Default: ndr.EmptyDefault, ErrLevel: ErrInvalidLevel}

// arm is the container of e's level, nil for a level without a Go arm.
func (e *UseEnum) arm() ndr.Container {
	switch e.Level {
	case 0:
		return ndr.Counted(&e.Level0)
	case 1:
		return ndr.Counted(&e.Level1)
	case 2:
		return ndr.Counted(&e.Level2)
	}
	return nil
}

// MarshalNDR implements ndr.Marshaler.
func (e *UseEnum) MarshalNDR(w *ndr.Writer) { useEnumUnion.WriteEnum(w, e.Level, e.arm(), e.NoEntries) }

// UnmarshalNDR implements ndr.Unmarshaler.
func (e *UseEnum) UnmarshalNDR(r *ndr.Reader) error {
	*e = UseEnum{Level: r.Uint32()}
	e.NoEntries = useEnumUnion.ReadEnum(r, e.Level, e.arm())
	return r.Err()
}

// NetrUseAddRequest is the input of NetrUseAdd (opnum 8, MS-WKST 3.2.4.7).
// The Level parameter is InfoStruct.Level.
type NetrUseAddRequest struct {
	ServerName     string
	InfoStruct     UseInfo
	ErrorParameter *uint32
}

// NetrUseAddResponse is the output of NetrUseAdd. ErrorParameter, when the
// caller passed one, names the offending USE_INFO member on
// ERROR_INVALID_PARAMETER.
type NetrUseAddResponse struct {
	ErrorParameter *uint32
	Status         win32.Errno
}

// MarshalStub implements Message.
func (m *NetrUseAddRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.Uint32(m.InfoStruct.Level)
	m.InfoStruct.MarshalNDR(w)
	w.Flush()
	w.Uint32PtrParam(m.ErrorParameter)
}

// UnmarshalStub implements Message.
func (m *NetrUseAddRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrUseAddRequest{}
	r.OptStringParam(&m.ServerName)
	level := r.Uint32()
	m.InfoStruct.UnmarshalNDR(r)
	if r.Err() == nil && m.InfoStruct.Level != level {
		r.Failf("union discriminant %d differs from level %d", m.InfoStruct.Level, level)
	}
	r.Flush()
	r.Uint32PtrParam(&m.ErrorParameter)
	return wrap("NetrUseAdd request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrUseAddResponse) MarshalStub(w *ndr.Writer) {
	w.Uint32PtrParam(m.ErrorParameter)
	w.Uint32(uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrUseAddResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrUseAddResponse{}
	r.Uint32PtrParam(&m.ErrorParameter)
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrUseAdd response", r.Err())
}

// NetrUseGetInfoRequest is the input of NetrUseGetInfo (opnum 9,
// MS-WKST 3.2.4.8). UseName is the device (E:) or the remote name.
type NetrUseGetInfoRequest struct {
	ServerName string
	UseName    string
	Level      uint32
}

// NetrUseGetInfoResponse is the output of NetrUseGetInfo.
type NetrUseGetInfoResponse struct {
	InfoStruct UseInfo
	Status     win32.Errno
}

// MarshalStub implements Message.
func (m *NetrUseGetInfoRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.String(m.UseName)
	w.Uint32(m.Level)
}

// UnmarshalStub implements Message.
func (m *NetrUseGetInfoRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrUseGetInfoRequest{}
	r.OptStringParam(&m.ServerName)
	m.UseName = r.String()
	m.Level = r.Uint32()
	return wrap("NetrUseGetInfo request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrUseGetInfoResponse) MarshalStub(w *ndr.Writer) {
	m.InfoStruct.MarshalNDR(w)
	w.Flush()
	w.Uint32(uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrUseGetInfoResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrUseGetInfoResponse{}
	m.InfoStruct.UnmarshalNDR(r)
	r.Flush()
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrUseGetInfo response", r.Err())
}

// NetrUseDelRequest is the input of NetrUseDel (opnum 10, MS-WKST 3.2.4.9).
type NetrUseDelRequest struct {
	ServerName string
	UseName    string
	ForceLevel uint32 // USE_NOFORCE, USE_FORCE, USE_LOTS_OF_FORCE
}

// NetrUseDelResponse is the output of NetrUseDel.
type NetrUseDelResponse struct {
	Status win32.Errno
}

// MarshalStub implements Message.
func (m *NetrUseDelRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.String(m.UseName)
	w.Uint32(m.ForceLevel)
}

// UnmarshalStub implements Message.
func (m *NetrUseDelRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrUseDelRequest{}
	r.OptStringParam(&m.ServerName)
	m.UseName = r.String()
	m.ForceLevel = r.Uint32()
	return wrap("NetrUseDel request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrUseDelResponse) MarshalStub(w *ndr.Writer) { w.Uint32(uint32(m.Status)) }

// UnmarshalStub implements Message.
func (m *NetrUseDelResponse) UnmarshalStub(r *ndr.Reader) error {
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrUseDel response", r.Err())
}

// NetrUseEnumRequest is the input of NetrUseEnum (opnum 11,
// MS-WKST 3.2.4.10).
type NetrUseEnumRequest struct {
	ServerName             string
	InfoStruct             UseEnum
	PreferredMaximumLength uint32
	ResumeHandle           *uint32
}

// NetrUseEnumResponse is the output of NetrUseEnum.
type NetrUseEnumResponse struct {
	InfoStruct   UseEnum
	TotalEntries uint32
	ResumeHandle *uint32
	Status       win32.Errno
}

// MarshalStub implements Message.
func (m *NetrUseEnumRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	ndr.WriteEnumIn(w, &m.InfoStruct, m.PreferredMaximumLength, m.ResumeHandle)
}

// UnmarshalStub implements Message.
func (m *NetrUseEnumRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrUseEnumRequest{}
	r.OptStringParam(&m.ServerName)
	ndr.ReadEnumIn(r, &m.InfoStruct, &m.PreferredMaximumLength, &m.ResumeHandle)
	return wrap("NetrUseEnum request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrUseEnumResponse) MarshalStub(w *ndr.Writer) {
	ndr.WriteEnumOut(w, &m.InfoStruct, m.TotalEntries, m.ResumeHandle, uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrUseEnumResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrUseEnumResponse{}
	ndr.ReadEnumOut(r, &m.InfoStruct, &m.TotalEntries, &m.ResumeHandle, (*uint32)(&m.Status))
	return wrap("NetrUseEnum response", r.Err())
}

// NDRScalarSize implements ndr.Elem.
func (*UseInfo3) NDRScalarSize() int { return 40 }

// BufferSize: see UseInfo0.BufferSize.
func (u *UseInfo3) BufferSize() int { return u.UseInfo2.BufferSize() + 8 }
