package srvs

import (
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// ConnectionInfo0 is CONNECTION_INFO_0 (MS-SRVS 2.2.4.1).
type ConnectionInfo0 struct {
	ID uint32 `json:"id"`
}

// ConnectionInfo1 is CONNECTION_INFO_1 (MS-SRVS 2.2.4.2).
type ConnectionInfo1 struct {
	ID       uint32 `json:"id"`
	Type     uint32 `json:"type"` // STYPE_* of the share
	NumOpens uint32 `json:"num_opens"`
	NumUsers uint32 `json:"num_users"`
	Time     uint32 `json:"time"`     // seconds the connection has existed
	UserName string `json:"username"` // or the client's name, when qualified by share
	NetName  string `json:"netname"`  // the share, or the client's name, when qualified by client
}

// MarshalNDR implements ndr.Marshaler.
func (c *ConnectionInfo0) MarshalNDR(w *ndr.Writer) { w.Uint32(c.ID) }

// UnmarshalNDR implements ndr.Unmarshaler.
func (c *ConnectionInfo0) UnmarshalNDR(r *ndr.Reader) error {
	c.ID = r.Uint32()
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*ConnectionInfo0) NDRScalarSize() int { return 4 }

// MarshalNDR implements ndr.Marshaler.
func (c *ConnectionInfo1) MarshalNDR(w *ndr.Writer) {
	w.Uint32(c.ID)
	w.Uint32(c.Type)
	w.Uint32(c.NumOpens)
	w.Uint32(c.NumUsers)
	w.Uint32(c.Time)
	w.StringPtr(c.UserName)
	w.StringPtr(c.NetName)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (c *ConnectionInfo1) UnmarshalNDR(r *ndr.Reader) error {
	c.ID = r.Uint32()
	c.Type = r.Uint32()
	c.NumOpens = r.Uint32()
	c.NumUsers = r.Uint32()
	c.Time = r.Uint32()
	r.StringPtr(&c.UserName)
	r.StringPtr(&c.NetName)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*ConnectionInfo1) NDRScalarSize() int { return 28 }

// BufferSize: see ShareInfo0.BufferSize.
func (c *ConnectionInfo0) BufferSize() int { return 4 }

// BufferSize: see ShareInfo0.BufferSize.
func (c *ConnectionInfo1) BufferSize() int {
	return 40 + strSize(c.UserName) + strSize(c.NetName)
}

// ConnectEnum is CONNECT_ENUM_STRUCT (MS-SRVS 2.2.4.5) with its
// CONNECT_ENUM_UNION; see SessionEnum.
type ConnectEnum struct {
	Level     uint32
	Level0    []ConnectionInfo0
	Level1    []ConnectionInfo1
	NoEntries bool `json:"-"`
}

// Len is the number of entries at the current level.
func (e *ConnectEnum) Len() int { return ndr.ContainerLen(e.arm()) }

// connectEnumUnion is CONNECT_ENUM_UNION, for the levels ConnectEnum has no field for.
var connectEnumUnion = ndr.LevelUnion{Name: "CONNECT_ENUM_UNION", Default: ndr.NoDefault, ErrLevel: ErrInvalidLevel}

// arm is the container of e's level, nil for a level without a Go arm.
func (e *ConnectEnum) arm() ndr.Container {
	switch e.Level {
	case 0:
		return ndr.Counted(&e.Level0)
	case 1:
		return ndr.Counted(&e.Level1)
	}
	return nil
}

// MarshalNDR implements ndr.Marshaler.
func (e *ConnectEnum) MarshalNDR(w *ndr.Writer) {
	connectEnumUnion.WriteEnum(w, e.Level, e.arm(), e.NoEntries)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (e *ConnectEnum) UnmarshalNDR(r *ndr.Reader) error {
	*e = ConnectEnum{Level: r.Uint32()}
	e.NoEntries = connectEnumUnion.ReadEnum(r, e.Level, e.arm())
	return r.Err()
}

// NetrConnectionEnumRequest is the input of NetrConnectionEnum (opnum 8,
// MS-SRVS 3.1.4.1). Qualifier is a share name, or a client name starting
// with `\\`; MS-SRVS requires one.
type NetrConnectionEnumRequest struct {
	ServerName            string
	Qualifier             string
	InfoStruct            ConnectEnum
	PreferedMaximumLength uint32
	ResumeHandle          *uint32
}

// NetrConnectionEnumResponse is the output of NetrConnectionEnum.
type NetrConnectionEnumResponse struct {
	InfoStruct   ConnectEnum
	TotalEntries uint32
	ResumeHandle *uint32
	Status       win32.Errno
}

// MarshalStub implements Message.
func (m *NetrConnectionEnumRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.OptStringParam(m.Qualifier)
	ndr.WriteEnumIn(w, &m.InfoStruct, m.PreferedMaximumLength, m.ResumeHandle)
}

// UnmarshalStub implements Message.
func (m *NetrConnectionEnumRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrConnectionEnumRequest{}
	r.OptStringParam(&m.ServerName)
	r.OptStringParam(&m.Qualifier)
	ndr.ReadEnumIn(r, &m.InfoStruct, &m.PreferedMaximumLength, &m.ResumeHandle)
	return wrap("NetrConnectionEnum request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrConnectionEnumResponse) MarshalStub(w *ndr.Writer) {
	ndr.WriteEnumOut(w, &m.InfoStruct, m.TotalEntries, m.ResumeHandle, uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrConnectionEnumResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrConnectionEnumResponse{}
	ndr.ReadEnumOut(r, &m.InfoStruct, &m.TotalEntries, &m.ResumeHandle, (*uint32)(&m.Status))
	return wrap("NetrConnectionEnum response", r.Err())
}
