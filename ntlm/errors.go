package ntlm

import "errors"

// Sentinel errors. Authentication failures seen by a Server additionally
// wrap ntstatus.STATUS_LOGON_FAILURE, and malformed tokens wrap
// ntstatus.STATUS_INVALID_PARAMETER, so that the SMB2 server can answer
// with the right status through errors.As.
var (
	// ErrBadMessage is wrapped by every decoding error: a token that is
	// truncated, has out-of-range offsets or the wrong signature or type.
	ErrBadMessage = errors.New("ntlm: malformed message")

	// ErrUnknownUser is what a UserLookup returns for a user it does not
	// know. The Server reports it as a logon failure.
	ErrUnknownUser = errors.New("ntlm: unknown user")
	// ErrWrongPassword means the NTLMv2 proof did not verify.
	ErrWrongPassword = errors.New("ntlm: wrong password")
	// ErrMICMismatch means the AUTHENTICATE message's MIC did not verify:
	// one of the three messages was altered in transit.
	ErrMICMismatch = errors.New("ntlm: message integrity code mismatch")
	// ErrClockSkew means the NTLMv2 response's timestamp is too far from
	// the server's clock.
	ErrClockSkew = errors.New("ntlm: timestamp outside the allowed clock skew")
	// ErrAnonymousRefused means a null session was attempted while the
	// Server does not allow one.
	ErrAnonymousRefused = errors.New("ntlm: anonymous logon refused")
	// ErrWeakProtocol means the peer asked for or answered with something
	// lanman refuses: LM or NTLMv1 responses, no extended session
	// security, or keys shorter than 128 bits.
	ErrWeakProtocol = errors.New("ntlm: peer requires a refused weak protocol variant")
	// ErrBadSignature means a message signature did not verify.
	ErrBadSignature = errors.New("ntlm: bad message signature")
	// ErrState means Step or a session call was made out of sequence.
	ErrState = errors.New("ntlm: call out of sequence")
	// ErrNoSessionSecurity means the context has no session key (an
	// anonymous logon), so it cannot sign or seal.
	ErrNoSessionSecurity = errors.New("ntlm: no session security on this context")
)
