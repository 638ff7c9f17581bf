package dcerpc

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// pdu is what every PDU type offers.
type pdu interface {
	Append([]byte) ([]byte, error)
	Unmarshal([]byte) error
}

func samplePDUs() map[string]pdu {
	av := func(pad uint8) *AuthVerifier {
		return &AuthVerifier{Type: AuthTypeWinNT, Level: AuthLevelPrivacy, PadLength: pad, ContextID: 79231, Value: []byte("0123456789abcdef")}
	}
	ctxs := []ContextElem{
		{ContextID: 0, AbstractSyntax: echoIface, TransferSyntaxes: []SyntaxID{NDR20, NDR64}},
		{ContextID: 1, AbstractSyntax: echoIface, TransferSyntaxes: []SyntaxID{BindTimeFeatureSyntax(3)}},
	}
	ff := uint8(FlagFirstFrag | FlagLastFrag)
	return map[string]pdu{
		"bind":        &BindPDU{Header: Header{Flags: ff | FlagSupportHeaderSign, CallID: 1}, MaxXmitFrag: 4280, MaxRecvFrag: 4280, AssocGroupID: 9, Contexts: ctxs, Auth: av(0)},
		"bind-noauth": &BindPDU{Header: Header{Flags: ff, CallID: 1}, MaxXmitFrag: 4280, MaxRecvFrag: 4280, Contexts: ctxs[:1]},
		"alter":       &AlterContextPDU{Header: Header{Flags: ff, CallID: 2}, MaxXmitFrag: 5840, MaxRecvFrag: 5840, Contexts: ctxs, Auth: av(0)},
		"bind_ack": &BindAckPDU{Header: Header{Flags: ff, CallID: 1}, MaxXmitFrag: 4280, MaxRecvFrag: 4280, AssocGroupID: 0x1234,
			SecondaryAddr: `\PIPE\srvsvc`, Results: []Result{{ResultAcceptance, 0, NDR20}, {ResultNegotiateAck, 2, SyntaxID{}}}, Auth: av(0)},
		"bind_ack-noaddr": &BindAckPDU{Header: Header{Flags: ff, CallID: 1}, MaxXmitFrag: 4280, MaxRecvFrag: 4280,
			Results: []Result{{ResultProviderRejection, ReasonAbstractSyntaxNotSupported, SyntaxID{}}}},
		"alter_resp": &AlterContextRespPDU{Header: Header{Flags: ff, CallID: 2}, MaxXmitFrag: 4280, MaxRecvFrag: 4280,
			Results: []Result{{ResultAcceptance, 0, NDR20}}},
		"bind_nak":    &BindNakPDU{Header: Header{Flags: ff, CallID: 1}, Reason: RejectProtocolVersionNotSupported, Versions: []Version{{5, 0}}},
		"request":     &RequestPDU{Header: Header{Flags: FlagFirstFrag, CallID: 3}, AllocHint: 100, ContextID: 1, Opnum: 15, Stub: []byte("stub data..."), Auth: av(4)},
		"request-obj": &RequestPDU{Header: Header{Flags: ff | FlagObjectUUID, CallID: 3}, AllocHint: 3, Opnum: 2, Object: NDR64.UUID, Stub: []byte("abc")},
		"response":    &ResponsePDU{Header: Header{Flags: FlagLastFrag, CallID: 3}, AllocHint: 5, ContextID: 1, Stub: []byte("hello"), Auth: av(11)},
		"response-0":  &ResponsePDU{Header: Header{Flags: ff, CallID: 3}},
		"fault":       &FaultPDU{Header: Header{Flags: ff | FlagDidNotExecute, CallID: 4}, AllocHint: 32, Status: FaultOpRangeError},
		"auth3":       &Auth3PDU{Header: Header{Flags: ff, CallID: 1}, Auth: av(0)},
		"shutdown":    &ShutdownPDU{Header: Header{Flags: ff, CallID: 0}},
		"co_cancel":   &CoCancelPDU{Header: Header{Flags: ff, CallID: 5}},
		"orphaned":    &OrphanedPDU{Header: Header{Flags: ff, CallID: 5}, Auth: av(0)},
	}
}

func TestPDURoundTrip(t *testing.T) {
	for name, p := range samplePDUs() {
		b, err := p.Append([]byte("prefix"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b = b[len("prefix"):]
		h, err := ParseHeader(b)
		if err != nil || int(h.FragLength) != len(b) {
			t.Fatalf("%s: header %+v %v, len %d", name, h, err, len(b))
		}
		q := reflect.New(reflect.TypeOf(p).Elem()).Interface().(pdu)
		if err := q.Unmarshal(b); err != nil {
			t.Fatalf("%s: unmarshal: %v", name, err)
		}
		b2, err := q.Append(nil)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("%s: re-encoding differs\n% x\n% x", name, b, b2)
		}
		// Every prefix is truncated; nothing panics.
		for i := range b {
			if err := q.Unmarshal(b[:i]); err == nil {
				t.Fatalf("%s: %d-byte prefix decoded", name, i)
			}
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	req, _ := (&RequestPDU{Header: Header{Flags: 3, CallID: 1}, Stub: []byte("0123456789abcdef")}).Append(nil)
	mod := func(f func(b []byte)) []byte { b := bytes.Clone(req); f(b); return b }
	var r RequestPDU
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"version", mod(func(b []byte) { b[0] = 4 }), ErrVersion},
		{"minor", mod(func(b []byte) { b[1] = 1 }), ErrVersion},
		{"big-endian", mod(func(b []byte) { b[4] = 0 }), ErrDataRepresentation},
		{"short frag_length", mod(func(b []byte) { b[8], b[9] = 10, 0 }), ErrMalformed},
		{"long frag_length", mod(func(b []byte) { b[8] = byte(len(req) + 1) }), ErrTruncated},
		{"auth_length too big", mod(func(b []byte) { b[10] = 30 }), ErrMalformed},
		{"wrong type", mod(func(b []byte) { b[2] = byte(PTypeResponse) + 1 }), ErrMalformed},
		{"auth overlaps header", mod(func(b []byte) { b[10] = byte(len(req) - 8 - 16) }), ErrMalformed},
		{"pad beyond body", mod(func(b []byte) { b[10] = 4; b[len(b)-6] = 200 }), ErrMalformed},
	}
	for _, tc := range cases {
		if err := r.Unmarshal(tc.b); !errors.Is(err, tc.want) || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// Counts that promise more than the PDU holds are refused before
	// allocating.
	bind, _ := (&BindPDU{Header: Header{Flags: 3}, Contexts: []ContextElem{{AbstractSyntax: echoIface, TransferSyntaxes: []SyntaxID{NDR20}}}}).Append(nil)
	bad := bytes.Clone(bind)
	bad[24] = 255
	if err := new(BindPDU).Unmarshal(bad); !errors.Is(err, ErrMalformed) {
		t.Errorf("n_context_elem 255: %v", err)
	}
	bad = bytes.Clone(bind)
	bad[30] = 255
	if err := new(BindPDU).Unmarshal(bad); !errors.Is(err, ErrMalformed) {
		t.Errorf("n_transfer_syn 255: %v", err)
	}
}

func TestUUID(t *testing.T) {
	u := MustParseUUID("8A885D04-1CEB-11C9-9FE8-08002B104860")
	want := []byte{0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11, 0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60}
	if !bytes.Equal(u[:], want) || u.String() != "8a885d04-1ceb-11c9-9fe8-08002b104860" {
		t.Fatalf("%x %s", u[:], u)
	}
	for _, s := range []string{"", "8a885d04-1ceb-11c9-9fe8-08002b10486", "8a885d04x1ceb-11c9-9fe8-08002b104860", "8a885d04-1ceb-11c9-9fe8-08002b10486g"} {
		if _, err := ParseUUID(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
	if bits, ok := bindTimeFeatures(BindTimeFeatureSyntax(3)); !ok || bits != 3 {
		t.Error("bind time feature syntax")
	}
	if BindTimeFeatureSyntax(3).UUID.String() != "6cb71c2c-9812-4540-0300-000000000000" {
		t.Error(BindTimeFeatureSyntax(3).UUID)
	}
}
