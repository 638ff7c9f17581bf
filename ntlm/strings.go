package ntlm

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// appendUTF16 appends s as UTF-16LE without a terminator (MS-NLMP strings
// are RPC_UNICODE_STRING contents: no BOM, no NUL).
func appendUTF16(dst []byte, s string) []byte {
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			dst = append(dst, byte(r1), byte(r1>>8), byte(r2), byte(r2>>8))
			continue
		}
		dst = append(dst, byte(r), byte(r>>8))
	}
	return dst
}

// utf16Bytes is appendUTF16 into a new slice.
func utf16Bytes(s string) []byte { return appendUTF16(make([]byte, 0, 2*len(s)), s) }

// decodeUTF16 decodes UTF-16LE bytes. An odd length is an error; unpaired
// surrogates become U+FFFD, as Windows names may contain anything.
func decodeUTF16(b []byte) (string, error) {
	if len(b)%2 != 0 {
		return "", fmt.Errorf("odd UTF-16 length %d: %w", len(b), ErrBadMessage)
	}
	buf := make([]byte, 0, len(b)/2)
	for i := 0; i < len(b); i += 2 {
		c := rune(b[i]) | rune(b[i+1])<<8
		if utf16.IsSurrogate(c) && i+3 < len(b) {
			c2 := rune(b[i+2]) | rune(b[i+3])<<8
			if r := utf16.DecodeRune(c, c2); r != utf8.RuneError {
				buf = utf8.AppendRune(buf, r)
				i += 2
				continue
			}
		}
		buf = utf8.AppendRune(buf, c)
	}
	return string(buf), nil
}

// encodeString encodes s in the negotiated character set: UTF-16LE when
// unicode, else OEM, which lanman treats as Latin-1 (code points above
// U+00FF become '?').
func encodeString(s string, unicode bool) []byte {
	if unicode {
		return utf16Bytes(s)
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b
}

// decodeString is the inverse of encodeString.
func decodeString(b []byte, unicode bool) (string, error) {
	if unicode {
		return decodeUTF16(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r), nil
}
