package srvs

import (
	"fmt"
	"testing"

	"github.com/lanman/lanman/ndr/ndrtest"
)

func sessionEnum502(n int) *NetrSessionEnumResponse {
	e := make([]SessionInfo502, n)
	for i := range e {
		e[i] = SessionInfo502{
			ClientName: fmt.Sprintf(`\\10.0.%d.%d`, i/256, i%256), UserName: fmt.Sprintf("user%04d", i),
			NumOpens: uint32(i), Time: 3600, IdleTime: 12, ClientType: "Windows 10 Enterprise", Transport: `\Device\NetbiosSmb`,
		}
	}
	return &NetrSessionEnumResponse{InfoStruct: SessionEnum{Level: 502, Level502: e}, TotalEntries: uint32(n)}
}

func shareEnum2(n int) *NetrShareEnumResponse {
	e := make([]ShareInfo2, n)
	for i := range e {
		e[i] = ShareInfo2{
			NetName: fmt.Sprintf("share%04d", i), Remark: "department files", MaxUses: 0xFFFFFFFF,
			CurrentUses: uint32(i % 7), Path: fmt.Sprintf(`D:\shares\share%04d`, i),
		}
	}
	return &NetrShareEnumResponse{InfoStruct: ShareEnum{Level: 2, Level2: e}, TotalEntries: uint32(n)}
}

func fileEnum3(n int) *NetrFileEnumResponse {
	e := make([]FileInfo3, n)
	for i := range e {
		e[i] = FileInfo3{
			ID: uint32(i), Permissions: PERM_FILE_READ | PERM_FILE_WRITE,
			PathName: fmt.Sprintf(`D:\shares\data\project\file%04d.docx`, i), UserName: fmt.Sprintf("user%04d", i%50),
		}
	}
	return &NetrFileEnumResponse{InfoStruct: FileEnum{Level: 3, Level3: e}, TotalEntries: uint32(n)}
}

// benchEntries is the number of entries of every benchmarked reply.
const benchEntries = 1000

func benchDecode(b *testing.B, m Message) { ndrtest.BenchDecode(b, m, benchEntries) }
func benchEncode(b *testing.B, m Message) { ndrtest.BenchEncode(b, m) }

func BenchmarkDecodeSessionEnum502_1000(b *testing.B) { benchDecode(b, sessionEnum502(1000)) }
func BenchmarkEncodeSessionEnum502_1000(b *testing.B) { benchEncode(b, sessionEnum502(1000)) }
func BenchmarkDecodeShareEnum2_1000(b *testing.B)     { benchDecode(b, shareEnum2(1000)) }
func BenchmarkEncodeShareEnum2_1000(b *testing.B)     { benchEncode(b, shareEnum2(1000)) }
func BenchmarkDecodeFileEnum3_1000(b *testing.B)      { benchDecode(b, fileEnum3(1000)) }
func BenchmarkEncodeFileEnum3_1000(b *testing.B)      { benchEncode(b, fileEnum3(1000)) }
