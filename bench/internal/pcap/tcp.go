package pcap

import (
	"encoding/binary"
	"errors"
	"net/netip"
)

// TCP flags.
const (
	FIN = 0x01
	SYN = 0x02
	RST = 0x04
	ACK = 0x10
)

// Segment is the part of a TCP segment the round-trip counter needs.
type Segment struct {
	Src, Dst netip.AddrPort
	Flags    uint8
	// Payload is the TCP payload length as the IP header states it, so
	// that it is right even when the capture kept only the headers.
	Payload int
}

// ErrNotTCP reports a packet that is not TCP over IPv4 or IPv6.
var ErrNotTCP = errors.New("pcap: not a TCP/IP packet")

var errShort = errors.New("pcap: packet shorter than its headers")

// DecodeTCP decodes a captured packet of the given link type. Packets
// that are not TCP return ErrNotTCP; packets too short for the headers
// they announce return an error.
func DecodeTCP(linkType uint32, pkt []byte) (Segment, error) {
	var etherType uint16
	switch linkType {
	case LinkEthernet:
		if len(pkt) < 14 {
			return Segment{}, errShort
		}
		etherType, pkt = binary.BigEndian.Uint16(pkt[12:]), pkt[14:]
		// One 802.1Q tag at most.
		if etherType == 0x8100 {
			if len(pkt) < 4 {
				return Segment{}, errShort
			}
			etherType, pkt = binary.BigEndian.Uint16(pkt[2:]), pkt[4:]
		}
	case LinkLinuxSLL:
		if len(pkt) < 16 {
			return Segment{}, errShort
		}
		etherType, pkt = binary.BigEndian.Uint16(pkt[14:]), pkt[16:]
	case LinkSLL2:
		if len(pkt) < 20 {
			return Segment{}, errShort
		}
		etherType, pkt = binary.BigEndian.Uint16(pkt[0:]), pkt[20:]
	case LinkNull:
		if len(pkt) < 4 {
			return Segment{}, errShort
		}
		pkt = pkt[4:]
	case LinkRaw, LinkIPv4, LinkIPv6:
	default:
		return Segment{}, ErrNotTCP
	}
	if etherType == 0 && len(pkt) > 0 { // no link-level type: look at the IP version
		switch pkt[0] >> 4 {
		case 4:
			etherType = 0x0800
		case 6:
			etherType = 0x86DD
		}
	}
	switch etherType {
	case 0x0800:
		return decodeIPv4(pkt)
	case 0x86DD:
		return decodeIPv6(pkt)
	}
	return Segment{}, ErrNotTCP
}

func decodeIPv4(p []byte) (Segment, error) {
	if len(p) < 20 || p[0]>>4 != 4 {
		return Segment{}, errShort
	}
	ihl := int(p[0]&0x0F) * 4
	total := int(binary.BigEndian.Uint16(p[2:]))
	if ihl < 20 || len(p) < ihl || total < ihl {
		return Segment{}, errShort
	}
	if p[9] != 6 {
		return Segment{}, ErrNotTCP
	}
	// Only the first fragment has the TCP header; loopback never fragments.
	if binary.BigEndian.Uint16(p[6:])&0x1FFF != 0 {
		return Segment{}, ErrNotTCP
	}
	src := netip.AddrFrom4([4]byte(p[12:16]))
	dst := netip.AddrFrom4([4]byte(p[16:20]))
	return decodeTCP(src, dst, p[ihl:], total-ihl)
}

func decodeIPv6(p []byte) (Segment, error) {
	if len(p) < 40 || p[0]>>4 != 6 {
		return Segment{}, errShort
	}
	if p[6] != 6 { // extension headers do not occur on these captures
		return Segment{}, ErrNotTCP
	}
	plen := int(binary.BigEndian.Uint16(p[4:]))
	src := netip.AddrFrom16([16]byte(p[8:24]))
	dst := netip.AddrFrom16([16]byte(p[24:40]))
	return decodeTCP(src, dst, p[40:], plen)
}

// decodeTCP decodes the TCP header in p; ipPayload is the length of the
// IP payload (TCP header and data) as the IP header states it.
func decodeTCP(src, dst netip.Addr, p []byte, ipPayload int) (Segment, error) {
	if len(p) < 20 {
		return Segment{}, errShort
	}
	off := int(p[12]>>4) * 4
	if off < 20 || ipPayload < off {
		return Segment{}, errShort
	}
	return Segment{
		Src:     netip.AddrPortFrom(src, binary.BigEndian.Uint16(p[0:])),
		Dst:     netip.AddrPortFrom(dst, binary.BigEndian.Uint16(p[2:])),
		Flags:   p[13],
		Payload: ipPayload - off,
	}, nil
}
