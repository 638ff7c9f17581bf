package smb2

import "time"

// IoctlRequest is the SMB2 IOCTL request (MS-SMB2 2.2.31).
type IoctlRequest struct {
	CtlCode           uint32
	FileID            FileID
	MaxInputResponse  uint32
	MaxOutputResponse uint32
	Flags             uint32 // IoctlFlagIsFsctl
	Input             []byte // aliases the input
	Output            []byte // aliases the input; normally empty
}

// Command returns CommandIoctl.
func (*IoctlRequest) Command() Command { return CommandIoctl }

// ioctlRequestBuffer is the header-relative offset of the IOCTL request
// buffer.
const ioctlRequestBuffer = HeaderSize + 56

// Marshal appends the body.
func (r *IoctlRequest) Marshal(b []byte) []byte {
	inOff, outOff := 0, 0
	if len(r.Input) > 0 {
		inOff = ioctlRequestBuffer
	}
	if len(r.Output) > 0 {
		outOff = align8(ioctlRequestBuffer + len(r.Input))
	}
	b = le.AppendUint16(b, 57)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, r.CtlCode)
	b = r.FileID.append(b)
	b = le.AppendUint32(b, uint32(inOff))
	b = le.AppendUint32(b, uint32(len(r.Input)))
	b = le.AppendUint32(b, r.MaxInputResponse)
	b = le.AppendUint32(b, uint32(outOff))
	b = le.AppendUint32(b, uint32(len(r.Output)))
	b = le.AppendUint32(b, r.MaxOutputResponse)
	b = le.AppendUint32(b, r.Flags)
	b = le.AppendUint32(b, 0)
	return appendInOut(b, r.Input, r.Output)
}

// appendInOut appends the input and output buffers of an IOCTL, the
// output 8-byte aligned after the input (the fixed parts end 8-aligned).
func appendInOut(b, in, out []byte) []byte {
	start := len(b)
	b = append(b, in...)
	if len(out) > 0 {
		b = pad8(b, start)
		b = append(b, out...)
	}
	if len(in)+len(out) == 0 {
		b = append(b, 0)
	}
	return b
}

// Unmarshal decodes the body.
func (r *IoctlRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "IOCTL request", 57); err != nil {
		return err
	}
	r.CtlCode = le.Uint32(body[4:])
	r.FileID = fileIDAt(body[8:])
	r.MaxInputResponse = le.Uint32(body[32:])
	r.MaxOutputResponse = le.Uint32(body[44:])
	r.Flags = le.Uint32(body[48:])
	var err error
	if r.Input, err = field(body, "IOCTL input", le.Uint32(body[24:]), le.Uint32(body[28:])); err != nil {
		return err
	}
	r.Output, err = field(body, "IOCTL output", le.Uint32(body[36:]), le.Uint32(body[40:]))
	return err
}

// IoctlResponse is the SMB2 IOCTL response (MS-SMB2 2.2.32).
type IoctlResponse struct {
	CtlCode uint32
	FileID  FileID
	Flags   uint32
	Input   []byte // aliases the input
	Output  []byte // aliases the input
}

// Command returns CommandIoctl.
func (*IoctlResponse) Command() Command { return CommandIoctl }

const ioctlResponseBuffer = HeaderSize + 48

// Marshal appends the body. As Windows does, an empty input buffer still
// gets the buffer offset.
func (r *IoctlResponse) Marshal(b []byte) []byte {
	inOff := ioctlResponseBuffer
	outOff := ioctlResponseBuffer
	if len(r.Input) > 0 {
		outOff = align8(ioctlResponseBuffer + len(r.Input))
	}
	b = le.AppendUint16(b, 49)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, r.CtlCode)
	b = r.FileID.append(b)
	b = le.AppendUint32(b, uint32(inOff))
	b = le.AppendUint32(b, uint32(len(r.Input)))
	b = le.AppendUint32(b, uint32(outOff))
	b = le.AppendUint32(b, uint32(len(r.Output)))
	b = le.AppendUint32(b, r.Flags)
	b = le.AppendUint32(b, 0)
	return appendInOut(b, r.Input, r.Output)
}

// Unmarshal decodes the body.
func (r *IoctlResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "IOCTL response", 49); err != nil {
		return err
	}
	r.CtlCode = le.Uint32(body[4:])
	r.FileID = fileIDAt(body[8:])
	r.Flags = le.Uint32(body[40:])
	var err error
	if r.Input, err = field(body, "IOCTL response input", le.Uint32(body[24:]), le.Uint32(body[28:])); err != nil {
		return err
	}
	r.Output, err = field(body, "IOCTL response output", le.Uint32(body[32:]), le.Uint32(body[36:]))
	return err
}

// ValidateNegotiateInfoRequest is the input of FSCTL_VALIDATE_NEGOTIATE_INFO
// (MS-SMB2 2.2.31.4).
type ValidateNegotiateInfoRequest struct {
	Capabilities Capabilities
	GUID         GUID
	SecurityMode SecurityMode
	Dialects     []Dialect
}

// Marshal appends the structure.
func (v *ValidateNegotiateInfoRequest) Marshal(b []byte) []byte {
	b = le.AppendUint32(b, uint32(v.Capabilities))
	b = append(b, v.GUID[:]...)
	b = le.AppendUint16(b, uint16(v.SecurityMode))
	b = le.AppendUint16(b, uint16(len(v.Dialects)))
	for _, d := range v.Dialects {
		b = le.AppendUint16(b, uint16(d))
	}
	return b
}

// Unmarshal decodes the structure.
func (v *ValidateNegotiateInfoRequest) Unmarshal(b []byte) error {
	if len(b) < 24 {
		return malformed("VALIDATE_NEGOTIATE_INFO request: %d bytes", len(b))
	}
	v.Capabilities = Capabilities(le.Uint32(b))
	copy(v.GUID[:], b[4:20])
	v.SecurityMode = SecurityMode(le.Uint16(b[20:]))
	n := int(le.Uint16(b[22:]))
	if 24+2*n > len(b) {
		return malformed("VALIDATE_NEGOTIATE_INFO request: %d dialects in %d bytes", n, len(b)-24)
	}
	v.Dialects = make([]Dialect, n)
	for i := range v.Dialects {
		v.Dialects[i] = Dialect(le.Uint16(b[24+2*i:]))
	}
	return nil
}

// ValidateNegotiateInfoResponse is the output of
// FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2 2.2.32.6).
type ValidateNegotiateInfoResponse struct {
	Capabilities Capabilities
	GUID         GUID
	SecurityMode SecurityMode
	Dialect      Dialect
}

// Marshal appends the 24-byte structure.
func (v *ValidateNegotiateInfoResponse) Marshal(b []byte) []byte {
	b = le.AppendUint32(b, uint32(v.Capabilities))
	b = append(b, v.GUID[:]...)
	b = le.AppendUint16(b, uint16(v.SecurityMode))
	return le.AppendUint16(b, uint16(v.Dialect))
}

// Unmarshal decodes the structure.
func (v *ValidateNegotiateInfoResponse) Unmarshal(b []byte) error {
	if len(b) < 24 {
		return malformed("VALIDATE_NEGOTIATE_INFO response: %d bytes", len(b))
	}
	v.Capabilities = Capabilities(le.Uint32(b))
	copy(v.GUID[:], b[4:20])
	v.SecurityMode = SecurityMode(le.Uint16(b[20:]))
	v.Dialect = Dialect(le.Uint16(b[22:]))
	return nil
}

// PipeWaitRequest is the input of FSCTL_PIPE_WAIT (MS-FSCC 2.3.49): wait
// until an instance of the named pipe is available.
type PipeWaitRequest struct {
	// Timeout, when TimeoutSpecified, is how long to wait; on the wire a
	// negative count of 100 ns units (a relative NT time).
	Timeout          time.Duration
	TimeoutSpecified bool
	Name             string // the pipe name, without \PIPE\
}

// Marshal appends the structure.
func (p *PipeWaitRequest) Marshal(b []byte) []byte {
	b = le.AppendUint64(b, uint64(-int64(p.Timeout/100)))
	b = le.AppendUint32(b, uint32(utf16Len(p.Name)))
	ts := uint8(0)
	if p.TimeoutSpecified {
		ts = 1
	}
	b = append(b, ts, 0)
	return appendUTF16(b, p.Name)
}

// Unmarshal decodes the structure.
func (p *PipeWaitRequest) Unmarshal(b []byte) error {
	if len(b) < 14 {
		return malformed("FSCTL_PIPE_WAIT: %d bytes", len(b))
	}
	t := int64(le.Uint64(b))
	if t < 0 {
		t = -t
	}
	if t > int64(1<<63-1)/100 {
		t = int64(1<<63-1) / 100
	}
	p.Timeout = time.Duration(t) * 100
	n := le.Uint32(b[8:])
	p.TimeoutSpecified = b[12] != 0
	if uint64(n) > uint64(len(b)-14) {
		return malformed("FSCTL_PIPE_WAIT: name length %d in %d bytes", n, len(b)-14)
	}
	var err error
	p.Name, err = decodeUTF16(b[14:14+n], "FSCTL_PIPE_WAIT name")
	return err
}
