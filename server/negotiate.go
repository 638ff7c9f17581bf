package server

import (
	"bytes"
	"encoding/binary"
	"slices"
	"time"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

// serverDialects are the dialects the server speaks, best first.
var serverDialects = []smb2.Dialect{smb2.Dialect311, smb2.Dialect302, smb2.Dialect300, smb2.Dialect210, smb2.Dialect202}

// serverCiphers are the 3.1.1 ciphers, in the server's preference order.
var serverCiphers = []smb2.CipherID{smb2.CipherAES128GCM, smb2.CipherAES256GCM, smb2.CipherAES128CCM, smb2.CipherAES256CCM}

// serverSigning are the 3.1.1 signing algorithms, in preference order.
var serverSigning = []smb2.SigningAlgorithm{smb2.SigningAESGMAC, smb2.SigningAESCMAC, smb2.SigningHMACSHA256}

// handleSMB1 answers an SMB1 NEGOTIATE that offers SMB2 the way MS-SMB2
// 3.3.5.3.1 describes, and drops anything else: lanman speaks no SMB1.
// A client offering only SMB1 dialects is disconnected.
func (c *conn) handleSMB1(frame []byte) error {
	const smb1HeaderSize = 32
	if c.negotiated || c.wildcardSent {
		return dropf("SMB1 message after negotiation")
	}
	if len(frame) < smb1HeaderSize+3 || frame[4] != 0x72 { // SMB_COM_NEGOTIATE
		return dropf("SMB1 message that is not a NEGOTIATE")
	}
	body := frame[smb1HeaderSize:]
	wc := int(body[0])
	if len(body) < 1+2*wc+2 {
		return dropf("short SMB1 NEGOTIATE")
	}
	bc := int(binary.LittleEndian.Uint16(body[1+2*wc:]))
	data := body[1+2*wc+2:]
	if bc > len(data) {
		return dropf("SMB1 NEGOTIATE ByteCount %d beyond %d bytes", bc, len(data))
	}
	data = data[:bc]
	var has2002, hasWildcard bool
	for len(data) > 0 {
		if data[0] != 0x02 { // BufferFormat: dialect string
			return dropf("SMB1 NEGOTIATE dialect format 0x%02X", data[0])
		}
		end := bytes.IndexByte(data[1:], 0)
		if end < 0 {
			return dropf("unterminated SMB1 dialect string")
		}
		switch string(data[1 : 1+end]) {
		case "SMB 2.002":
			has2002 = true
		case "SMB 2.???":
			hasWildcard = true
		}
		data = data[2+end:]
	}
	var d smb2.Dialect
	switch {
	case hasWildcard:
		d = smb2.DialectWildcard
	case has2002:
		d = smb2.Dialect202
	default:
		return dropf("client offers only SMB1 dialects")
	}
	// The SMB1 request used MessageId 0.
	c.credits.lo, c.credits.hi = 1, 2
	resp := c.negotiateResponse(d, nil)
	h := smb2.Header{Command: smb2.CommandNegotiate, Credits: 1, Flags: smb2.FlagServerToRedir}
	msg := smb2.AppendMessage(make([]byte, 0, 256), &h, resp)
	if d == smb2.DialectWildcard {
		c.wildcardSent = true
	} else {
		c.finishNegotiate(d, 0, 0, smb2.GUID{}, nil)
	}
	return c.writeFrame(msg)
}

func (c *conn) negotiateResponse(d smb2.Dialect, ctxs []smb2.NegotiateContext) *smb2.NegotiateResponse {
	io := uint32(c.srv.limits.MaxIOSize)
	if d == smb2.Dialect202 {
		io = min(io, 65536)
	}
	caps := smb2.Capabilities(0)
	if d != smb2.Dialect202 {
		caps |= smb2.CapLargeMTU
	}
	if (d == smb2.Dialect300 || d == smb2.Dialect302) && c.clientCaps&smb2.CapEncryption != 0 {
		caps |= smb2.CapEncryption
	}
	return &smb2.NegotiateResponse{
		SecurityMode:    smb2.NegotiateSigningEnabled | smb2.NegotiateSigningRequired,
		DialectRevision: d,
		ServerGUID:      smb2.GUID(c.srv.guid),
		Capabilities:    caps,
		MaxTransactSize: io,
		MaxReadSize:     io,
		MaxWriteSize:    io,
		SystemTime:      smb2.FiletimeOf(time.Now()),
		ServerStartTime: 0,
		SecurityBuffer:  c.srv.negTokenInit(),
		Contexts:        ctxs,
	}
}

func (c *conn) finishNegotiate(d smb2.Dialect, caps smb2.Capabilities, mode smb2.SecurityMode, guid smb2.GUID, dialects []smb2.Dialect) {
	c.negotiated = true
	c.dialect = d
	c.clientCaps = caps
	c.clientSecMode = mode
	c.clientGUID = guid
	c.clientDialects = dialects
	switch {
	case d == smb2.Dialect311:
	case d.Is3x():
		c.signAlg = smb2.SigningAESCMAC
		if caps&smb2.CapEncryption != 0 {
			c.cipher = smb2.CipherAES128CCM
		}
	default:
		c.signAlg = smb2.SigningHMACSHA256
	}
}

// negotiate handles the SMB2 NEGOTIATE request (MS-SMB2 3.3.5.4).
func (c *conn) negotiate(r *request) response {
	if c.negotiated {
		// A second NEGOTIATE on a connection is a protocol error
		// that Windows answers by disconnecting.
		return response{status: ntstatus.STATUS_INVALID_PARAMETER, afterSend: c.shutdown}
	}
	var req smb2.NegotiateRequest
	if err := req.Unmarshal(r.body); err != nil {
		return response{status: ntstatus.STATUS_INVALID_PARAMETER, afterSend: c.shutdown}
	}
	if len(req.Dialects) == 0 {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	var d smb2.Dialect
	for _, sd := range serverDialects {
		if slices.Contains(req.Dialects, sd) {
			d = sd
			break
		}
	}
	if d == 0 {
		return response{status: ntstatus.STATUS_NOT_SUPPORTED, afterSend: c.shutdown}
	}
	var ctxs []smb2.NegotiateContext
	if d == smb2.Dialect311 {
		raw, ok := smb2.FindNegotiateContext(req.Contexts, smb2.PreauthIntegrityCapabilitiesID)
		var pic smb2.PreauthIntegrityCapabilities
		if !ok || pic.Unmarshal(raw) != nil || !slices.Contains(pic.HashAlgorithms, smb2.HashSHA512) {
			return errResp(ntstatus.STATUS_INVALID_PARAMETER)
		}
		salt := make([]byte, 32)
		randRead(salt)
		resp := smb2.PreauthIntegrityCapabilities{HashAlgorithms: []smb2.HashAlgorithm{smb2.HashSHA512}, Salt: salt}
		ctxs = append(ctxs, resp.NegotiateContext())
		if raw, ok := smb2.FindNegotiateContext(req.Contexts, smb2.EncryptionCapabilitiesID); ok {
			var ec smb2.EncryptionCapabilities
			if ec.Unmarshal(raw) != nil {
				return errResp(ntstatus.STATUS_INVALID_PARAMETER)
			}
			chosen := smb2.CipherID(0)
			for _, sc := range serverCiphers {
				if slices.Contains(ec.Ciphers, sc) {
					chosen = sc
					break
				}
			}
			c.cipher = chosen
			out := smb2.EncryptionCapabilities{Ciphers: []smb2.CipherID{chosen}}
			ctxs = append(ctxs, out.NegotiateContext())
		}
		c.signAlg = smb2.SigningAESCMAC
		if raw, ok := smb2.FindNegotiateContext(req.Contexts, smb2.SigningCapabilitiesID); ok {
			var sc smb2.SigningCapabilities
			if sc.Unmarshal(raw) != nil {
				return errResp(ntstatus.STATUS_INVALID_PARAMETER)
			}
			for _, a := range serverSigning {
				if slices.Contains(sc.Algorithms, a) {
					c.signAlg = a
					break
				}
			}
			out := smb2.SigningCapabilities{Algorithms: []smb2.SigningAlgorithm{c.signAlg}}
			ctxs = append(ctxs, out.NegotiateContext())
		}
	}
	c.clientCaps = req.Capabilities
	resp := c.negotiateResponse(d, ctxs)
	cipher, signAlg := c.cipher, c.signAlg
	c.finishNegotiate(d, req.Capabilities, req.SecurityMode, req.ClientGUID, req.Dialects)
	if d == smb2.Dialect311 {
		c.cipher, c.signAlg = cipher, signAlg
		c.preauth = preauthUpdate(make([]byte, 64), r.raw)
	}
	return response{body: resp, connPreauth: d == smb2.Dialect311}
}
