package srvs

import (
	"fmt"
	"testing"

	"github.com/lanman/lanman/ndr/ndrtest"
)

// Benchmarks of the enumeration levels that bench_test.go does not cover,
// so that every level of every enumeration reply is measured at 1,000
// entries. The entries are derived from the same data as the level-502,
// level-2 and level-3 benchmarks there.

func sessionEnumLevel(level uint32, n int) *NetrSessionEnumResponse {
	src := sessionEnum502(n).InfoStruct.Level502
	e := SessionEnum{Level: level}
	for _, s := range src {
		switch level {
		case 0:
			e.Level0 = append(e.Level0, SessionInfo0{ClientName: s.ClientName})
		case 1:
			e.Level1 = append(e.Level1, SessionInfo1{ClientName: s.ClientName, UserName: s.UserName,
				NumOpens: s.NumOpens, Time: s.Time, IdleTime: s.IdleTime, UserFlags: s.UserFlags})
		case 2:
			e.Level2 = append(e.Level2, SessionInfo2{ClientName: s.ClientName, UserName: s.UserName,
				NumOpens: s.NumOpens, Time: s.Time, IdleTime: s.IdleTime, UserFlags: s.UserFlags, ClientType: s.ClientType})
		case 10:
			e.Level10 = append(e.Level10, SessionInfo10{ClientName: s.ClientName, UserName: s.UserName,
				Time: s.Time, IdleTime: s.IdleTime})
		}
	}
	return &NetrSessionEnumResponse{InfoStruct: e, TotalEntries: uint32(n)}
}

// benchSD is a self-relative security descriptor (MS-DTYP 2.4.6) with an
// owner and an empty DACL, the size of a typical share's.
var benchSD = []byte{
	1, 0, 4, 0x80, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0,
	1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
	2, 0, 8, 0, 0, 0, 0, 0,
}

func shareEnumLevel(level uint32, n int) *NetrShareEnumResponse {
	src := shareEnum2(n).InfoStruct.Level2
	e := ShareEnum{Level: level}
	for _, s := range src {
		switch level {
		case 0:
			e.Level0 = append(e.Level0, ShareInfo0{NetName: s.NetName})
		case 1:
			e.Level1 = append(e.Level1, ShareInfo1{NetName: s.NetName, Type: s.Type, Remark: s.Remark})
		case 502:
			e.Level502 = append(e.Level502, ShareInfo502{NetName: s.NetName, Type: s.Type, Remark: s.Remark,
				Permissions: s.Permissions, MaxUses: s.MaxUses, CurrentUses: s.CurrentUses, Path: s.Path,
				SecurityDescriptor: benchSD})
		}
	}
	return &NetrShareEnumResponse{InfoStruct: e, TotalEntries: uint32(n)}
}

func fileEnum2(n int) *NetrFileEnumResponse {
	e := FileEnum{Level: 2}
	for _, f := range fileEnum3(n).InfoStruct.Level3 {
		e.Level2 = append(e.Level2, FileInfo2{ID: f.ID})
	}
	return &NetrFileEnumResponse{InfoStruct: e, TotalEntries: uint32(n)}
}

func connectionEnumLevel(level uint32, n int) *NetrConnectionEnumResponse {
	e := ConnectEnum{Level: level}
	for i := range n {
		switch level {
		case 0:
			e.Level0 = append(e.Level0, ConnectionInfo0{ID: uint32(i)})
		case 1:
			e.Level1 = append(e.Level1, ConnectionInfo1{ID: uint32(i), Type: STYPE_DISKTREE, NumOpens: uint32(i % 5),
				NumUsers: 1, Time: 3600, UserName: fmt.Sprintf("user%04d", i), NetName: "data"})
		}
	}
	return &NetrConnectionEnumResponse{InfoStruct: e, TotalEntries: uint32(n)}
}

func BenchmarkDecodeSessionEnum0_1000(b *testing.B)  { benchDecode(b, sessionEnumLevel(0, 1000)) }
func BenchmarkEncodeSessionEnum0_1000(b *testing.B)  { benchEncode(b, sessionEnumLevel(0, 1000)) }
func BenchmarkDecodeSessionEnum1_1000(b *testing.B)  { benchDecode(b, sessionEnumLevel(1, 1000)) }
func BenchmarkEncodeSessionEnum1_1000(b *testing.B)  { benchEncode(b, sessionEnumLevel(1, 1000)) }
func BenchmarkDecodeSessionEnum2_1000(b *testing.B)  { benchDecode(b, sessionEnumLevel(2, 1000)) }
func BenchmarkEncodeSessionEnum2_1000(b *testing.B)  { benchEncode(b, sessionEnumLevel(2, 1000)) }
func BenchmarkDecodeSessionEnum10_1000(b *testing.B) { benchDecode(b, sessionEnumLevel(10, 1000)) }
func BenchmarkEncodeSessionEnum10_1000(b *testing.B) { benchEncode(b, sessionEnumLevel(10, 1000)) }

func BenchmarkDecodeShareEnum0_1000(b *testing.B)   { benchDecode(b, shareEnumLevel(0, 1000)) }
func BenchmarkEncodeShareEnum0_1000(b *testing.B)   { benchEncode(b, shareEnumLevel(0, 1000)) }
func BenchmarkDecodeShareEnum1_1000(b *testing.B)   { benchDecode(b, shareEnumLevel(1, 1000)) }
func BenchmarkEncodeShareEnum1_1000(b *testing.B)   { benchEncode(b, shareEnumLevel(1, 1000)) }
func BenchmarkDecodeShareEnum502_1000(b *testing.B) { benchDecode(b, shareEnumLevel(502, 1000)) }
func BenchmarkEncodeShareEnum502_1000(b *testing.B) { benchEncode(b, shareEnumLevel(502, 1000)) }

func BenchmarkDecodeFileEnum2_1000(b *testing.B) { benchDecode(b, fileEnum2(1000)) }
func BenchmarkEncodeFileEnum2_1000(b *testing.B) { benchEncode(b, fileEnum2(1000)) }

func BenchmarkDecodeConnectionEnum0_1000(b *testing.B) { benchDecode(b, connectionEnumLevel(0, 1000)) }
func BenchmarkEncodeConnectionEnum0_1000(b *testing.B) { benchEncode(b, connectionEnumLevel(0, 1000)) }
func BenchmarkDecodeConnectionEnum1_1000(b *testing.B) { benchDecode(b, connectionEnumLevel(1, 1000)) }
func BenchmarkEncodeConnectionEnum1_1000(b *testing.B) { benchEncode(b, connectionEnumLevel(1, 1000)) }

// TestBenchLevelsRoundTrip checks that the benchmark inputs are valid
// replies: each encodes and decodes back to as many entries, so the
// benchmarks above measure real work.
func TestBenchLevelsRoundTrip(t *testing.T) {
	for _, m := range []Message{
		sessionEnumLevel(0, 50), sessionEnumLevel(1, 50), sessionEnumLevel(2, 50), sessionEnumLevel(10, 50),
		shareEnumLevel(0, 50), shareEnumLevel(1, 50), shareEnumLevel(502, 50),
		fileEnum2(50), connectionEnumLevel(0, 50), connectionEnumLevel(1, 50),
	} {
		into := ndrtest.NewLike(m)
		if err := Unmarshal(Marshal(m), into); err != nil {
			t.Fatalf("%T: %v", m, err)
		}
		var n int
		switch v := into.(type) {
		case *NetrSessionEnumResponse:
			n = v.InfoStruct.Len()
		case *NetrShareEnumResponse:
			n = v.InfoStruct.Len()
		case *NetrFileEnumResponse:
			n = v.InfoStruct.Len()
		case *NetrConnectionEnumResponse:
			n = v.InfoStruct.Len()
		}
		if n != 50 {
			t.Errorf("%T: %d entries after a round trip, want 50", m, n)
		}
	}
}
