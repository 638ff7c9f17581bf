package smb2

import "strings"

// NegotiateContextType identifies a negotiate context (MS-SMB2 2.2.3.1).
type NegotiateContextType uint16

// Negotiate context types.
const (
	PreauthIntegrityCapabilitiesID NegotiateContextType = 0x0001
	EncryptionCapabilitiesID       NegotiateContextType = 0x0002
	CompressionCapabilitiesID      NegotiateContextType = 0x0003
	NetnameNegotiateContextID      NegotiateContextType = 0x0005
	TransportCapabilitiesID        NegotiateContextType = 0x0006
	RDMATransformCapabilitiesID    NegotiateContextType = 0x0007
	SigningCapabilitiesID          NegotiateContextType = 0x0008
)

// NegotiateContext is one SMB2 NEGOTIATE_CONTEXT: its type and its data,
// undecoded. Types lanman does not know are kept as they are (a server
// ignores them, MS-SMB2 3.3.5.4). The typed contexts below convert to and
// from Data.
type NegotiateContext struct {
	Type NegotiateContextType
	Data []byte // aliases the decoded message
}

// FindNegotiateContext returns the data of the first context of type t.
func FindNegotiateContext(ctxs []NegotiateContext, t NegotiateContextType) ([]byte, bool) {
	for _, c := range ctxs {
		if c.Type == t {
			return c.Data, true
		}
	}
	return nil, false
}

// appendNegotiateContexts appends contexts, each but the first preceded by
// padding to an 8-byte boundary relative to start (a body start, itself
// 64 bytes from the header). The caller aligns the first.
func appendNegotiateContexts(b []byte, start int, ctxs []NegotiateContext) []byte {
	for i, c := range ctxs {
		if i > 0 {
			b = pad8(b, start)
		}
		b = le.AppendUint16(b, uint16(c.Type))
		b = le.AppendUint16(b, uint16(len(c.Data)))
		b = le.AppendUint32(b, 0)
		b = append(b, c.Data...)
	}
	return b
}

// parseNegotiateContexts decodes count contexts starting at the
// header-relative offset off. Used for negotiate and tree connect
// contexts, which share the layout.
func parseNegotiateContexts(body []byte, name string, off uint32, count int) ([]NegotiateContext, error) {
	if count == 0 {
		return nil, nil
	}
	if off < HeaderSize || uint64(off-HeaderSize) > uint64(len(body)) {
		return nil, malformed("%s: context offset %d out of bounds", name, off)
	}
	p := int(off - HeaderSize)
	// Each context takes at least 8 bytes.
	if count > (len(body)-p)/8 {
		return nil, malformed("%s: %d contexts in %d bytes", name, count, len(body)-p)
	}
	ctxs := make([]NegotiateContext, 0, count)
	for i := 0; i < count; i++ {
		if i > 0 {
			p = align8(p)
		}
		if p+8 > len(body) {
			return nil, malformed("%s: context %d header beyond message", name, i)
		}
		t := NegotiateContextType(le.Uint16(body[p:]))
		n := int(le.Uint16(body[p+2:]))
		if n > len(body)-p-8 {
			return nil, malformed("%s: context %d (type %d) length %d beyond message", name, i, t, n)
		}
		end := p + 8 + n
		ctxs = append(ctxs, NegotiateContext{Type: t, Data: body[p+8 : end : end]})
		p = end
	}
	return ctxs, nil
}

// PreauthIntegrityCapabilities is SMB2_PREAUTH_INTEGRITY_CAPABILITIES
// (MS-SMB2 2.2.3.1.1).
type PreauthIntegrityCapabilities struct {
	HashAlgorithms []HashAlgorithm
	Salt           []byte
}

// Marshal appends the context data.
func (c *PreauthIntegrityCapabilities) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, uint16(len(c.HashAlgorithms)))
	b = le.AppendUint16(b, uint16(len(c.Salt)))
	for _, h := range c.HashAlgorithms {
		b = le.AppendUint16(b, uint16(h))
	}
	return append(b, c.Salt...)
}

// Unmarshal decodes the context data; Salt aliases data.
func (c *PreauthIntegrityCapabilities) Unmarshal(data []byte) error {
	if len(data) < 4 {
		return malformed("PREAUTH_INTEGRITY_CAPABILITIES: %d bytes", len(data))
	}
	n, s := int(le.Uint16(data)), int(le.Uint16(data[2:]))
	if 4+2*n+s > len(data) {
		return malformed("PREAUTH_INTEGRITY_CAPABILITIES: %d algorithms and %d-byte salt in %d bytes", n, s, len(data))
	}
	c.HashAlgorithms = make([]HashAlgorithm, n)
	for i := range c.HashAlgorithms {
		c.HashAlgorithms[i] = HashAlgorithm(le.Uint16(data[4+2*i:]))
	}
	c.Salt = data[4+2*n : 4+2*n+s : 4+2*n+s]
	return nil
}

// NegotiateContext wraps c for a NEGOTIATE message.
func (c *PreauthIntegrityCapabilities) NegotiateContext() NegotiateContext {
	return NegotiateContext{PreauthIntegrityCapabilitiesID, c.Marshal(nil)}
}

// EncryptionCapabilities is SMB2_ENCRYPTION_CAPABILITIES
// (MS-SMB2 2.2.3.1.2), in preference order.
type EncryptionCapabilities struct {
	Ciphers []CipherID
}

// Marshal appends the context data.
func (c *EncryptionCapabilities) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, uint16(len(c.Ciphers)))
	for _, id := range c.Ciphers {
		b = le.AppendUint16(b, uint16(id))
	}
	return b
}

// Unmarshal decodes the context data.
func (c *EncryptionCapabilities) Unmarshal(data []byte) error {
	ids, err := parseIDList(data, "ENCRYPTION_CAPABILITIES")
	if err != nil {
		return err
	}
	c.Ciphers = make([]CipherID, len(ids)/2)
	for i := range c.Ciphers {
		c.Ciphers[i] = CipherID(le.Uint16(ids[2*i:]))
	}
	return nil
}

// NegotiateContext wraps c for a NEGOTIATE message.
func (c *EncryptionCapabilities) NegotiateContext() NegotiateContext {
	return NegotiateContext{EncryptionCapabilitiesID, c.Marshal(nil)}
}

// SigningCapabilities is SMB2_SIGNING_CAPABILITIES (MS-SMB2 2.2.3.1.7),
// in preference order.
type SigningCapabilities struct {
	Algorithms []SigningAlgorithm
}

// Marshal appends the context data.
func (c *SigningCapabilities) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, uint16(len(c.Algorithms)))
	for _, id := range c.Algorithms {
		b = le.AppendUint16(b, uint16(id))
	}
	return b
}

// Unmarshal decodes the context data.
func (c *SigningCapabilities) Unmarshal(data []byte) error {
	ids, err := parseIDList(data, "SIGNING_CAPABILITIES")
	if err != nil {
		return err
	}
	c.Algorithms = make([]SigningAlgorithm, len(ids)/2)
	for i := range c.Algorithms {
		c.Algorithms[i] = SigningAlgorithm(le.Uint16(ids[2*i:]))
	}
	return nil
}

// NegotiateContext wraps c for a NEGOTIATE message.
func (c *SigningCapabilities) NegotiateContext() NegotiateContext {
	return NegotiateContext{SigningCapabilitiesID, c.Marshal(nil)}
}

// parseIDList checks a count-prefixed list of 16-bit IDs and returns the
// bytes of the IDs.
func parseIDList(data []byte, name string) ([]byte, error) {
	if len(data) < 2 {
		return nil, malformed("%s: %d bytes", name, len(data))
	}
	n := int(le.Uint16(data))
	if 2+2*n > len(data) {
		return nil, malformed("%s: %d IDs in %d bytes", name, n, len(data))
	}
	return data[2 : 2+2*n], nil
}

// NetnameContext is SMB2_NETNAME_NEGOTIATE_CONTEXT_ID (MS-SMB2
// 2.2.3.1.4): the server name the client connects to.
type NetnameContext struct {
	NetName string
}

// Marshal appends the context data (UTF-16LE, no terminator).
func (c *NetnameContext) Marshal(b []byte) []byte { return appendUTF16(b, c.NetName) }

// Unmarshal decodes the context data.
func (c *NetnameContext) Unmarshal(data []byte) error {
	var err error
	c.NetName, err = decodeUTF16(data, "NETNAME_NEGOTIATE_CONTEXT_ID")
	c.NetName = strings.TrimRight(c.NetName, "\x00")
	return err
}

// NegotiateContext wraps c for a NEGOTIATE message.
func (c *NetnameContext) NegotiateContext() NegotiateContext {
	return NegotiateContext{NetnameNegotiateContextID, c.Marshal(nil)}
}
