package dcerpc

import (
	"encoding/binary"
	"fmt"
)

// ContextElem is one p_cont_elem_t of a bind or alter_context: a
// presentation context the client proposes, with the transfer syntaxes it
// can use for it.
type ContextElem struct {
	ContextID        uint16
	AbstractSyntax   SyntaxID
	TransferSyntaxes []SyntaxID
}

// BindPDU is the bind PDU (C706 12.6.4.3) that opens an association.
// Flags is the whole pfc_flags octet (normally FlagFirstFrag|FlagLastFrag,
// plus FlagSupportHeaderSign when the client signs headers).
type BindPDU struct {
	Header
	MaxXmitFrag  uint16
	MaxRecvFrag  uint16
	AssocGroupID uint32
	Contexts     []ContextElem
	Auth         *AuthVerifier
}

// AlterContextPDU is the alter_context PDU (C706 12.6.4.1): the same layout
// as bind, used to add presentation contexts or continue authentication
// on a bound connection.
type AlterContextPDU BindPDU

// bindFixedLen is header + max_xmit_frag + max_recv_frag + assoc_group_id
// + n_context_elem and its reserved octets.
const bindFixedLen = HeaderLen + 12

// Append appends the encoded PDU to b.
func (p *BindPDU) Append(b []byte) ([]byte, error) { return p.appendAs(b, PTypeBind) }

// Unmarshal decodes a bind PDU; Auth.Value aliases b.
func (p *BindPDU) Unmarshal(b []byte) error { return p.unmarshalAs(b, PTypeBind) }

// Append appends the encoded PDU to b.
func (p *AlterContextPDU) Append(b []byte) ([]byte, error) {
	return (*BindPDU)(p).appendAs(b, PTypeAlterContext)
}

// Unmarshal decodes an alter_context PDU; Auth.Value aliases b.
func (p *AlterContextPDU) Unmarshal(b []byte) error {
	return (*BindPDU)(p).unmarshalAs(b, PTypeAlterContext)
}

func (p *BindPDU) appendAs(b []byte, t PacketType) ([]byte, error) {
	if len(p.Contexts) > 0xFF {
		return b, fmt.Errorf("dcerpc: %d presentation contexts, at most 255", len(p.Contexts))
	}
	start := len(b)
	b = appendHeader(b, t, p.Flags, p.CallID)
	b = binary.LittleEndian.AppendUint16(b, p.MaxXmitFrag)
	b = binary.LittleEndian.AppendUint16(b, p.MaxRecvFrag)
	b = binary.LittleEndian.AppendUint32(b, p.AssocGroupID)
	b = append(b, byte(len(p.Contexts)), 0, 0, 0)
	for i := range p.Contexts {
		c := &p.Contexts[i]
		if len(c.TransferSyntaxes) > 0xFF {
			return b[:start], fmt.Errorf("dcerpc: %d transfer syntaxes, at most 255", len(c.TransferSyntaxes))
		}
		b = binary.LittleEndian.AppendUint16(b, c.ContextID)
		b = append(b, byte(len(c.TransferSyntaxes)), 0)
		b = appendSyntax(b, c.AbstractSyntax)
		for _, ts := range c.TransferSyntaxes {
			b = appendSyntax(b, ts)
		}
	}
	authLen := 0
	if p.Auth != nil {
		b = appendAuth(b, p.Auth)
		authLen = len(p.Auth.Value)
	}
	return finishPDU(b, start, authLen)
}

func (p *BindPDU) unmarshalAs(b []byte, t PacketType) error {
	h, pdu, err := pduBytes(b, t)
	if err != nil {
		return err
	}
	if len(pdu) < bindFixedLen {
		return fmt.Errorf("%w: %s of %d bytes", ErrMalformed, t, len(pdu))
	}
	var auth AuthVerifier
	end, hasAuth, err := splitAuth(pdu, h, bindFixedLen, &auth)
	if err != nil {
		return err
	}
	*p = BindPDU{Header: h}
	p.MaxXmitFrag = binary.LittleEndian.Uint16(pdu[16:])
	p.MaxRecvFrag = binary.LittleEndian.Uint16(pdu[18:])
	p.AssocGroupID = binary.LittleEndian.Uint32(pdu[20:])
	n := int(pdu[24])
	body := pdu[bindFixedLen:end]
	// Each element is at least 4 + 20 octets; check before allocating.
	if n*(4+syntaxIDLen) > len(body) {
		return fmt.Errorf("%w: %d presentation contexts in %d bytes", ErrMalformed, n, len(body))
	}
	if n > 0 {
		p.Contexts = make([]ContextElem, n)
	}
	off := 0
	for i := range n {
		if len(body)-off < 4+syntaxIDLen {
			return fmt.Errorf("%w: presentation context %d truncated", ErrMalformed, i)
		}
		c := &p.Contexts[i]
		c.ContextID = binary.LittleEndian.Uint16(body[off:])
		nts := int(body[off+2])
		off += 4
		c.AbstractSyntax = readSyntax(body[off:])
		off += syntaxIDLen
		if nts*syntaxIDLen > len(body)-off {
			return fmt.Errorf("%w: %d transfer syntaxes in %d bytes", ErrMalformed, nts, len(body)-off)
		}
		if nts > 0 {
			c.TransferSyntaxes = make([]SyntaxID, nts)
		}
		for j := range nts {
			c.TransferSyntaxes[j] = readSyntax(body[off:])
			off += syntaxIDLen
		}
	}
	if hasAuth {
		p.Auth = &auth
	}
	return nil
}

// Presentation context results (p_cont_def_result_t, C706 12.6.3.1 and
// MS-RPCE 2.2.2.4).
const (
	ResultAcceptance        uint16 = 0
	ResultUserRejection     uint16 = 1
	ResultProviderRejection uint16 = 2
	ResultNegotiateAck      uint16 = 3
)

// Provider rejection reasons of a result (p_provider_reason_t).
const (
	ReasonNotSpecified                    uint16 = 0
	ReasonAbstractSyntaxNotSupported      uint16 = 1
	ReasonProposedTransferSyntaxesNotSupp uint16 = 2
	ReasonLocalLimitExceeded              uint16 = 3
)

// Result answers one ContextElem. For a negotiate_ack, Reason carries the
// BindTimeFeatureNegotiationResponseBitmask (MS-RPCE 3.3.1.5.3).
type Result struct {
	Result         uint16
	Reason         uint16
	TransferSyntax SyntaxID
}

// BindAckPDU is the bind_ack PDU (C706 12.6.4.4).
type BindAckPDU struct {
	Header
	MaxXmitFrag  uint16
	MaxRecvFrag  uint16
	AssocGroupID uint32
	// SecondaryAddr is the port_spec, without its terminating NUL: a pipe
	// name such as `\PIPE\srvsvc`, or a TCP port. Empty encodes as a
	// zero length.
	SecondaryAddr string
	Results       []Result
	Auth          *AuthVerifier
}

// AlterContextRespPDU is the alter_context_resp PDU (C706 12.6.4.2), laid out
// like bind_ack.
type AlterContextRespPDU BindAckPDU

// Append appends the encoded PDU to b.
func (p *BindAckPDU) Append(b []byte) ([]byte, error) { return p.appendAs(b, PTypeBindAck) }

// Unmarshal decodes a bind_ack PDU; Auth.Value aliases b.
func (p *BindAckPDU) Unmarshal(b []byte) error { return p.unmarshalAs(b, PTypeBindAck) }

// Append appends the encoded PDU to b.
func (p *AlterContextRespPDU) Append(b []byte) ([]byte, error) {
	return (*BindAckPDU)(p).appendAs(b, PTypeAlterContextResp)
}

// Unmarshal decodes an alter_context_resp PDU; Auth.Value aliases b.
func (p *AlterContextRespPDU) Unmarshal(b []byte) error {
	return (*BindAckPDU)(p).unmarshalAs(b, PTypeAlterContextResp)
}

func (p *BindAckPDU) appendAs(b []byte, t PacketType) ([]byte, error) {
	if len(p.Results) > 0xFF {
		return b, fmt.Errorf("dcerpc: %d results, at most 255", len(p.Results))
	}
	if len(p.SecondaryAddr) > 0xFFFE {
		return b, fmt.Errorf("dcerpc: secondary address too long")
	}
	start := len(b)
	b = appendHeader(b, t, p.Flags, p.CallID)
	b = binary.LittleEndian.AppendUint16(b, p.MaxXmitFrag)
	b = binary.LittleEndian.AppendUint16(b, p.MaxRecvFrag)
	b = binary.LittleEndian.AppendUint32(b, p.AssocGroupID)
	if p.SecondaryAddr == "" {
		b = append(b, 0, 0)
	} else {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(p.SecondaryAddr)+1))
		b = append(b, p.SecondaryAddr...)
		b = append(b, 0)
	}
	for (len(b)-start)%4 != 0 {
		b = append(b, 0)
	}
	b = append(b, byte(len(p.Results)), 0, 0, 0)
	for _, r := range p.Results {
		b = binary.LittleEndian.AppendUint16(b, r.Result)
		b = binary.LittleEndian.AppendUint16(b, r.Reason)
		b = appendSyntax(b, r.TransferSyntax)
	}
	authLen := 0
	if p.Auth != nil {
		b = appendAuth(b, p.Auth)
		authLen = len(p.Auth.Value)
	}
	return finishPDU(b, start, authLen)
}

func (p *BindAckPDU) unmarshalAs(b []byte, t PacketType) error {
	h, pdu, err := pduBytes(b, t)
	if err != nil {
		return err
	}
	const fixed = HeaderLen + 10 // up to and including sec_addr.length
	if len(pdu) < fixed {
		return fmt.Errorf("%w: %s of %d bytes", ErrMalformed, t, len(pdu))
	}
	var auth AuthVerifier
	end, hasAuth, err := splitAuth(pdu, h, fixed, &auth)
	if err != nil {
		return err
	}
	*p = BindAckPDU{Header: h}
	p.MaxXmitFrag = binary.LittleEndian.Uint16(pdu[16:])
	p.MaxRecvFrag = binary.LittleEndian.Uint16(pdu[18:])
	p.AssocGroupID = binary.LittleEndian.Uint32(pdu[20:])
	alen := int(binary.LittleEndian.Uint16(pdu[24:]))
	off := fixed
	if alen > end-off {
		return fmt.Errorf("%w: secondary address of %d bytes", ErrMalformed, alen)
	}
	addr := pdu[off : off+alen]
	if len(addr) > 0 && addr[len(addr)-1] == 0 {
		addr = addr[:len(addr)-1]
	}
	p.SecondaryAddr = string(addr)
	off += alen
	off += (4 - off%4) % 4
	if off+4 > end {
		return fmt.Errorf("%w: %s result list truncated", ErrMalformed, t)
	}
	n := int(pdu[off])
	off += 4
	if n*(4+syntaxIDLen) > end-off {
		return fmt.Errorf("%w: %d results in %d bytes", ErrMalformed, n, end-off)
	}
	if n > 0 {
		p.Results = make([]Result, n)
	}
	for i := range n {
		r := &p.Results[i]
		r.Result = binary.LittleEndian.Uint16(pdu[off:])
		r.Reason = binary.LittleEndian.Uint16(pdu[off+2:])
		r.TransferSyntax = readSyntax(pdu[off+4:])
		off += 4 + syntaxIDLen
	}
	if hasAuth {
		p.Auth = &auth
	}
	return nil
}

// Bind rejection reasons of a bind_nak (C706 12.6.3.1 p_reject_reason_t,
// MS-RPCE 2.2.2.5).
const (
	RejectNotSpecified                uint16 = 0
	RejectTemporaryCongestion         uint16 = 1
	RejectLocalLimitExceeded          uint16 = 2
	RejectCalledPaddrUnknown          uint16 = 3
	RejectProtocolVersionNotSupported uint16 = 4
	RejectDefaultContextNotSupported  uint16 = 5
	RejectUserDataNotReadable         uint16 = 6
	RejectNoPSAPAvailable             uint16 = 7
	RejectAuthenticationTypeNotRecog  uint16 = 8
	RejectInvalidChecksum             uint16 = 9
)

// Version is one protocol version a bind_nak says the server supports.
type Version struct{ Major, Minor uint8 }

// BindNakPDU is the bind_nak PDU (MS-RPCE 2.2.2.9). Extra holds whatever
// follows the version list (an optional signature and extended error
// information, which this package does not interpret).
type BindNakPDU struct {
	Header
	Reason   uint16
	Versions []Version
	Extra    []byte
}

// Append appends the encoded PDU to b.
func (p *BindNakPDU) Append(b []byte) ([]byte, error) {
	if len(p.Versions) > 0xFF {
		return b, fmt.Errorf("dcerpc: %d versions, at most 255", len(p.Versions))
	}
	start := len(b)
	b = appendHeader(b, PTypeBindNak, p.Flags, p.CallID)
	b = binary.LittleEndian.AppendUint16(b, p.Reason)
	b = append(b, byte(len(p.Versions)))
	for _, v := range p.Versions {
		b = append(b, v.Major, v.Minor)
	}
	b = append(b, p.Extra...)
	return finishPDU(b, start, 0)
}

// Unmarshal decodes a bind_nak PDU; Extra aliases b.
func (p *BindNakPDU) Unmarshal(b []byte) error {
	h, pdu, err := pduBytes(b, PTypeBindNak)
	if err != nil {
		return err
	}
	if len(pdu) < HeaderLen+2 {
		return fmt.Errorf("%w: bind_nak of %d bytes", ErrMalformed, len(pdu))
	}
	*p = BindNakPDU{Header: h}
	p.Reason = binary.LittleEndian.Uint16(pdu[16:])
	off := HeaderLen + 2
	if off < len(pdu) {
		n := int(pdu[off])
		off++
		if 2*n > len(pdu)-off {
			return fmt.Errorf("%w: %d versions in %d bytes", ErrMalformed, n, len(pdu)-off)
		}
		if n > 0 {
			p.Versions = make([]Version, n)
		}
		for i := range n {
			p.Versions[i] = Version{pdu[off], pdu[off+1]}
			off += 2
		}
	}
	if off < len(pdu) {
		p.Extra = pdu[off:]
	}
	return nil
}
