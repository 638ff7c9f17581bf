package smb2

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// ccm is the CCM mode of NIST SP 800-38C (RFC 3610) over a 128-bit
// block cipher, as a cipher.AEAD. SMB 3.x uses it with an 11-byte nonce
// and a 16-byte tag (MS-SMB2 3.1.4.3, RFC 4309); other sizes are
// supported so that the published test vectors can check it.
//
// The Go standard library has no CCM; this is written from the
// specification. It is safe for concurrent use (it keeps no state beyond
// the block cipher).
type ccm struct {
	block    cipher.Block
	nonceLen int // n: 7..13
	tagLen   int // t: 4, 6, ..., 16
}

var errCCMOpen = errors.New("smb2: ccm: message authentication failed")

// newCCM returns CCM over b with the given nonce and tag sizes.
func newCCM(b cipher.Block, nonceLen, tagLen int) (cipher.AEAD, error) {
	if b.BlockSize() != 16 {
		return nil, errors.New("smb2: ccm: block size must be 16")
	}
	if nonceLen < 7 || nonceLen > 13 {
		return nil, errors.New("smb2: ccm: nonce length must be 7 to 13")
	}
	if tagLen < 4 || tagLen > 16 || tagLen%2 != 0 {
		return nil, errors.New("smb2: ccm: tag length must be even, 4 to 16")
	}
	return &ccm{block: b, nonceLen: nonceLen, tagLen: tagLen}, nil
}

func (c *ccm) NonceSize() int { return c.nonceLen }
func (c *ccm) Overhead() int  { return c.tagLen }

// maxLen is the largest payload the q = 15-n byte length field encodes.
func (c *ccm) maxLen() uint64 {
	q := 15 - c.nonceLen
	if q >= 8 {
		return 1<<63 - 1
	}
	return 1<<(8*q) - 1
}

// mac computes the CBC-MAC T (SP 800-38C 6.1 steps 1-4) of the
// formatted B_0, associated data and plaintext.
func (c *ccm) mac(nonce, plaintext, aad []byte) [16]byte {
	q := 15 - c.nonceLen
	var x [16]byte
	// B_0: flags | N | Q.
	x[0] = byte((c.tagLen-2)/2) << 3
	x[0] |= byte(q - 1)
	if len(aad) > 0 {
		x[0] |= 0x40
	}
	copy(x[1:], nonce)
	var ln [8]byte
	binary.BigEndian.PutUint64(ln[:], uint64(len(plaintext)))
	copy(x[16-q:], ln[8-q:])
	c.block.Encrypt(x[:], x[:])

	if len(aad) > 0 {
		// The associated data, prefixed by its encoded length, padded
		// with zeros to a block boundary (SP 800-38C A.2.2).
		var hdr [10]byte
		var h []byte
		switch a := uint64(len(aad)); {
		case a < 1<<16-1<<8:
			h = binary.BigEndian.AppendUint16(hdr[:0], uint16(a))
		case a <= 1<<32-1:
			h = append(hdr[:0], 0xFF, 0xFE)
			h = binary.BigEndian.AppendUint32(h, uint32(a))
		default:
			h = append(hdr[:0], 0xFF, 0xFF)
			h = binary.BigEndian.AppendUint64(h, a)
		}
		// First block: header plus the start of aad.
		var blk [16]byte
		copy(blk[:], h)
		k := copy(blk[len(h):], aad)
		subtle.XORBytes(x[:], x[:], blk[:])
		c.block.Encrypt(x[:], x[:])
		c.cbc(&x, aad[k:])
	}
	c.cbc(&x, plaintext)
	return x
}

// cbc chains data into x, zero-padding the last partial block.
func (c *ccm) cbc(x *[16]byte, data []byte) {
	for len(data) >= 16 {
		subtle.XORBytes(x[:], x[:], data[:16])
		c.block.Encrypt(x[:], x[:])
		data = data[16:]
	}
	if len(data) > 0 {
		var blk [16]byte
		copy(blk[:], data)
		subtle.XORBytes(x[:], x[:], blk[:])
		c.block.Encrypt(x[:], x[:])
	}
}

// ctr returns the counter block Ctr_i prefix (i = 0) for the nonce; the
// caller sets the counter.
func (c *ccm) ctr0(nonce []byte) [16]byte {
	var a [16]byte
	a[0] = byte(15 - c.nonceLen - 1)
	copy(a[1:], nonce)
	return a
}

// crypt XORs src with the key stream from Ctr_1 into dst, and returns
// S_0 = E(Ctr_0), which masks the tag.
func (c *ccm) crypt(dst, src, nonce []byte) [16]byte {
	a := c.ctr0(nonce)
	var s0 [16]byte
	c.block.Encrypt(s0[:], a[:])
	a[15] = 1 // Ctr_1; cipher.NewCTR carries into the higher bytes
	if len(src) > 0 {
		cipher.NewCTR(c.block, a[:]).XORKeyStream(dst, src)
	}
	return s0
}

// sliceForAppend extends in by n bytes, returning the whole slice and
// the new tail (as crypto/cipher does internally).
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	return head, head[len(in):]
}

func (c *ccm) Seal(dst, nonce, plaintext, aad []byte) []byte {
	if len(nonce) != c.nonceLen {
		panic("smb2: ccm: wrong nonce length")
	}
	if uint64(len(plaintext)) > c.maxLen() {
		panic("smb2: ccm: message too long")
	}
	t := c.mac(nonce, plaintext, aad) // before encrypting: dst may alias plaintext
	ret, out := sliceForAppend(dst, len(plaintext)+c.tagLen)
	s0 := c.crypt(out[:len(plaintext)], plaintext, nonce)
	subtle.XORBytes(out[len(plaintext):], t[:c.tagLen], s0[:c.tagLen])
	return ret
}

func (c *ccm) Open(dst, nonce, ciphertext, aad []byte) ([]byte, error) {
	if len(nonce) != c.nonceLen {
		return nil, errors.New("smb2: ccm: wrong nonce length")
	}
	if len(ciphertext) < c.tagLen || uint64(len(ciphertext)-c.tagLen) > c.maxLen() {
		return nil, errCCMOpen
	}
	n := len(ciphertext) - c.tagLen
	tag := ciphertext[n:]
	ret, out := sliceForAppend(dst, n)
	s0 := c.crypt(out, ciphertext[:n], nonce)
	t := c.mac(nonce, out, aad)
	var want [16]byte
	subtle.XORBytes(want[:c.tagLen], t[:c.tagLen], s0[:c.tagLen])
	if subtle.ConstantTimeCompare(want[:c.tagLen], tag) != 1 {
		clear(out)
		return nil, errCCMOpen
	}
	return ret, nil
}
