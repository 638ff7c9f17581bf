package smb2

import "github.com/lanman/lanman/ntstatus"

// CreateRequest is the SMB2 CREATE request (MS-SMB2 2.2.13).
type CreateRequest struct {
	SecurityFlags        uint8
	RequestedOplockLevel OplockLevel
	ImpersonationLevel   ImpersonationLevel
	SmbCreateFlags       uint64
	DesiredAccess        AccessMask
	FileAttributes       FileAttributes
	ShareAccess          ShareAccess
	CreateDisposition    CreateDisposition
	CreateOptions        CreateOptions
	// Name is relative to the share root, without a leading backslash;
	// for a pipe, the pipe name ("srvsvc").
	Name     string
	Contexts []CreateContext
}

// Command returns CommandCreate.
func (*CreateRequest) Command() Command { return CommandCreate }

// Marshal appends the body.
func (r *CreateRequest) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 57)
	b = append(b, r.SecurityFlags, uint8(r.RequestedOplockLevel))
	b = le.AppendUint32(b, uint32(r.ImpersonationLevel))
	b = le.AppendUint64(b, r.SmbCreateFlags)
	b = le.AppendUint64(b, 0)
	b = le.AppendUint32(b, uint32(r.DesiredAccess))
	b = le.AppendUint32(b, uint32(r.FileAttributes))
	b = le.AppendUint32(b, uint32(r.ShareAccess))
	b = le.AppendUint32(b, uint32(r.CreateDisposition))
	b = le.AppendUint32(b, uint32(r.CreateOptions))
	nameLen := utf16Len(r.Name)
	// Windows sets NameOffset to the buffer even for an empty name.
	b = le.AppendUint16(b, uint16(bodyOffset(start, start+56)))
	b = le.AppendUint16(b, uint16(nameLen))
	ctxAt := len(b)
	b = le.AppendUint64(b, 0) // CreateContextsOffset, Length: patched
	b = appendUTF16(b, r.Name)
	if len(r.Contexts) > 0 {
		b = pad8(b, start)
		cs := len(b)
		b = AppendCreateContexts(b, r.Contexts)
		le.PutUint32(b[ctxAt:], uint32(bodyOffset(start, cs)))
		le.PutUint32(b[ctxAt+4:], uint32(len(b)-cs))
	} else if nameLen == 0 {
		b = append(b, 0)
	}
	return b
}

// Unmarshal decodes the body.
func (r *CreateRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "CREATE request", 57); err != nil {
		return err
	}
	r.SecurityFlags = body[2]
	r.RequestedOplockLevel = OplockLevel(body[3])
	r.ImpersonationLevel = ImpersonationLevel(le.Uint32(body[4:]))
	r.SmbCreateFlags = le.Uint64(body[8:])
	r.DesiredAccess = AccessMask(le.Uint32(body[24:]))
	r.FileAttributes = FileAttributes(le.Uint32(body[28:]))
	r.ShareAccess = ShareAccess(le.Uint32(body[32:]))
	r.CreateDisposition = CreateDisposition(le.Uint32(body[36:]))
	r.CreateOptions = CreateOptions(le.Uint32(body[40:]))
	name, err := field(body, "CREATE name", uint32(le.Uint16(body[44:])), uint32(le.Uint16(body[46:])))
	if err != nil {
		return err
	}
	if r.Name, err = decodeUTF16(name, "CREATE name"); err != nil {
		return err
	}
	ctx, err := field(body, "CREATE contexts", le.Uint32(body[48:]), le.Uint32(body[52:]))
	if err != nil {
		return err
	}
	r.Contexts, err = ParseCreateContexts(ctx)
	return err
}

// CreateResponse is the SMB2 CREATE response (MS-SMB2 2.2.14).
type CreateResponse struct {
	OplockLevel    OplockLevel
	Flags          uint8
	CreateAction   CreateAction
	CreationTime   Filetime
	LastAccessTime Filetime
	LastWriteTime  Filetime
	ChangeTime     Filetime
	AllocationSize uint64
	EndOfFile      uint64
	FileAttributes FileAttributes
	FileID         FileID
	Contexts       []CreateContext
}

// Command returns CommandCreate.
func (*CreateResponse) Command() Command { return CommandCreate }

// Marshal appends the body.
func (r *CreateResponse) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 89)
	b = append(b, uint8(r.OplockLevel), r.Flags)
	b = le.AppendUint32(b, uint32(r.CreateAction))
	b = le.AppendUint64(b, uint64(r.CreationTime))
	b = le.AppendUint64(b, uint64(r.LastAccessTime))
	b = le.AppendUint64(b, uint64(r.LastWriteTime))
	b = le.AppendUint64(b, uint64(r.ChangeTime))
	b = le.AppendUint64(b, r.AllocationSize)
	b = le.AppendUint64(b, r.EndOfFile)
	b = le.AppendUint32(b, uint32(r.FileAttributes))
	b = le.AppendUint32(b, 0)
	b = r.FileID.append(b)
	ctxAt := len(b)
	b = le.AppendUint64(b, 0)
	if len(r.Contexts) == 0 {
		return append(b, 0)
	}
	cs := len(b) // 88: already 8-aligned
	b = AppendCreateContexts(b, r.Contexts)
	le.PutUint32(b[ctxAt:], uint32(bodyOffset(start, cs)))
	le.PutUint32(b[ctxAt+4:], uint32(len(b)-cs))
	return b
}

// Unmarshal decodes the body.
func (r *CreateResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "CREATE response", 89); err != nil {
		return err
	}
	r.OplockLevel = OplockLevel(body[2])
	r.Flags = body[3]
	r.CreateAction = CreateAction(le.Uint32(body[4:]))
	r.CreationTime = Filetime(le.Uint64(body[8:]))
	r.LastAccessTime = Filetime(le.Uint64(body[16:]))
	r.LastWriteTime = Filetime(le.Uint64(body[24:]))
	r.ChangeTime = Filetime(le.Uint64(body[32:]))
	r.AllocationSize = le.Uint64(body[40:])
	r.EndOfFile = le.Uint64(body[48:])
	r.FileAttributes = FileAttributes(le.Uint32(body[56:]))
	r.FileID = fileIDAt(body[64:])
	ctx, err := field(body, "CREATE response contexts", le.Uint32(body[80:]), le.Uint32(body[84:]))
	if err != nil {
		return err
	}
	r.Contexts, err = ParseCreateContexts(ctx)
	return err
}

// Create context names (MS-SMB2 2.2.13.2), as the bytes on the wire.
const (
	CreateEABuffer                 = "ExtA"
	CreateSDBuffer                 = "SecD"
	CreateDurableHandleRequest     = "DHnQ"
	CreateDurableHandleReconnect   = "DHnC"
	CreateAllocationSize           = "AlSi"
	CreateQueryMaximalAccess       = "MxAc"
	CreateTimewarpToken            = "TWrp"
	CreateQueryOnDiskID            = "QFid"
	CreateRequestLease             = "RqLs"
	CreateDurableHandleRequestV2   = "DH2Q"
	CreateDurableHandleReconnectV2 = "DH2C"
)

// CreateContext is one SMB2_CREATE_CONTEXT: a name (4 ASCII bytes or a
// 16-byte GUID, held as a string of those bytes) and opaque data. The
// typed helpers below build and parse the data of the contexts lanman
// uses.
type CreateContext struct {
	Name string
	Data []byte // aliases the decoded message
}

// FindCreateContext returns the data of the first context named name.
func FindCreateContext(ctxs []CreateContext, name string) ([]byte, bool) {
	for _, c := range ctxs {
		if c.Name == name {
			return c.Data, true
		}
	}
	return nil, false
}

// AppendCreateContexts appends a chain of create contexts, each 8-byte
// aligned relative to the first (whose alignment is the caller's).
func AppendCreateContexts(b []byte, ctxs []CreateContext) []byte {
	for i, c := range ctxs {
		s := len(b)
		b = append(b, make([]byte, 16)...)
		b = append(b, c.Name...)
		le.PutUint16(b[s+4:], 16)
		le.PutUint16(b[s+6:], uint16(len(c.Name)))
		if len(c.Data) > 0 {
			b = pad8(b, s)
			le.PutUint16(b[s+10:], uint16(len(b)-s))
			le.PutUint32(b[s+12:], uint32(len(c.Data)))
			b = append(b, c.Data...)
		}
		if i < len(ctxs)-1 {
			b = pad8(b, s)
			le.PutUint32(b[s:], uint32(len(b)-s))
		}
	}
	return b
}

// ParseCreateContexts decodes a create context chain (the bytes the
// CreateContextsOffset/Length of a CREATE message name).
func ParseCreateContexts(b []byte) ([]CreateContext, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var ctxs []CreateContext
	for off := 0; ; {
		c := b[off:]
		if len(c) < 16 {
			return nil, malformed("create context %d: %d bytes, need 16", len(ctxs), len(c))
		}
		next := le.Uint32(c)
		nameOff, nameLen := uint32(le.Uint16(c[4:])), uint32(le.Uint16(c[6:]))
		dataOff, dataLen := uint32(le.Uint16(c[10:])), le.Uint32(c[12:])
		end := uint32(len(c))
		if next != 0 {
			if next < 16 || next%8 != 0 || next > end {
				return nil, malformed("create context %d: Next %d", len(ctxs), next)
			}
			end = next
		}
		if nameLen == 0 || uint64(nameOff)+uint64(nameLen) > uint64(end) || nameOff < 16 {
			return nil, malformed("create context %d: name at %d length %d", len(ctxs), nameOff, nameLen)
		}
		var data []byte
		if dataLen > 0 {
			if uint64(dataOff)+uint64(dataLen) > uint64(end) || dataOff < 16 {
				return nil, malformed("create context %d: data at %d length %d", len(ctxs), dataOff, dataLen)
			}
			data = c[dataOff : dataOff+dataLen : dataOff+dataLen]
		}
		ctxs = append(ctxs, CreateContext{Name: string(c[nameOff : nameOff+nameLen]), Data: data})
		if next == 0 {
			return ctxs, nil
		}
		off += int(next)
	}
}

// DurableHandleRequest is SMB2_CREATE_DURABLE_HANDLE_REQUEST ("DHnQ"): 16
// reserved bytes.
func DurableHandleRequest() CreateContext {
	return CreateContext{CreateDurableHandleRequest, make([]byte, 16)}
}

// DurableHandleResponse is SMB2_CREATE_DURABLE_HANDLE_RESPONSE ("DHnQ"):
// 8 reserved bytes.
func DurableHandleResponse() CreateContext {
	return CreateContext{CreateDurableHandleRequest, make([]byte, 8)}
}

// DurableHandleReconnect is SMB2_CREATE_DURABLE_HANDLE_RECONNECT ("DHnC").
func DurableHandleReconnect(f FileID) CreateContext {
	return CreateContext{CreateDurableHandleReconnect, f.append(nil)}
}

// ParseDurableHandleReconnect decodes a "DHnC" context's data.
func ParseDurableHandleReconnect(data []byte) (FileID, error) {
	if len(data) < 16 {
		return FileID{}, malformed("DURABLE_HANDLE_RECONNECT: %d bytes", len(data))
	}
	return fileIDAt(data), nil
}

// DHandleFlagPersistent asks for (or grants) a persistent handle.
const DHandleFlagPersistent uint32 = 0x00000002

// DurableHandleRequestV2 is SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2 ("DH2Q",
// MS-SMB2 2.2.13.2.11).
type DurableHandleRequestV2 struct {
	Timeout    uint32 // milliseconds; 0 for the server's default
	Flags      uint32
	CreateGUID GUID
}

// Context encodes r as a create context.
func (r *DurableHandleRequestV2) Context() CreateContext {
	b := make([]byte, 0, 32)
	b = le.AppendUint32(b, r.Timeout)
	b = le.AppendUint32(b, r.Flags)
	b = le.AppendUint64(b, 0)
	return CreateContext{CreateDurableHandleRequestV2, append(b, r.CreateGUID[:]...)}
}

// Unmarshal decodes a "DH2Q" context's data.
func (r *DurableHandleRequestV2) Unmarshal(data []byte) error {
	if len(data) < 32 {
		return malformed("DURABLE_HANDLE_REQUEST_V2: %d bytes", len(data))
	}
	r.Timeout, r.Flags = le.Uint32(data), le.Uint32(data[4:])
	copy(r.CreateGUID[:], data[16:32])
	return nil
}

// DurableHandleResponseV2 is SMB2_CREATE_DURABLE_HANDLE_RESPONSE_V2
// ("DH2Q", MS-SMB2 2.2.14.2.12).
type DurableHandleResponseV2 struct {
	Timeout uint32
	Flags   uint32
}

// Context encodes r as a create context.
func (r *DurableHandleResponseV2) Context() CreateContext {
	b := le.AppendUint32(make([]byte, 0, 8), r.Timeout)
	return CreateContext{CreateDurableHandleRequestV2, le.AppendUint32(b, r.Flags)}
}

// Unmarshal decodes the context's data.
func (r *DurableHandleResponseV2) Unmarshal(data []byte) error {
	if len(data) < 8 {
		return malformed("DURABLE_HANDLE_RESPONSE_V2: %d bytes", len(data))
	}
	r.Timeout, r.Flags = le.Uint32(data), le.Uint32(data[4:])
	return nil
}

// QueryMaximalAccessRequest is SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST
// ("MxAc"), with an optional timestamp (0 for none).
func QueryMaximalAccessRequest(timestamp Filetime) CreateContext {
	if timestamp == 0 {
		return CreateContext{Name: CreateQueryMaximalAccess}
	}
	return CreateContext{CreateQueryMaximalAccess, le.AppendUint64(nil, uint64(timestamp))}
}

// QueryMaximalAccessResponse is SMB2_CREATE_QUERY_MAXIMAL_ACCESS_RESPONSE
// (MS-SMB2 2.2.14.2.5).
type QueryMaximalAccessResponse struct {
	QueryStatus   ntstatus.Status
	MaximalAccess AccessMask
}

// Context encodes r as a create context.
func (r *QueryMaximalAccessResponse) Context() CreateContext {
	b := le.AppendUint32(make([]byte, 0, 8), uint32(r.QueryStatus))
	return CreateContext{CreateQueryMaximalAccess, le.AppendUint32(b, uint32(r.MaximalAccess))}
}

// Unmarshal decodes the context's data.
func (r *QueryMaximalAccessResponse) Unmarshal(data []byte) error {
	if len(data) < 8 {
		return malformed("QUERY_MAXIMAL_ACCESS_RESPONSE: %d bytes", len(data))
	}
	r.QueryStatus = ntstatus.Status(le.Uint32(data))
	r.MaximalAccess = AccessMask(le.Uint32(data[4:]))
	return nil
}

// QueryOnDiskIDRequest is SMB2_CREATE_QUERY_ON_DISK_ID ("QFid"), which
// carries no data.
func QueryOnDiskIDRequest() CreateContext { return CreateContext{Name: CreateQueryOnDiskID} }

// QueryOnDiskIDResponse is the "QFid" response (MS-SMB2 2.2.14.2.9).
type QueryOnDiskIDResponse struct {
	DiskFileID uint64
	VolumeID   uint64
}

// Context encodes r as a create context (32 bytes of data).
func (r *QueryOnDiskIDResponse) Context() CreateContext {
	b := le.AppendUint64(make([]byte, 0, 32), r.DiskFileID)
	b = le.AppendUint64(b, r.VolumeID)
	return CreateContext{CreateQueryOnDiskID, append(b, make([]byte, 16)...)}
}

// Unmarshal decodes the context's data.
func (r *QueryOnDiskIDResponse) Unmarshal(data []byte) error {
	if len(data) < 32 {
		return malformed("QUERY_ON_DISK_ID response: %d bytes", len(data))
	}
	r.DiskFileID, r.VolumeID = le.Uint64(data), le.Uint64(data[8:])
	return nil
}
