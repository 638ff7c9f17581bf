// Package md4 is the MD4 digest (RFC 1320), which the NT one-way function
// of MS-NLMP 3.3.1 needs: NTOWFv1 = MD4(UNICODE(password)). MD4 is broken
// as a general-purpose hash; it is here only because NTLM is defined on it,
// and it is internal so that nothing else uses it.
package md4

import (
	"encoding/binary"
	"math/bits"
)

// Sum returns the MD4 digest of data.
func Sum(data []byte) [16]byte {
	s := [4]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}
	n := len(data)
	for len(data) >= 64 {
		block(&s, data[:64])
		data = data[64:]
	}
	// Padding: 0x80, zeros to 56 mod 64, then the bit length (LE).
	var tail [128]byte
	k := copy(tail[:], data)
	tail[k] = 0x80
	t := 64
	if k >= 56 {
		t = 128
	}
	binary.LittleEndian.PutUint64(tail[t-8:], uint64(n)<<3)
	for i := 0; i < t; i += 64 {
		block(&s, tail[i:i+64])
	}
	var out [16]byte
	for i, v := range s {
		binary.LittleEndian.PutUint32(out[4*i:], v)
	}
	return out
}

var (
	shift1 = [4]int{3, 7, 11, 19}
	shift2 = [4]int{3, 5, 9, 13}
	shift3 = [4]int{3, 9, 11, 15}
	order3 = [16]int{0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15}
)

func block(s *[4]uint32, p []byte) {
	var x [16]uint32
	for i := range x {
		x[i] = binary.LittleEndian.Uint32(p[4*i:])
	}
	a, b, c, d := s[0], s[1], s[2], s[3]
	// Round 1: F(x,y,z) = (x AND y) OR (NOT x AND z).
	for i := 0; i < 16; i++ {
		f := (b & c) | (^b & d)
		a, b, c, d = d, bits.RotateLeft32(a+f+x[i], shift1[i%4]), b, c
	}
	// Round 2: G(x,y,z) = majority, constant 0x5A827999, column order.
	for i := 0; i < 16; i++ {
		g := (b & c) | (b & d) | (c & d)
		j := (i%4)*4 + i/4
		a, b, c, d = d, bits.RotateLeft32(a+g+x[j]+0x5a827999, shift2[i%4]), b, c
	}
	// Round 3: H(x,y,z) = x XOR y XOR z, constant 0x6ED9EBA1.
	for i := 0; i < 16; i++ {
		h := b ^ c ^ d
		a, b, c, d = d, bits.RotateLeft32(a+h+x[order3[i]]+0x6ed9eba1, shift3[i%4]), b, c
	}
	s[0] += a
	s[1] += b
	s[2] += c
	s[3] += d
}
