package server

import (
	"fmt"

	"github.com/lanman/lanman/smb2"
)

// smb2Signer signs responses and verifies requests of one session.
type smb2Signer struct{ s *smb2.Signer }

func (s *smb2Signer) sign(msg []byte) { _ = s.s.Sign(msg) }

func (s *smb2Signer) verify(msg []byte) bool { return s.s.Verify(msg) == nil }

// smb2Crypter encrypts responses and decrypts requests of one session
// (the server's Session.EncryptionKey and DecryptionKey).
type smb2Crypter struct {
	enc, dec *smb2.Cipher
}

func (c *smb2Crypter) encrypt(frame []byte, sessionID uint64) ([]byte, error) {
	return c.enc.Encrypt(make([]byte, 0, smb2.TransformHeaderSize+len(frame)+16), frame, sessionID)
}

func (c *smb2Crypter) decrypt(frame []byte) ([]byte, error) {
	th, plain, err := c.dec.Decrypt(frame)
	if err != nil {
		return nil, err
	}
	if th.Flags != smb2.TransformFlagEncrypted {
		return nil, fmt.Errorf("server: transform flags 0x%X", th.Flags)
	}
	return plain, nil
}

// deriveKeys sets up signing and, on 3.x with a cipher, encryption for a
// newly authenticated session (MS-SMB2 3.3.5.5.3).
func (s *liveSession) deriveKeys(c *conn, gssKey []byte) error {
	var ph *smb2.PreauthHash
	if c.dialect == smb2.Dialect311 {
		ph = new(smb2.PreauthHash)
		copy(ph[:], s.preauth)
	}
	cipher := c.cipher
	keys := smb2.DeriveSessionKeys(c.dialect, cipher, gssKey, ph)
	alg := smb2.SigningAlgorithmFor(c.dialect, c.signAlg, c.dialect == smb2.Dialect311)
	sg, err := smb2.NewSigner(alg, keys.Signing)
	if err != nil {
		return err
	}
	s.signer = &smb2Signer{sg}
	if c.dialect.Is3x() && cipher != 0 {
		enc, err := smb2.NewCipher(cipher, keys.ServerOut)
		if err != nil {
			return err
		}
		dec, err := smb2.NewCipher(cipher, keys.ServerIn)
		if err != nil {
			return err
		}
		s.crypter = &smb2Crypter{enc: enc, dec: dec}
	}
	return nil
}
