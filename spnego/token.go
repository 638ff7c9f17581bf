package spnego

import (
	"encoding/asn1"
	"fmt"
	"strings"
)

// Mechanism and protocol OIDs.
var (
	// OIDSPNEGO identifies SPNEGO itself in the GSS-API token framing.
	OIDSPNEGO = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 2}
	// OIDNTLMSSP is NTLM (MS-NLMP), the one mechanism lanman speaks.
	OIDNTLMSSP = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 2, 10}
	// OIDKerberos5 and OIDMSKerberos5 (the mis-encoded OID Windows also
	// sends) are recognised in peers' lists but never offered.
	OIDKerberos5   = asn1.ObjectIdentifier{1, 2, 840, 113554, 1, 2, 2}
	OIDMSKerberos5 = asn1.ObjectIdentifier{1, 2, 840, 48018, 1, 2, 2}
	// OIDNegoEx is MS-NEGOEX, recognised but never offered.
	OIDNegoEx = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 2, 30}
)

// HintName is the negHints.hintName Windows and Samba servers send in
// NegTokenInit2 (MS-SPNG 3.2.5.2).
const HintName = "not_defined_in_RFC4178@please_ignore"

// NegTokenInit is the initiator's first token (RFC 4178 4.2.1), or, with
// HintName set, the NegTokenInit2 that a server sends unsolicited in its
// SMB2 NEGOTIATE response (MS-SPNG 2.2.1). On the wire it is framed as a
// GSS-API InitialContextToken ([APPLICATION 0], RFC 2743 3.1) carrying the
// SPNEGO OID.
type NegTokenInit struct {
	MechTypes []asn1.ObjectIdentifier
	// ReqFlags is the raw content of the ContextFlags BIT STRING, nil
	// when absent (senders should omit it).
	ReqFlags  []byte
	MechToken []byte
	// HintName and HintAddress are NegTokenInit2's negHints; a non-empty
	// HintName makes Marshal write the NegTokenInit2 layout.
	HintName    string
	HintAddress []byte
	MechListMIC []byte

	rawMechTypes []byte
}

// MechTypesDER returns the DER MechTypeList (SEQUENCE OF MechType) that a
// mechListMIC covers: the exact bytes received when the token was decoded,
// else the encoding of MechTypes.
func (t *NegTokenInit) MechTypesDER() []byte {
	if t.rawMechTypes != nil {
		return t.rawMechTypes
	}
	return encodeMechTypes(t.MechTypes)
}

func encodeMechTypes(mechs []asn1.ObjectIdentifier) []byte {
	var body []byte
	for _, m := range mechs {
		body = appendOID(body, m)
	}
	return appendTLV(nil, tagSequence, body)
}

// Marshal encodes the token with its GSS-API framing.
func (t *NegTokenInit) Marshal() []byte {
	var seq []byte
	seq = appendTLV(seq, tagContext0, t.MechTypesDER())
	if t.ReqFlags != nil {
		seq = appendTLV(seq, tagContext0+1, appendTLV(nil, tagBitString, t.ReqFlags))
	}
	if t.MechToken != nil {
		seq = appendTLV(seq, tagContext0+2, appendTLV(nil, tagOctetString, t.MechToken))
	}
	micTag := byte(tagContext0 + 3)
	if t.HintName != "" || t.HintAddress != nil {
		var hints []byte
		if t.HintName != "" {
			hints = appendTLV(hints, tagContext0, appendTLV(nil, tagGeneralString, []byte(t.HintName)))
		}
		if t.HintAddress != nil {
			hints = appendTLV(hints, tagContext0+1, appendTLV(nil, tagOctetString, t.HintAddress))
		}
		seq = appendTLV(seq, tagContext0+3, appendTLV(nil, tagSequence, hints))
		micTag = tagContext0 + 4
	}
	if t.MechListMIC != nil {
		seq = appendTLV(seq, micTag, appendTLV(nil, tagOctetString, t.MechListMIC))
	}
	inner := appendOID(nil, OIDSPNEGO)
	inner = appendTLV(inner, tagNegTokenInit, appendTLV(nil, tagSequence, seq))
	return appendTLV(nil, tagApplication0, inner)
}

// Unmarshal decodes a NegTokenInit or NegTokenInit2, with or without the
// GSS-API framing. Byte slices alias b.
func (t *NegTokenInit) Unmarshal(b []byte) error {
	*t = NegTokenInit{}
	tag, content, rest, err := readTLV(b)
	if err != nil {
		return fmt.Errorf("spnego: NegTokenInit: %w", err)
	}
	if len(rest) != 0 {
		return fmt.Errorf("spnego: NegTokenInit: %d trailing bytes: %w", len(rest), ErrBadToken)
	}
	if tag == tagApplication0 {
		oidBytes, after, err := expect(content, tagOID, "NegTokenInit framing")
		if err != nil {
			return err
		}
		oid, err := parseOID(oidBytes)
		if err != nil {
			return err
		}
		if !oid.Equal(OIDSPNEGO) {
			return fmt.Errorf("spnego: token is for mechanism %s, not SPNEGO: %w", oidString(oid), ErrBadToken)
		}
		if tag, content, _, err = readTLV(after); err != nil {
			return fmt.Errorf("spnego: NegTokenInit: %w", err)
		}
	}
	if tag != tagNegTokenInit {
		return fmt.Errorf("spnego: NegTokenInit: choice tag %#x: %w", tag, ErrBadToken)
	}
	seq, _, err := expect(content, tagSequence, "NegTokenInit")
	if err != nil {
		return err
	}
	last := -1
	for len(seq) > 0 {
		tag, field, next, err := readTLV(seq)
		if err != nil {
			return fmt.Errorf("spnego: NegTokenInit field: %w", err)
		}
		seq = next
		n := int(tag) - tagContext0
		if n < 0 || n > 30 || n <= last {
			return fmt.Errorf("spnego: NegTokenInit: unexpected field tag %#x: %w", tag, ErrBadToken)
		}
		last = n
		switch n {
		case 0:
			if err := t.parseMechTypes(field); err != nil {
				return err
			}
		case 1:
			if t.ReqFlags, _, err = expect(field, tagBitString, "reqFlags"); err != nil {
				return err
			}
		case 2:
			if t.MechToken, _, err = expect(field, tagOctetString, "mechToken"); err != nil {
				return err
			}
		case 3:
			// RFC 4178 puts mechListMIC here; NegTokenInit2 puts negHints.
			inner, _, _, err := readTLV(field)
			if err != nil {
				return fmt.Errorf("spnego: NegTokenInit field 3: %w", err)
			}
			if inner == tagOctetString {
				t.MechListMIC, _, err = expect(field, tagOctetString, "mechListMIC")
			} else {
				err = t.parseHints(field)
			}
			if err != nil {
				return err
			}
		case 4:
			if t.MechListMIC, _, err = expect(field, tagOctetString, "mechListMIC"); err != nil {
				return err
			}
		default:
			// Later extensions ("...") are skipped.
		}
	}
	return nil
}

func (t *NegTokenInit) parseMechTypes(field []byte) error {
	list, _, err := expect(field, tagSequence, "mechTypes")
	if err != nil {
		return err
	}
	// The MIC covers the MechTypeList element itself.
	_, _, rest, _ := readTLV(field)
	t.rawMechTypes = field[:len(field)-len(rest)]
	// Each OID takes at least 3 bytes, which bounds the allocation.
	t.MechTypes = make([]asn1.ObjectIdentifier, 0, len(list)/3)
	for len(list) > 0 {
		oidBytes, next, err := expect(list, tagOID, "mechType")
		if err != nil {
			return err
		}
		oid, err := parseOID(oidBytes)
		if err != nil {
			return err
		}
		t.MechTypes = append(t.MechTypes, oid)
		list = next
	}
	return nil
}

func (t *NegTokenInit) parseHints(field []byte) error {
	seq, _, err := expect(field, tagSequence, "negHints")
	if err != nil {
		return err
	}
	for len(seq) > 0 {
		tag, v, next, err := readTLV(seq)
		if err != nil {
			return fmt.Errorf("spnego: negHints: %w", err)
		}
		seq = next
		switch tag {
		case tagContext0:
			name, _, err := expect(v, tagGeneralString, "hintName")
			if err != nil {
				return err
			}
			t.HintName = string(name)
		case tagContext0 + 1:
			if t.HintAddress, _, err = expect(v, tagOctetString, "hintAddress"); err != nil {
				return err
			}
		}
	}
	return nil
}

// String summarises the token for logs.
func (t *NegTokenInit) String() string {
	names := make([]string, len(t.MechTypes))
	for i, m := range t.MechTypes {
		names[i] = oidString(m)
	}
	return fmt.Sprintf("NegTokenInit{mechs=[%s] token=%dB hint=%q mic=%dB}", strings.Join(names, " "), len(t.MechToken), t.HintName, len(t.MechListMIC))
}

// NegState is the negotiation state of a NegTokenResp (RFC 4178 4.2.2).
type NegState int

// The states; NegStateAbsent means the field is omitted, as an initiator's
// later tokens do.
const (
	NegStateAbsent   NegState = -1
	AcceptCompleted  NegState = 0
	AcceptIncomplete NegState = 1
	Reject           NegState = 2
	RequestMIC       NegState = 3
)

func (s NegState) String() string {
	switch s {
	case NegStateAbsent:
		return "absent"
	case AcceptCompleted:
		return "accept-completed"
	case AcceptIncomplete:
		return "accept-incomplete"
	case Reject:
		return "reject"
	case RequestMIC:
		return "request-mic"
	}
	return fmt.Sprintf("NegState(%d)", int(s))
}

// NegTokenResp is every token after the first (RFC 4178 4.2.2), sent bare
// (no GSS-API framing) as the [1] choice of NegotiationToken.
type NegTokenResp struct {
	State         NegState
	SupportedMech asn1.ObjectIdentifier // nil when absent
	ResponseToken []byte
	MechListMIC   []byte
}

// Marshal encodes the token.
func (t *NegTokenResp) Marshal() []byte {
	var seq []byte
	if t.State >= 0 {
		seq = appendTLV(seq, tagContext0, appendTLV(nil, tagEnumerated, []byte{byte(t.State)}))
	}
	if t.SupportedMech != nil {
		seq = appendTLV(seq, tagContext0+1, appendOID(nil, t.SupportedMech))
	}
	if t.ResponseToken != nil {
		seq = appendTLV(seq, tagContext0+2, appendTLV(nil, tagOctetString, t.ResponseToken))
	}
	if t.MechListMIC != nil {
		seq = appendTLV(seq, tagContext0+3, appendTLV(nil, tagOctetString, t.MechListMIC))
	}
	return appendTLV(nil, tagNegTokenResp, appendTLV(nil, tagSequence, seq))
}

// Unmarshal decodes a NegTokenResp. Byte slices alias b.
func (t *NegTokenResp) Unmarshal(b []byte) error {
	*t = NegTokenResp{State: NegStateAbsent}
	content, rest, err := expect(b, tagNegTokenResp, "NegTokenResp")
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("spnego: NegTokenResp: %d trailing bytes: %w", len(rest), ErrBadToken)
	}
	seq, _, err := expect(content, tagSequence, "NegTokenResp")
	if err != nil {
		return err
	}
	last := -1
	for len(seq) > 0 {
		tag, field, next, err := readTLV(seq)
		if err != nil {
			return fmt.Errorf("spnego: NegTokenResp field: %w", err)
		}
		seq = next
		n := int(tag) - tagContext0
		if n < 0 || n > 30 || n <= last {
			return fmt.Errorf("spnego: NegTokenResp: unexpected field tag %#x: %w", tag, ErrBadToken)
		}
		last = n
		switch n {
		case 0:
			v, _, err := expect(field, tagEnumerated, "negState")
			if err != nil {
				return err
			}
			if len(v) != 1 || v[0] > 3 {
				return fmt.Errorf("spnego: negState %x: %w", v, ErrBadToken)
			}
			t.State = NegState(v[0])
		case 1:
			v, _, err := expect(field, tagOID, "supportedMech")
			if err != nil {
				return err
			}
			if t.SupportedMech, err = parseOID(v); err != nil {
				return err
			}
		case 2:
			if t.ResponseToken, _, err = expect(field, tagOctetString, "responseToken"); err != nil {
				return err
			}
		case 3:
			if t.MechListMIC, _, err = expect(field, tagOctetString, "mechListMIC"); err != nil {
				return err
			}
		}
	}
	return nil
}

// String summarises the token for logs.
func (t *NegTokenResp) String() string {
	mech := "-"
	if t.SupportedMech != nil {
		mech = oidString(t.SupportedMech)
	}
	return fmt.Sprintf("NegTokenResp{state=%v mech=%s token=%dB mic=%dB}", t.State, mech, len(t.ResponseToken), len(t.MechListMIC))
}

// NegotiateHint returns the NegTokenInit2 a server puts in its SMB2
// NEGOTIATE response (MS-SMB2 2.2.4, MS-SPNG 3.2.5.2): NTLMSSP as the only
// mechanism and the customary hint name.
func NegotiateHint() []byte {
	t := NegTokenInit{MechTypes: []asn1.ObjectIdentifier{OIDNTLMSSP}, HintName: HintName}
	return t.Marshal()
}
