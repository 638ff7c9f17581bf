package smb2

import (
	"errors"
	"fmt"
	"io"
)

// Direct TCP transport (MS-SMB2 2.1): every SMB2 message, compound chain
// or TRANSFORM_HEADER frame travels behind a 4-byte header: one zero byte
// and a 24-bit big-endian length.

// maxTransportFrame is the largest length the 24-bit field can carry.
const maxTransportFrame = 1<<24 - 1

// ErrFrameTooLarge is returned when a peer announces a frame larger than
// the connection accepts.
var ErrFrameTooLarge = errors.New("smb2: frame too large")

// readFrame reads one transport frame into a new buffer of exactly its
// size, refusing frames longer than limit before allocating.
func readFrame(r io.Reader, limit int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	if hdr[0] != 0 {
		return nil, fmt.Errorf("%w: transport header 0x%02X, not direct TCP", ErrMalformed, hdr[0])
	}
	n := int(hdr[1])<<16 | int(hdr[2])<<8 | int(hdr[3])
	if n > limit {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, n, limit)
	}
	if n < 4 {
		return nil, fmt.Errorf("%w: %d-byte frame", ErrMalformed, n)
	}
	// Spare capacity lets an encrypted frame be decrypted in place.
	buf := make([]byte, n, n+DecryptSlack)
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf, nil
}

// putFrameHeader writes the 4-byte transport header for a frame of n
// bytes into b[:4].
func putFrameHeader(b []byte, n int) {
	b[0] = 0
	b[1] = byte(n >> 16)
	b[2] = byte(n >> 8)
	b[3] = byte(n)
}
