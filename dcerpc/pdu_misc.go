package dcerpc

import "fmt"

// Auth3PDU is the rpc_auth_3 PDU (MS-RPCE 2.2.2.10): the client's last leg of
// a three-leg authentication (NTLM), which the server does not answer.
// Auth is required (auth_length must not be zero).
type Auth3PDU struct {
	Header
	Pad  [4]byte
	Auth *AuthVerifier
}

// Append appends the encoded PDU to b.
func (p *Auth3PDU) Append(b []byte) ([]byte, error) {
	if p.Auth == nil {
		return b, fmt.Errorf("dcerpc: rpc_auth_3 without auth verifier")
	}
	start := len(b)
	b = appendHeader(b, PTypeAuth3, p.Flags, p.CallID)
	b = append(b, p.Pad[:]...)
	b = appendAuth(b, p.Auth)
	return finishPDU(b, start, len(p.Auth.Value))
}

// Unmarshal decodes an rpc_auth_3 PDU; Auth.Value aliases b. Windows and
// impacket put the sec_trailer right after the 4-octet pad; the decoder
// finds it from auth_length as for every PDU.
func (p *Auth3PDU) Unmarshal(b []byte) error {
	h, pdu, err := pduBytes(b, PTypeAuth3)
	if err != nil {
		return err
	}
	if h.AuthLength == 0 {
		return fmt.Errorf("%w: rpc_auth_3 with zero auth_length", ErrMalformed)
	}
	*p = Auth3PDU{Header: h}
	var auth AuthVerifier
	// The pad is optional in practice (some peers omit it), so the body
	// may start right after the header.
	if _, _, err := splitAuth(pdu, h, HeaderLen, &auth); err != nil {
		return err
	}
	if len(pdu)-int(h.AuthLength)-secTrailerLen >= HeaderLen+4 {
		copy(p.Pad[:], pdu[HeaderLen:])
	}
	p.Auth = &auth
	return nil
}

// ShutdownPDU is the shutdown PDU (C706 12.6.4.11), sent by a server to ask
// the client to close the connection. It has no body.
type ShutdownPDU struct{ Header }

// Append appends the encoded PDU to b.
func (p *ShutdownPDU) Append(b []byte) ([]byte, error) {
	start := len(b)
	b = appendHeader(b, PTypeShutdown, p.Flags, p.CallID)
	return finishPDU(b, start, 0)
}

// Unmarshal decodes a shutdown PDU.
func (p *ShutdownPDU) Unmarshal(b []byte) error {
	h, _, err := pduBytes(b, PTypeShutdown)
	if err != nil {
		return err
	}
	*p = ShutdownPDU{Header: h}
	return nil
}

// CoCancelPDU is the co_cancel PDU (C706 12.6.4.6): the client cancels the
// call in progress. It may carry an auth verifier.
type CoCancelPDU struct {
	Header
	Auth *AuthVerifier
}

// Append appends the encoded PDU to b.
func (p *CoCancelPDU) Append(b []byte) ([]byte, error) {
	return appendHeaderOnly(b, PTypeCoCancel, p.Header, p.Auth)
}

// Unmarshal decodes a co_cancel PDU.
func (p *CoCancelPDU) Unmarshal(b []byte) error {
	h, a, err := unmarshalHeaderOnly(b, PTypeCoCancel)
	*p = CoCancelPDU{Header: h, Auth: a}
	return err
}

// OrphanedPDU is the orphaned PDU (C706 12.6.4.8): the client abandons the
// call in progress. It may carry an auth verifier.
type OrphanedPDU struct {
	Header
	Auth *AuthVerifier
}

// Append appends the encoded PDU to b.
func (p *OrphanedPDU) Append(b []byte) ([]byte, error) {
	return appendHeaderOnly(b, PTypeOrphaned, p.Header, p.Auth)
}

// Unmarshal decodes an orphaned PDU.
func (p *OrphanedPDU) Unmarshal(b []byte) error {
	h, a, err := unmarshalHeaderOnly(b, PTypeOrphaned)
	*p = OrphanedPDU{Header: h, Auth: a}
	return err
}

func appendHeaderOnly(b []byte, t PacketType, h Header, a *AuthVerifier) ([]byte, error) {
	start := len(b)
	b = appendHeader(b, t, h.Flags, h.CallID)
	authLen := 0
	if a != nil {
		b = appendAuth(b, a)
		authLen = len(a.Value)
	}
	return finishPDU(b, start, authLen)
}

func unmarshalHeaderOnly(b []byte, t PacketType) (Header, *AuthVerifier, error) {
	h, pdu, err := pduBytes(b, t)
	if err != nil {
		return Header{}, nil, err
	}
	var auth AuthVerifier
	_, has, err := splitAuth(pdu, h, HeaderLen, &auth)
	if err != nil {
		return Header{}, nil, err
	}
	if !has {
		return h, nil, nil
	}
	return h, &auth, nil
}
