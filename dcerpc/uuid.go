package dcerpc

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// UUID is a DCE UUID in its NDR wire order: the first three fields
// (time_low, time_mid, time_hi_and_version) little-endian, the rest as
// bytes. That is the order it has inside every PDU, so a UUID is copied to
// and from the wire unchanged; String and ParseUUID convert from and to
// the usual text form.
type UUID [16]byte

// ParseUUID parses the text form "8a885d04-1ceb-11c9-9fe8-08002b104860"
// (case-insensitive, no braces).
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("dcerpc: malformed UUID %q", s)
	}
	var raw [16]byte
	j := 0
	for i := 0; i < 36; {
		if s[i] == '-' {
			i++
			continue
		}
		if _, err := hex.Decode(raw[j:j+1], []byte(s[i:i+2])); err != nil {
			return u, fmt.Errorf("dcerpc: malformed UUID %q", s)
		}
		i += 2
		j++
	}
	binary.LittleEndian.PutUint32(u[0:], binary.BigEndian.Uint32(raw[0:]))
	binary.LittleEndian.PutUint16(u[4:], binary.BigEndian.Uint16(raw[4:]))
	binary.LittleEndian.PutUint16(u[6:], binary.BigEndian.Uint16(raw[6:]))
	copy(u[8:], raw[8:])
	return u, nil
}

// MustParseUUID is ParseUUID for constants; it panics on a malformed string.
func MustParseUUID(s string) UUID {
	u, err := ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

// String is the lower-case text form.
func (u UUID) String() string {
	return fmt.Sprintf("%08x-%04x-%04x-%x-%x",
		binary.LittleEndian.Uint32(u[0:]), binary.LittleEndian.Uint16(u[4:]),
		binary.LittleEndian.Uint16(u[6:]), u[8:10], u[10:])
}

// SyntaxID names an abstract syntax (an interface) or a transfer syntax:
// p_syntax_id_t of C706 12.6 / RPC_SYNTAX_IDENTIFIER of MS-RPCE 2.2.2.7.
// On the wire the version is a 32-bit value whose low half is the major
// and high half the minor version.
type SyntaxID struct {
	UUID    UUID
	Version uint16 // major
	Minor   uint16
}

func (s SyntaxID) String() string {
	return fmt.Sprintf("%s v%d.%d", s.UUID, s.Version, s.Minor)
}

const syntaxIDLen = 20

func appendSyntax(b []byte, s SyntaxID) []byte {
	b = append(b, s.UUID[:]...)
	b = binary.LittleEndian.AppendUint16(b, s.Version)
	return binary.LittleEndian.AppendUint16(b, s.Minor)
}

func readSyntax(b []byte) SyntaxID {
	var s SyntaxID
	copy(s.UUID[:], b[:16])
	s.Version = binary.LittleEndian.Uint16(b[16:])
	s.Minor = binary.LittleEndian.Uint16(b[18:])
	return s
}

// Well-known transfer syntaxes.
var (
	// NDR20 is the NDR transfer syntax version 2.0 (C706 14), the only one
	// this package speaks.
	NDR20 = SyntaxID{UUID: MustParseUUID("8a885d04-1ceb-11c9-9fe8-08002b104860"), Version: 2}
	// NDR64 is the 64-bit NDR of MS-RPCE 2.2.5; the server recognises it
	// only to reject it.
	NDR64 = SyntaxID{UUID: MustParseUUID("71710533-beba-4937-8319-b5dbef9ccc36"), Version: 1}
)

// bindTimeFeaturePrefix is the first half of the pseudo transfer syntax
// 6cb71c2c-9812-4540-XXXX-XXXXXXXXXXXX v1.0 through which a client offers
// bind time feature negotiation; the last eight octets are its
// BindTimeFeatureNegotiationBitmask (MS-RPCE 2.2.2.14, 3.3.1.5.3).
var bindTimeFeaturePrefix = [8]byte{0x2c, 0x1c, 0xb7, 0x6c, 0x12, 0x98, 0x40, 0x45}

// Bind time feature bits (MS-RPCE 2.2.2.14 and 2.2.2.15).
const (
	FeatureSecurityContextMultiplexing uint8 = 0x01
	FeatureKeepConnectionOnOrphan      uint8 = 0x02
)

// BindTimeFeatureSyntax is the transfer syntax a client proposes to offer
// the given feature bits.
func BindTimeFeatureSyntax(bits uint8) SyntaxID {
	var s SyntaxID
	copy(s.UUID[:8], bindTimeFeaturePrefix[:])
	s.UUID[8] = bits
	s.Version = 1
	return s
}

// bindTimeFeatures reports whether s is a bind time feature negotiation
// syntax, and the bits it offers.
func bindTimeFeatures(s SyntaxID) (uint8, bool) {
	if [8]byte(s.UUID[:8]) != bindTimeFeaturePrefix || s.Version != 1 || s.Minor != 0 {
		return 0, false
	}
	return s.UUID[8], true
}
