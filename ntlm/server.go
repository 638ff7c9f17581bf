package ntlm

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntstatus"
)

// UserLookup finds an account for a Server. It returns the account's NT
// hash (NTHash of its password) and the identity to report once the logon
// succeeds. User names must be matched case-insensitively (MS-NLMP
// 3.2.5.1.2); domain is the name the client gave, possibly "" or the
// server's own name, and a lookup for local accounts may ignore it.
//
// An unknown user is reported with an error wrapping ErrUnknownUser; any
// other error (a disabled account, say, wrapping
// ntstatus.STATUS_ACCOUNT_DISABLED) aborts the logon and is passed on.
type UserLookup func(user, domain string) (ntHash [16]byte, id gss.Identity, err error)

// PasswordLookup returns a UserLookup over a fixed table of user name to
// password, ignoring the domain and matching names case-insensitively.
// It suits tests and small standalone servers.
func PasswordLookup(users map[string]string) UserLookup {
	table := make(map[string]struct {
		name string
		hash [16]byte
	}, len(users))
	for name, pw := range users {
		table[strings.ToUpper(name)] = struct {
			name string
			hash [16]byte
		}{name, NTHash(pw)}
	}
	return func(user, domain string) ([16]byte, gss.Identity, error) {
		e, ok := table[strings.ToUpper(user)]
		if !ok {
			return [16]byte{}, gss.Identity{}, ErrUnknownUser
		}
		return e.hash, gss.Identity{User: e.name, Domain: domain}, nil
	}
}

// DefaultMaxClockSkew is how far the timestamp in an NTLMv2 response may be
// from the server's clock. MS-NLMP 3.1.1.1 calls this MaxLifetime; Windows
// NT 4.0 and 2000 used 30 minutes (later versions 36 hours). Clients that
// echo the server's MsvAvTimestamp, as all current ones do, are always
// within it.
const DefaultMaxClockSkew = 30 * time.Minute

// ServerConfig describes the server side of NTLM: its names, which the
// CHALLENGE message advertises, and how it finds accounts.
type ServerConfig struct {
	// ComputerName is the server's NetBIOS name (MsvAvNbComputerName).
	ComputerName string
	// DomainName is the NetBIOS domain (MsvAvNbDomainName). A standalone
	// server uses its own computer name, the default.
	DomainName string
	// DNSComputerName, DNSDomainName and DNSTreeName are the optional DNS
	// names (MsvAvDnsComputerName, MsvAvDnsDomainName, MsvAvDnsTreeName).
	DNSComputerName, DNSDomainName, DNSTreeName string
	// DomainMember makes the TargetName the domain rather than the
	// computer (MS-NLMP 3.2.5.1.1).
	DomainMember bool

	// Lookup finds accounts. Without it only anonymous logons can work.
	Lookup UserLookup
	// AllowAnonymous accepts null sessions (empty user and responses).
	AllowAnonymous bool
	// MaxClockSkew overrides DefaultMaxClockSkew; negative disables the
	// timestamp check.
	MaxClockSkew time.Duration

	// Rand and Now replace crypto/rand and time.Now (for tests).
	Rand io.Reader
	Now  func() time.Time
}

// serverFlags are the options a Server may select; anything else the
// client asks for is dropped from the CHALLENGE message.
const serverFlags = NegotiateUnicode | NegotiateSign | NegotiateSeal | NegotiateAlwaysSign |
	NegotiateExtendedSessionSecurity | NegotiateIdentify | NegotiateVersion |
	Negotiate128 | NegotiateKeyExch | Negotiate56

// Server is the acceptor side of an NTLMv2 security context (MS-NLMP 3.2).
// It implements gss.Acceptor: Step(negotiate) returns the CHALLENGE
// message, Step(authenticate) verifies the client and completes the
// context. A Server is for one context; make a new one per logon.
type Server struct {
	cfg *ServerConfig

	step      int
	negotiate []byte
	challenge []byte
	chal      Challenge
	flags     NegotiateFlags
	key       []byte
	sec       *Security
	id        gss.Identity
	mic       bool
	spn       string
}

// NewServer returns a Server for one logon. cfg is shared, not copied, so
// one configuration can serve every connection; it must not change while
// in use.
func NewServer(cfg *ServerConfig) *Server { return &Server{cfg: cfg} }

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// Step implements gss.Acceptor.
func (s *Server) Step(in []byte) (out []byte, done bool, err error) {
	switch s.step {
	case 0:
		out, err = s.challengeFor(in)
		if err != nil {
			s.step = 3
			return nil, false, err
		}
		s.step = 1
		return out, false, nil
	case 1:
		if err := s.accept(in); err != nil {
			s.step = 3
			return nil, false, err
		}
		s.step = 2
		return nil, true, nil
	default:
		return nil, false, fmt.Errorf("ntlm: server: step after the context was established or failed: %w", ErrState)
	}
}

// challengeFor answers a NEGOTIATE message (MS-NLMP 3.2.5.1.1).
func (s *Server) challengeFor(negotiate []byte) ([]byte, error) {
	var neg Negotiate
	if err := neg.Unmarshal(negotiate); err != nil {
		return nil, fmt.Errorf("%w: %w", err, ntstatus.STATUS_INVALID_PARAMETER)
	}
	if neg.Flags&NegotiateExtendedSessionSecurity == 0 {
		return nil, fmt.Errorf("ntlm: server: client did not offer extended session security: %w: %w", ErrWeakProtocol, ntstatus.STATUS_NOT_SUPPORTED)
	}
	if neg.Flags&(NegotiateUnicode|NegotiateOEM) == 0 {
		return nil, fmt.Errorf("ntlm: server: client offered no character set: %w: %w", ErrBadMessage, ntstatus.STATUS_INVALID_PARAMETER)
	}
	s.negotiate = negotiate

	flags := neg.Flags&serverFlags | RequestTarget | NegotiateNTLM | NegotiateAlwaysSign |
		NegotiateTargetInfo | NegotiateExtendedSessionSecurity
	if neg.Flags&NegotiateUnicode == 0 {
		flags |= NegotiateOEM
	}
	if flags&(NegotiateSign|NegotiateSeal) == 0 {
		// 128 and 56 only mean something with session security.
		flags &^= Negotiate128 | Negotiate56
	}

	cfg := s.cfg
	domain := cfg.DomainName
	if domain == "" {
		domain = cfg.ComputerName
	}
	ch := Challenge{Flags: flags, Version: DefaultVersion}
	if cfg.DomainMember {
		ch.TargetName = domain
		ch.Flags |= TargetTypeDomain
	} else {
		ch.TargetName = cfg.ComputerName
		ch.Flags |= TargetTypeServer
	}
	r := cfg.Rand
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, ch.ServerChallenge[:]); err != nil {
		return nil, fmt.Errorf("ntlm: server: random challenge: %w", err)
	}
	add := func(id AVID, v string) {
		if v != "" {
			ch.TargetInfo = append(ch.TargetInfo, AVPair{ID: id, Value: utf16Bytes(v)})
		}
	}
	add(AvNbDomainName, domain)
	add(AvNbComputerName, cfg.ComputerName)
	add(AvDNSDomainName, cfg.DNSDomainName)
	add(AvDNSComputerName, cfg.DNSComputerName)
	add(AvDNSTreeName, cfg.DNSTreeName)
	ch.TargetInfo = append(ch.TargetInfo, AVPair{ID: AvTimestamp,
		Value: binary.LittleEndian.AppendUint64(nil, toFileTime(s.now()))})

	s.chal = ch
	s.challenge = ch.Marshal()
	return s.challenge, nil
}

// logonFailure wraps why a logon failed together with STATUS_LOGON_FAILURE.
func logonFailure(user, domain string, why error) error {
	return fmt.Errorf("ntlm: server: logon %s\\%s: %w: %w", domain, user, why, ntstatus.STATUS_LOGON_FAILURE)
}

// accept verifies an AUTHENTICATE message (MS-NLMP 3.2.5.1.2).
func (s *Server) accept(msg []byte) error {
	var am Authenticate
	if err := am.Unmarshal(msg); err != nil {
		return fmt.Errorf("%w: %w", err, ntstatus.STATUS_INVALID_PARAMETER)
	}
	// Connection-oriented NTLM runs with what the CHALLENGE offered; a
	// client may drop options (KEY_EXCH, SEAL) in its AUTHENTICATE flags
	// but cannot add any.
	flags := s.chal.Flags & am.Flags
	if flags&NegotiateExtendedSessionSecurity == 0 {
		return logonFailure(am.User, am.Domain, fmt.Errorf("extended session security dropped: %w", ErrWeakProtocol))
	}

	// The anonymous special case (MS-NLMP 3.2.5.1.2).
	if am.User == "" && len(am.NtChallengeResponse) == 0 &&
		(len(am.LmChallengeResponse) == 0 || (len(am.LmChallengeResponse) == 1 && am.LmChallengeResponse[0] == 0)) {
		if !s.cfg.AllowAnonymous {
			return logonFailure("", am.Domain, ErrAnonymousRefused)
		}
		s.flags = flags
		s.id = gss.Identity{Anonymous: true, Workstation: am.Workstation}
		return nil
	}

	// Only NTLMv2: an NTLMv2_RESPONSE is NTProofStr (16) plus a client
	// challenge of at least 28 bytes; 24 bytes is NTLMv1, anything else
	// short is garbage. LM responses are never checked, so they cannot
	// authenticate on their own.
	nt := am.NtChallengeResponse
	if len(nt) < 16+28 {
		return logonFailure(am.User, am.Domain, fmt.Errorf("NT response of %d bytes is not NTLMv2: %w", len(nt), ErrWeakProtocol))
	}
	temp := nt[16:]
	if temp[0] != 1 || temp[1] != 1 {
		return logonFailure(am.User, am.Domain, fmt.Errorf("NTLMv2 response version %d.%d: %w", temp[0], temp[1], ErrBadMessage))
	}
	pairs, err := ParseAVPairs(temp[28:])
	if err != nil {
		return fmt.Errorf("ntlm: server: NTLMv2 response: %w: %w", err, ntstatus.STATUS_INVALID_PARAMETER)
	}

	if s.cfg.Lookup == nil {
		return logonFailure(am.User, am.Domain, ErrUnknownUser)
	}
	hash, id, err := s.cfg.Lookup(am.User, am.Domain)
	if err != nil {
		if errors.Is(err, ErrUnknownUser) {
			return logonFailure(am.User, am.Domain, err)
		}
		return fmt.Errorf("ntlm: server: logon %s\\%s: %w", am.Domain, am.User, err)
	}

	// The response key depends on the domain the client mixed in. Try it
	// as given, then upper-cased, then empty: MS-NLMP 3.2.5.1.2 says to
	// support clients that use NIL, and some clients upper-case it.
	domains := make([]string, 1, 3)
	domains[0] = am.Domain
	if up := strings.ToUpper(am.Domain); up != am.Domain {
		domains = append(domains, up)
	}
	if am.Domain != "" {
		domains = append(domains, "")
	}
	var responseKey [16]byte
	ok := false
	for _, dom := range domains {
		responseKey = ntowfv2(&hash, am.User, dom)
		want := ntProofStr(&responseKey, s.chal.ServerChallenge, temp)
		if subtle.ConstantTimeCompare(want[:], nt[:16]) == 1 {
			ok = true
			break
		}
	}
	if !ok {
		return logonFailure(am.User, am.Domain, ErrWrongPassword)
	}

	// The proof is good; now the timestamp (MS-NLMP 3.2.5.1.2, MaxLifetime).
	if skew := s.cfg.MaxClockSkew; skew >= 0 {
		if skew == 0 {
			skew = DefaultMaxClockSkew
		}
		ts := binary.LittleEndian.Uint64(temp[8:16])
		now := toFileTime(s.now())
		d := now - ts
		if ts > now {
			d = ts - now
		}
		if d > uint64(skew/100) {
			return logonFailure(am.User, am.Domain, fmt.Errorf("timestamp %s: %w", fromFileTime(ts).UTC().Format(time.RFC3339), ErrClockSkew))
		}
	}

	sessionBaseKey := hmacMD5(responseKey[:], nt[:16])
	exported := sessionBaseKey[:]
	if flags&NegotiateKeyExch != 0 && flags&(NegotiateSign|NegotiateSeal) != 0 {
		if len(am.EncryptedRandomSessionKey) != 16 {
			return fmt.Errorf("ntlm: server: key exchange negotiated but encrypted session key is %d bytes: %w: %w",
				len(am.EncryptedRandomSessionKey), ErrBadMessage, ntstatus.STATUS_INVALID_PARAMETER)
		}
		exported = rc4Once(sessionBaseKey[:], am.EncryptedRandomSessionKey)
	}

	if pairs.Flags()&AvFlagMICPresent != 0 {
		if am.MIC == nil {
			return logonFailure(am.User, am.Domain, fmt.Errorf("MsvAvFlags announces a MIC the message lacks: %w", ErrMICMismatch))
		}
		m := hmac.New(md5.New, exported)
		m.Write(s.negotiate)
		m.Write(s.challenge)
		m.Write(msg[:authenticateMICOff])
		m.Write(make([]byte, authenticateMICLen))
		m.Write(msg[authenticateMICOff+authenticateMICLen:])
		if subtle.ConstantTimeCompare(m.Sum(nil), am.MIC) != 1 {
			return logonFailure(am.User, am.Domain, ErrMICMismatch)
		}
		s.mic = true
	}

	if v, ok := pairs.Get(AvTargetName); ok {
		s.spn, _ = decodeUTF16(v)
	}
	if id.User == "" {
		id.User = am.User
	}
	if id.Domain == "" {
		id.Domain = am.Domain
	}
	id.Workstation = am.Workstation
	s.id = id
	s.flags = flags
	s.key = exported
	s.sec = newSecurity(flags, exported, false)
	return nil
}

// SessionKey returns the exported session key of the established context
// (nil for an anonymous logon).
func (s *Server) SessionKey() []byte { return s.key }

// Identity returns who authenticated.
func (s *Server) Identity() gss.Identity { return s.id }

// Flags returns the negotiated flags once the context is established.
func (s *Server) Flags() NegotiateFlags { return s.flags }

// MICReceived reports whether the client protected the exchange with a MIC
// (which this Server verified); SPNEGO then requires a mechListMIC.
func (s *Server) MICReceived() bool { return s.mic }

// TargetName returns the SPN the client said it meant to reach
// (MsvAvTargetName), "" if it gave none.
func (s *Server) TargetName() string { return s.spn }

// Security returns the session security of the established context, or nil
// before it is established or for an anonymous logon.
func (s *Server) Security() *Security { return s.sec }

// MessageSecurity returns the session security as a gss.MessageSecurity,
// or an error when the context has none.
func (s *Server) MessageSecurity() (gss.MessageSecurity, error) {
	if s.sec == nil {
		return nil, fmt.Errorf("ntlm: server: %w", ErrNoSessionSecurity)
	}
	return s.sec, nil
}

var _ gss.Acceptor = (*Server)(nil)
