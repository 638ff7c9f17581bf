package ntlm

import (
	"encoding/binary"
	"fmt"
)

// Negotiate is the NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1), the client's first
// token: the options it supports.
type Negotiate struct {
	Flags NegotiateFlags
	// Domain and Workstation are OEM strings, sent only with the
	// OEM_DOMAIN_SUPPLIED / OEM_WORKSTATION_SUPPLIED flags. Modern clients
	// leave them empty.
	Domain      string
	Workstation string
	// Version is meaningful only with NegotiateVersion.
	Version Version
}

const negotiateHeaderLen = 32 + versionSize

// Marshal encodes the message. The Version field is always present, zero
// unless NegotiateVersion is set.
func (m *Negotiate) Marshal() []byte {
	dom := encodeString(m.Domain, false)
	ws := encodeString(m.Workstation, false)
	w := newPayloadWriter(typeNegotiate, negotiateHeaderLen, len(dom)+len(ws))
	flags := m.Flags
	if len(dom) > 0 {
		flags |= NegotiateOEMDomainSupplied
	}
	if len(ws) > 0 {
		flags |= NegotiateOEMWorkstationSupplied
	}
	binary.LittleEndian.PutUint32(w.b[12:], uint32(flags))
	if flags&NegotiateVersion != 0 {
		m.Version.put(w.b[32:])
	}
	w.put(16, dom)
	w.put(24, ws)
	return w.b
}

// Unmarshal decodes a NEGOTIATE_MESSAGE. Old clients send a 32-byte header
// without the Version field, which is accepted.
func (m *Negotiate) Unmarshal(b []byte) error {
	if err := checkHeader(b, typeNegotiate, 32, "negotiate"); err != nil {
		return err
	}
	*m = Negotiate{Flags: NegotiateFlags(binary.LittleEndian.Uint32(b[12:]))}
	if m.Flags&NegotiateOEMDomainSupplied != 0 {
		d, err := readField(b, 16).slice(b, "negotiate domain")
		if err != nil {
			return err
		}
		m.Domain, _ = decodeString(d, false)
	}
	if m.Flags&NegotiateOEMWorkstationSupplied != 0 {
		ws, err := readField(b, 24).slice(b, "negotiate workstation")
		if err != nil {
			return err
		}
		m.Workstation, _ = decodeString(ws, false)
	}
	if m.Flags&NegotiateVersion != 0 && len(b) >= negotiateHeaderLen {
		m.Version = parseVersion(b[32:])
	}
	return nil
}

// String summarises the message for logs.
func (m *Negotiate) String() string {
	return fmt.Sprintf("NEGOTIATE{flags=%v}", m.Flags)
}
