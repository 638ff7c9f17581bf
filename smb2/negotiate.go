package smb2

import "slices"

// NegotiateRequest is the SMB2 NEGOTIATE request (MS-SMB2 2.2.3).
type NegotiateRequest struct {
	SecurityMode SecurityMode
	Capabilities Capabilities
	ClientGUID   GUID
	// ClientStartTime is sent when Dialects lacks 3.1.1 (it must be 0).
	ClientStartTime uint64
	Dialects        []Dialect
	// Contexts are sent when Dialects contains 3.1.1.
	Contexts []NegotiateContext
}

// Command returns CommandNegotiate.
func (*NegotiateRequest) Command() Command { return CommandNegotiate }

// Marshal appends the body.
func (r *NegotiateRequest) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 36)
	b = le.AppendUint16(b, uint16(len(r.Dialects)))
	b = le.AppendUint16(b, uint16(r.SecurityMode))
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, uint32(r.Capabilities))
	b = append(b, r.ClientGUID[:]...)
	has311 := slices.Contains(r.Dialects, Dialect311)
	ctxAt := len(b)
	if has311 {
		b = le.AppendUint32(b, 0) // offset, patched
		b = le.AppendUint16(b, uint16(len(r.Contexts)))
		b = le.AppendUint16(b, 0)
	} else {
		b = le.AppendUint64(b, r.ClientStartTime)
	}
	for _, d := range r.Dialects {
		b = le.AppendUint16(b, uint16(d))
	}
	if has311 && len(r.Contexts) > 0 {
		// Alignment is relative to the header, which is 64 bytes
		// (a multiple of 8) before start.
		b = pad8(b, start)
		le.PutUint32(b[ctxAt:], uint32(bodyOffset(start, len(b))))
		b = appendNegotiateContexts(b, start, r.Contexts)
	}
	return b
}

// Unmarshal decodes the body.
func (r *NegotiateRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "NEGOTIATE request", 36); err != nil {
		return err
	}
	n := int(le.Uint16(body[2:]))
	r.SecurityMode = SecurityMode(le.Uint16(body[4:]))
	r.Capabilities = Capabilities(le.Uint32(body[8:]))
	copy(r.ClientGUID[:], body[12:28])
	if n*2 > len(body)-36 {
		return malformed("NEGOTIATE request: %d dialects in %d bytes", n, len(body)-36)
	}
	r.Dialects = make([]Dialect, n)
	for i := range r.Dialects {
		r.Dialects[i] = Dialect(le.Uint16(body[36+2*i:]))
	}
	r.Contexts, r.ClientStartTime = nil, 0
	if !slices.Contains(r.Dialects, Dialect311) {
		r.ClientStartTime = le.Uint64(body[28:])
		return nil
	}
	off := le.Uint32(body[28:])
	count := int(le.Uint16(body[32:]))
	var err error
	r.Contexts, err = parseNegotiateContexts(body, "NEGOTIATE request", off, count)
	return err
}

// NegotiateResponse is the SMB2 NEGOTIATE response (MS-SMB2 2.2.4).
type NegotiateResponse struct {
	SecurityMode    SecurityMode
	DialectRevision Dialect
	ServerGUID      GUID
	Capabilities    Capabilities
	MaxTransactSize uint32
	MaxReadSize     uint32
	MaxWriteSize    uint32
	SystemTime      Filetime
	ServerStartTime Filetime
	// SecurityBuffer is the GSS (SPNEGO) initial token; aliases the input.
	SecurityBuffer []byte
	// Contexts are present only when DialectRevision is 3.1.1.
	Contexts []NegotiateContext
}

// Command returns CommandNegotiate.
func (*NegotiateResponse) Command() Command { return CommandNegotiate }

// Marshal appends the body.
func (r *NegotiateResponse) Marshal(b []byte) []byte {
	start := len(b)
	is311 := r.DialectRevision == Dialect311
	b = le.AppendUint16(b, 65)
	b = le.AppendUint16(b, uint16(r.SecurityMode))
	b = le.AppendUint16(b, uint16(r.DialectRevision))
	if is311 {
		b = le.AppendUint16(b, uint16(len(r.Contexts)))
	} else {
		b = le.AppendUint16(b, 0)
	}
	b = append(b, r.ServerGUID[:]...)
	b = le.AppendUint32(b, uint32(r.Capabilities))
	b = le.AppendUint32(b, r.MaxTransactSize)
	b = le.AppendUint32(b, r.MaxReadSize)
	b = le.AppendUint32(b, r.MaxWriteSize)
	b = le.AppendUint64(b, uint64(r.SystemTime))
	b = le.AppendUint64(b, uint64(r.ServerStartTime))
	secAt := len(b)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint16(b, uint16(len(r.SecurityBuffer)))
	ctxAt := len(b)
	b = le.AppendUint32(b, 0)
	if len(r.SecurityBuffer) > 0 {
		le.PutUint16(b[secAt:], uint16(bodyOffset(start, len(b))))
		b = append(b, r.SecurityBuffer...)
	} else {
		b = append(b, 0)
	}
	if is311 && len(r.Contexts) > 0 {
		b = pad8(b, start)
		le.PutUint32(b[ctxAt:], uint32(bodyOffset(start, len(b))))
		b = appendNegotiateContexts(b, start, r.Contexts)
	}
	return b
}

// Unmarshal decodes the body.
func (r *NegotiateResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "NEGOTIATE response", 65); err != nil {
		return err
	}
	r.SecurityMode = SecurityMode(le.Uint16(body[2:]))
	r.DialectRevision = Dialect(le.Uint16(body[4:]))
	count := int(le.Uint16(body[6:]))
	copy(r.ServerGUID[:], body[8:24])
	r.Capabilities = Capabilities(le.Uint32(body[24:]))
	r.MaxTransactSize = le.Uint32(body[28:])
	r.MaxReadSize = le.Uint32(body[32:])
	r.MaxWriteSize = le.Uint32(body[36:])
	r.SystemTime = Filetime(le.Uint64(body[40:]))
	r.ServerStartTime = Filetime(le.Uint64(body[48:]))
	var err error
	r.SecurityBuffer, err = field(body, "NEGOTIATE response security buffer", uint32(le.Uint16(body[56:])), uint32(le.Uint16(body[58:])))
	if err != nil {
		return err
	}
	r.Contexts = nil
	if r.DialectRevision != Dialect311 {
		return nil
	}
	r.Contexts, err = parseNegotiateContexts(body, "NEGOTIATE response", le.Uint32(body[60:]), count)
	return err
}
