package spnego

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"strconv"
)

// ErrBadToken is wrapped by every decoding error.
var ErrBadToken = errors.New("spnego: malformed token")

// DER tags used by SPNEGO.
const (
	tagBitString      = 0x03
	tagOctetString    = 0x04
	tagOID            = 0x06
	tagEnumerated     = 0x0a
	tagGeneralString  = 0x1b
	tagSequence       = 0x30
	tagApplication0   = 0x60 // [APPLICATION 0] IMPLICIT SEQUENCE: the GSS-API token framing
	tagContext0       = 0xa0 // [n] EXPLICIT, constructed
	tagNegTokenInit   = tagContext0 + 0
	tagNegTokenResp   = tagContext0 + 1
	maxDecodedOIDArcs = 32
	maxLengthOctets   = 4
)

// readTLV splits one DER element off b: its tag, its content and what
// follows. Only single-byte tags occur in SPNEGO. Lengths are checked
// against the bytes left; the indefinite form is refused.
func readTLV(b []byte) (tag byte, content, rest []byte, err error) {
	if len(b) < 2 {
		return 0, nil, nil, fmt.Errorf("spnego: element header truncated: %w", ErrBadToken)
	}
	tag = b[0]
	if tag&0x1f == 0x1f {
		return 0, nil, nil, fmt.Errorf("spnego: multi-byte tag %#x: %w", tag, ErrBadToken)
	}
	n := int(b[1])
	b = b[2:]
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 {
			return 0, nil, nil, fmt.Errorf("spnego: indefinite length: %w", ErrBadToken)
		}
		if k > maxLengthOctets || k > len(b) {
			return 0, nil, nil, fmt.Errorf("spnego: %d length octets: %w", k, ErrBadToken)
		}
		n = 0
		for _, c := range b[:k] {
			n = n<<8 | int(c)
		}
		b = b[k:]
	}
	if n > len(b) {
		return 0, nil, nil, fmt.Errorf("spnego: element %#x of %d bytes, only %d left: %w", tag, n, len(b), ErrBadToken)
	}
	return tag, b[:n:n], b[n:], nil
}

// expect reads one element that must carry the given tag.
func expect(b []byte, want byte, what string) (content, rest []byte, err error) {
	tag, content, rest, err := readTLV(b)
	if err != nil {
		return nil, nil, fmt.Errorf("spnego: %s: %w", what, err)
	}
	if tag != want {
		return nil, nil, fmt.Errorf("spnego: %s: tag %#x, want %#x: %w", what, tag, want, ErrBadToken)
	}
	return content, rest, nil
}

// appendTLV appends one DER element.
func appendTLV(dst []byte, tag byte, content []byte) []byte {
	dst = append(dst, tag)
	n := len(content)
	switch {
	case n < 0x80:
		dst = append(dst, byte(n))
	case n <= 0xff:
		dst = append(dst, 0x81, byte(n))
	case n <= 0xffff:
		dst = append(dst, 0x82, byte(n>>8), byte(n))
	case n <= 0xffffff:
		dst = append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		dst = append(dst, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(dst, content...)
}

// appendOID appends the DER encoding of an object identifier.
func appendOID(dst []byte, oid asn1.ObjectIdentifier) []byte {
	var body []byte
	if len(oid) >= 2 {
		body = appendBase128(body, oid[0]*40+oid[1])
		for _, arc := range oid[2:] {
			body = appendBase128(body, arc)
		}
	}
	return appendTLV(dst, tagOID, body)
}

func appendBase128(dst []byte, v int) []byte {
	var tmp [10]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7f)
	for v >>= 7; v > 0; v >>= 7 {
		i--
		tmp[i] = byte(v&0x7f) | 0x80
	}
	return append(dst, tmp[i:]...)
}

// parseOID decodes the content octets of an OBJECT IDENTIFIER.
func parseOID(b []byte) (asn1.ObjectIdentifier, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("spnego: empty OID: %w", ErrBadToken)
	}
	oid := make(asn1.ObjectIdentifier, 0, min(len(b)+1, maxDecodedOIDArcs))
	for i := 0; i < len(b); {
		if len(oid) >= maxDecodedOIDArcs {
			return nil, fmt.Errorf("spnego: OID with more than %d arcs: %w", maxDecodedOIDArcs, ErrBadToken)
		}
		v := 0
		for shift := 0; ; shift++ {
			if i >= len(b) {
				return nil, fmt.Errorf("spnego: OID arc truncated: %w", ErrBadToken)
			}
			if shift == 4 {
				return nil, fmt.Errorf("spnego: OID arc too large: %w", ErrBadToken)
			}
			c := b[i]
			i++
			v = v<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
		if len(oid) == 0 {
			first := min(v/40, 2)
			oid = append(oid, first, v-40*first)
		} else {
			oid = append(oid, v)
		}
	}
	return oid, nil
}

// oidString prints an OID, with the name of the mechanisms SPNEGO meets.
func oidString(oid asn1.ObjectIdentifier) string {
	switch {
	case oid.Equal(OIDNTLMSSP):
		return "NTLMSSP"
	case oid.Equal(OIDKerberos5):
		return "KRB5"
	case oid.Equal(OIDMSKerberos5):
		return "MS-KRB5"
	case oid.Equal(OIDNegoEx):
		return "NEGOEX"
	}
	s := ""
	for i, a := range oid {
		if i > 0 {
			s += "."
		}
		s += strconv.Itoa(a)
	}
	return s
}
