package smb2

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
)

// KDF is the SP800-108 key derivation function in counter mode with
// HMAC-SHA256 as the PRF and a 32-bit counter (r = 32), as MS-SMB2
// 3.1.4.2 specifies. It returns bits/8 bytes:
//
//	K(i) = HMAC-SHA256(key, [i]_32 || label || 0x00 || context || [L]_32)
//
// label and context are passed as MS-SMB2 gives them, including their
// terminating NUL where it counts one (for example "SMB2AESCMAC\x00").
func KDF(key, label, context []byte, bits int) []byte {
	n := (bits + 7) / 8
	out := make([]byte, 0, n+sha256.Size)
	mac := hmac.New(sha256.New, key)
	var buf [4]byte
	for i := uint32(1); len(out) < n; i++ {
		mac.Reset()
		binary.BigEndian.PutUint32(buf[:], i)
		mac.Write(buf[:])
		mac.Write(label)
		mac.Write([]byte{0})
		mac.Write(context)
		binary.BigEndian.PutUint32(buf[:], uint32(bits))
		mac.Write(buf[:])
		out = mac.Sum(out)
	}
	return out[:n]
}

// The labels and contexts of MS-SMB2 3.2.5.3.1 / 3.3.5.5.3, with the
// terminating NUL the spec counts in their lengths.
var (
	label30Signing   = []byte("SMB2AESCMAC\x00")
	context30Signing = []byte("SmbSign\x00")
	label30Cipher    = []byte("SMB2AESCCM\x00")
	context30In      = []byte("ServerIn \x00")
	context30Out     = []byte("ServerOut\x00")
	label30App       = []byte("SMB2APP\x00")
	context30App     = []byte("SmbRpc\x00")

	label311Signing = []byte("SMBSigningKey\x00")
	label311C2S     = []byte("SMBC2SCipherKey\x00")
	label311S2C     = []byte("SMBS2CCipherKey\x00")
	label311App     = []byte("SMBAppKey\x00")
)

// SessionKeys are the keys of an SMB2 session.
type SessionKeys struct {
	// Signing signs and verifies messages in both directions (16 bytes).
	Signing []byte
	// ServerIn encrypts client-to-server traffic: the client's
	// Session.EncryptionKey and the server's Session.DecryptionKey.
	ServerIn []byte
	// ServerOut encrypts server-to-client traffic: the client's
	// DecryptionKey and the server's EncryptionKey.
	ServerOut []byte
	// Application is Session.ApplicationKey, which upper layers (for
	// example DCE/RPC over the pipe) may use as the session key.
	Application []byte
}

// DeriveSessionKeys derives a session's keys from the key the GSS
// mechanism exported (for NTLM, ExportedSessionKey) as MS-SMB2 3.2.5.3.1
// (client) and 3.3.5.5.3 (server) say:
//
//   - 2.0.2 and 2.1: Signing and Application are the session key itself
//     (its first 16 bytes, zero-padded); there is no encryption.
//   - 3.0 and 3.0.2: SP800-108 with the fixed labels and contexts; 128-bit
//     AES-128-CCM keys.
//   - 3.1.1: the session's preauthentication integrity hash as context;
//     cipher keys of 256 bits from the full GSS key when cipher is
//     AES-256-CCM or AES-256-GCM, else 128 bits from the 16-byte key.
//
// preauth is required for 3.1.1 and ignored otherwise; cipher is
// ignored before 3.1.1.
func DeriveSessionKeys(d Dialect, cipher CipherID, gssKey []byte, preauth *PreauthHash) SessionKeys {
	sk := make([]byte, 16) // Session.SessionKey: 16 bytes, zero-padded
	copy(sk, gssKey)
	switch {
	case !d.Is3x():
		return SessionKeys{Signing: sk, Application: sk}
	case d != Dialect311:
		return SessionKeys{
			Signing:     KDF(sk, label30Signing, context30Signing, 128),
			ServerIn:    KDF(sk, label30Cipher, context30In, 128),
			ServerOut:   KDF(sk, label30Cipher, context30Out, 128),
			Application: KDF(sk, label30App, context30App, 128),
		}
	}
	ctx := preauth[:]
	cipherKey, bits := sk, 128
	if cipher == CipherAES256CCM || cipher == CipherAES256GCM {
		cipherKey, bits = gssKey, 256 // Session.FullSessionKey
	}
	return SessionKeys{
		Signing:     KDF(sk, label311Signing, ctx, 128),
		ServerIn:    KDF(cipherKey, label311C2S, ctx, bits),
		ServerOut:   KDF(cipherKey, label311S2C, ctx, bits),
		Application: KDF(sk, label311App, ctx, 128),
	}
}

// PreauthHash is an SMB 3.1.1 preauthentication integrity hash value
// (MS-SMB2 3.2.5.2, 3.3.5.4): SHA-512 chained over the NEGOTIATE
// exchange (Connection.PreauthIntegrityHashValue) and then, per session,
// over its SESSION_SETUP exchange (Session.PreauthIntegrityHashValue).
// It is a value: a session forks the connection's hash by copying it.
// The zero value is the initial all-zero hash.
type PreauthHash [sha512.Size]byte

// Update sets h to SHA-512(h || msg), msg being a whole SMB2 message
// (header included, transport framing excluded).
func (h *PreauthHash) Update(msg []byte) {
	d := sha512.New()
	d.Write(h[:])
	d.Write(msg)
	d.Sum(h[:0])
}
