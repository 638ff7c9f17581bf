package srvs

import (
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// ServerInfo100 is SERVER_INFO_100 (MS-SRVS 2.2.4.40).
type ServerInfo100 struct {
	PlatformID uint32 `json:"platform_id"` // PLATFORM_ID_*
	Name       string `json:"name"`
}

// ServerInfo101 is SERVER_INFO_101 (MS-SRVS 2.2.4.41).
type ServerInfo101 struct {
	PlatformID   uint32 `json:"platform_id"`
	Name         string `json:"name"`
	VersionMajor uint32 `json:"version_major"`
	VersionMinor uint32 `json:"version_minor"`
	Type         uint32 `json:"type"` // SV_TYPE_*
	Comment      string `json:"comment"`
}

// ServerInfo102 is SERVER_INFO_102 (MS-SRVS 2.2.4.42).
type ServerInfo102 struct {
	PlatformID   uint32 `json:"platform_id"`
	Name         string `json:"name"`
	VersionMajor uint32 `json:"version_major"`
	VersionMinor uint32 `json:"version_minor"`
	Type         uint32 `json:"type"`
	Comment      string `json:"comment"`
	Users        uint32 `json:"users"`
	Disc         int32  `json:"disc"`   // auto-disconnect minutes; -1 for never
	Hidden       int32  `json:"hidden"` // BOOL
	Announce     uint32 `json:"announce"`
	AnnDelta     uint32 `json:"anndelta"`
	Licenses     uint32 `json:"licenses"`
	UserPath     string `json:"userpath"`
}

// MarshalNDR implements ndr.Marshaler.
func (s *ServerInfo100) MarshalNDR(w *ndr.Writer) {
	w.Uint32(s.PlatformID)
	w.StringPtr(s.Name)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *ServerInfo100) UnmarshalNDR(r *ndr.Reader) error {
	s.PlatformID = r.Uint32()
	r.StringPtr(&s.Name)
	return r.Err()
}

// MarshalNDR implements ndr.Marshaler.
func (s *ServerInfo101) MarshalNDR(w *ndr.Writer) {
	w.Uint32(s.PlatformID)
	w.StringPtr(s.Name)
	w.Uint32(s.VersionMajor)
	w.Uint32(s.VersionMinor)
	w.Uint32(s.Type)
	w.StringPtr(s.Comment)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *ServerInfo101) UnmarshalNDR(r *ndr.Reader) error {
	s.PlatformID = r.Uint32()
	r.StringPtr(&s.Name)
	s.VersionMajor = r.Uint32()
	s.VersionMinor = r.Uint32()
	s.Type = r.Uint32()
	r.StringPtr(&s.Comment)
	return r.Err()
}

// MarshalNDR implements ndr.Marshaler.
func (s *ServerInfo102) MarshalNDR(w *ndr.Writer) {
	w.Uint32(s.PlatformID)
	w.StringPtr(s.Name)
	w.Uint32(s.VersionMajor)
	w.Uint32(s.VersionMinor)
	w.Uint32(s.Type)
	w.StringPtr(s.Comment)
	w.Uint32(s.Users)
	w.Int32(s.Disc)
	w.Int32(s.Hidden)
	w.Uint32(s.Announce)
	w.Uint32(s.AnnDelta)
	w.Uint32(s.Licenses)
	w.StringPtr(s.UserPath)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (s *ServerInfo102) UnmarshalNDR(r *ndr.Reader) error {
	s.PlatformID = r.Uint32()
	r.StringPtr(&s.Name)
	s.VersionMajor = r.Uint32()
	s.VersionMinor = r.Uint32()
	s.Type = r.Uint32()
	r.StringPtr(&s.Comment)
	s.Users = r.Uint32()
	s.Disc = r.Int32()
	s.Hidden = r.Int32()
	s.Announce = r.Uint32()
	s.AnnDelta = r.Uint32()
	s.Licenses = r.Uint32()
	r.StringPtr(&s.UserPath)
	return r.Err()
}

// ServerInfo is the SERVER_INFO union (MS-SRVS 2.2.3.7) that
// NetrServerGetInfo returns, for levels 100, 101 and 102; a pointer is nil
// when the server sent NULL. Other levels travel as the discriminant and a
// NULL pointer (see the package's handling of unknown levels).
type ServerInfo struct {
	Level         uint32
	ServerInfo100 *ServerInfo100
	ServerInfo101 *ServerInfo101
	ServerInfo102 *ServerInfo102
}

// serverInfoUnion is SERVER_INFO for the levels lanman does not model;
// lanman declares no default arm for it.
var serverInfoUnion = ndr.LevelUnion{Name: "SERVER_INFO", Default: ndr.NoDefault, ErrLevel: ErrInvalidLevel}

// MarshalNDR implements ndr.Marshaler.
func (u *ServerInfo) MarshalNDR(w *ndr.Writer) {
	w.Uint32(u.Level)
	switch u.Level {
	case 100:
		ndr.WritePtr(w, u.ServerInfo100)
	case 101:
		ndr.WritePtr(w, u.ServerInfo101)
	case 102:
		ndr.WritePtr(w, u.ServerInfo102)
	default:
		serverInfoUnion.WriteOther(w, u.Level)
	}
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *ServerInfo) UnmarshalNDR(r *ndr.Reader) error {
	*u = ServerInfo{Level: r.Uint32()}
	switch u.Level {
	case 100:
		u.ServerInfo100 = ndr.ReadPtr[ServerInfo100](r)
	case 101:
		u.ServerInfo101 = ndr.ReadPtr[ServerInfo101](r)
	case 102:
		u.ServerInfo102 = ndr.ReadPtr[ServerInfo102](r)
	default:
		serverInfoUnion.ReadOther(r, u.Level)
	}
	return r.Err()
}

// NetrServerGetInfoRequest is the input of NetrServerGetInfo (opnum 21,
// MS-SRVS 3.1.4.17).
type NetrServerGetInfoRequest struct {
	ServerName string
	Level      uint32
}

// NetrServerGetInfoResponse is the output of NetrServerGetInfo.
type NetrServerGetInfoResponse struct {
	InfoStruct ServerInfo
	Status     win32.Errno
}

// MarshalStub implements Message.
func (m *NetrServerGetInfoRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.Uint32(m.Level)
}

// UnmarshalStub implements Message.
func (m *NetrServerGetInfoRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrServerGetInfoRequest{}
	r.OptStringParam(&m.ServerName)
	m.Level = r.Uint32()
	return wrap("NetrServerGetInfo request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrServerGetInfoResponse) MarshalStub(w *ndr.Writer) {
	m.InfoStruct.MarshalNDR(w)
	w.Flush()
	w.Uint32(uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrServerGetInfoResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrServerGetInfoResponse{}
	m.InfoStruct.UnmarshalNDR(r)
	r.Flush()
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrServerGetInfo response", r.Err())
}
