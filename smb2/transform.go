package smb2

// TransformHeaderSize is the size of the TRANSFORM_HEADER.
const TransformHeaderSize = 52

// transformAADOffset is where the authenticated data of an encrypted
// message begins: the TRANSFORM_HEADER after ProtocolId and Signature
// (MS-SMB2 3.1.4.3).
const transformAADOffset = 20

// TransformHeader precedes an encrypted message (MS-SMB2 2.2.41).
type TransformHeader struct {
	Signature [16]byte // the AEAD tag
	// Nonce is 11 bytes of CCM nonce or 12 of GCM nonce, zero-padded.
	Nonce               [16]byte
	OriginalMessageSize uint32
	Flags               uint16 // TransformFlagEncrypted
	SessionID           uint64
}

// Marshal appends the 52-byte header to b.
func (t *TransformHeader) Marshal(b []byte) []byte {
	b = le.AppendUint32(b, ProtocolTransform)
	b = append(b, t.Signature[:]...)
	b = append(b, t.Nonce[:]...)
	b = le.AppendUint32(b, t.OriginalMessageSize)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint16(b, t.Flags)
	return le.AppendUint64(b, t.SessionID)
}

// Unmarshal decodes the header at the start of b; the encrypted message
// is b[TransformHeaderSize:], and its length must equal
// OriginalMessageSize (checked here).
func (t *TransformHeader) Unmarshal(b []byte) error {
	if len(b) < TransformHeaderSize {
		return malformed("transform header: %d bytes, need %d", len(b), TransformHeaderSize)
	}
	if p := le.Uint32(b); p != ProtocolTransform {
		return malformed("transform header: ProtocolId 0x%08X", p)
	}
	copy(t.Signature[:], b[4:20])
	copy(t.Nonce[:], b[20:36])
	t.OriginalMessageSize = le.Uint32(b[36:])
	t.Flags = le.Uint16(b[42:])
	t.SessionID = le.Uint64(b[44:])
	if uint64(t.OriginalMessageSize) != uint64(len(b)-TransformHeaderSize) {
		return malformed("transform header: OriginalMessageSize %d but %d bytes follow", t.OriginalMessageSize, len(b)-TransformHeaderSize)
	}
	return nil
}

// FrameKind classifies a received transport frame by its ProtocolId.
type FrameKind int

// Frame kinds.
const (
	FrameUnknown    FrameKind = iota
	FramePlain                // 0xFE 'SMB': one or more SMB2 messages
	FrameEncrypted            // 0xFD 'SMB': TRANSFORM_HEADER
	FrameCompressed           // 0xFC 'SMB': COMPRESSION_TRANSFORM_HEADER
	FrameSMB1                 // 0xFF 'SMB': SMB1, which lanman refuses
)

// KindOf tells what a frame holds from its first four bytes.
func KindOf(frame []byte) FrameKind {
	if len(frame) < 4 {
		return FrameUnknown
	}
	switch le.Uint32(frame) {
	case ProtocolSMB2:
		return FramePlain
	case ProtocolTransform:
		return FrameEncrypted
	case ProtocolCompression:
		return FrameCompressed
	case 0x424D53FF:
		return FrameSMB1
	}
	return FrameUnknown
}
