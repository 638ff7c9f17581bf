package smb2

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"sync/atomic"
)

// Cipher encrypts or decrypts SMB2 messages in TRANSFORM_HEADERs
// (MS-SMB2 3.1.4.3, 3.2.5.1.1.1, 3.3.5.2.1.1) with one key: a client
// makes one with SessionKeys.ServerIn to encrypt and one with ServerOut to
// decrypt, a server the other way round. It is safe for concurrent use.
//
// Nonces: each Cipher draws a random salt when made and then numbers its
// messages with a 64-bit counter; the nonce is the counter (8 bytes,
// little-endian) followed by the salt (3 bytes for CCM's 11-byte nonce, 4
// for GCM's 12). A given Cipher therefore never repeats a nonce (2^64
// messages is out of reach), which is what CCM and GCM require per key.
// Each key encrypts in one direction of one session only, so the only
// way to reuse a key across Cipher values is a multichannel session;
// such a session must share one Cipher among its channels (and the salt
// still makes a collision unlikely if it does not). Unlike random
// 96-bit GCM nonces, the counter carries no 2^32-message limit.
type Cipher struct {
	id      CipherID
	aead    cipher.AEAD
	nonceN  int
	salt    [4]byte
	counter atomic.Uint64
}

// NewCipher returns a Cipher for the algorithm and key (16 bytes for the
// AES-128 ciphers, 32 for AES-256). Dialects 3.0 and 3.0.2 always use
// CipherAES128CCM.
func NewCipher(id CipherID, key []byte) (*Cipher, error) {
	if n := id.KeySize(); n == 0 {
		return nil, fmt.Errorf("smb2: unknown cipher %v", id)
	} else if len(key) != n {
		return nil, fmt.Errorf("smb2: %v key of %d bytes, want %d", id, len(key), n)
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("smb2: %v: %w", id, err)
	}
	c := &Cipher{id: id}
	switch id {
	case CipherAES128CCM, CipherAES256CCM:
		c.aead, err = newCCM(b, 11, 16)
	default:
		c.aead, err = cipher.NewGCM(b)
	}
	if err != nil {
		return nil, fmt.Errorf("smb2: %v: %w", id, err)
	}
	c.nonceN = c.aead.NonceSize()
	if _, err := rand.Read(c.salt[:]); err != nil {
		return nil, fmt.Errorf("smb2: nonce salt: %w", err)
	}
	return c, nil
}

// ID returns the cipher's algorithm.
func (c *Cipher) ID() CipherID { return c.id }

// DecryptSlack is the spare capacity a frame passed to Decrypt should
// have beyond its length for decryption to happen in place, without
// copying the message.
const DecryptSlack = 16

// Encrypt appends to dst a TRANSFORM_HEADER for sessionID followed by msg
// encrypted (msg is one message or a whole compound chain, already
// signed if at all: encrypted messages are not signed). dst and msg must
// not overlap.
func (c *Cipher) Encrypt(dst, msg []byte, sessionID uint64) ([]byte, error) {
	if uint64(len(msg)) > 0xFFFFFFFF {
		return nil, fmt.Errorf("smb2: encrypt: %d-byte message too long", len(msg))
	}
	th := TransformHeader{OriginalMessageSize: uint32(len(msg)), Flags: TransformFlagEncrypted, SessionID: sessionID}
	le.PutUint64(th.Nonce[:], c.counter.Add(1))
	copy(th.Nonce[8:c.nonceN], c.salt[:])
	start := len(dst)
	dst = th.Marshal(dst)
	nonce := dst[start+transformAADOffset : start+transformAADOffset+c.nonceN]
	aad := dst[start+transformAADOffset : start+TransformHeaderSize]
	out := c.aead.Seal(dst, nonce, msg, aad)
	// The AEAD appends the tag; it belongs in the Signature field.
	tag := out[len(out)-16:]
	copy(out[start+4:start+20], tag)
	return out[:len(out)-16], nil
}

// Decrypt authenticates and decrypts an encrypted frame (TRANSFORM_HEADER
// and ciphertext) and returns the header and the plaintext message(s).
// When cap(frame) >= len(frame)+DecryptSlack it decrypts in place and
// the plaintext aliases frame; otherwise it allocates. Failures wrap
// ErrDecrypt (or ErrMalformed for a bad header). The caller checks
// SessionID against the session whose Cipher it used, and Flags.
func (c *Cipher) Decrypt(frame []byte) (TransformHeader, []byte, error) {
	var th TransformHeader
	if err := th.Unmarshal(frame); err != nil {
		return th, nil, err
	}
	if th.Flags != TransformFlagEncrypted {
		return th, nil, fmt.Errorf("%w: transform flags 0x%04X", ErrDecrypt, th.Flags)
	}
	n := len(frame) - TransformHeaderSize
	var buf []byte
	if cap(frame)-len(frame) >= 16 {
		buf = frame[TransformHeaderSize : len(frame)+16]
	} else {
		buf = make([]byte, n+16)
		copy(buf, frame[TransformHeaderSize:])
	}
	copy(buf[n:], th.Signature[:])
	aad := frame[transformAADOffset:TransformHeaderSize]
	plain, err := c.aead.Open(buf[:0], th.Nonce[:c.nonceN], buf, aad)
	if err != nil {
		return th, nil, fmt.Errorf("%w: session 0x%x, %v", ErrDecrypt, th.SessionID, c.id)
	}
	return th, plain, nil
}
