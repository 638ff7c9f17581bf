package ntlm

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/lanman/lanman/gss"
)

// ClientConfig says who a Client authenticates as.
type ClientConfig struct {
	User   string
	Domain string // the user's domain; "" for a local account of the server
	// Password is the user's password. It is turned into the NT hash when
	// the Client is made and not kept.
	Password string
	// NTHash, when non-nil, is used instead of Password (pass-the-hash):
	// the 16-byte NT one-way function of the password. ParseNTHash reads
	// the 32-hex-digit form.
	NTHash []byte
	// Workstation is this machine's NetBIOS name, sent for the server's
	// session list (NetSessionEnum shows it).
	Workstation string
	// TargetSPN is the service principal name of the server, such as
	// "cifs/fileserver", sent as MsvAvTargetName (MS-NLMP 3.1.5.1.2) so a
	// server enforcing SPN target name validation accepts the logon.
	TargetSPN string
	// Anonymous asks for a null session: no user, no responses and no
	// session key. User, Password and NTHash must then be empty.
	Anonymous bool

	// Rand and Now replace crypto/rand and time.Now; tests use them to
	// reproduce fixed vectors. Leave them nil otherwise.
	Rand io.Reader
	Now  func() time.Time
}

// String hides the secrets, so a config printed by mistake leaks nothing.
func (c ClientConfig) String() string {
	return fmt.Sprintf("ntlm.ClientConfig{User:%q Domain:%q Workstation:%q TargetSPN:%q}", c.User, c.Domain, c.Workstation, c.TargetSPN)
}

// GoString hides the secrets from %#v too.
func (c ClientConfig) GoString() string { return c.String() }

// clientFlags is what lanman offers in its NEGOTIATE message.
const clientFlags = NegotiateUnicode | RequestTarget | NegotiateSign | NegotiateSeal |
	NegotiateNTLM | NegotiateAlwaysSign | NegotiateExtendedSessionSecurity |
	NegotiateTargetInfo | NegotiateVersion | Negotiate128 | NegotiateKeyExch | Negotiate56

// maxNameLen bounds the names a Client sends, so every payload field fits
// its 16-bit length.
const maxNameLen = 1024

// Client is the initiator side of an NTLMv2 security context (MS-NLMP
// 3.1). It implements gss.Initiator: Step(nil) returns the NEGOTIATE
// message, Step(challenge) returns the AUTHENTICATE message and completes
// the context. A Client is for one context; make a new one per logon.
type Client struct {
	user, domain, workstation, spn string
	ntHash                         [16]byte
	anonymous                      bool
	rand                           io.Reader
	now                            func() time.Time

	step      int
	negotiate []byte // our NEGOTIATE message, for the MIC
	flags     NegotiateFlags
	key       []byte // exported session key
	sec       *Security
	mic       bool
}

// NewClient checks cfg and returns a Client ready for its first Step.
func NewClient(cfg ClientConfig) (*Client, error) {
	c := &Client{
		user: cfg.User, domain: cfg.Domain, workstation: cfg.Workstation, spn: cfg.TargetSPN,
		anonymous: cfg.Anonymous, rand: cfg.Rand, now: cfg.Now,
	}
	for _, s := range []string{cfg.User, cfg.Domain, cfg.Workstation, cfg.TargetSPN} {
		if len(s) > maxNameLen {
			return nil, fmt.Errorf("ntlm: client: name longer than %d bytes", maxNameLen)
		}
	}
	switch {
	case cfg.Anonymous:
		if cfg.User != "" || cfg.Password != "" || cfg.NTHash != nil {
			return nil, fmt.Errorf("ntlm: client: anonymous logon takes no user or password")
		}
	case cfg.NTHash != nil:
		if len(cfg.NTHash) != 16 {
			return nil, fmt.Errorf("ntlm: client: NT hash is %d bytes, want 16", len(cfg.NTHash))
		}
		copy(c.ntHash[:], cfg.NTHash)
	default:
		if cfg.User == "" {
			return nil, fmt.Errorf("ntlm: client: no user name (set Anonymous for a null session)")
		}
		c.ntHash = NTHash(cfg.Password)
	}
	if c.rand == nil {
		c.rand = rand.Reader
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// Step implements gss.Initiator.
func (c *Client) Step(in []byte) (out []byte, done bool, err error) {
	switch c.step {
	case 0:
		neg := Negotiate{Flags: clientFlags, Version: DefaultVersion}
		c.negotiate = neg.Marshal()
		c.step = 1
		return c.negotiate, false, nil
	case 1:
		out, err = c.authenticate(in)
		if err != nil {
			c.step = 3
			return nil, false, err
		}
		c.step = 2
		return out, true, nil
	default:
		return nil, false, fmt.Errorf("ntlm: client: step after the context was established or failed: %w", ErrState)
	}
}

// authenticate processes the CHALLENGE message and builds the AUTHENTICATE
// message (MS-NLMP 3.1.5.1.2).
func (c *Client) authenticate(challenge []byte) ([]byte, error) {
	var ch Challenge
	if err := ch.Unmarshal(challenge); err != nil {
		return nil, err
	}
	// Refuse what lanman considers too weak: without extended session
	// security the session keys come from NTLMv1-era constructions, and
	// without NEGOTIATE_128 the sealing key would be cut to 40 or 56 bits.
	if ch.Flags&NegotiateExtendedSessionSecurity == 0 {
		return nil, fmt.Errorf("ntlm: client: server did not select extended session security: %w", ErrWeakProtocol)
	}
	if ch.Flags&Negotiate128 == 0 {
		return nil, fmt.Errorf("ntlm: client: server did not select 128-bit keys: %w", ErrWeakProtocol)
	}
	if ch.Flags&(NegotiateLMKey|RequestNonNTSessionKey|NegotiateDatagram) != 0 {
		return nil, fmt.Errorf("ntlm: client: server selected unsupported flags %v: %w", ch.Flags&(NegotiateLMKey|RequestNonNTSessionKey|NegotiateDatagram), ErrWeakProtocol)
	}

	flags := ch.Flags & clientFlags
	if ch.Flags&NegotiateUnicode == 0 {
		flags |= NegotiateOEM
	}
	am := Authenticate{
		Flags:       flags,
		Domain:      c.domain,
		User:        c.user,
		Workstation: c.workstation,
		Version:     DefaultVersion,
		MIC:         make([]byte, authenticateMICLen),
	}

	if c.anonymous {
		// MS-NLMP 3.3.2 special case: empty NT response, LM response Z(1),
		// and no session key to exchange or sign with.
		am.Flags = (am.Flags | NegotiateAnonymous) &^ NegotiateKeyExch
		am.Domain = ""
		am.LmChallengeResponse = []byte{0}
		c.flags = am.Flags
		c.mic = false
		return am.Marshal(), nil
	}

	var clientChallenge [8]byte
	if _, err := io.ReadFull(c.rand, clientChallenge[:]); err != nil {
		return nil, fmt.Errorf("ntlm: client: random challenge: %w", err)
	}

	// Use the server's clock when it sent one, else ours; with a server
	// timestamp present, protect the three messages with a MIC.
	pairs := make(AVPairs, len(ch.TargetInfo), len(ch.TargetInfo)+3)
	copy(pairs, ch.TargetInfo)
	var timestamp uint64
	ts, haveTS := pairs.Get(AvTimestamp)
	if haveTS && len(ts) == 8 {
		timestamp = binary.LittleEndian.Uint64(ts)
	} else {
		haveTS = false
		timestamp = toFileTime(c.now())
	}
	if haveTS {
		pairs = pairs.Set(AvFlags, binary.LittleEndian.AppendUint32(nil, pairs.Flags()|AvFlagMICPresent))
	}
	if len(ch.TargetInfo) > 0 {
		// No channel binding (SMB has no TLS channel): an all-zero hash
		// says so explicitly, as Windows clients do.
		if _, ok := pairs.Get(AvChannelBindings); !ok {
			pairs = pairs.Set(AvChannelBindings, make([]byte, 16))
		}
		pairs = pairs.Set(AvTargetName, utf16Bytes(c.spn))
	}

	responseKey := ntowfv2(&c.ntHash, c.user, c.domain)
	temp := ntlmv2ClientBlob(timestamp, clientChallenge, pairs.Marshal())
	proof := ntProofStr(&responseKey, ch.ServerChallenge, temp)
	am.NtChallengeResponse = append(proof[:], temp...)
	if haveTS {
		// MS-NLMP 3.1.5.1.2: with a server timestamp, send Z(24) rather
		// than an LMv2 response.
		am.LmChallengeResponse = make([]byte, 24)
	} else {
		am.LmChallengeResponse = lmv2Response(&responseKey, ch.ServerChallenge, clientChallenge)
	}

	// NTLMv2: KeyExchangeKey = SessionBaseKey (MS-NLMP 3.4.5.1).
	sessionBaseKey := hmacMD5(responseKey[:], proof[:])
	exported := sessionBaseKey[:]
	if flags&NegotiateKeyExch != 0 && flags&(NegotiateSign|NegotiateSeal) != 0 {
		exported = make([]byte, 16)
		if _, err := io.ReadFull(c.rand, exported); err != nil {
			return nil, fmt.Errorf("ntlm: client: random session key: %w", err)
		}
		am.EncryptedRandomSessionKey = rc4Once(sessionBaseKey[:], exported)
	}

	msg := am.Marshal()
	if haveTS {
		m := hmac.New(md5.New, exported)
		m.Write(c.negotiate)
		m.Write(challenge)
		m.Write(msg)
		m.Sum(msg[authenticateMICOff:authenticateMICOff])
		c.mic = true
	}
	c.flags = flags
	c.key = exported
	c.sec = newSecurity(flags, exported, true)
	return msg, nil
}

// SessionKey returns the exported session key once the context is
// established (nil for an anonymous logon). SMB2 derives its signing and
// encryption keys from it.
func (c *Client) SessionKey() []byte { return c.key }

// Flags returns the negotiated flags once the context is established.
func (c *Client) Flags() NegotiateFlags { return c.flags }

// MICSent reports whether the AUTHENTICATE message carried a MIC; SPNEGO
// then requires a mechListMIC (MS-SPNG 3.1.5.1).
func (c *Client) MICSent() bool { return c.mic }

// Security returns the session security of the established context, or nil
// before it is established or for an anonymous logon.
func (c *Client) Security() *Security { return c.sec }

// MessageSecurity returns the session security as a gss.MessageSecurity,
// or an error when the context has none (not established, or anonymous).
func (c *Client) MessageSecurity() (gss.MessageSecurity, error) {
	if c.sec == nil {
		return nil, fmt.Errorf("ntlm: client: %w", ErrNoSessionSecurity)
	}
	return c.sec, nil
}

var _ gss.Initiator = (*Client)(nil)
