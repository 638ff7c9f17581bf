package smb2

// CloseRequest is the SMB2 CLOSE request (MS-SMB2 2.2.15).
type CloseRequest struct {
	Flags  uint16 // CloseFlagPostQueryAttrib
	FileID FileID
}

// Command returns CommandClose.
func (*CloseRequest) Command() Command { return CommandClose }

// Marshal appends the body.
func (r *CloseRequest) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 24)
	b = le.AppendUint16(b, r.Flags)
	b = le.AppendUint32(b, 0)
	return r.FileID.append(b)
}

// Unmarshal decodes the body.
func (r *CloseRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "CLOSE request", 24); err != nil {
		return err
	}
	r.Flags = le.Uint16(body[2:])
	r.FileID = fileIDAt(body[8:])
	return nil
}

// CloseResponse is the SMB2 CLOSE response (MS-SMB2 2.2.16). The
// attributes are set only with CloseFlagPostQueryAttrib.
type CloseResponse struct {
	Flags          uint16
	CreationTime   Filetime
	LastAccessTime Filetime
	LastWriteTime  Filetime
	ChangeTime     Filetime
	AllocationSize uint64
	EndOfFile      uint64
	FileAttributes FileAttributes
}

// Command returns CommandClose.
func (*CloseResponse) Command() Command { return CommandClose }

// Marshal appends the body.
func (r *CloseResponse) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 60)
	b = le.AppendUint16(b, r.Flags)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint64(b, uint64(r.CreationTime))
	b = le.AppendUint64(b, uint64(r.LastAccessTime))
	b = le.AppendUint64(b, uint64(r.LastWriteTime))
	b = le.AppendUint64(b, uint64(r.ChangeTime))
	b = le.AppendUint64(b, r.AllocationSize)
	b = le.AppendUint64(b, r.EndOfFile)
	return le.AppendUint32(b, uint32(r.FileAttributes))
}

// Unmarshal decodes the body.
func (r *CloseResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "CLOSE response", 60); err != nil {
		return err
	}
	r.Flags = le.Uint16(body[2:])
	r.CreationTime = Filetime(le.Uint64(body[8:]))
	r.LastAccessTime = Filetime(le.Uint64(body[16:]))
	r.LastWriteTime = Filetime(le.Uint64(body[24:]))
	r.ChangeTime = Filetime(le.Uint64(body[32:]))
	r.AllocationSize = le.Uint64(body[40:])
	r.EndOfFile = le.Uint64(body[48:])
	r.FileAttributes = FileAttributes(le.Uint32(body[56:]))
	return nil
}

// FlushRequest is the SMB2 FLUSH request (MS-SMB2 2.2.17).
type FlushRequest struct {
	FileID FileID
}

// Command returns CommandFlush.
func (*FlushRequest) Command() Command { return CommandFlush }

// Marshal appends the body.
func (r *FlushRequest) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 24)
	b = append(b, 0, 0, 0, 0, 0, 0)
	return r.FileID.append(b)
}

// Unmarshal decodes the body.
func (r *FlushRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "FLUSH request", 24); err != nil {
		return err
	}
	r.FileID = fileIDAt(body[8:])
	return nil
}

// ReadRequest is the SMB2 READ request (MS-SMB2 2.2.19).
type ReadRequest struct {
	Padding        uint8 // requested offset of data in the response
	Flags          uint8 // ReadFlag*
	Length         uint32
	Offset         uint64
	FileID         FileID
	MinimumCount   uint32
	Channel        uint32
	RemainingBytes uint32
	ChannelInfo    []byte // RDMA descriptors; aliases the input
}

// Command returns CommandRead.
func (*ReadRequest) Command() Command { return CommandRead }

// Marshal appends the body.
func (r *ReadRequest) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 49)
	b = append(b, r.Padding, r.Flags)
	b = le.AppendUint32(b, r.Length)
	b = le.AppendUint64(b, r.Offset)
	b = r.FileID.append(b)
	b = le.AppendUint32(b, r.MinimumCount)
	b = le.AppendUint32(b, r.Channel)
	b = le.AppendUint32(b, r.RemainingBytes)
	if len(r.ChannelInfo) > 0 {
		b = le.AppendUint16(b, uint16(bodyOffset(start, start+48)))
	} else {
		b = le.AppendUint16(b, 0)
	}
	b = le.AppendUint16(b, uint16(len(r.ChannelInfo)))
	return appendBuffer(b, r.ChannelInfo)
}

// Unmarshal decodes the body.
func (r *ReadRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "READ request", 49); err != nil {
		return err
	}
	r.Padding, r.Flags = body[2], body[3]
	r.Length = le.Uint32(body[4:])
	r.Offset = le.Uint64(body[8:])
	r.FileID = fileIDAt(body[16:])
	r.MinimumCount = le.Uint32(body[32:])
	r.Channel = le.Uint32(body[36:])
	r.RemainingBytes = le.Uint32(body[40:])
	var err error
	r.ChannelInfo, err = field(body, "READ channel info", uint32(le.Uint16(body[44:])), uint32(le.Uint16(body[46:])))
	return err
}

// ReadResponse is the SMB2 READ response (MS-SMB2 2.2.20).
type ReadResponse struct {
	// DataRemaining is the number of bytes still to be read (RDMA).
	DataRemaining uint32
	Flags         uint32
	// Data aliases the input: decoding a 1 MiB read copies nothing.
	Data []byte
}

// Command returns CommandRead.
func (*ReadResponse) Command() Command { return CommandRead }

// readDataOffset is where READ response data starts: right after the
// 16-byte fixed part (80 bytes from the header).
const readDataOffset = HeaderSize + 16

// Marshal appends the body. To avoid copying large data a connection can
// instead use MarshalReadResponseHeader and write Data separately.
func (r *ReadResponse) Marshal(b []byte) []byte {
	b = r.MarshalHeader(b)
	return appendBuffer(b, r.Data)
}

// MarshalHeader appends only the 16-byte fixed part, declaring len(Data)
// bytes of data to follow, for a connection that writes the data itself
// (for example with net.Buffers).
func (r *ReadResponse) MarshalHeader(b []byte) []byte {
	b = le.AppendUint16(b, 17)
	b = append(b, readDataOffset, 0)
	b = le.AppendUint32(b, uint32(len(r.Data)))
	b = le.AppendUint32(b, r.DataRemaining)
	return le.AppendUint32(b, r.Flags)
}

// Unmarshal decodes the body.
func (r *ReadResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "READ response", 17); err != nil {
		return err
	}
	r.DataRemaining = le.Uint32(body[8:])
	r.Flags = le.Uint32(body[12:])
	var err error
	r.Data, err = field(body, "READ data", uint32(body[2]), le.Uint32(body[4:]))
	return err
}

// WriteRequest is the SMB2 WRITE request (MS-SMB2 2.2.21).
type WriteRequest struct {
	Offset         uint64
	FileID         FileID
	Channel        uint32
	RemainingBytes uint32
	Flags          uint32 // WriteFlag*
	ChannelInfo    []byte // aliases the input
	// Data aliases the input.
	Data []byte
}

// Command returns CommandWrite.
func (*WriteRequest) Command() Command { return CommandWrite }

// writeDataOffset is where WRITE data starts: after the 48-byte fixed part.
const writeDataOffset = HeaderSize + 48

// Marshal appends the body: the fixed part, the data, then any channel
// info.
func (r *WriteRequest) Marshal(b []byte) []byte {
	b = r.MarshalHeader(b)
	b = append(b, r.Data...)
	b = append(b, r.ChannelInfo...)
	if len(r.Data)+len(r.ChannelInfo) == 0 {
		b = append(b, 0)
	}
	return b
}

// MarshalHeader appends only the 48-byte fixed part, declaring len(Data)
// bytes of data (followed by ChannelInfo) to follow, for a connection that
// writes the data itself without copying it.
func (r *WriteRequest) MarshalHeader(b []byte) []byte {
	b = le.AppendUint16(b, 49)
	b = le.AppendUint16(b, writeDataOffset)
	b = le.AppendUint32(b, uint32(len(r.Data)))
	b = le.AppendUint64(b, r.Offset)
	b = r.FileID.append(b)
	b = le.AppendUint32(b, r.Channel)
	b = le.AppendUint32(b, r.RemainingBytes)
	if len(r.ChannelInfo) > 0 {
		b = le.AppendUint16(b, uint16(writeDataOffset+len(r.Data)))
	} else {
		b = le.AppendUint16(b, 0)
	}
	b = le.AppendUint16(b, uint16(len(r.ChannelInfo)))
	return le.AppendUint32(b, r.Flags)
}

// Unmarshal decodes the body.
func (r *WriteRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "WRITE request", 49); err != nil {
		return err
	}
	r.Offset = le.Uint64(body[8:])
	r.FileID = fileIDAt(body[16:])
	r.Channel = le.Uint32(body[32:])
	r.RemainingBytes = le.Uint32(body[36:])
	r.Flags = le.Uint32(body[44:])
	var err error
	if r.Data, err = field(body, "WRITE data", uint32(le.Uint16(body[2:])), le.Uint32(body[4:])); err != nil {
		return err
	}
	r.ChannelInfo, err = field(body, "WRITE channel info", uint32(le.Uint16(body[40:])), uint32(le.Uint16(body[42:])))
	return err
}

// WriteResponse is the SMB2 WRITE response (MS-SMB2 2.2.22).
type WriteResponse struct {
	Count     uint32
	Remaining uint32
}

// Command returns CommandWrite.
func (*WriteResponse) Command() Command { return CommandWrite }

// Marshal appends the body.
func (r *WriteResponse) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 17)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, r.Count)
	b = le.AppendUint32(b, r.Remaining)
	b = le.AppendUint32(b, 0) // WriteChannelInfoOffset, Length
	return append(b, 0)
}

// Unmarshal decodes the body.
func (r *WriteResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "WRITE response", 17); err != nil {
		return err
	}
	r.Count = le.Uint32(body[4:])
	r.Remaining = le.Uint32(body[8:])
	return nil
}

// LockElement is SMB2_LOCK_ELEMENT (MS-SMB2 2.2.26.1).
type LockElement struct {
	Offset uint64
	Length uint64
	Flags  uint32 // LockFlag*
}

// LockRequest is the SMB2 LOCK request (MS-SMB2 2.2.26).
type LockRequest struct {
	// LockSequenceNumber (4 bits) and LockSequenceIndex (28 bits),
	// packed as on the wire.
	LockSequence uint32
	FileID       FileID
	Locks        []LockElement
}

// Command returns CommandLock.
func (*LockRequest) Command() Command { return CommandLock }

// Marshal appends the body.
func (r *LockRequest) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 48)
	b = le.AppendUint16(b, uint16(len(r.Locks)))
	b = le.AppendUint32(b, r.LockSequence)
	b = r.FileID.append(b)
	for _, l := range r.Locks {
		b = le.AppendUint64(b, l.Offset)
		b = le.AppendUint64(b, l.Length)
		b = le.AppendUint32(b, l.Flags)
		b = le.AppendUint32(b, 0)
	}
	return b
}

// Unmarshal decodes the body.
func (r *LockRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "LOCK request", 48); err != nil {
		return err
	}
	n := int(le.Uint16(body[2:]))
	if n == 0 || n > (len(body)-24)/24 {
		return malformed("LOCK request: %d locks in %d bytes", n, len(body)-24)
	}
	r.LockSequence = le.Uint32(body[4:])
	r.FileID = fileIDAt(body[8:])
	r.Locks = make([]LockElement, n)
	for i := range r.Locks {
		e := body[24+24*i:]
		r.Locks[i] = LockElement{le.Uint64(e), le.Uint64(e[8:]), le.Uint32(e[16:])}
	}
	return nil
}

// OplockBreak is the 24-byte OPLOCK_BREAK structure (MS-SMB2 2.2.23.1,
// 2.2.24.1, 2.2.25.1): the server's notification, the client's
// acknowledgment and the server's response all share it.
type OplockBreak struct {
	OplockLevel OplockLevel
	FileID      FileID
}

// Command returns CommandOplockBreak.
func (*OplockBreak) Command() Command { return CommandOplockBreak }

// Marshal appends the body.
func (r *OplockBreak) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 24)
	b = append(b, uint8(r.OplockLevel), 0, 0, 0, 0, 0)
	return r.FileID.append(b)
}

// Unmarshal decodes the body.
func (r *OplockBreak) Unmarshal(body []byte) error {
	if err := fixedBody(body, "OPLOCK_BREAK", 24); err != nil {
		return err
	}
	r.OplockLevel = OplockLevel(body[2])
	r.FileID = fileIDAt(body[8:])
	return nil
}

// LeaseBreakNotification is the server's lease break (MS-SMB2 2.2.23.2).
type LeaseBreakNotification struct {
	NewEpoch          uint16
	Flags             uint32
	LeaseKey          [16]byte
	CurrentLeaseState uint32
	NewLeaseState     uint32
}

// Command returns CommandOplockBreak.
func (*LeaseBreakNotification) Command() Command { return CommandOplockBreak }

// Marshal appends the body.
func (r *LeaseBreakNotification) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 44)
	b = le.AppendUint16(b, r.NewEpoch)
	b = le.AppendUint32(b, r.Flags)
	b = append(b, r.LeaseKey[:]...)
	b = le.AppendUint32(b, r.CurrentLeaseState)
	b = le.AppendUint32(b, r.NewLeaseState)
	return append(b, make([]byte, 12)...) // BreakReason, AccessMaskHint, ShareMaskHint
}

// Unmarshal decodes the body.
func (r *LeaseBreakNotification) Unmarshal(body []byte) error {
	if err := fixedBody(body, "LEASE_BREAK notification", 44); err != nil {
		return err
	}
	r.NewEpoch = le.Uint16(body[2:])
	r.Flags = le.Uint32(body[4:])
	copy(r.LeaseKey[:], body[8:24])
	r.CurrentLeaseState = le.Uint32(body[24:])
	r.NewLeaseState = le.Uint32(body[28:])
	return nil
}

// LeaseBreakAck is the lease break acknowledgment and response
// (MS-SMB2 2.2.24.2, 2.2.25.2), which share a layout.
type LeaseBreakAck struct {
	Flags         uint32
	LeaseKey      [16]byte
	LeaseState    uint32
	LeaseDuration uint64
}

// Command returns CommandOplockBreak.
func (*LeaseBreakAck) Command() Command { return CommandOplockBreak }

// Marshal appends the body.
func (r *LeaseBreakAck) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 36)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, r.Flags)
	b = append(b, r.LeaseKey[:]...)
	b = le.AppendUint32(b, r.LeaseState)
	return le.AppendUint64(b, r.LeaseDuration)
}

// Unmarshal decodes the body.
func (r *LeaseBreakAck) Unmarshal(body []byte) error {
	if err := fixedBody(body, "LEASE_BREAK acknowledgment", 36); err != nil {
		return err
	}
	r.Flags = le.Uint32(body[4:])
	copy(r.LeaseKey[:], body[8:24])
	r.LeaseState = le.Uint32(body[24:])
	r.LeaseDuration = le.Uint64(body[28:])
	return nil
}
