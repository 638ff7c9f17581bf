package ntlm

import (
	"encoding/binary"
	"fmt"
)

// Challenge is the CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2): the server's
// selected options, its 8-byte nonce and its naming context (TargetInfo).
type Challenge struct {
	Flags           NegotiateFlags
	TargetName      string // in the negotiated character set on the wire
	ServerChallenge [8]byte
	// TargetInfo is the AV pair list (without the EOL terminator). It is
	// sent when NegotiateTargetInfo is set.
	TargetInfo AVPairs
	Version    Version
}

const challengeHeaderLen = 48 + versionSize

// Marshal encodes the message; TargetInfo is written when
// NegotiateTargetInfo is set.
func (m *Challenge) Marshal() []byte {
	unicode := m.Flags&NegotiateUnicode != 0
	name := encodeString(m.TargetName, unicode)
	var info []byte
	if m.Flags&NegotiateTargetInfo != 0 {
		info = m.TargetInfo.Marshal()
	}
	w := newPayloadWriter(typeChallenge, challengeHeaderLen, len(name)+len(info))
	binary.LittleEndian.PutUint32(w.b[20:], uint32(m.Flags))
	copy(w.b[24:32], m.ServerChallenge[:])
	if m.Flags&NegotiateVersion != 0 {
		m.Version.put(w.b[48:])
	}
	w.put(12, name)
	w.put(40, info)
	return w.b
}

// Unmarshal decodes a CHALLENGE_MESSAGE, checking every offset and the AV
// pair list. TargetInfo values alias b.
func (m *Challenge) Unmarshal(b []byte) error {
	if err := checkHeader(b, typeChallenge, 48, "challenge"); err != nil {
		return err
	}
	*m = Challenge{Flags: NegotiateFlags(binary.LittleEndian.Uint32(b[20:]))}
	copy(m.ServerChallenge[:], b[24:32])
	name, err := readField(b, 12).slice(b, "challenge target name")
	if err != nil {
		return err
	}
	if m.TargetName, err = decodeString(name, m.Flags&NegotiateUnicode != 0); err != nil {
		return fmt.Errorf("ntlm: challenge target name: %w", err)
	}
	if m.Flags&NegotiateTargetInfo != 0 {
		info, err := readField(b, 40).slice(b, "challenge target info")
		if err != nil {
			return err
		}
		if len(info) > 0 {
			if m.TargetInfo, err = ParseAVPairs(info); err != nil {
				return fmt.Errorf("ntlm: challenge target info: %w", err)
			}
		}
	}
	if m.Flags&NegotiateVersion != 0 && len(b) >= challengeHeaderLen {
		m.Version = parseVersion(b[48:])
	}
	return nil
}

// String summarises the message for logs.
func (m *Challenge) String() string {
	return fmt.Sprintf("CHALLENGE{flags=%v target=%q}", m.Flags, m.TargetName)
}
