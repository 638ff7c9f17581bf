package ntlm

import (
	"encoding/binary"
	"fmt"
)

// Authenticate is the AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3): the client's
// responses to the challenge, its names and, with key exchange, the
// encrypted session key.
type Authenticate struct {
	Flags               NegotiateFlags
	LmChallengeResponse []byte
	NtChallengeResponse []byte
	Domain              string
	User                string
	Workstation         string
	// EncryptedRandomSessionKey is sent with NegotiateKeyExch.
	EncryptedRandomSessionKey []byte
	Version                   Version
	// MIC is the 16-byte message integrity code over all three messages,
	// or nil when the message has no MIC field (pre-Vista layout).
	MIC []byte
}

const (
	authenticateFixedLen = 64
	authenticateMICOff   = authenticateFixedLen + versionSize // 72
	authenticateMICLen   = 16
)

// Marshal encodes the message. The Version field is always present; the
// MIC field is present when m.MIC is non-nil (its content is written as
// given, so a client writes zeros first, computes the MIC over the result
// and patches bytes 72..88).
func (m *Authenticate) Marshal() []byte {
	unicode := m.Flags&NegotiateUnicode != 0
	dom := encodeString(m.Domain, unicode)
	user := encodeString(m.User, unicode)
	ws := encodeString(m.Workstation, unicode)
	hdr := authenticateMICOff
	if m.MIC != nil {
		hdr += authenticateMICLen
	}
	w := newPayloadWriter(typeAuthenticate, hdr,
		len(dom)+len(user)+len(ws)+len(m.LmChallengeResponse)+len(m.NtChallengeResponse)+len(m.EncryptedRandomSessionKey))
	binary.LittleEndian.PutUint32(w.b[60:], uint32(m.Flags))
	if m.Flags&NegotiateVersion != 0 {
		m.Version.put(w.b[64:])
	}
	if m.MIC != nil {
		copy(w.b[authenticateMICOff:authenticateMICOff+authenticateMICLen], m.MIC)
	}
	// Payload in the order Windows uses (and MS-NLMP 4.2.4.3 shows).
	w.put(28, dom)
	w.put(36, user)
	w.put(44, ws)
	w.put(12, m.LmChallengeResponse)
	w.put(20, m.NtChallengeResponse)
	w.put(52, m.EncryptedRandomSessionKey)
	return w.b
}

// Unmarshal decodes an AUTHENTICATE_MESSAGE. Whether the optional Version
// and MIC fields are present is inferred from where the payload starts, as
// the message carries no explicit indication. Byte slices alias b.
func (m *Authenticate) Unmarshal(b []byte) error {
	if err := checkHeader(b, typeAuthenticate, authenticateFixedLen, "authenticate"); err != nil {
		return err
	}
	*m = Authenticate{Flags: NegotiateFlags(binary.LittleEndian.Uint32(b[60:]))}
	unicode := m.Flags&NegotiateUnicode != 0

	fields := [6]struct {
		at   int
		name string
	}{{12, "LM response"}, {20, "NT response"}, {28, "domain"}, {36, "user"}, {44, "workstation"}, {52, "session key"}}
	var data [6][]byte
	payloadStart := len(b)
	for i, f := range fields {
		fd := readField(b, f.at)
		d, err := fd.slice(b, "authenticate "+f.name)
		if err != nil {
			return err
		}
		if fd.len > 0 {
			if fd.off < authenticateFixedLen {
				return fmt.Errorf("ntlm: authenticate %s: offset %d inside the header: %w", f.name, fd.off, ErrBadMessage)
			}
			payloadStart = min(payloadStart, fd.off)
		}
		data[i] = d
	}
	m.LmChallengeResponse, m.NtChallengeResponse = data[0], data[1]
	m.EncryptedRandomSessionKey = data[5]
	var err error
	if m.Domain, err = decodeString(data[2], unicode); err != nil {
		return fmt.Errorf("ntlm: authenticate domain: %w", err)
	}
	if m.User, err = decodeString(data[3], unicode); err != nil {
		return fmt.Errorf("ntlm: authenticate user: %w", err)
	}
	if m.Workstation, err = decodeString(data[4], unicode); err != nil {
		return fmt.Errorf("ntlm: authenticate workstation: %w", err)
	}
	if payloadStart >= authenticateMICOff && m.Flags&NegotiateVersion != 0 {
		m.Version = parseVersion(b[64:])
	}
	if payloadStart >= authenticateMICOff+authenticateMICLen {
		m.MIC = b[authenticateMICOff : authenticateMICOff+authenticateMICLen : authenticateMICOff+authenticateMICLen]
	}
	return nil
}

// String summarises the message for logs (no responses or keys).
func (m *Authenticate) String() string {
	return fmt.Sprintf("AUTHENTICATE{flags=%v user=%q domain=%q workstation=%q}", m.Flags, m.User, m.Domain, m.Workstation)
}
