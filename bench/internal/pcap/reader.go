package pcap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Link types (the "network" field of the file header) this package decodes.
const (
	LinkNull     = 0   // BSD loopback: 4-byte address family in host order
	LinkEthernet = 1   // Ethernet II; what tcpdump -i lo writes on Linux
	LinkRaw      = 101 // raw IPv4 or IPv6
	LinkLinuxSLL = 113 // Linux "cooked" capture, v1 (tcpdump -i any)
	LinkIPv4     = 228
	LinkIPv6     = 229
	LinkSLL2     = 276 // Linux cooked capture v2
)

// maxSnapLen bounds the record length the reader accepts, whatever the
// file header claims, so that a corrupt length cannot make it allocate
// without limit.
const maxSnapLen = 1 << 18

// Errors of the reader.
var (
	ErrBadMagic  = errors.New("pcap: not a pcap file (bad magic number)")
	ErrTruncated = errors.New("pcap: truncated record")
	ErrTooLong   = errors.New("pcap: record longer than the snapshot length")
)

// Reader reads the records of a pcap file.
type Reader struct {
	r        io.Reader
	order    binary.ByteOrder
	nano     bool
	snapLen  uint32
	LinkType uint32
	hdr      [16]byte
	buf      []byte
}

// NewReader reads the file header from r.
func NewReader(r io.Reader) (*Reader, error) {
	var h [24]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("pcap: file header: %w", err)
	}
	pr := &Reader{r: r}
	switch {
	case binary.LittleEndian.Uint32(h[0:]) == 0xa1b2c3d4:
		pr.order = binary.LittleEndian
	case binary.BigEndian.Uint32(h[0:]) == 0xa1b2c3d4:
		pr.order = binary.BigEndian
	case binary.LittleEndian.Uint32(h[0:]) == 0xa1b23c4d:
		pr.order, pr.nano = binary.LittleEndian, true
	case binary.BigEndian.Uint32(h[0:]) == 0xa1b23c4d:
		pr.order, pr.nano = binary.BigEndian, true
	default:
		return nil, ErrBadMagic
	}
	pr.snapLen = min(pr.order.Uint32(h[16:]), maxSnapLen)
	if pr.snapLen == 0 {
		pr.snapLen = maxSnapLen
	}
	pr.LinkType = pr.order.Uint32(h[20:]) & 0x0FFFFFFF // upper bits are FCS flags
	return pr, nil
}

// Next returns the next record's time and captured bytes. The bytes are
// valid until the following call. At the end of the file it returns
// io.EOF.
func (pr *Reader) Next() (time.Time, []byte, error) {
	if _, err := io.ReadFull(pr.r, pr.hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			err = ErrTruncated
		}
		return time.Time{}, nil, err
	}
	sec := pr.order.Uint32(pr.hdr[0:])
	frac := pr.order.Uint32(pr.hdr[4:])
	incl := pr.order.Uint32(pr.hdr[8:])
	if incl > pr.snapLen {
		return time.Time{}, nil, fmt.Errorf("%w: %d > %d", ErrTooLong, incl, pr.snapLen)
	}
	if cap(pr.buf) < int(incl) {
		pr.buf = make([]byte, incl)
	}
	pr.buf = pr.buf[:incl]
	if _, err := io.ReadFull(pr.r, pr.buf); err != nil {
		return time.Time{}, nil, ErrTruncated
	}
	ns := int64(frac) * 1000
	if pr.nano {
		ns = int64(frac)
	}
	return time.Unix(int64(sec), ns), pr.buf, nil
}
