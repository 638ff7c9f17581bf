package srvs

import (
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// FileInfo2 is FILE_INFO_2 (MS-SRVS 2.2.4.6).
type FileInfo2 struct {
	ID uint32 `json:"id"`
}

// FileInfo3 is FILE_INFO_3 (MS-SRVS 2.2.4.7).
type FileInfo3 struct {
	ID          uint32 `json:"id"`
	Permissions uint32 `json:"permissions"` // PERM_FILE_* and ACCESS_*
	NumLocks    uint32 `json:"num_locks"`
	PathName    string `json:"pathname"`
	UserName    string `json:"username"`
}

// MarshalNDR implements ndr.Marshaler.
func (f *FileInfo2) MarshalNDR(w *ndr.Writer) { w.Uint32(f.ID) }

// UnmarshalNDR implements ndr.Unmarshaler.
func (f *FileInfo2) UnmarshalNDR(r *ndr.Reader) error {
	f.ID = r.Uint32()
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*FileInfo2) NDRScalarSize() int { return 4 }

// MarshalNDR implements ndr.Marshaler.
func (f *FileInfo3) MarshalNDR(w *ndr.Writer) {
	w.Uint32(f.ID)
	w.Uint32(f.Permissions)
	w.Uint32(f.NumLocks)
	w.StringPtr(f.PathName)
	w.StringPtr(f.UserName)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (f *FileInfo3) UnmarshalNDR(r *ndr.Reader) error {
	f.ID = r.Uint32()
	f.Permissions = r.Uint32()
	f.NumLocks = r.Uint32()
	r.StringPtr(&f.PathName)
	r.StringPtr(&f.UserName)
	return r.Err()
}

// NDRScalarSize implements ndr.Elem.
func (*FileInfo3) NDRScalarSize() int { return 20 }

// BufferSize: see ShareInfo0.BufferSize.
func (f *FileInfo2) BufferSize() int { return 4 }

// BufferSize: see ShareInfo0.BufferSize.
func (f *FileInfo3) BufferSize() int {
	return 32 + strSize(f.PathName) + strSize(f.UserName)
}

// FileEnum is FILE_ENUM_STRUCT (MS-SRVS 2.2.4.10) with its
// FILE_ENUM_UNION; see SessionEnum.
type FileEnum struct {
	Level     uint32
	Level2    []FileInfo2
	Level3    []FileInfo3
	NoEntries bool `json:"-"`
}

// Len is the number of entries at the current level.
func (e *FileEnum) Len() int { return ndr.ContainerLen(e.arm()) }

// fileEnumUnion is FILE_ENUM_UNION, for the levels FileEnum has no field for.
var fileEnumUnion = ndr.LevelUnion{Name: "FILE_ENUM_UNION", Default: ndr.NoDefault, ErrLevel: ErrInvalidLevel}

// arm is the container of e's level, nil for a level without a Go arm.
func (e *FileEnum) arm() ndr.Container {
	switch e.Level {
	case 2:
		return ndr.Counted(&e.Level2)
	case 3:
		return ndr.Counted(&e.Level3)
	}
	return nil
}

// MarshalNDR implements ndr.Marshaler.
func (e *FileEnum) MarshalNDR(w *ndr.Writer) {
	fileEnumUnion.WriteEnum(w, e.Level, e.arm(), e.NoEntries)
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (e *FileEnum) UnmarshalNDR(r *ndr.Reader) error {
	*e = FileEnum{Level: r.Uint32()}
	e.NoEntries = fileEnumUnion.ReadEnum(r, e.Level, e.arm())
	return r.Err()
}

// FileInfo is the FILE_INFO union (MS-SRVS 2.2.3.3) that NetrFileGetInfo
// returns: the level and a pointer for that level, nil when the server sent
// NULL (as it does with an error).
type FileInfo struct {
	Level     uint32
	FileInfo2 *FileInfo2
	FileInfo3 *FileInfo3
}

// fileInfoUnion is FILE_INFO, which has no default arm.
var fileInfoUnion = ndr.LevelUnion{Name: "FILE_INFO", Default: ndr.NoDefault, ErrLevel: ErrInvalidLevel}

// MarshalNDR implements ndr.Marshaler.
func (u *FileInfo) MarshalNDR(w *ndr.Writer) {
	w.Uint32(u.Level)
	switch u.Level {
	case 2:
		ndr.WritePtr(w, u.FileInfo2)
	case 3:
		ndr.WritePtr(w, u.FileInfo3)
	default:
		fileInfoUnion.WriteOther(w, u.Level)
	}
}

// UnmarshalNDR implements ndr.Unmarshaler.
func (u *FileInfo) UnmarshalNDR(r *ndr.Reader) error {
	*u = FileInfo{Level: r.Uint32()}
	switch u.Level {
	case 2:
		u.FileInfo2 = ndr.ReadPtr[FileInfo2](r)
	case 3:
		u.FileInfo3 = ndr.ReadPtr[FileInfo3](r)
	default:
		fileInfoUnion.ReadOther(r, u.Level)
	}
	return r.Err()
}

// NetrFileEnumRequest is the input of NetrFileEnum (opnum 9,
// MS-SRVS 3.1.4.2). BasePath and UserName qualify the opens returned.
type NetrFileEnumRequest struct {
	ServerName            string
	BasePath              string
	UserName              string
	InfoStruct            FileEnum
	PreferedMaximumLength uint32
	ResumeHandle          *uint32
}

// NetrFileEnumResponse is the output of NetrFileEnum.
type NetrFileEnumResponse struct {
	InfoStruct   FileEnum
	TotalEntries uint32
	ResumeHandle *uint32
	Status       win32.Errno
}

// MarshalStub implements Message.
func (m *NetrFileEnumRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.OptStringParam(m.BasePath)
	w.OptStringParam(m.UserName)
	ndr.WriteEnumIn(w, &m.InfoStruct, m.PreferedMaximumLength, m.ResumeHandle)
}

// UnmarshalStub implements Message.
func (m *NetrFileEnumRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrFileEnumRequest{}
	r.OptStringParam(&m.ServerName)
	r.OptStringParam(&m.BasePath)
	r.OptStringParam(&m.UserName)
	ndr.ReadEnumIn(r, &m.InfoStruct, &m.PreferedMaximumLength, &m.ResumeHandle)
	return wrap("NetrFileEnum request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrFileEnumResponse) MarshalStub(w *ndr.Writer) {
	ndr.WriteEnumOut(w, &m.InfoStruct, m.TotalEntries, m.ResumeHandle, uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrFileEnumResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrFileEnumResponse{}
	ndr.ReadEnumOut(r, &m.InfoStruct, &m.TotalEntries, &m.ResumeHandle, (*uint32)(&m.Status))
	return wrap("NetrFileEnum response", r.Err())
}

// NetrFileGetInfoRequest is the input of NetrFileGetInfo (opnum 10,
// MS-SRVS 3.1.4.3).
type NetrFileGetInfoRequest struct {
	ServerName string
	FileID     uint32
	Level      uint32
}

// NetrFileGetInfoResponse is the output of NetrFileGetInfo.
type NetrFileGetInfoResponse struct {
	InfoStruct FileInfo
	Status     win32.Errno
}

// MarshalStub implements Message.
func (m *NetrFileGetInfoRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.Uint32(m.FileID)
	w.Uint32(m.Level)
}

// UnmarshalStub implements Message.
func (m *NetrFileGetInfoRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrFileGetInfoRequest{}
	r.OptStringParam(&m.ServerName)
	m.FileID = r.Uint32()
	m.Level = r.Uint32()
	return wrap("NetrFileGetInfo request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrFileGetInfoResponse) MarshalStub(w *ndr.Writer) {
	m.InfoStruct.MarshalNDR(w)
	w.Flush()
	w.Uint32(uint32(m.Status))
}

// UnmarshalStub implements Message.
func (m *NetrFileGetInfoResponse) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrFileGetInfoResponse{}
	m.InfoStruct.UnmarshalNDR(r)
	r.Flush()
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrFileGetInfo response", r.Err())
}

// NetrFileCloseRequest is the input of NetrFileClose (opnum 11,
// MS-SRVS 3.1.4.4).
type NetrFileCloseRequest struct {
	ServerName string
	FileID     uint32
}

// NetrFileCloseResponse is the output of NetrFileClose.
type NetrFileCloseResponse struct {
	Status win32.Errno
}

// MarshalStub implements Message.
func (m *NetrFileCloseRequest) MarshalStub(w *ndr.Writer) {
	w.OptStringParam(m.ServerName)
	w.Uint32(m.FileID)
}

// UnmarshalStub implements Message.
func (m *NetrFileCloseRequest) UnmarshalStub(r *ndr.Reader) error {
	*m = NetrFileCloseRequest{}
	r.OptStringParam(&m.ServerName)
	m.FileID = r.Uint32()
	return wrap("NetrFileClose request", r.Err())
}

// MarshalStub implements Message.
func (m *NetrFileCloseResponse) MarshalStub(w *ndr.Writer) { w.Uint32(uint32(m.Status)) }

// UnmarshalStub implements Message.
func (m *NetrFileCloseResponse) UnmarshalStub(r *ndr.Reader) error {
	m.Status = win32.Errno(r.Uint32())
	return wrap("NetrFileClose response", r.Err())
}
