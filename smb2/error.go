package smb2

// ErrorResponse is the body the server sends when a request fails
// (MS-SMB2 2.2.2). For 3.1.1 with ErrorContextCount > 0 the data is a list
// of error contexts; otherwise it is one blob (for example the 4-byte
// required length of STATUS_BUFFER_TOO_SMALL, or a symbolic-link error).
type ErrorResponse struct {
	// Contexts is set when the response carries error contexts
	// (ErrorContextCount > 0); Data is then nil.
	Contexts []ErrorContext
	// Data is the raw ErrorData when there are no contexts.
	Data []byte
}

// ErrorContext is one SMB2 ERROR Context (MS-SMB2 2.2.2.1).
type ErrorContext struct {
	ErrorID uint32 // ErrorIDDefault or ErrorIDShareRedirect
	Data    []byte
}

// Error context IDs.
const (
	ErrorIDDefault       uint32 = 0x00000000
	ErrorIDShareRedirect uint32 = 0x72645253
)

// Command is not meaningful for an ERROR response, which answers any
// command; it returns 0 only to satisfy Message (AppendMessage leaves the
// header's Command alone for an ERROR response). Use the header's
// Command.
func (*ErrorResponse) Command() Command { return 0 }

// Marshal appends the body.
func (r *ErrorResponse) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 9)
	b = append(b, uint8(len(r.Contexts)), 0)
	countAt := len(b)
	b = le.AppendUint32(b, 0) // ByteCount, patched below
	dataStart := len(b)
	if len(r.Contexts) > 0 {
		for i, c := range r.Contexts {
			if i > 0 {
				// Each context starts 8-byte aligned relative to
				// the start of the ERROR response.
				b = pad8(b, start)
			}
			b = le.AppendUint32(b, uint32(len(c.Data)))
			b = le.AppendUint32(b, c.ErrorID)
			b = append(b, c.Data...)
		}
	} else {
		b = append(b, r.Data...)
	}
	n := len(b) - dataStart
	le.PutUint32(b[countAt:], uint32(n))
	if n == 0 {
		b = append(b, 0) // the 1 byte StructureSize 9 counts
	}
	return b
}

// Unmarshal decodes the body.
func (r *ErrorResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "ERROR", 9); err != nil {
		return err
	}
	count := int(body[2])
	n := le.Uint32(body[4:])
	if uint64(n) > uint64(len(body)-8) {
		return malformed("ERROR: ByteCount %d beyond %d bytes", n, len(body)-8)
	}
	data := body[8 : 8+n : 8+n]
	r.Contexts, r.Data = nil, nil
	if count == 0 {
		if n > 0 {
			r.Data = data
		}
		return nil
	}
	// Each context is at least 8 bytes, so count is bounded by n/8.
	if count > len(data)/8 {
		return malformed("ERROR: %d contexts in %d bytes", count, n)
	}
	r.Contexts = make([]ErrorContext, 0, count)
	off := 0
	for i := 0; i < count; i++ {
		// Contexts are aligned relative to the response start, which
		// is 8 bytes before data.
		off = align8(off+8) - 8
		if off+8 > len(data) {
			return malformed("ERROR: context %d at %d beyond %d bytes", i, off, len(data))
		}
		l := le.Uint32(data[off:])
		id := le.Uint32(data[off+4:])
		if uint64(l) > uint64(len(data)-off-8) {
			return malformed("ERROR: context %d length %d beyond data", i, l)
		}
		end := off + 8 + int(l)
		r.Contexts = append(r.Contexts, ErrorContext{ErrorID: id, Data: data[off+8 : end : end]})
		off = end
	}
	return nil
}

// BufferTooSmallLength returns the required length a STATUS_BUFFER_TOO_SMALL
// error carries (MS-SMB2 2.2.2.2), if it does.
func (r *ErrorResponse) BufferTooSmallLength() (uint32, bool) {
	d := r.Data
	if len(r.Contexts) > 0 {
		d = r.Contexts[0].Data
	}
	if len(d) < 4 {
		return 0, false
	}
	return le.Uint32(d), true
}
