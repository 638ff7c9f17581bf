package spnego

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/ntstatus"
)

var (
	// ErrNoCommonMech means the peer does not offer NTLMSSP.
	ErrNoCommonMech = errors.New("spnego: no common mechanism (lanman speaks only NTLMSSP)")
	// ErrRejected means the acceptor answered with negState reject.
	ErrRejected = errors.New("spnego: acceptor rejected the context")
	// ErrMechListMIC means a mechListMIC was missing where MS-SPNG
	// requires one, or did not verify: the mechanism list may have been
	// tampered with.
	ErrMechListMIC = errors.New("spnego: mechListMIC missing or invalid")
	// ErrState means Step was called after the context was established or
	// failed.
	ErrState = errors.New("spnego: step out of sequence")
)

// Initiator runs SPNEGO over an ntlm.Client and implements gss.Initiator.
//
// The exchange takes three Steps: Step(nil) (or Step(hint) with the
// server's NegTokenInit2) returns a NegTokenInit carrying the NTLM
// NEGOTIATE message; Step(resp) returns a NegTokenResp carrying the
// AUTHENTICATE message and the mechListMIC, with done still false; and
// Step(final) checks the acceptor's accept-completed NegTokenResp and its
// mechListMIC and returns done with no output. Over SMB2 the final token
// comes in the SESSION_SETUP response that has STATUS_SUCCESS, which must
// be passed to Step before the session is used.
type Initiator struct {
	mech      *ntlm.Client
	step      int
	mechTypes []byte
	sentMIC   bool
}

// NewInitiator wraps an NTLM client that has not been stepped yet.
func NewInitiator(mech *ntlm.Client) *Initiator {
	return &Initiator{mech: mech}
}

// Step implements gss.Initiator.
func (i *Initiator) Step(in []byte) (out []byte, done bool, err error) {
	switch i.step {
	case 0:
		out, err = i.start(in)
	case 1:
		out, err = i.respond(in)
	case 2:
		err = i.finish(in)
		done = err == nil
	default:
		err = fmt.Errorf("spnego: initiator: %w", ErrState)
	}
	if err != nil {
		i.step = 4
		return nil, false, err
	}
	i.step++
	return out, done, nil
}

func (i *Initiator) start(hint []byte) ([]byte, error) {
	if len(hint) > 0 {
		var h NegTokenInit
		if err := h.Unmarshal(hint); err != nil {
			return nil, fmt.Errorf("spnego: initiator: acceptor's hint: %w", err)
		}
		if len(h.MechTypes) > 0 && !slices.ContainsFunc(h.MechTypes, OIDNTLMSSP.Equal) {
			return nil, fmt.Errorf("spnego: initiator: acceptor offers %v: %w", &h, ErrNoCommonMech)
		}
	}
	neg, _, err := i.mech.Step(nil)
	if err != nil {
		return nil, err
	}
	t := NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDNTLMSSP}, MechToken: neg}
	i.mechTypes = t.MechTypesDER()
	return t.Marshal(), nil
}

func (i *Initiator) respond(in []byte) ([]byte, error) {
	var r NegTokenResp
	if err := r.Unmarshal(in); err != nil {
		return nil, fmt.Errorf("spnego: initiator: %w", err)
	}
	switch {
	case r.State == Reject:
		return nil, fmt.Errorf("spnego: initiator: %w: %w", ErrRejected, ntstatus.STATUS_LOGON_FAILURE)
	case r.State != AcceptIncomplete && r.State != RequestMIC:
		return nil, fmt.Errorf("spnego: initiator: first reply has negState %v: %w", r.State, ErrBadToken)
	case r.SupportedMech != nil && !r.SupportedMech.Equal(OIDNTLMSSP):
		return nil, fmt.Errorf("spnego: initiator: acceptor chose %s: %w", oidString(r.SupportedMech), ErrNoCommonMech)
	case len(r.ResponseToken) == 0:
		return nil, fmt.Errorf("spnego: initiator: reply carries no NTLM challenge: %w", ErrBadToken)
	}
	auth, _, err := i.mech.Step(r.ResponseToken)
	if err != nil {
		return nil, err
	}
	resp := NegTokenResp{State: NegStateAbsent, ResponseToken: auth}
	// MS-SPNG 3.1.5.1: once NTLM has put a MIC in AUTHENTICATE, the
	// mechListMIC is mandatory; it is also due when the acceptor asks.
	if sec := i.mech.Security(); sec != nil && (i.mech.MICSent() || r.State == RequestMIC) {
		if resp.MechListMIC, err = sec.Sign(i.mechTypes); err != nil {
			return nil, err
		}
		i.sentMIC = true
	}
	return resp.Marshal(), nil
}

func (i *Initiator) finish(in []byte) error {
	var r NegTokenResp
	if len(in) == 0 {
		if i.sentMIC {
			return fmt.Errorf("spnego: initiator: no final token to carry the acceptor's mechListMIC: %w", ErrMechListMIC)
		}
		return nil
	}
	if err := r.Unmarshal(in); err != nil {
		return fmt.Errorf("spnego: initiator: %w", err)
	}
	switch r.State {
	case AcceptCompleted:
	case Reject:
		return fmt.Errorf("spnego: initiator: %w: %w", ErrRejected, ntstatus.STATUS_LOGON_FAILURE)
	default:
		return fmt.Errorf("spnego: initiator: final reply has negState %v: %w", r.State, ErrBadToken)
	}
	sec := i.mech.Security()
	if sec == nil {
		return nil // anonymous: nothing to check
	}
	if len(r.MechListMIC) == 0 {
		if i.sentMIC {
			return fmt.Errorf("spnego: initiator: acceptor sent no mechListMIC: %w", ErrMechListMIC)
		}
		return nil
	}
	if err := sec.Verify(i.mechTypes, r.MechListMIC); err != nil {
		return fmt.Errorf("spnego: initiator: acceptor's mechListMIC: %w: %w", ErrMechListMIC, err)
	}
	// MS-SPNG 3.3.5.1: the first application message reuses the RC4 state
	// the mechListMIC started from.
	sec.ResetCipherState()
	return nil
}

// SessionKey returns the NTLM exported session key once established.
func (i *Initiator) SessionKey() []byte { return i.mech.SessionKey() }

// MessageSecurity returns NTLM session security for the established
// context (DCE/RPC packet integrity and privacy with auth type 9).
func (i *Initiator) MessageSecurity() (gss.MessageSecurity, error) {
	if i.step != 3 {
		return nil, fmt.Errorf("spnego: initiator: context not established: %w", ErrState)
	}
	return i.mech.MessageSecurity()
}

// Mech returns the underlying NTLM client.
func (i *Initiator) Mech() *ntlm.Client { return i.mech }

// Acceptor runs SPNEGO over an ntlm.Server and implements gss.Acceptor.
// A first token that is bare NTLMSSP rather than SPNEGO (some clients send
// that in SMB2 SESSION_SETUP) switches it to raw NTLM for the rest of the
// exchange.
type Acceptor struct {
	mech        *ntlm.Server
	step        int
	raw         bool
	mechTypes   []byte
	micRequired bool
	done        bool
}

// NewAcceptor wraps an NTLM server that has not been stepped yet.
func NewAcceptor(mech *ntlm.Server) *Acceptor {
	return &Acceptor{mech: mech}
}

// Step implements gss.Acceptor. Errors from NTLM keep their NTSTATUS
// (STATUS_LOGON_FAILURE for a failed logon); malformed SPNEGO wraps
// STATUS_INVALID_PARAMETER.
func (a *Acceptor) Step(in []byte) (out []byte, done bool, err error) {
	if a.raw {
		out, done, err = a.mech.Step(in)
		a.done = done
		return out, done, err
	}
	switch a.step {
	case 0:
		if ntlm.IsNTLMSSP(in) {
			a.raw = true
			return a.mech.Step(in)
		}
		out, err = a.init(in)
	case 1:
		out, err = a.negotiate(in)
	case 2:
		out, err = a.authenticate(in)
		done = err == nil
	default:
		err = fmt.Errorf("spnego: acceptor: %w", ErrState)
	}
	if err != nil {
		a.step = 4
		return nil, false, err
	}
	a.done = done
	return out, done, nil
}

func invalid(err error) error {
	return fmt.Errorf("spnego: acceptor: %w: %w", err, ntstatus.STATUS_INVALID_PARAMETER)
}

func (a *Acceptor) init(in []byte) ([]byte, error) {
	var t NegTokenInit
	if err := t.Unmarshal(in); err != nil {
		return nil, invalid(err)
	}
	idx := slices.IndexFunc(t.MechTypes, OIDNTLMSSP.Equal)
	if idx < 0 {
		return nil, fmt.Errorf("spnego: acceptor: initiator offers %v: %w: %w", &t, ErrNoCommonMech, ntstatus.STATUS_NOT_SUPPORTED)
	}
	a.mechTypes = t.MechTypesDER()
	if idx > 0 || len(t.MechToken) == 0 {
		// NTLM is not the initiator's first choice, so its optimistic
		// token (if any) is for another mechanism: select NTLMSSP, ask
		// for its first token, and insist on a mechListMIC so that a
		// downgrade of the list is caught (RFC 4178 5).
		a.micRequired = true
		a.step = 1
		r := NegTokenResp{State: RequestMIC, SupportedMech: OIDNTLMSSP}
		return r.Marshal(), nil
	}
	chal, _, err := a.mech.Step(t.MechToken)
	if err != nil {
		return nil, err
	}
	a.step = 2
	r := NegTokenResp{State: AcceptIncomplete, SupportedMech: OIDNTLMSSP, ResponseToken: chal}
	return r.Marshal(), nil
}

func (a *Acceptor) negotiate(in []byte) ([]byte, error) {
	var r NegTokenResp
	if err := r.Unmarshal(in); err != nil {
		return nil, invalid(err)
	}
	if len(r.ResponseToken) == 0 {
		return nil, invalid(fmt.Errorf("no NTLM NEGOTIATE in the initiator's token: %w", ErrBadToken))
	}
	chal, _, err := a.mech.Step(r.ResponseToken)
	if err != nil {
		return nil, err
	}
	a.step = 2
	resp := NegTokenResp{State: AcceptIncomplete, ResponseToken: chal}
	return resp.Marshal(), nil
}

func (a *Acceptor) authenticate(in []byte) ([]byte, error) {
	var r NegTokenResp
	if err := r.Unmarshal(in); err != nil {
		return nil, invalid(err)
	}
	if r.State == Reject {
		return nil, fmt.Errorf("spnego: acceptor: initiator gave up: %w: %w", ErrRejected, ntstatus.STATUS_LOGON_FAILURE)
	}
	if len(r.ResponseToken) == 0 {
		return nil, invalid(fmt.Errorf("no NTLM AUTHENTICATE in the initiator's token: %w", ErrBadToken))
	}
	if _, _, err := a.mech.Step(r.ResponseToken); err != nil {
		return nil, err
	}
	a.step = 3
	resp := NegTokenResp{State: AcceptCompleted}
	sec := a.mech.Security()
	if sec == nil {
		// Anonymous: no keys, so no mechListMIC either way.
		return resp.Marshal(), nil
	}
	// MS-SPNG 3.1.5.1 and its product note: a MIC in AUTHENTICATE makes
	// the mechListMIC mandatory, as does a list in which NTLMSSP was not
	// the first choice.
	if a.micRequired || a.mech.MICReceived() || len(r.MechListMIC) > 0 {
		if len(r.MechListMIC) == 0 {
			return nil, fmt.Errorf("spnego: acceptor: initiator sent no mechListMIC: %w: %w", ErrMechListMIC, ntstatus.STATUS_LOGON_FAILURE)
		}
		if err := sec.Verify(a.mechTypes, r.MechListMIC); err != nil {
			return nil, fmt.Errorf("spnego: acceptor: initiator's mechListMIC: %w: %w: %w", ErrMechListMIC, err, ntstatus.STATUS_LOGON_FAILURE)
		}
		var err error
		if resp.MechListMIC, err = sec.Sign(a.mechTypes); err != nil {
			return nil, err
		}
		// MS-SPNG 3.2.5.1: restore the RC4 state for the first message.
		sec.ResetCipherState()
	}
	return resp.Marshal(), nil
}

// SessionKey returns the NTLM exported session key once established.
func (a *Acceptor) SessionKey() []byte { return a.mech.SessionKey() }

// Identity returns who authenticated.
func (a *Acceptor) Identity() gss.Identity { return a.mech.Identity() }

// MessageSecurity returns NTLM session security for the established
// context.
func (a *Acceptor) MessageSecurity() (gss.MessageSecurity, error) {
	if !a.done {
		return nil, fmt.Errorf("spnego: acceptor: context not established: %w", ErrState)
	}
	return a.mech.MessageSecurity()
}

// Mech returns the underlying NTLM server.
func (a *Acceptor) Mech() *ntlm.Server { return a.mech }

// Raw reports whether the initiator skipped SPNEGO and sent bare NTLMSSP.
func (a *Acceptor) Raw() bool { return a.raw }

var (
	_ gss.Initiator = (*Initiator)(nil)
	_ gss.Acceptor  = (*Acceptor)(nil)
)
