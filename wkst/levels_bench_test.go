package wkst

import (
	"fmt"
	"testing"

	"github.com/lanman/lanman/ndr/ndrtest"
)

// Benchmarks of NDR decode and encode of 1,000-entry replies at every
// level of NetrWkstaUserEnum and NetrUseEnum.

func wkstaUserEnum(level uint32, n int) *NetrWkstaUserEnumResponse {
	e := WkstaUserEnum{Level: level}
	for i := range n {
		user := fmt.Sprintf("user%04d", i)
		switch level {
		case 0:
			e.Level0 = append(e.Level0, WkstaUserInfo0{UserName: user})
		case 1:
			e.Level1 = append(e.Level1, WkstaUserInfo1{UserName: user, LogonDomain: "CORP",
				OthDomains: "", LogonServer: `\\DC01`})
		}
	}
	return &NetrWkstaUserEnumResponse{UserInfo: e, TotalEntries: uint32(n)}
}

func useEnum(level uint32, n int) *NetrUseEnumResponse {
	e := UseEnum{Level: level}
	user, domain := "bob", "CORP"
	for i := range n {
		u0 := UseInfo0{Local: "", Remote: fmt.Sprintf(`\\fs%03d\share%04d`, i%100, i)}
		u1 := UseInfo1{Local: u0.Local, Remote: u0.Remote, Status: 0, AsgType: 0, RefCount: 1, UseCount: 1}
		switch level {
		case 0:
			e.Level0 = append(e.Level0, u0)
		case 1:
			e.Level1 = append(e.Level1, u1)
		case 2:
			e.Level2 = append(e.Level2, UseInfo2{UseInfo1: u1, UserName: &user, DomainName: &domain})
		}
	}
	return &NetrUseEnumResponse{InfoStruct: e, TotalEntries: uint32(n)}
}

// benchEntries is the number of entries of every benchmarked reply.
const benchEntries = 1000

func benchDecode(b *testing.B, m Message) { ndrtest.BenchDecode(b, m, benchEntries) }
func benchEncode(b *testing.B, m Message) { ndrtest.BenchEncode(b, m) }

func BenchmarkDecodeWkstaUserEnum0_1000(b *testing.B) { benchDecode(b, wkstaUserEnum(0, 1000)) }
func BenchmarkEncodeWkstaUserEnum0_1000(b *testing.B) { benchEncode(b, wkstaUserEnum(0, 1000)) }
func BenchmarkDecodeWkstaUserEnum1_1000(b *testing.B) { benchDecode(b, wkstaUserEnum(1, 1000)) }
func BenchmarkEncodeWkstaUserEnum1_1000(b *testing.B) { benchEncode(b, wkstaUserEnum(1, 1000)) }

func BenchmarkDecodeUseEnum0_1000(b *testing.B) { benchDecode(b, useEnum(0, 1000)) }
func BenchmarkEncodeUseEnum0_1000(b *testing.B) { benchEncode(b, useEnum(0, 1000)) }
func BenchmarkDecodeUseEnum1_1000(b *testing.B) { benchDecode(b, useEnum(1, 1000)) }
func BenchmarkEncodeUseEnum1_1000(b *testing.B) { benchEncode(b, useEnum(1, 1000)) }
func BenchmarkDecodeUseEnum2_1000(b *testing.B) { benchDecode(b, useEnum(2, 1000)) }
func BenchmarkEncodeUseEnum2_1000(b *testing.B) { benchEncode(b, useEnum(2, 1000)) }

// TestBenchLevelsRoundTrip checks that the benchmark inputs are valid
// replies that decode back to as many entries.
func TestBenchLevelsRoundTrip(t *testing.T) {
	for level := range uint32(2) {
		var into NetrWkstaUserEnumResponse
		if err := Unmarshal(Marshal(wkstaUserEnum(level, 50)), &into); err != nil || into.UserInfo.Len() != 50 {
			t.Errorf("user enum level %d: %v, %d entries", level, err, into.UserInfo.Len())
		}
	}
	for level := range uint32(3) {
		var into NetrUseEnumResponse
		if err := Unmarshal(Marshal(useEnum(level, 50)), &into); err != nil || into.InfoStruct.Len() != 50 {
			t.Errorf("use enum level %d: %v, %d entries", level, err, into.InfoStruct.Len())
		}
	}
}
