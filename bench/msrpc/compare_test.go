package msrpc

import (
	"fmt"
	"testing"

	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/srvs"
	"github.com/oiweiwei/go-msrpc/msrpc/srvs/srvsvc/v3"
	msndr "github.com/oiweiwei/go-msrpc/ndr"
)

// The replies: 1,000 entries, the same data as the srvs package's own
// benchmarks, encoded once by lanman. Both decoders read these bytes.

func sessionEnum502(n int) *srvs.NetrSessionEnumResponse {
	e := make([]srvs.SessionInfo502, n)
	for i := range e {
		e[i] = srvs.SessionInfo502{
			ClientName: fmt.Sprintf(`\\10.0.%d.%d`, i/256, i%256), UserName: fmt.Sprintf("user%04d", i),
			NumOpens: uint32(i), Time: 3600, IdleTime: 12, ClientType: "Windows 10 Enterprise", Transport: `\Device\NetbiosSmb`,
		}
	}
	return &srvs.NetrSessionEnumResponse{InfoStruct: srvs.SessionEnum{Level: 502, Level502: e}, TotalEntries: uint32(n)}
}

func shareEnum2(n int) *srvs.NetrShareEnumResponse {
	e := make([]srvs.ShareInfo2, n)
	for i := range e {
		e[i] = srvs.ShareInfo2{
			NetName: fmt.Sprintf("share%04d", i), Remark: "department files", MaxUses: 0xFFFFFFFF,
			CurrentUses: uint32(i % 7), Path: fmt.Sprintf(`D:\shares\share%04d`, i),
		}
	}
	return &srvs.NetrShareEnumResponse{InfoStruct: srvs.ShareEnum{Level: 2, Level2: e}, TotalEntries: uint32(n)}
}

var (
	sessionStub = srvs.Marshal(sessionEnum502(1000))
	shareStub   = srvs.Marshal(shareEnum2(1000))
)

// TestSameReplies checks that go-msrpc reads the benchmark bytes as the
// same 1,000 entries lanman encoded, so both sides decode the same thing.
func TestSameReplies(t *testing.T) {
	var ses srvsvc.SessionEnumResponse
	if err := msndr.Unmarshal(sessionStub, &ses); err != nil {
		t.Fatalf("go-msrpc: session enum: %v", err)
	}
	got := ses.Info.SessionInfo.GetValue().(*srvsvc.SessionInfo502Container).Buffer
	want := sessionEnum502(1000).InfoStruct.Level502
	if len(got) != len(want) || ses.TotalEntries != 1000 {
		t.Fatalf("go-msrpc: %d session entries, total %d", len(got), ses.TotalEntries)
	}
	for i, g := range got {
		w := want[i]
		if g.ClientName != w.ClientName || g.UserName != w.UserName || g.NumOpens != w.NumOpens ||
			g.ClientTypeName != w.ClientType || g.Transport != w.Transport {
			t.Fatalf("session %d: go-msrpc %+v, lanman %+v", i, g, w)
		}
	}

	var sh srvsvc.ShareEnumResponse
	if err := msndr.Unmarshal(shareStub, &sh); err != nil {
		t.Fatalf("go-msrpc: share enum: %v", err)
	}
	shares := sh.Info.ShareInfo.GetValue().(*srvsvc.ShareInfo2Container).Buffer
	wantShares := shareEnum2(1000).InfoStruct.Level2
	if len(shares) != len(wantShares) {
		t.Fatalf("go-msrpc: %d share entries", len(shares))
	}
	for i, g := range shares {
		if w := wantShares[i]; g.NetworkName != w.NetName || g.Path != w.Path || g.Remark != w.Remark {
			t.Fatalf("share %d: go-msrpc %+v, lanman %+v", i, g, w)
		}
	}

	// And lanman reads them back too.
	var mine srvs.NetrSessionEnumResponse
	if err := srvs.Unmarshal(sessionStub, &mine); err != nil || mine.InfoStruct.Len() != 1000 {
		t.Fatalf("lanman: %v, %d entries", err, mine.InfoStruct.Len())
	}
}

func BenchmarkDecodeSessionEnum502_1000_lanman(b *testing.B) {
	var r ndr.Reader
	var m srvs.NetrSessionEnumResponse
	b.SetBytes(int64(len(sessionStub)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(sessionStub)
		if err := m.UnmarshalStub(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSessionEnum502_1000_gomsrpc(b *testing.B) {
	b.SetBytes(int64(len(sessionStub)))
	b.ReportAllocs()
	for b.Loop() {
		var m srvsvc.SessionEnumResponse
		if err := msndr.Unmarshal(sessionStub, &m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeShareEnum2_1000_lanman(b *testing.B) {
	var r ndr.Reader
	var m srvs.NetrShareEnumResponse
	b.SetBytes(int64(len(shareStub)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(shareStub)
		if err := m.UnmarshalStub(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeShareEnum2_1000_gomsrpc(b *testing.B) {
	b.SetBytes(int64(len(shareStub)))
	b.ReportAllocs()
	for b.Loop() {
		var m srvsvc.ShareEnumResponse
		if err := msndr.Unmarshal(shareStub, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// Encoding: each library encodes its own decoded form of the same reply.

func BenchmarkEncodeSessionEnum502_1000_lanman(b *testing.B) {
	m := sessionEnum502(1000)
	var w ndr.Writer
	b.SetBytes(int64(len(sessionStub)))
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		m.MarshalStub(&w)
	}
}

func BenchmarkEncodeSessionEnum502_1000_gomsrpc(b *testing.B) {
	var m srvsvc.SessionEnumResponse
	if err := msndr.Unmarshal(sessionStub, &m); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(sessionStub)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := msndr.Marshal(&m); err != nil {
			b.Fatal(err)
		}
	}
}
