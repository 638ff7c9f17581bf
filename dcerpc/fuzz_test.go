package dcerpc

import (
	"bytes"
	"context"
	"testing"
)

// seedPDUs adds every sample PDU, the impacket goldens and a few broken
// ones as seeds.
func seedPDUs(f *testing.F) {
	for _, p := range samplePDUs() {
		b, err := p.Append(nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, hx := range []string{
		"05000b03100000004800000001000000b810b810000000000100000000000100c84f324b7016d30112785a47bf6ee18803000000045d888aeb1cc9119fe808002b10486002000000",
		"05000003100000005c000000010000004400000000000f006f4200000c000000000000000c0000005c005c003100320037002e0030002e0030002e00310000000100000001000000b43200000000000000000000ffffffff00000000",
	} {
		f.Add(mustHex(hx))
	}
	f.Add([]byte{})
	f.Add([]byte{5, 0, 11, 3, 0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Add([]byte{5, 0, 0, 3, 0x10, 0, 0, 0, 24, 0, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
}

func mustHex(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		var v byte
		for _, c := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			case c >= 'a' && c <= 'f':
				v |= byte(c - 'a' + 10)
			}
		}
		b[i] = v
	}
	return b
}

// FuzzPDU runs every decoder on the input; whatever decodes must
// re-encode to bytes that decode to the same thing.
func FuzzPDU(f *testing.F) {
	seedPDUs(f)
	decoders := []func() pdu{
		func() pdu { return new(BindPDU) }, func() pdu { return new(AlterContextPDU) },
		func() pdu { return new(BindAckPDU) }, func() pdu { return new(AlterContextRespPDU) },
		func() pdu { return new(BindNakPDU) }, func() pdu { return new(RequestPDU) },
		func() pdu { return new(ResponsePDU) }, func() pdu { return new(FaultPDU) },
		func() pdu { return new(Auth3PDU) }, func() pdu { return new(ShutdownPDU) },
		func() pdu { return new(CoCancelPDU) }, func() pdu { return new(OrphanedPDU) },
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseHeader(b)
		_, _ = PDULength(b)
		for _, mk := range decoders {
			p := mk()
			if err := p.Unmarshal(b); err != nil {
				continue
			}
			out, err := p.Append(nil)
			if err != nil {
				continue // e.g. a secondary address that cannot be re-encoded
			}
			q := mk()
			if err := q.Unmarshal(out); err != nil {
				t.Fatalf("%T: re-encoded PDU does not decode: %v\n% x", p, err, out)
			}
			again, err := q.Append(nil)
			if err != nil || !bytes.Equal(out, again) {
				t.Fatalf("%T: encoding not stable\n% x\n% x", p, out, again)
			}
		}
	})
}

// FuzzAssociation feeds arbitrary bytes to a server association, after an
// optional valid bind, in two chunks: it must never panic or hang, and
// every reply it queues must be a well-formed PDU.
func FuzzAssociation(f *testing.F) {
	seedPDUs(f)
	bind, _ := (&BindPDU{Header: Header{Flags: 3, CallID: 1}, MaxXmitFrag: MinFrag, MaxRecvFrag: MinFrag,
		Contexts: []ContextElem{{AbstractSyntax: echoIface, TransferSyntaxes: []SyntaxID{NDR20}}}}).Append(nil)
	req := reqBytes(RequestPDU{Header: Header{Flags: 3, CallID: 2}, Opnum: 1, Stub: u32(5000)})
	f.Add(append(bytes.Clone(bind), req...))
	f.Fuzz(func(t *testing.T, b []byte) {
		srv := authServer(false)
		srv.Register(echoIface, echoHandler())
		a := srv.NewAssociation(AssociationOptions{})
		ctx := context.Background()
		if len(b) > 0 && b[0]&1 == 1 {
			if err := a.Write(ctx, bind); err != nil {
				t.Fatal(err)
			}
		}
		half := len(b) / 2
		if a.Write(ctx, b[:half]) == nil {
			_ = a.Write(ctx, b[half:])
		}
		out := make([]byte, 70000)
		for {
			n, more := a.Read(out)
			if n == 0 {
				break
			}
			if more {
				t.Fatal("reply larger than 70000 bytes")
			}
			if _, err := ParseHeader(out[:n]); err != nil {
				t.Fatalf("server produced a bad PDU: %v\n% x", err, out[:n])
			}
		}
	})
}

// FuzzClientReply feeds arbitrary bytes as the reply to a bind and to a
// call: errors are fine, panics and runaway allocations are not.
func FuzzClientReply(f *testing.F) {
	seedPDUs(f)
	ack, _ := (&BindAckPDU{Header: Header{Flags: 3, CallID: 1}, MaxXmitFrag: 4280, MaxRecvFrag: 4280,
		Results: []Result{{ResultAcceptance, 0, NDR20}}}).Append(nil)
	resp, _ := (&ResponsePDU{Header: Header{Flags: 3, CallID: 2}, Stub: []byte("ok")}).Append(nil)
	f.Add(append(bytes.Clone(ack), resp...))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := NewClient(nil, &ClientOptions{MaxResponse: 1 << 20})
		if _, err := c.BindPDU(echoIface); err != nil {
			t.Fatal(err)
		}
		n, _ := PDULength(b)
		if n == 0 || n > len(b) {
			_, _, _ = c.HandleBindReply(b)
			return
		}
		if _, _, err := c.HandleBindReply(b[:n]); err != nil || !c.Bound() {
			return
		}
		pc, err := c.NewCall(0, []byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		rest := b[n:]
		for len(rest) > 0 {
			k := min(len(rest), 1+int(rest[0])%64)
			if done, _ := pc.Feed(rest[:k]); done {
				break
			}
			// Whatever the hints say, what is read ahead stays within
			// what MaxResponse allows.
			if ahead := pc.fragmentsAhead(4280, 1<<20); ahead < 0 || ahead > (1<<20)/(4280-RequestHeaderLen)+1 {
				t.Fatalf("%d fragments ahead", ahead)
			}
			rest = rest[k:]
		}
	})
}
