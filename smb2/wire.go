package smb2

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unicode/utf16"
)

var le = binary.LittleEndian

// Sentinel errors. Decoding errors wrap ErrMalformed with the message and
// field at fault.
var (
	// ErrMalformed is returned for bytes that do not decode as the
	// message they claim to be.
	ErrMalformed = errors.New("smb2: malformed message")
	// ErrBadSignature is returned when a message's signature does not
	// verify.
	ErrBadSignature = errors.New("smb2: bad signature")
	// ErrDecrypt is returned when an encrypted message fails to
	// authenticate or decrypt.
	ErrDecrypt = errors.New("smb2: decryption failed")
)

// malformed builds an error wrapping ErrMalformed.
func malformed(what string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(what, args...))
}

// fixedBody checks that body holds at least the fixed part of a structure
// whose StructureSize is size (the odd sizes count one byte of the
// variable buffer, which may be absent) and that StructureSize is size.
func fixedBody(body []byte, name string, size uint16) error {
	need := int(size &^ 1)
	if len(body) < need || len(body) < 2 {
		return malformed("%s: %d bytes, need %d", name, len(body), need)
	}
	if got := le.Uint16(body); got != size {
		return malformed("%s: StructureSize %d, want %d", name, got, size)
	}
	return nil
}

// field returns the sub-slice of body that an (offset, length) pair
// names, where the offset is counted from the start of the SMB2 header
// and body begins HeaderSize bytes after it. A zero length yields nil
// whatever the offset. The slice's capacity is capped at its length so
// that appending to it never overwrites what follows.
func field(body []byte, name string, off, length uint32) ([]byte, error) {
	if length == 0 {
		return nil, nil
	}
	if off < HeaderSize {
		return nil, malformed("%s: offset %d inside the header", name, off)
	}
	start := uint64(off) - HeaderSize
	end := start + uint64(length)
	if end > uint64(len(body)) {
		return nil, malformed("%s: offset %d length %d beyond %d-byte message", name, off, length, len(body)+HeaderSize)
	}
	return body[start:end:end], nil
}

// bodyOffset is the header-relative offset of position p of b when the
// body being marshalled started at position start.
func bodyOffset(start, p int) int { return HeaderSize + p - start }

// pad8 appends zero bytes until len(b)-start is a multiple of 8.
func pad8(b []byte, start int) []byte {
	for (len(b)-start)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

func align8(n int) int { return (n + 7) &^ 7 }

// appendUTF16 appends s as UTF-16LE without a terminator.
func appendUTF16(b []byte, s string) []byte {
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			b = le.AppendUint16(b, uint16(r1))
			b = le.AppendUint16(b, uint16(r2))
			continue
		}
		b = le.AppendUint16(b, uint16(r))
	}
	return b
}

// utf16Len is the number of bytes appendUTF16 writes for s.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 4
		} else {
			n += 2
		}
	}
	return n
}

// decodeUTF16 decodes UTF-16LE bytes. Unpaired surrogates become U+FFFD
// (as Windows names may hold them); an odd length is an error.
func decodeUTF16(b []byte, name string) (string, error) {
	if len(b)%2 != 0 {
		return "", malformed("%s: odd UTF-16 length %d", name, len(b))
	}
	if len(b) == 0 {
		return "", nil
	}
	// Fast path: all ASCII.
	ascii := true
	for i := 0; i < len(b); i += 2 {
		if b[i+1] != 0 || b[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		s := make([]byte, len(b)/2)
		for i := range s {
			s[i] = b[2*i]
		}
		return string(s), nil
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = le.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u)), nil
}

// Filetime is a Windows FILETIME: 100-nanosecond intervals since
// 1601-01-01 UTC. Zero means "not set" on the wire.
type Filetime uint64

const filetimeEpochDelta = 116444736000000000 // 1601 to 1970 in 100ns

// Time converts f to a time.Time; the zero Filetime becomes the zero Time.
func (f Filetime) Time() time.Time {
	if f == 0 {
		return time.Time{}
	}
	d := int64(f) - filetimeEpochDelta
	return time.Unix(d/1e7, (d%1e7)*100).UTC()
}

// FiletimeOf converts t to a Filetime; the zero Time becomes 0.
func FiletimeOf(t time.Time) Filetime {
	if t.IsZero() {
		return 0
	}
	return Filetime(t.UnixNano()/100 + filetimeEpochDelta)
}

// FileID identifies an open (MS-SMB2 2.2.14.1).
type FileID struct {
	Persistent uint64
	Volatile   uint64
}

// FileIDAll is the FileId 0xFFFFFFFFFFFFFFFF/0xFFFFFFFFFFFFFFFF that a
// related compounded request uses to mean "the open the previous request
// created" (MS-SMB2 3.2.4.1.4).
var FileIDAll = FileID{^uint64(0), ^uint64(0)}

func (f FileID) append(b []byte) []byte {
	b = le.AppendUint64(b, f.Persistent)
	return le.AppendUint64(b, f.Volatile)
}

func fileIDAt(b []byte) FileID {
	return FileID{le.Uint64(b), le.Uint64(b[8:])}
}

// GUID is a 16-byte GUID in its wire (MS-DTYP 2.3.4.2) byte order.
type GUID [16]byte
