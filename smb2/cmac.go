package smb2

import (
	"crypto/cipher"
	"crypto/subtle"
)

// cmac is AES-CMAC (RFC 4493, NIST SP 800-38B) over a 128-bit block
// cipher. It holds only the cipher and the two subkeys, so one value
// can be used from several goroutines at once.
type cmac struct {
	block  cipher.Block
	k1, k2 [16]byte
}

func newCMAC(b cipher.Block) *cmac {
	c := &cmac{block: b}
	var l [16]byte
	b.Encrypt(l[:], l[:]) // L = AES-128(K, 0^128)
	c.k1 = dbl(l)
	c.k2 = dbl(c.k1)
	return c
}

// dbl is multiplication by x in GF(2^128) with the RFC 4493 polynomial
// (left shift by one; if the MSB was set, XOR Rb = 0x87 into the last
// byte), in constant time.
func dbl(in [16]byte) [16]byte {
	var out [16]byte
	carry := in[0] >> 7
	for i := 0; i < 15; i++ {
		out[i] = in[i]<<1 | in[i+1]>>7
	}
	out[15] = in[15]<<1 ^ (0x87 & -carry)
	return out
}

// sum returns the 16-byte CMAC of msg.
func (c *cmac) sum(msg []byte) [16]byte {
	var x [16]byte
	n := len(msg)
	// All blocks but the last are chained plainly: X = E(X ^ M_i).
	full := (n - 1) / 16
	if n == 0 {
		full = 0
	}
	for i := 0; i < full; i++ {
		subtle.XORBytes(x[:], x[:], msg[16*i:16*i+16])
		c.block.Encrypt(x[:], x[:])
	}
	last := msg[16*full:]
	var m [16]byte
	if len(last) == 16 {
		subtle.XORBytes(m[:], last, c.k1[:])
	} else {
		copy(m[:], last)
		m[len(last)] = 0x80 // padding 10^i
		subtle.XORBytes(m[:], m[:], c.k2[:])
	}
	subtle.XORBytes(x[:], x[:], m[:])
	c.block.Encrypt(x[:], x[:])
	return x
}
