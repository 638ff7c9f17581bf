// Package gss holds the small set of interfaces through which the transport
// layers (smb2, dcerpc) use an authentication mechanism (ntlm, spnego)
// without importing it, in the spirit of GSS-API (RFC 2743): a context is
// built by exchanging opaque tokens, and once built it yields a session key
// and per-message integrity and confidentiality.
package gss

// Initiator is the client side of a security context.
type Initiator interface {
	// Step takes the acceptor's last token (nil on the first call) and
	// returns the token to send next. done is true once the context is
	// established from the initiator's point of view; out may still be
	// non-empty then, and must be sent.
	Step(in []byte) (out []byte, done bool, err error)
	// SessionKey is the key the context exported, valid once done.
	SessionKey() []byte
}

// Acceptor is the server side of a security context.
type Acceptor interface {
	// Step takes the initiator's token and returns the token to answer
	// with. done is true once the initiator is authenticated; out may
	// still be non-empty then, and must be sent. A failed authentication
	// is an error (the ntlm package's errors wrap
	// ntstatus.STATUS_LOGON_FAILURE).
	Step(in []byte) (out []byte, done bool, err error)
	// SessionKey is the key the context exported, valid once done.
	SessionKey() []byte
	// Identity is who authenticated, valid once done.
	Identity() Identity
}

// Identity is the authenticated principal of an accepted context.
type Identity struct {
	User        string
	Domain      string
	Workstation string // the client's name, as it gave it
	Anonymous   bool   // a null session
	Guest       bool   // logged on as the guest account
	Admin       bool   // a member of BUILTIN\Administrators
}

// MessageSecurity protects individual messages after a context is
// established, as DCE/RPC's packet integrity and privacy levels need
// (MS-RPCE 2.2.2.11): the signature covers a whole PDU while only its stub
// is encrypted, so sealing takes both regions. The implementation keeps
// sequence numbers; calls must be made in the order messages are sent or
// received.
type MessageSecurity interface {
	// SignatureSize is the length of a signature (16 for NTLM).
	SignatureSize() int
	// Sign returns the signature over msg.
	Sign(msg []byte) ([]byte, error)
	// Verify checks sig over msg.
	Verify(msg, sig []byte) error
	// Seal encrypts plain in place and returns the signature over signed,
	// computed on its plaintext. plain is normally a sub-slice of signed.
	Seal(plain, signed []byte) ([]byte, error)
	// Unseal decrypts cipher in place and then verifies sig over signed,
	// which by then holds the plaintext. cipher is normally a sub-slice of
	// signed.
	Unseal(cipher, signed, sig []byte) error
}
