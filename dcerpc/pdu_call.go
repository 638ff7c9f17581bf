package dcerpc

import (
	"encoding/binary"
	"fmt"
)

// RequestHeaderLen is the fixed part of a request PDU without an object
// UUID; a response and a fault have the same fixed size up to their stub.
const RequestHeaderLen = HeaderLen + 8

// RequestPDU is the request PDU (C706 12.6.4.9): one fragment of a call.
// With FlagObjectUUID in Flags, Object is on the wire after the opnum.
// Stub is the fragment's stub data without authentication padding. After
// Unmarshal, Stub and Auth alias b.
type RequestPDU struct {
	Header
	AllocHint uint32
	ContextID uint16
	Opnum     uint16
	Object    UUID
	Stub      []byte
	Auth      *AuthVerifier

	auth AuthVerifier // storage for Auth, so decoding does not allocate
}

// Append appends the encoded PDU to b.
func (p *RequestPDU) Append(b []byte) ([]byte, error) {
	start := len(b)
	b = appendHeader(b, PTypeRequest, p.Flags, p.CallID)
	b = binary.LittleEndian.AppendUint32(b, p.AllocHint)
	b = binary.LittleEndian.AppendUint16(b, p.ContextID)
	b = binary.LittleEndian.AppendUint16(b, p.Opnum)
	if p.Flags&FlagObjectUUID != 0 {
		b = append(b, p.Object[:]...)
	}
	b = append(b, p.Stub...)
	authLen := 0
	if p.Auth != nil {
		b = appendAuth(b, p.Auth)
		authLen = len(p.Auth.Value)
	}
	return finishPDU(b, start, authLen)
}

// Unmarshal decodes a request PDU.
func (p *RequestPDU) Unmarshal(b []byte) error {
	h, pdu, err := pduBytes(b, PTypeRequest)
	if err != nil {
		return err
	}
	fixed := RequestHeaderLen
	if h.Flags&FlagObjectUUID != 0 {
		fixed += 16
	}
	if len(pdu) < fixed {
		return fmt.Errorf("%w: request of %d bytes", ErrMalformed, len(pdu))
	}
	*p = RequestPDU{Header: h}
	end, hasAuth, err := splitAuth(pdu, h, fixed, &p.auth)
	if err != nil {
		return err
	}
	p.AllocHint = binary.LittleEndian.Uint32(pdu[16:])
	p.ContextID = binary.LittleEndian.Uint16(pdu[20:])
	p.Opnum = binary.LittleEndian.Uint16(pdu[22:])
	if h.Flags&FlagObjectUUID != 0 {
		copy(p.Object[:], pdu[24:40])
	}
	p.Stub = pdu[fixed:end]
	if hasAuth {
		p.Auth = &p.auth
	}
	return nil
}

// ResponsePDU is the response PDU (C706 12.6.4.10): one fragment of a
// call's result. After Unmarshal, Stub and Auth alias b.
type ResponsePDU struct {
	Header
	AllocHint   uint32
	ContextID   uint16
	CancelCount uint8
	Reserved    uint8
	Stub        []byte
	Auth        *AuthVerifier

	auth AuthVerifier
}

// Append appends the encoded PDU to b.
func (p *ResponsePDU) Append(b []byte) ([]byte, error) {
	start := len(b)
	b = appendHeader(b, PTypeResponse, p.Flags, p.CallID)
	b = binary.LittleEndian.AppendUint32(b, p.AllocHint)
	b = binary.LittleEndian.AppendUint16(b, p.ContextID)
	b = append(b, p.CancelCount, p.Reserved)
	b = append(b, p.Stub...)
	authLen := 0
	if p.Auth != nil {
		b = appendAuth(b, p.Auth)
		authLen = len(p.Auth.Value)
	}
	return finishPDU(b, start, authLen)
}

// Unmarshal decodes a response PDU.
func (p *ResponsePDU) Unmarshal(b []byte) error {
	h, pdu, err := pduBytes(b, PTypeResponse)
	if err != nil {
		return err
	}
	if len(pdu) < RequestHeaderLen {
		return fmt.Errorf("%w: response of %d bytes", ErrMalformed, len(pdu))
	}
	*p = ResponsePDU{Header: h}
	end, hasAuth, err := splitAuth(pdu, h, RequestHeaderLen, &p.auth)
	if err != nil {
		return err
	}
	p.AllocHint = binary.LittleEndian.Uint32(pdu[16:])
	p.ContextID = binary.LittleEndian.Uint16(pdu[20:])
	p.CancelCount = pdu[22]
	p.Reserved = pdu[23]
	p.Stub = pdu[RequestHeaderLen:end]
	if hasAuth {
		p.Auth = &p.auth
	}
	return nil
}

// FaultPDU is the fault PDU (C706 12.6.4.7, MS-RPCE 2.2.2.8). Status is
// the error; MS-RPCE says stub data in a fault is ignored, but it is kept
// in Stub for fidelity. Reserved's low bit flags extended error
// information (MS-EERR), which this package does not interpret.
type FaultPDU struct {
	Header
	AllocHint   uint32
	ContextID   uint16
	CancelCount uint8
	Reserved    uint8
	Status      Fault
	Reserved2   uint32
	Stub        []byte
	Auth        *AuthVerifier

	auth AuthVerifier
}

// faultFixedLen is the fault header up to and including reserved2; some
// peers end the PDU after status, which Unmarshal accepts.
const faultFixedLen = RequestHeaderLen + 8

// Append appends the encoded PDU to b.
func (p *FaultPDU) Append(b []byte) ([]byte, error) {
	start := len(b)
	b = appendHeader(b, PTypeFault, p.Flags, p.CallID)
	b = binary.LittleEndian.AppendUint32(b, p.AllocHint)
	b = binary.LittleEndian.AppendUint16(b, p.ContextID)
	b = append(b, p.CancelCount, p.Reserved)
	b = binary.LittleEndian.AppendUint32(b, uint32(p.Status))
	b = binary.LittleEndian.AppendUint32(b, p.Reserved2)
	b = append(b, p.Stub...)
	authLen := 0
	if p.Auth != nil {
		b = appendAuth(b, p.Auth)
		authLen = len(p.Auth.Value)
	}
	return finishPDU(b, start, authLen)
}

// Unmarshal decodes a fault PDU.
func (p *FaultPDU) Unmarshal(b []byte) error {
	h, pdu, err := pduBytes(b, PTypeFault)
	if err != nil {
		return err
	}
	if len(pdu) < RequestHeaderLen+4 {
		return fmt.Errorf("%w: fault of %d bytes", ErrMalformed, len(pdu))
	}
	*p = FaultPDU{Header: h}
	fixed := min(faultFixedLen, len(pdu)-int(h.AuthLength)-secTrailerLenIf(h))
	if fixed < RequestHeaderLen+4 {
		return fmt.Errorf("%w: fault status overlaps the auth verifier", ErrMalformed)
	}
	end, hasAuth, err := splitAuth(pdu, h, fixed, &p.auth)
	if err != nil {
		return err
	}
	p.AllocHint = binary.LittleEndian.Uint32(pdu[16:])
	p.ContextID = binary.LittleEndian.Uint16(pdu[20:])
	p.CancelCount = pdu[22]
	p.Reserved = pdu[23]
	p.Status = Fault(binary.LittleEndian.Uint32(pdu[24:]))
	if fixed >= faultFixedLen {
		p.Reserved2 = binary.LittleEndian.Uint32(pdu[28:])
	}
	if end > fixed {
		p.Stub = pdu[fixed:end]
	}
	if hasAuth {
		p.Auth = &p.auth
	}
	return nil
}

func secTrailerLenIf(h Header) int {
	if h.AuthLength == 0 {
		return 0
	}
	return secTrailerLen
}
