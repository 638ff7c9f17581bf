package ntlm

import (
	"encoding/binary"
	"math/bits"
)

// md4Sum returns the MD4 digest of data (RFC 1320). NTLM needs MD4 only for
// the NT one-way function, MD4(UTF-16LE(password)); the standard library
// dropped MD4, so this small implementation lives here rather than pulling
// in a dependency.
func md4Sum(data []byte) [16]byte {
	a, b, c, d := uint32(0x67452301), uint32(0xefcdab89), uint32(0x98badcfe), uint32(0x10325476)

	// Pad: one 0x80 byte, zeros up to 56 mod 64, then the bit length as a
	// 64-bit little-endian integer (RFC 1320 3.1, 3.2).
	n := len(data)
	padded := make([]byte, (n+8)/64*64+64)
	copy(padded, data)
	padded[n] = 0x80
	binary.LittleEndian.PutUint64(padded[len(padded)-8:], uint64(n)<<3)

	var x [16]uint32
	for blk := padded; len(blk) >= 64; blk = blk[64:] {
		for i := range x {
			x[i] = binary.LittleEndian.Uint32(blk[4*i:])
		}
		aa, bb, cc, dd := a, b, c, d

		// Round 1: F(x,y,z) = xy v not(x)z.
		for _, i := range [4]int{0, 4, 8, 12} {
			a = bits.RotateLeft32(a+(b&c|^b&d)+x[i], 3)
			d = bits.RotateLeft32(d+(a&b|^a&c)+x[i+1], 7)
			c = bits.RotateLeft32(c+(d&a|^d&b)+x[i+2], 11)
			b = bits.RotateLeft32(b+(c&d|^c&a)+x[i+3], 19)
		}
		// Round 2: G(x,y,z) = xy v xz v yz.
		for _, i := range [4]int{0, 1, 2, 3} {
			a = bits.RotateLeft32(a+(b&c|b&d|c&d)+x[i]+0x5a827999, 3)
			d = bits.RotateLeft32(d+(a&b|a&c|b&c)+x[i+4]+0x5a827999, 5)
			c = bits.RotateLeft32(c+(d&a|d&b|a&b)+x[i+8]+0x5a827999, 9)
			b = bits.RotateLeft32(b+(c&d|c&a|d&a)+x[i+12]+0x5a827999, 13)
		}
		// Round 3: H(x,y,z) = x xor y xor z.
		for _, i := range [4]int{0, 2, 1, 3} {
			a = bits.RotateLeft32(a+(b^c^d)+x[i]+0x6ed9eba1, 3)
			d = bits.RotateLeft32(d+(a^b^c)+x[i+8]+0x6ed9eba1, 9)
			c = bits.RotateLeft32(c+(d^a^b)+x[i+4]+0x6ed9eba1, 11)
			b = bits.RotateLeft32(b+(c^d^a)+x[i+12]+0x6ed9eba1, 15)
		}

		a += aa
		b += bb
		c += cc
		d += dd
	}

	var out [16]byte
	binary.LittleEndian.PutUint32(out[0:], a)
	binary.LittleEndian.PutUint32(out[4:], b)
	binary.LittleEndian.PutUint32(out[8:], c)
	binary.LittleEndian.PutUint32(out[12:], d)
	return out
}
