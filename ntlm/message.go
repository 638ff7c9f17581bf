package ntlm

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// signature opens every NTLMSSP message (MS-NLMP 2.2).
var signature = [8]byte{'N', 'T', 'L', 'M', 'S', 'S', 'P', 0}

// Message types (MS-NLMP 2.2).
const (
	typeNegotiate    = 1
	typeChallenge    = 2
	typeAuthenticate = 3
)

// IsNTLMSSP reports whether b starts like an NTLMSSP message, which lets an
// acceptor tell a bare NTLM token from a SPNEGO one.
func IsNTLMSSP(b []byte) bool { return len(b) >= 12 && bytes.Equal(b[:8], signature[:]) }

// checkHeader verifies the signature and message type and the minimum
// fixed-part length.
func checkHeader(b []byte, msgType uint32, minLen int, name string) error {
	if len(b) < minLen {
		return fmt.Errorf("ntlm: %s: %d bytes, need at least %d: %w", name, len(b), minLen, ErrBadMessage)
	}
	if !bytes.Equal(b[:8], signature[:]) {
		return fmt.Errorf("ntlm: %s: bad signature %q: %w", name, b[:8], ErrBadMessage)
	}
	if t := binary.LittleEndian.Uint32(b[8:]); t != msgType {
		return fmt.Errorf("ntlm: %s: message type %d, want %d: %w", name, t, msgType, ErrBadMessage)
	}
	return nil
}

// field is a payload descriptor: Len, MaxLen (ignored) and BufferOffset.
type field struct {
	len, off int
}

func readField(b []byte, at int) field {
	return field{
		len: int(binary.LittleEndian.Uint16(b[at:])),
		off: int(binary.LittleEndian.Uint32(b[at+4:])),
	}
}

// slice returns the bytes the field points to, checked against the message.
// An empty field yields nil whatever its offset, which the spec says to
// ignore.
func (f field) slice(b []byte, name string) ([]byte, error) {
	if f.len == 0 {
		return nil, nil
	}
	if f.off > len(b) || f.len > len(b)-f.off {
		return nil, fmt.Errorf("ntlm: %s: %d bytes at offset %d exceed the %d-byte message: %w", name, f.len, f.off, len(b), ErrBadMessage)
	}
	return b[f.off : f.off+f.len : f.off+f.len], nil
}

// payloadWriter appends payload data after a fixed header and fills in the
// header's field descriptors.
type payloadWriter struct {
	b []byte
}

func (w *payloadWriter) put(at int, data []byte) {
	binary.LittleEndian.PutUint16(w.b[at:], uint16(len(data)))
	binary.LittleEndian.PutUint16(w.b[at+2:], uint16(len(data)))
	binary.LittleEndian.PutUint32(w.b[at+4:], uint32(len(w.b)))
	w.b = append(w.b, data...)
}

func newPayloadWriter(msgType uint32, headerLen, payloadLen int) *payloadWriter {
	b := make([]byte, headerLen, headerLen+payloadLen)
	copy(b, signature[:])
	binary.LittleEndian.PutUint32(b[8:], msgType)
	return &payloadWriter{b: b}
}
