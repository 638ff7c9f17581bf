package srvs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/ndr/ndrtest"
	"github.com/lanman/lanman/win32"
)

func roundTrip(t *testing.T, m Message) Message {
	t.Helper()
	stub := Marshal(m)
	got := ndrtest.NewLike(m)
	if err := Unmarshal(stub, got); err != nil {
		t.Fatalf("decode: %v\n%x", err, stub)
	}
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("round trip\n got %+v\nwant %+v", got, m)
	}
	if again := Marshal(got); !bytes.Equal(again, stub) {
		t.Fatalf("re-encoding differs")
	}
	return got
}

// TestRoundTripEdges covers what the golden stubs do not: empty but
// present arrays, NULL containers, NULL info pointers, levels without an
// arm, and large enumerations.
func TestRoundTripEdges(t *testing.T) {
	many := make([]SessionInfo502, 1000)
	for i := range many {
		many[i] = SessionInfo502{ClientName: fmt.Sprintf(`\\10.0.%d.%d`, i/256, i%256), UserName: "u", Transport: "TCP"}
	}
	cases := []Message{
		&NetrSessionEnumResponse{InfoStruct: SessionEnum{Level: 1, Level1: []SessionInfo1{}}},
		&NetrSessionEnumResponse{InfoStruct: SessionEnum{Level: 2, NoEntries: true}, Status: 5},
		&NetrSessionEnumRequest{InfoStruct: SessionEnum{Level: 3, NoEntries: true}},
		&NetrSessionEnumResponse{InfoStruct: SessionEnum{Level: 502, Level502: many}, TotalEntries: 1000},
		&NetrConnectionEnumRequest{Qualifier: "x", InfoStruct: ConnectEnum{Level: 9, NoEntries: true}, ResumeHandle: new(uint32)},
		&NetrFileEnumResponse{InfoStruct: FileEnum{Level: 3, Level3: []FileInfo3{{}}}},
		&NetrFileEnumRequest{InfoStruct: FileEnum{Level: 1, NoEntries: true}},
		&NetrFileGetInfoResponse{InfoStruct: FileInfo{Level: 3}, Status: 2314},
		&NetrFileGetInfoResponse{InfoStruct: FileInfo{Level: 1}, Status: 124},
		&NetrShareEnumResponse{InfoStruct: ShareEnum{Level: 502, Level502: []ShareInfo502{{NetName: "a", SecurityDescriptor: []byte{}}}}},
		&NetrShareEnumRequest{InfoStruct: ShareEnum{Level: 501, NoEntries: true}},
		&NetrShareGetInfoResponse{InfoStruct: ShareInfo{Level: 2}, Status: 2310},
		&NetrShareGetInfoResponse{InfoStruct: ShareInfo{Level: 7}, Status: 124},
		&NetrShareGetInfoResponse{InfoStruct: ShareInfo{Level: 1005}, Status: 124},
		&NetrShareGetInfoRequest{NetName: ""},
		&NetrServerGetInfoResponse{InfoStruct: ServerInfo{Level: 102}, Status: 5},
		&NetrServerGetInfoResponse{InfoStruct: ServerInfo{Level: 503}, Status: 124},
	}
	for i, m := range cases {
		t.Run(fmt.Sprintf("%d_%T", i, m), func(t *testing.T) { roundTrip(t, m) })
	}
}

// TestUnknownArmWithData: a non-NULL pointer for a level without a
// modelled arm cannot be decoded and says so.
func TestUnknownArmWithData(t *testing.T) {
	stubs := map[string][]byte{
		"session": {3, 0, 0, 0, 3, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		"share":   {0xf5, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0},
	}
	var resp NetrSessionEnumResponse
	err := Unmarshal(stubs["session"], &resp)
	if !errors.Is(err, ErrInvalidLevel) || !errors.Is(err, ndr.ErrMalformed) {
		t.Errorf("session level 3: %v", err)
	}
	var get NetrShareGetInfoResponse
	err = Unmarshal(stubs["share"], &get)
	if !errors.Is(err, ErrInvalidLevel) || !errors.Is(err, ndr.ErrMalformed) {
		t.Errorf("share level 501: %v", err)
	}
}

// TestTruncated: every strict prefix of every golden stub fails cleanly.
func TestTruncated(t *testing.T) {
	golden := ndrtest.ReadGolden(t, goldenFile)
	cases := goldenCases()
	names := make([]string, 0, len(golden))
	for n := range golden {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		stub := golden[name]
		for n := 0; n < len(stub); n++ {
			m := ndrtest.NewLike(cases[name])
			if err := Unmarshal(stub[:n], m); !errors.Is(err, ndr.ErrMalformed) {
				t.Fatalf("%s cut to %d of %d bytes: err = %v", name, n, len(stub), err)
			}
		}
	}
}

func TestHandCheckedFileClose(t *testing.T) {
	stub := Marshal(&NetrFileCloseRequest{ServerName: `\\a`, FileID: 0x01020304})
	want := []byte{
		0x00, 0x00, 0x02, 0x00, // ServerName referent id
		0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, // max 4, offset 0, actual 4
		'\\', 0, '\\', 0, 'a', 0, 0, 0, // `\\a` and NUL
		0x04, 0x03, 0x02, 0x01, // FileId
	}
	if !bytes.Equal(stub, want) {
		t.Fatalf("got  %x\nwant %x", stub, want)
	}
	stub = Marshal(&NetrFileCloseRequest{FileID: 1})
	if want := []byte{0, 0, 0, 0, 1, 0, 0, 0}; !bytes.Equal(stub, want) {
		t.Fatalf("NULL server name: got %x want %x", stub, want)
	}
}

func TestJSONNames(t *testing.T) {
	check := func(v any, want ...string) {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var got []string
		for k := range m {
			got = append(got, k)
		}
		sort.Strings(got)
		sort.Strings(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%T: keys %v, want %v", v, got, want)
		}
	}
	check(SessionInfo502{}, "cname", "username", "num_opens", "time", "idle_time", "user_flags", "cltype_name", "transport")
	check(SessionInfo10{}, "cname", "username", "time", "idle_time")
	check(ConnectionInfo1{}, "id", "type", "num_opens", "num_users", "time", "username", "netname")
	check(FileInfo3{}, "id", "permissions", "num_locks", "pathname", "username")
	check(ShareInfo502{}, "netname", "type", "remark", "permissions", "max_uses", "current_uses", "path", "passwd", "security_descriptor")
	check(ServerInfo102{}, "platform_id", "name", "version_major", "version_minor", "type", "comment", "users",
		"disc", "hidden", "announce", "anndelta", "licenses", "userpath")
}

func TestBufferSize(t *testing.T) {
	// 48-byte x64 SESSION_INFO_502 + `\\ab` (4+1)*2 + "u" 4 + "" 2 + "TCP" 8.
	s := SessionInfo502{ClientName: `\\ab`, UserName: "u", Transport: "TCP"}
	if got := s.BufferSize(); got != 48+10+4+2+8 {
		t.Errorf("SessionInfo502.BufferSize = %d", got)
	}
	// 72-byte x64 SHARE_INFO_502 + "x" 4 + three empty strings 6 + 20-byte SD.
	sh := ShareInfo502{NetName: "x", SecurityDescriptor: sd}
	if got := sh.BufferSize(); got != 72+4+6+20 {
		t.Errorf("ShareInfo502.BufferSize = %d", got)
	}
	// A supplementary character is two UTF-16 code units.
	if got := (&ShareInfo0{NetName: "𝄞"}).BufferSize(); got != 8+6 {
		t.Errorf("ShareInfo0.BufferSize = %d", got)
	}
}

func TestInterfaceUUID(t *testing.T) {
	// 4B324FC8-1670-01D3-1278-5A47BF6EE188: the first three fields are
	// little-endian on the wire, the last eight bytes as written.
	want := []byte{0xC8, 0x4F, 0x32, 0x4B, 0x70, 0x16, 0xD3, 0x01, 0x12, 0x78, 0x5A, 0x47, 0xBF, 0x6E, 0xE1, 0x88}
	if !bytes.Equal(InterfaceUUID[:], want) || InterfaceVersionMajor != 3 || InterfaceVersionMinor != 0 {
		t.Fatal("bad interface identifier")
	}
}

func equalMessages(a, b Message) bool { return reflect.DeepEqual(a, b) }

// statusOf is a response's NET_API_STATUS.
func statusOf(m Message) win32.Errno {
	return win32.Errno(reflect.ValueOf(m).Elem().FieldByName("Status").Uint())
}

// TestEnumLen: Len counts the slice of the current level only, and is 0 for
// a level without one.
func TestEnumLen(t *testing.T) {
	e := SessionEnum{Level0: make([]SessionInfo0, 1), Level1: make([]SessionInfo1, 2), Level2: make([]SessionInfo2, 3),
		Level10: make([]SessionInfo10, 4), Level502: make([]SessionInfo502, 5)}
	for level, want := range map[uint32]int{0: 1, 1: 2, 2: 3, 10: 4, 502: 5, 3: 0} {
		e.Level = level
		if got := e.Len(); got != want {
			t.Errorf("SessionEnum level %d: Len %d, want %d", level, got, want)
		}
	}
	f := FileEnum{Level: 3, Level2: make([]FileInfo2, 2), Level3: make([]FileInfo3, 7)}
	if got := f.Len(); got != 7 {
		t.Errorf("FileEnum level 3: Len %d, want 7", got)
	}
}
