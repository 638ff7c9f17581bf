package smb2

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
)

// minServerSize is the smallest MaxTransactSize/MaxReadSize/MaxWriteSize
// a server may announce (MS-SMB2 3.2.5.2: the client SHOULD disconnect
// below 65536).
const minServerSize = 65536

// clientSecurityMode is what lanman announces: signing enabled and
// required, always.
const clientSecurityMode = NegotiateSigningEnabled | NegotiateSigningRequired

// negotiateRequest builds the NEGOTIATE request for c's options.
func (c *Conn) negotiateRequest() *NegotiateRequest {
	req := &NegotiateRequest{
		SecurityMode: clientSecurityMode,
		ClientGUID:   c.clientGUID,
		Dialects:     c.opts.Dialects,
	}
	if slices.ContainsFunc(c.opts.Dialects, Dialect.Is3x) {
		req.Capabilities = CapLargeMTU | CapEncryption
	} else if slices.Contains(c.opts.Dialects, Dialect210) {
		req.Capabilities = CapLargeMTU
	}
	if slices.Contains(c.opts.Dialects, Dialect311) {
		salt := make([]byte, 32)
		rand.Read(salt)
		pre := PreauthIntegrityCapabilities{HashAlgorithms: []HashAlgorithm{HashSHA512}, Salt: salt}
		enc := EncryptionCapabilities{Ciphers: c.opts.Ciphers}
		sig := SigningCapabilities{Algorithms: c.opts.SigningAlgorithms}
		req.Contexts = []NegotiateContext{pre.NegotiateContext(), enc.NegotiateContext(), sig.NegotiateContext()}
		if c.serverName != "" {
			nn := NetnameContext{NetName: c.serverName}
			req.Contexts = append(req.Contexts, nn.NegotiateContext())
		}
	}
	return req
}

// negotiate runs the SMB2-only negotiation (MS-SMB2 3.2.4.2.2.2,
// 3.2.5.2). lanman never sends an SMB1 multi-protocol negotiate.
func (c *Conn) negotiate(ctx context.Context) error {
	if len(c.opts.Dialects) == 0 {
		return fmt.Errorf("smb2: negotiate: no dialects to offer")
	}
	for _, d := range c.opts.Dialects {
		switch d {
		case Dialect202, Dialect210, Dialect300, Dialect302, Dialect311:
		default:
			return fmt.Errorf("smb2: negotiate: cannot offer dialect %v", d)
		}
	}
	req := c.negotiateRequest()
	calls, err := c.send(ctx, []*request{{body: req}})
	if err != nil {
		return fmt.Errorf("smb2: negotiate: %w", err)
	}
	r, err := c.wait(ctx, calls[0])
	if err != nil {
		return fmt.Errorf("smb2: negotiate: %w", err)
	}
	var resp NegotiateResponse
	if err := decodeResponse(r, &resp); err != nil {
		return fmt.Errorf("smb2: negotiate: %w", err)
	}
	if err := c.applyNegotiate(&resp); err != nil {
		return fmt.Errorf("smb2: negotiate: %w", err)
	}
	if c.dialect == Dialect311 {
		// MS-SMB2 3.2.5.2: the connection's hash covers the request
		// and the response, byte for byte as they travelled.
		c.preauth.Update(calls[0].req)
		c.preauth.Update(r.msg)
	}
	return nil
}

// applyNegotiate checks the response and records the negotiated state.
func (c *Conn) applyNegotiate(resp *NegotiateResponse) error {
	d := resp.DialectRevision
	if d == DialectWildcard || !slices.Contains(c.opts.Dialects, d) {
		return fmt.Errorf("%w: server chose dialect %v, not offered", ErrProtocol, d)
	}
	if resp.MaxTransactSize < minServerSize || resp.MaxReadSize < minServerSize || resp.MaxWriteSize < minServerSize {
		return fmt.Errorf("%w: server limits %d/%d/%d below 64 KiB", ErrProtocol, resp.MaxTransactSize, resp.MaxReadSize, resp.MaxWriteSize)
	}
	if resp.SecurityMode&NegotiateSigningEnabled == 0 && resp.SecurityMode&NegotiateSigningRequired == 0 {
		// Signing is mandatory for lanman; a server that cannot sign
		// cannot be talked to securely.
		return fmt.Errorf("%w: server does not support signing", ErrProtocol)
	}
	c.dialect = d
	c.serverGUID = resp.ServerGUID
	c.serverSecMode = resp.SecurityMode
	c.serverCaps = resp.Capabilities
	c.maxTransact = resp.MaxTransactSize
	c.maxRead = resp.MaxReadSize
	c.maxWrite = resp.MaxWriteSize
	c.gssToken = slices.Clone(resp.SecurityBuffer)
	c.multiCredit = d != Dialect202 && resp.Capabilities&CapLargeMTU != 0
	if !c.multiCredit {
		// MS-SMB2 3.2.4.1.5: without multi-credit, 64 KiB at most.
		c.maxRead = min(c.maxRead, 65536)
		c.maxWrite = min(c.maxWrite, 65536)
		c.maxTransact = min(c.maxTransact, 65536)
	}
	switch d {
	case Dialect202, Dialect210:
		c.signingAlg = SigningHMACSHA256
	case Dialect300, Dialect302:
		c.signingAlg = SigningAESCMAC
		if resp.Capabilities&CapEncryption != 0 {
			c.cipher = CipherAES128CCM
		}
	case Dialect311:
		c.signingAlg = SigningAESCMAC
		if err := c.applyContexts(resp.Contexts); err != nil {
			return err
		}
	}
	if c.opts.MaxFrameSize <= 0 {
		// Room for the largest payload plus headers, compounds and a
		// TRANSFORM_HEADER.
		limit := int64(max(c.maxRead, c.maxWrite, c.maxTransact)) + 64<<10
		c.maxFrame.Store(min(limit, maxTransportFrame))
	}
	return nil
}

// applyContexts processes the 3.1.1 negotiate contexts (MS-SMB2 3.2.5.2).
func (c *Conn) applyContexts(ctxs []NegotiateContext) error {
	count := map[NegotiateContextType]int{}
	for _, x := range ctxs {
		count[x.Type]++
	}
	if count[PreauthIntegrityCapabilitiesID] != 1 {
		return fmt.Errorf("%w: %d preauth integrity contexts", ErrProtocol, count[PreauthIntegrityCapabilitiesID])
	}
	for _, t := range []NegotiateContextType{EncryptionCapabilitiesID, CompressionCapabilitiesID, RDMATransformCapabilitiesID, SigningCapabilitiesID, TransportCapabilitiesID} {
		if count[t] > 1 {
			return fmt.Errorf("%w: %d negotiate contexts of type %d", ErrProtocol, count[t], t)
		}
	}
	data, _ := FindNegotiateContext(ctxs, PreauthIntegrityCapabilitiesID)
	var pre PreauthIntegrityCapabilities
	if err := pre.Unmarshal(data); err != nil {
		return err
	}
	if len(pre.HashAlgorithms) != 1 || pre.HashAlgorithms[0] != HashSHA512 {
		return fmt.Errorf("%w: preauth hash algorithms %v", ErrProtocol, pre.HashAlgorithms)
	}
	if data, ok := FindNegotiateContext(ctxs, EncryptionCapabilitiesID); ok {
		var enc EncryptionCapabilities
		if err := enc.Unmarshal(data); err != nil {
			return err
		}
		if len(enc.Ciphers) != 1 {
			return fmt.Errorf("%w: server chose %d ciphers", ErrProtocol, len(enc.Ciphers))
		}
		if id := enc.Ciphers[0]; id != 0 {
			if !slices.Contains(c.opts.Ciphers, id) {
				return fmt.Errorf("%w: server chose cipher %v, not offered", ErrProtocol, id)
			}
			c.cipher = id
		}
	}
	if data, ok := FindNegotiateContext(ctxs, SigningCapabilitiesID); ok {
		var sig SigningCapabilities
		if err := sig.Unmarshal(data); err != nil {
			return err
		}
		if len(sig.Algorithms) != 1 || !slices.Contains(c.opts.SigningAlgorithms, sig.Algorithms[0]) {
			return fmt.Errorf("%w: server chose signing algorithms %v", ErrProtocol, sig.Algorithms)
		}
		c.signingAlg = sig.Algorithms[0]
	}
	return nil
}
