package srvs

import (
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// SessionInfo0 is SESSION_INFO_0 (MS-SRVS 2.2.4.11).
type SessionInfo0 struct {
	ClientName string `json:"cname"`
}

// SessionInfo1 is SESSION_INFO_1 (MS-SRVS 2.2.4.12).
type SessionInfo1 struct {
	ClientName string `json:"cname"`
	UserName   string `json:"username"`
	NumOpens   uint32 `json:"num_opens"`
	Time       uint32 `json:"time"`      // seconds the session has been active
	IdleTime   uint32 `json:"idle_time"` // seconds since the last request
	UserFlags  uint32 `json:"user_flags"`
}

// SessionInfo2 is SESSION_INFO_2 (MS-SRVS 2.2.4.13).
type SessionInfo2 struct {
	ClientName string `json:"cname"`
	UserName   string `json:"username"`
	NumOpens   uint32 `json:"num_opens"`
	Time       uint32 `json:"time"`
	IdleTime   uint32 `json:"idle_time"`
	UserFlags  uint32 `json:"user_flags"`
	ClientType string `json:"cltype_name"`
}

// SessionInfo10 is SESSION_INFO_10 (MS-SRVS 2.2.4.14).
type SessionInfo10 struct {
	ClientName string `json:"cname"`
	UserName   string `json:"username"`
	Time       uint32 `json:"time"`
	IdleTime   uint32 `json:"idle_time"`
}

// SessionInfo502 is SESSION_INFO_502 (MS-SRVS 2.2.4.15).
type SessionInfo502 struct {
	ClientName string `json:"cname"`
	UserName   string `json:"username"`
	NumOpens   uint32 `json:"num_opens"`
	Time       uint32 `json:"time"`
	IdleTime   uint32 `json:"idle_time"`
	UserFlags  uint32 `json:"user_flags"`
	ClientType string `json:"cltype_name"`
	Transport  string `json:"transport"`
}

// MarshalNDR implements ndr.Marshaler.
func (s *SessionInfo0) MarshalNDR(w *ndr.Writer) { w.StringPtr(s.ClientName) }

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *SessionInfo0) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.ClientName)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*SessionInfo0) NDRScalarSize() int { return 4 }

// MarshalNDR implements ndr.Marshaler.
func (s *SessionInfo1) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(s.ClientName)
	w.StringPtr(s.UserName)
	w.Uint32(s.NumOpens)
	w.Uint32(s.Time)
	w.Uint32(s.IdleTime)
	w.Uint32(s.UserFlags)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *SessionInfo1) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.ClientName)
	r.StringPtr(&s.UserName)
	s.NumOpens = r.Uint32()
	s.Time = r.Uint32()
	s.IdleTime = r.Uint32()
	s.UserFlags = r.Uint32()
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*SessionInfo1) NDRScalarSize() int { return 24 }

// MarshalNDR implements ndr.Marshaler.
func (s *SessionInfo2) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(s.ClientName)
	w.StringPtr(s.UserName)
	w.Uint32(s.NumOpens)
	w.Uint32(s.Time)
	w.Uint32(s.IdleTime)
	w.Uint32(s.UserFlags)
	w.StringPtr(s.ClientType)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *SessionInfo2) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.ClientName)
	r.StringPtr(&s.UserName)
	s.NumOpens = r.Uint32()
	s.Time = r.Uint32()
	s.IdleTime = r.Uint32()
	s.UserFlags = r.Uint32()
	r.StringPtr(&s.ClientType)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*SessionInfo2) NDRScalarSize() int { return 28 }

// MarshalNDR implements ndr.Marshaler.
func (s *SessionInfo10) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(s.ClientName)
	w.StringPtr(s.UserName)
	w.Uint32(s.Time)
	w.Uint32(s.IdleTime)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *SessionInfo10) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.ClientName)
	r.StringPtr(&s.UserName)
	s.Time = r.Uint32()
	s.IdleTime = r.Uint32()
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*SessionInfo10) NDRScalarSize() int { return 16 }

// MarshalNDR implements ndr.Marshaler.
func (s *SessionInfo502) MarshalNDR(w *ndr.Writer) {
	w.StringPtr(s.ClientName)
	w.StringPtr(s.UserName)
	w.Uint32(s.NumOpens)
	w.Uint32(s.Time)
	w.Uint32(s.IdleTime)
	w.Uint32(s.UserFlags)
	w.StringPtr(s.ClientType)
	w.StringPtr(s.Transport)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *SessionInfo502) UnmarshalNDR(r *ndr.Reader) error {
	r.StringPtr(&s.ClientName)
	r.StringPtr(&s.UserName)
	s.NumOpens = r.Uint32()
	s.Time = r.Uint32()
	s.IdleTime = r.Uint32()
	s.UserFlags = r.Uint32()
	r.StringPtr(&s.ClientType)
	r.StringPtr(&s.Transport)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*SessionInfo502) NDRScalarSize() int { return 32 }

// BufferSize is the bytes the entry takes in a Windows NetSessionEnum
// buffer: the 64-bit native structure plus its strings (see
// ShareInfo0.BufferSize for the rationale). Servers count it against
// PreferedMaximumLength.
func (s *SessionInfo0) BufferSize() int { return 8 + strSize(s.ClientName) }

// BufferSize: see SessionInfo0.BufferSize.
func (s *SessionInfo1) BufferSize() int {
	return 32 + strSize(s.ClientName) + strSize(s.UserName)
}

// BufferSize: see SessionInfo0.BufferSize.
func (s *SessionInfo2) BufferSize() int {
	return 40 + strSize(s.ClientName) + strSize(s.UserName) + strSize(s.ClientType)
}

// BufferSize: see SessionInfo0.BufferSize.
func (s *SessionInfo10) BufferSize() int {
	return 24 + strSize(s.ClientName) + strSize(s.UserName)
}

// BufferSize: see SessionInfo0.BufferSize.
func (s *SessionInfo502) BufferSize() int {
	return 48 + strSize(s.ClientName) + strSize(s.UserName) + strSize(s.ClientType) + strSize(s.Transport)
}

// SessionEnum is SESSION_ENUM_STRUCT (MS-SRVS 2.2.4.21) with its
// SESSION_ENUM_UNION: the level, and the entries in the slice of that level
// (the others are ignored). A nil slice is sent as a container with a NULL
// Buffer, which is what a client puts in a request.
type SessionEnum struct {
	Level     uint32
	Level0    []SessionInfo0
	Level1    []SessionInfo1
	Level2    []SessionInfo2
	Level10   []SessionInfo10
	Level502  []SessionInfo502
	NoEntries bool `json:"-"` // the union's container pointer was (or is to be sent) NULL
}

// Len is the number of entries at the current level.
func (e *SessionEnum) Len() int { return ndr.ContainerLen(e.arm()) }

// sessionEnumUnion is SESSION_ENUM_UNION, for the levels SessionEnum has no field for.
var sessionEnumUnion = ndr.LevelUnion{Name: "SESSION_ENUM_UNION", Default: ndr.NoDefault, ErrLevel: ErrInvalidLevel}

// arm is the container of e's level, nil for a level without a Go arm.
func (e *SessionEnum) arm() ndr.Container {
	switch e.Level {
	case 0:
		return ndr.Counted(&e.Level0)
	case 1:
		return ndr.Counted(&e.Level1)
	case 2:
		return ndr.Counted(&e.Level2)
	case 10:
		return ndr.Counted(&e.Level10)
	case 502:
		return ndr.Counted(&e.Level502)
	}
	return nil
}

// MarshalNDR implements ndr.Marshaler.
func (e *SessionEnum) MarshalNDR(w *ndr.Writer) {
	sessionEnumUnion.WriteEnum(w, e.Level, e.arm(), e.NoEntries)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (e *SessionEnum) UnmarshalNDR(r *ndr.Reader) error {
	*e = SessionEnum{Level: r.Uint32()}
	e.NoEntries = sessionEnumUnion.ReadEnum(r, e.Level, e.arm())
	return r.Err()
}

// NetrSessionEnumRequest is the input of NetrSessionEnum (opnum 12,
// MS-SRVS 3.1.4.5).
type NetrSessionEnumRequest struct {
	ServerName            string
	ClientName            string // qualifier: "" for all, else `\\name`
	UserName              string // qualifier: "" for all
	InfoStruct            SessionEnum
	PreferedMaximumLength uint32
	ResumeHandle          *uint32
}

// NetrSessionEnumResponse is the output of NetrSessionEnum.
type NetrSessionEnumResponse struct {
	InfoStruct   SessionEnum
	TotalEntries uint32
	ResumeHandle *uint32
	Status       win32.Errno
}

// MarshalStub implements Message.
func (m *NetrSessionEnumRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.OptStringParam(m.ClientName)
	w.OptStringParam(m.UserName)
	ndr.WriteEnumIn(w, &m.InfoStruct, m.PreferedMaximumLength, m.ResumeHandle)
}

// UnmarshalStub implements Message.
func (m *NetrSessionEnumRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrSessionEnumRequest{}
	r.OptStringParam(&m.ServerName)
	r.OptStringParam(&m.ClientName)
	r.OptStringParam(&m.UserName)
	ndr.ReadEnumIn(r, &m.InfoStruct, &m.PreferedMaximumLength, &m.ResumeHandle)
	return wrap("NetrSessionEnum request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrSessionEnumResponse) MarshalStub(w *ndr.Writer) {
	ndr.WriteEnumOut(w, &m.InfoStruct, m.TotalEntries, m.ResumeHandle, uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrSessionEnumResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrSessionEnumResponse{}
	ndr.ReadEnumOut(r, &m.InfoStruct, &m.TotalEntries, &m.ResumeHandle, (*uint32)(&m.Status))
	return wrap("NetrSessionEnum response", r.Err())
}

// NetrSessionDelRequest is the input of NetrSessionDel (opnum 13,
// MS-SRVS 3.1.4.6): the sessions of ClientName, of UserName, or of both.
type NetrSessionDelRequest struct {
	ServerName string
	ClientName string
	UserName   string
}

// NetrSessionDelResponse is the output of NetrSessionDel.
type NetrSessionDelResponse struct {
	Status win32.Errno
}

// MarshalStub implements Message.
func (m *NetrSessionDelRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.OptStringParam(m.ClientName)
	w.OptStringParam(m.UserName)
}

// UnmarshalStub implements Message.
func (m *NetrSessionDelRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrSessionDelRequest{}
	r.OptStringParam(&m.ServerName)
	r.OptStringParam(&m.ClientName)
	r.OptStringParam(&m.UserName)
	return wrap("NetrSessionDel request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrSessionDelResponse) MarshalStub(w *ndr.Writer) { w.Uint32(uint32(m.Status)) }

// UnmarshalStub implements Message.
func (m *NetrSessionDelResponse) UnmarshalStub(r *ndr.Reader) error {
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrSessionDel response", r.Err())
}
