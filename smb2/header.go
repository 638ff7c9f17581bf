package smb2

import "github.com/lanman/lanman/ntstatus"

// HeaderSize is the size of the SMB2 header, sync or async.
const HeaderSize = 64

// Byte offsets of header fields a connection patches in place.
const (
	headerFlagsOffset       = 16
	headerNextCommandOffset = 20
	headerMessageIDOffset   = 24
	headerSignatureOffset   = 48
)

// Header is the SMB2 packet header (MS-SMB2 2.2.1), in either its SYNC
// form (TreeID) or its ASYNC form (AsyncID), chosen by FlagAsyncCommand.
//
// The 4-byte Status field is the NTSTATUS in a response and, in an SMB 3.x
// request, ChannelSequence followed by 2 reserved bytes. Marshal and
// Unmarshal pick the reading by FlagServerToRedir.
type Header struct {
	CreditCharge    uint16
	Status          ntstatus.Status // responses only
	ChannelSequence uint16          // requests only (SMB 3.x)
	Command         Command
	// Credits is CreditRequest in a request and CreditResponse (the
	// credits granted) in a response.
	Credits     uint16
	Flags       Flags
	NextCommand uint32
	MessageID   uint64
	// AsyncID is used when Flags has FlagAsyncCommand; ProcessID and
	// TreeID otherwise.
	AsyncID   uint64
	ProcessID uint32 // "Reserved" in the SYNC form; sent as 0xFEFF by Windows
	TreeID    uint32
	SessionID uint64
	Signature [16]byte
}

// IsResponse reports whether the header is a server-to-client message.
func (h *Header) IsResponse() bool { return h.Flags&FlagServerToRedir != 0 }

// IsAsync reports whether the header is in the ASYNC form.
func (h *Header) IsAsync() bool { return h.Flags&FlagAsyncCommand != 0 }

// Marshal appends the 64-byte header to b.
func (h *Header) Marshal(b []byte) []byte {
	b = le.AppendUint32(b, ProtocolSMB2)
	b = le.AppendUint16(b, HeaderSize) // StructureSize
	b = le.AppendUint16(b, h.CreditCharge)
	if h.IsResponse() {
		b = le.AppendUint32(b, uint32(h.Status))
	} else {
		b = le.AppendUint16(b, h.ChannelSequence)
		b = le.AppendUint16(b, 0)
	}
	b = le.AppendUint16(b, uint16(h.Command))
	b = le.AppendUint16(b, h.Credits)
	b = le.AppendUint32(b, uint32(h.Flags))
	b = le.AppendUint32(b, h.NextCommand)
	b = le.AppendUint64(b, h.MessageID)
	if h.IsAsync() {
		b = le.AppendUint64(b, h.AsyncID)
	} else {
		b = le.AppendUint32(b, h.ProcessID)
		b = le.AppendUint32(b, h.TreeID)
	}
	b = le.AppendUint64(b, h.SessionID)
	return append(b, h.Signature[:]...)
}

// Unmarshal decodes the header at the start of msg; the body is
// msg[HeaderSize:].
func (h *Header) Unmarshal(msg []byte) error {
	if len(msg) < HeaderSize {
		return malformed("header: %d bytes, need %d", len(msg), HeaderSize)
	}
	if p := le.Uint32(msg); p != ProtocolSMB2 {
		return malformed("header: ProtocolId 0x%08X", p)
	}
	if s := le.Uint16(msg[4:]); s != HeaderSize {
		return malformed("header: StructureSize %d", s)
	}
	h.CreditCharge = le.Uint16(msg[6:])
	h.Flags = Flags(le.Uint32(msg[16:]))
	if h.IsResponse() {
		h.Status = ntstatus.Status(le.Uint32(msg[8:]))
		h.ChannelSequence = 0
	} else {
		h.Status = 0
		h.ChannelSequence = le.Uint16(msg[8:])
	}
	h.Command = Command(le.Uint16(msg[12:]))
	h.Credits = le.Uint16(msg[14:])
	h.NextCommand = le.Uint32(msg[20:])
	h.MessageID = le.Uint64(msg[24:])
	if h.IsAsync() {
		h.AsyncID = le.Uint64(msg[32:])
		h.ProcessID, h.TreeID = 0, 0
	} else {
		h.AsyncID = 0
		h.ProcessID = le.Uint32(msg[32:])
		h.TreeID = le.Uint32(msg[36:])
	}
	h.SessionID = le.Uint64(msg[40:])
	copy(h.Signature[:], msg[48:64])
	return nil
}

// Message is an SMB2 message body: the command-specific structure that
// follows the header. Each request and response type implements it.
type Message interface {
	// Command is the command the body belongs to.
	Command() Command
	// Marshal appends the body to b, which must already hold the
	// message's 64-byte header at b[len(b)-HeaderSize:], since body
	// offsets count from the header.
	Marshal(b []byte) []byte
	// Unmarshal decodes the body (the bytes after the header). Byte
	// slices in the result alias body.
	Unmarshal(body []byte) error
}

// AppendMessage appends h followed by m's body to b, setting h.Command
// from m (except for an *ErrorResponse, which answers whatever command
// h names). It returns the extended slice; the message is
// b[len(b_before):].
func AppendMessage(b []byte, h *Header, m Message) []byte {
	if _, isErr := m.(*ErrorResponse); !isErr {
		h.Command = m.Command()
	}
	b = h.Marshal(b)
	return m.Marshal(b)
}

// ParseMessage decodes one message (not a compound chain: see
// SplitCompound) into its header and the body slice.
func ParseMessage(msg []byte) (Header, []byte, error) {
	var h Header
	if err := h.Unmarshal(msg); err != nil {
		return h, nil, err
	}
	return h, msg[HeaderSize:], nil
}
