package ntlm

import (
	"encoding/binary"
	"fmt"
)

// AVID identifies an AV_PAIR (MS-NLMP 2.2.2.1).
type AVID uint16

// The AV_PAIR identifiers of MS-NLMP 2.2.2.1.
const (
	AvEOL             AVID = 0x0000
	AvNbComputerName  AVID = 0x0001
	AvNbDomainName    AVID = 0x0002
	AvDNSComputerName AVID = 0x0003
	AvDNSDomainName   AVID = 0x0004
	AvDNSTreeName     AVID = 0x0005
	AvFlags           AVID = 0x0006
	AvTimestamp       AVID = 0x0007
	AvSingleHost      AVID = 0x0008
	AvTargetName      AVID = 0x0009
	AvChannelBindings AVID = 0x000A
)

// Bits of the MsvAvFlags value.
const (
	AvFlagConstrained         uint32 = 0x1 // account authentication is constrained
	AvFlagMICPresent          uint32 = 0x2 // AUTHENTICATE carries a MIC
	AvFlagUntrustedTargetName uint32 = 0x4 // the SPN came from an untrusted source
)

// AVPair is one attribute/value pair. Value aliases the decoded message.
type AVPair struct {
	ID    AVID
	Value []byte
}

// AVPairs is a TargetInfo list without its MsvAvEOL terminator, in wire
// order. It appears in the CHALLENGE message and, extended by the client,
// inside the NTLMv2 response.
type AVPairs []AVPair

// ParseAVPairs decodes a TargetInfo byte string. The list must end with
// MsvAvEOL; bytes after the terminator are ignored, as Windows does
// (the NTLMv2 response pads its copy with zeros).
func ParseAVPairs(b []byte) (AVPairs, error) {
	// Count first so the result is allocated once and never beyond what
	// the input can hold (each pair is at least 4 bytes).
	n := 0
	for rest := b; ; n++ {
		if len(rest) < 4 {
			return nil, fmt.Errorf("ntlm: AV pairs: missing MsvAvEOL: %w", ErrBadMessage)
		}
		id := AVID(binary.LittleEndian.Uint16(rest))
		l := int(binary.LittleEndian.Uint16(rest[2:]))
		if id == AvEOL {
			break
		}
		if l > len(rest)-4 {
			return nil, fmt.Errorf("ntlm: AV pair %#x: length %d exceeds the %d bytes left: %w", uint16(id), l, len(rest)-4, ErrBadMessage)
		}
		rest = rest[4+l:]
	}
	pairs := make(AVPairs, 0, n)
	for rest := b; ; {
		id := AVID(binary.LittleEndian.Uint16(rest))
		if id == AvEOL {
			return pairs, nil
		}
		l := int(binary.LittleEndian.Uint16(rest[2:]))
		pairs = append(pairs, AVPair{ID: id, Value: rest[4 : 4+l : 4+l]})
		rest = rest[4+l:]
	}
}

// Marshal encodes the list followed by MsvAvEOL.
func (p AVPairs) Marshal() []byte {
	n := 4
	for _, a := range p {
		n += 4 + len(a.Value)
	}
	return p.appendTo(make([]byte, 0, n))
}

func (p AVPairs) appendTo(b []byte) []byte {
	for _, a := range p {
		b = binary.LittleEndian.AppendUint16(b, uint16(a.ID))
		b = binary.LittleEndian.AppendUint16(b, uint16(len(a.Value)))
		b = append(b, a.Value...)
	}
	return append(b, 0, 0, 0, 0)
}

// Get returns the value of the first pair with the given ID.
func (p AVPairs) Get(id AVID) ([]byte, bool) {
	for _, a := range p {
		if a.ID == id {
			return a.Value, true
		}
	}
	return nil, false
}

// String returns the UTF-16 value of the first pair with the given ID as a
// string ("" when absent or undecodable).
func (p AVPairs) String(id AVID) string {
	v, ok := p.Get(id)
	if !ok {
		return ""
	}
	s, _ := decodeUTF16(v)
	return s
}

// Flags returns the MsvAvFlags value, 0 when absent or malformed.
func (p AVPairs) Flags() uint32 {
	v, ok := p.Get(AvFlags)
	if !ok || len(v) != 4 {
		return 0
	}
	return binary.LittleEndian.Uint32(v)
}

// Set replaces the value of the first pair with the given ID, or appends a
// new pair. It returns the updated list.
func (p AVPairs) Set(id AVID, value []byte) AVPairs {
	for i := range p {
		if p[i].ID == id {
			p[i].Value = value
			return p
		}
	}
	return append(p, AVPair{ID: id, Value: value})
}
