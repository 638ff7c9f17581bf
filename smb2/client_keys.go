package smb2

import "fmt"

// sessionKeys is a client session's cryptographic state: the signer for
// both directions and, on 3.x, the ciphers for each direction.
type sessionKeys struct {
	application []byte
	signer      *Signer
	enc, dec    *Cipher // nil when the connection cannot encrypt
}

// derive computes the keys from the GSS session key (MS-SMB2 3.2.5.3.1).
// hash is the session's preauth hash (3.1.1 only).
func (k *sessionKeys) derive(c *Conn, gssKey []byte, hash *PreauthHash) error {
	keys := DeriveSessionKeys(c.dialect, c.cipher, gssKey, hash)
	signer, err := NewSigner(c.signingAlg, keys.Signing)
	if err != nil {
		return err
	}
	k.signer = signer
	k.application = keys.Application
	if c.supportsEncryption() {
		if k.enc, err = NewCipher(c.cipher, keys.ServerIn); err != nil {
			return err
		}
		if k.dec, err = NewCipher(c.cipher, keys.ServerOut); err != nil {
			return err
		}
	}
	return nil
}

func (k *sessionKeys) canEncrypt() bool { return k.enc != nil && k.dec != nil }

// sign signs msg in place. The GMAC nonce's CANCEL bit comes from the
// header's command, so cancel needs no special handling here.
func (k *sessionKeys) sign(msg []byte, _ bool) {
	if k.signer != nil {
		k.signer.Sign(msg) // fails only for a message shorter than a header
	}
}

func (k *sessionKeys) verify(msg []byte) error {
	if k.signer == nil {
		return errNoKeys
	}
	return k.signer.Verify(msg)
}

// encrypt returns a new buffer: 4 bytes reserved for the transport
// header, then the TRANSFORM_HEADER and the ciphertext of plain.
func (k *sessionKeys) encrypt(sessionID uint64, plain []byte) ([]byte, error) {
	if k.enc == nil {
		return nil, ErrEncryptionUnavailable
	}
	dst := make([]byte, 4, 4+TransformHeaderSize+len(plain)+16)
	return k.enc.Encrypt(dst, plain, sessionID)
}

// decrypt opens an encrypted frame whose header th the caller parsed.
func (k *sessionKeys) decrypt(frame []byte, th *TransformHeader) ([]byte, error) {
	if k.dec == nil {
		return nil, ErrEncryptionUnavailable
	}
	got, plain, err := k.dec.Decrypt(frame)
	if err != nil {
		return nil, err
	}
	if got.SessionID != th.SessionID {
		return nil, fmt.Errorf("%w: session ID changed", ErrDecrypt)
	}
	return plain, nil
}
