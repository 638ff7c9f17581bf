package smb2

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/lanman/lanman/ntstatus"
)

var testFID = FileID{0x1122334455667788, 0x99AABBCCDDEEFF00}

// sampleMessages has one populated value of every message type, requests
// and responses, with the command it belongs to and whether it is a
// response.
func sampleMessages() []struct {
	name string
	resp bool
	m    Message
} {
	guid := GUID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	return []struct {
		name string
		resp bool
		m    Message
	}{
		{"error-empty", true, &ErrorResponse{}},
		{"error-data", true, &ErrorResponse{Data: []byte{0x10, 0, 0, 0}}},
		{"error-contexts", true, &ErrorResponse{Contexts: []ErrorContext{
			{ErrorID: ErrorIDDefault, Data: []byte{1, 2, 3}},
			{ErrorID: ErrorIDShareRedirect, Data: []byte{4, 5, 6, 7, 8, 9, 10, 11, 12}},
		}}},
		{"negotiate-req-2x", false, &NegotiateRequest{
			SecurityMode: NegotiateSigningEnabled, ClientGUID: guid,
			Dialects: []Dialect{Dialect202, Dialect210},
		}},
		{"negotiate-req-311", false, &NegotiateRequest{
			SecurityMode: NegotiateSigningRequired, Capabilities: CapDFS | CapEncryption, ClientGUID: guid,
			Dialects: []Dialect{Dialect202, Dialect210, Dialect300, Dialect302, Dialect311},
			Contexts: []NegotiateContext{
				(&PreauthIntegrityCapabilities{HashAlgorithms: []HashAlgorithm{HashSHA512}, Salt: bytes.Repeat([]byte{0xAB}, 32)}).NegotiateContext(),
				(&EncryptionCapabilities{Ciphers: []CipherID{CipherAES256GCM, CipherAES128GCM, CipherAES256CCM, CipherAES128CCM}}).NegotiateContext(),
				(&NetnameContext{NetName: "fileserver"}).NegotiateContext(),
				(&SigningCapabilities{Algorithms: []SigningAlgorithm{SigningAESGMAC, SigningAESCMAC, SigningHMACSHA256}}).NegotiateContext(),
				{Type: 0x0100, Data: []byte{9, 9, 9}}, // unknown: preserved
			},
		}},
		{"negotiate-resp-302", true, &NegotiateResponse{
			SecurityMode: NegotiateSigningEnabled, DialectRevision: Dialect302, ServerGUID: guid,
			Capabilities: CapLargeMTU, MaxTransactSize: 1 << 20, MaxReadSize: 8 << 20, MaxWriteSize: 8 << 20,
			SystemTime: 133000000000000000, SecurityBuffer: []byte("spnego-init-token"),
		}},
		{"negotiate-resp-311", true, &NegotiateResponse{
			SecurityMode: NegotiateSigningEnabled | NegotiateSigningRequired, DialectRevision: Dialect311, ServerGUID: guid,
			MaxTransactSize: 65536, MaxReadSize: 65536, MaxWriteSize: 65536, SecurityBuffer: []byte{0x60, 1, 2},
			Contexts: []NegotiateContext{
				(&PreauthIntegrityCapabilities{HashAlgorithms: []HashAlgorithm{HashSHA512}, Salt: []byte{1, 2, 3, 4, 5}}).NegotiateContext(),
				(&EncryptionCapabilities{Ciphers: []CipherID{CipherAES128GCM}}).NegotiateContext(),
			},
		}},
		{"session-setup-req", false, &SessionSetupRequest{Flags: SessionSetupFlagBinding, SecurityMode: 1, Capabilities: CapDFS, PreviousSessionID: 7, SecurityBuffer: []byte("ntlmssp")}},
		{"session-setup-req-empty", false, &SessionSetupRequest{}},
		{"session-setup-resp", true, &SessionSetupResponse{SessionFlags: SessionFlagEncryptData, SecurityBuffer: []byte{0xa1, 0x07}}},
		{"logoff-req", false, &LogoffRequest{}},
		{"logoff-resp", true, &LogoffResponse{}},
		{"tree-connect-req", false, &TreeConnectRequest{Path: `\\server\IPC$`}},
		{"tree-connect-req-ext", false, &TreeConnectRequest{Flags: TreeConnectFlagExtensionPresent | TreeConnectFlagRedirectToOwner, Path: `\\srv\data`,
			Contexts: []NegotiateContext{{Type: 1, Data: []byte{1, 2, 3, 4, 5}}, {Type: 2, Data: []byte{6}}}}},
		{"tree-connect-resp", true, &TreeConnectResponse{ShareType: ShareTypePipe, ShareFlags: ShareFlagNoCaching, Capabilities: ShareCapDFS, MaximalAccess: 0x001F01FF}},
		{"tree-disconnect-req", false, &TreeDisconnectRequest{}},
		{"tree-disconnect-resp", true, &TreeDisconnectResponse{}},
		{"create-req", false, &CreateRequest{
			RequestedOplockLevel: OplockLevelBatch, ImpersonationLevel: ImpersonationImpersonation,
			DesiredAccess: GenericRead | GenericWrite, FileAttributes: FileAttributeNormal,
			ShareAccess: FileShareRead | FileShareWrite, CreateDisposition: FileOpenIf,
			CreateOptions: FileNonDirectoryFile, Name: `dir\ünïcødé 😀.txt`,
			Contexts: []CreateContext{
				DurableHandleRequest(),
				QueryMaximalAccessRequest(0),
				QueryOnDiskIDRequest(),
				(&DurableHandleRequestV2{Timeout: 1000, Flags: DHandleFlagPersistent, CreateGUID: guid}).Context(),
			},
		}},
		{"create-req-noname", false, &CreateRequest{DesiredAccess: FileReadAttributes, CreateDisposition: FileOpen}},
		{"create-resp", true, &CreateResponse{
			OplockLevel: OplockLevelII, CreateAction: FileCreated, CreationTime: 1, LastAccessTime: 2,
			LastWriteTime: 3, ChangeTime: 4, AllocationSize: 4096, EndOfFile: 13, FileAttributes: FileAttributeArchive,
			FileID: testFID,
			Contexts: []CreateContext{
				(&QueryMaximalAccessResponse{MaximalAccess: 0x001F01FF}).Context(),
				(&QueryOnDiskIDResponse{DiskFileID: 42, VolumeID: 7}).Context(),
				DurableHandleResponse(),
			},
		}},
		{"close-req", false, &CloseRequest{Flags: CloseFlagPostQueryAttrib, FileID: testFID}},
		{"close-resp", true, &CloseResponse{Flags: CloseFlagPostQueryAttrib, CreationTime: 5, LastAccessTime: 6, LastWriteTime: 7, ChangeTime: 8, AllocationSize: 9, EndOfFile: 10, FileAttributes: FileAttributeDirectory}},
		{"flush-req", false, &FlushRequest{FileID: testFID}},
		{"flush-resp", true, &FlushResponse{}},
		{"read-req", false, &ReadRequest{Padding: 0x50, Flags: ReadFlagUnbuffered, Length: 65536, Offset: 1 << 33, FileID: testFID, MinimumCount: 1, RemainingBytes: 3}},
		{"read-req-chan", false, &ReadRequest{Length: 1, FileID: testFID, Channel: 1, ChannelInfo: []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}},
		{"read-resp", true, &ReadResponse{DataRemaining: 0, Data: []byte("file contents")}},
		{"read-resp-empty", true, &ReadResponse{}},
		{"write-req", false, &WriteRequest{Offset: 12, FileID: testFID, Flags: WriteFlagWriteThrough, Data: bytes.Repeat([]byte("x"), 1000)}},
		{"write-req-chan", false, &WriteRequest{FileID: testFID, Channel: 2, ChannelInfo: []byte{1, 2, 3}, Data: []byte{4, 5}}},
		{"write-resp", true, &WriteResponse{Count: 1000}},
		{"lock-req", false, &LockRequest{LockSequence: 0x10000001, FileID: testFID, Locks: []LockElement{
			{Offset: 0, Length: 10, Flags: LockFlagExclusiveLock | LockFlagFailImmediately}, {Offset: 100, Length: 1, Flags: LockFlagUnlock}}}},
		{"lock-resp", true, &LockResponse{}},
		{"echo-req", false, &EchoRequest{}},
		{"echo-resp", true, &EchoResponse{}},
		{"cancel-req", false, &CancelRequest{}},
		{"ioctl-req", false, &IoctlRequest{CtlCode: FsctlPipeTransceive, FileID: testFID, MaxOutputResponse: 4280, Flags: IoctlFlagIsFsctl, Input: []byte("dcerpc request pdu")}},
		{"ioctl-req-inout", false, &IoctlRequest{CtlCode: 0x1234, FileID: testFID, Input: []byte{1, 2, 3}, Output: []byte{4, 5}}},
		{"ioctl-resp", true, &IoctlResponse{CtlCode: FsctlPipeTransceive, FileID: testFID, Output: []byte("dcerpc response pdu")}},
		{"ioctl-resp-inout", true, &IoctlResponse{CtlCode: FsctlValidateNegotiateInfo, FileID: FileIDAll, Input: []byte{1}, Output: []byte{2, 3}}},
		{"query-dir-req", false, &QueryDirectoryRequest{FileInformationClass: FileIDBothDirectoryInformationClass, Flags: QueryDirRestartScans, FileID: testFID, FileName: "*", OutputBufferLength: 65536}},
		{"query-dir-req-noname", false, &QueryDirectoryRequest{FileInformationClass: FileNamesInformationClass, FileID: testFID, OutputBufferLength: 100}},
		{"query-dir-resp", true, &QueryDirectoryResponse{Output: []byte{1, 2, 3, 4, 5, 6, 7, 8}}},
		{"notify-req", false, &ChangeNotifyRequest{Flags: WatchTree, OutputBufferLength: 4096, FileID: testFID, CompletionFilter: FileNotifyChangeFileName | FileNotifyChangeDirName}},
		{"notify-resp", true, &ChangeNotifyResponse{Output: []byte{1, 2}}},
		{"query-info-req", false, &QueryInfoRequest{InfoType: InfoSecurity, OutputBufferLength: 4096, AdditionalInformation: OwnerSecurityInformation | DACLSecurityInformation, FileID: testFID}},
		{"query-info-req-input", false, &QueryInfoRequest{InfoType: InfoQuota, OutputBufferLength: 4096, FileID: testFID, Input: []byte{1, 2, 3, 4}}},
		{"query-info-resp", true, &QueryInfoResponse{Output: (&FileStandardInformation{EndOfFile: 5, NumberOfLinks: 1}).Marshal(nil)}},
		{"set-info-req", false, &SetInfoRequest{InfoType: InfoFile, FileInfoClass: FileDispositionInformationClass, FileID: testFID, Buffer: []byte{1}}},
		{"set-info-resp", true, &SetInfoResponse{}},
		{"oplock-break", true, &OplockBreak{OplockLevel: OplockLevelII, FileID: testFID}},
		{"lease-break", true, &LeaseBreakNotification{NewEpoch: 2, Flags: 1, LeaseKey: guid, CurrentLeaseState: 7, NewLeaseState: 1}},
		{"lease-break-ack", false, &LeaseBreakAck{LeaseKey: guid, LeaseState: 1, LeaseDuration: 0}},
	}
}

func TestMessageRoundTrip(t *testing.T) {
	for _, tc := range sampleMessages() {
		t.Run(tc.name, func(t *testing.T) {
			h := Header{Credits: 1, MessageID: 5, TreeID: 3, SessionID: 0x1234}
			if tc.resp {
				h.Flags |= FlagServerToRedir
				h.Status = ntstatus.STATUS_SUCCESS
			}
			// Marshal after a prefix, to check offsets are relative to
			// the header and not to the buffer.
			prefix := []byte{0xEE, 0xEE, 0xEE, 0xEE}
			b := AppendMessage(append([]byte(nil), prefix...), &h, tc.m)
			msg := b[len(prefix):]
			if len(msg) < HeaderSize+2 {
				t.Fatalf("short message %d", len(msg))
			}
			gotH, body, err := ParseMessage(msg)
			if err != nil {
				t.Fatal(err)
			}
			if gotH != h {
				t.Fatalf("header round trip: got %+v want %+v", gotH, h)
			}
			// Fresh value of the same type.
			fresh := reflect.New(reflect.TypeOf(tc.m).Elem()).Interface().(Message)
			if err := fresh.Unmarshal(body); err != nil {
				t.Fatalf("unmarshal: %v", err)
			}
			if !reflect.DeepEqual(fresh, tc.m) {
				t.Fatalf("round trip mismatch:\n got %#v\nwant %#v", fresh, tc.m)
			}
			// Re-marshalling the decoded value gives the same bytes.
			again := AppendMessage(nil, &h, fresh)
			if !bytes.Equal(again, msg) {
				t.Fatalf("re-marshal differs:\n%x\n%x", again, msg)
			}
			// Every strict prefix of the body either fails cleanly or
			// decodes (trailing variable parts may legitimately be
			// absent only when empty); it never panics.
			for i := 0; i < len(body); i++ {
				_ = reflect.New(reflect.TypeOf(tc.m).Elem()).Interface().(Message).Unmarshal(body[:i])
			}
			// A truncated fixed part is an ErrMalformed.
			if err := fresh.Unmarshal(body[:1]); !errors.Is(err, ErrMalformed) {
				t.Fatalf("1-byte body: err = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestWrongStructureSize(t *testing.T) {
	for _, tc := range sampleMessages() {
		b := tc.m.Marshal(nil)
		b[0]++ // StructureSize off by one
		fresh := reflect.New(reflect.TypeOf(tc.m).Elem()).Interface().(Message)
		if err := fresh.Unmarshal(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: bad StructureSize accepted (err %v)", tc.name, err)
		}
	}
}

func TestHeaderAsyncAndStatus(t *testing.T) {
	h := Header{CreditCharge: 2, Status: ntstatus.STATUS_PENDING, Command: CommandChangeNotify, Credits: 8,
		Flags: FlagServerToRedir | FlagAsyncCommand | FlagSigned, MessageID: 77, AsyncID: 0xDEADBEEF, SessionID: 9,
		Signature: [16]byte{1, 2, 3}}
	b := h.Marshal(nil)
	if len(b) != HeaderSize {
		t.Fatalf("len %d", len(b))
	}
	var g Header
	if err := g.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	if g != h {
		t.Fatalf("got %+v want %+v", g, h)
	}
	if !g.IsAsync() || !g.IsResponse() {
		t.Fatal("flags lost")
	}
	// A request carries ChannelSequence where a response has Status.
	r := Header{ChannelSequence: 0x0102, Command: CommandWrite}
	b = r.Marshal(nil)
	if b[8] != 2 || b[9] != 1 || b[10] != 0 || b[11] != 0 {
		t.Fatalf("channel sequence bytes %x", b[8:12])
	}
	for _, bad := range [][]byte{nil, b[:63], append([]byte{0xFF}, b[1:]...)} {
		if err := g.Unmarshal(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("bad header accepted: %v", err)
		}
	}
}

func TestCompound(t *testing.T) {
	h1 := Header{Command: CommandCreate, MessageID: 1}
	m1 := AppendMessage(nil, &h1, &CreateRequest{Name: "a"}) // odd length
	h2 := Header{Command: CommandRead, MessageID: 2, Flags: FlagRelatedOperations}
	m2 := AppendMessage(nil, &h2, &ReadRequest{FileID: FileIDAll, Length: 10})
	h3 := Header{Command: CommandClose, MessageID: 3, Flags: FlagRelatedOperations}
	m3 := AppendMessage(nil, &h3, &CloseRequest{FileID: FileIDAll})
	frame := AppendCompound(nil, m1, m2, m3)
	parts, err := SplitCompound(frame)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for i, want := range [][]byte{m1, m2, m3} {
		p := parts[i]
		if i < 2 && len(p)%8 != 0 {
			t.Errorf("part %d not padded: %d", i, len(p))
		}
		if !bytes.Equal(p[HeaderSize:len(want)], want[HeaderSize:]) {
			t.Errorf("part %d body differs", i)
		}
		var h Header
		if err := h.Unmarshal(p); err != nil {
			t.Fatal(err)
		}
		if h.MessageID != uint64(i+1) {
			t.Errorf("part %d message id %d", i, h.MessageID)
		}
		if (i < 2) != (h.NextCommand != 0) {
			t.Errorf("part %d NextCommand %d", i, h.NextCommand)
		}
		if m := NewRequest(h.Command); m.Unmarshal(p[HeaderSize:]) != nil {
			t.Errorf("part %d does not decode", i)
		}
	}
	// Bad chains.
	bad := func(name string, f []byte) {
		if _, err := SplitCompound(f); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v", name, err)
		}
	}
	c := bytes.Clone(frame)
	le.PutUint32(c[20:], 12) // not aligned, below header size
	bad("small next", c)
	c = bytes.Clone(frame)
	le.PutUint32(c[20:], uint32(len(frame)+8))
	bad("next beyond", c)
	c = bytes.Clone(frame)
	le.PutUint32(c[20:], 68)
	bad("unaligned next", c)
	bad("short", frame[:40])
	bad("truncated second", frame[:len(parts[0])+10])
}

func TestTransformHeader(t *testing.T) {
	th := TransformHeader{Signature: [16]byte{1}, Nonce: [16]byte{2, 3}, OriginalMessageSize: 4, Flags: TransformFlagEncrypted, SessionID: 0x77}
	b := append(th.Marshal(nil), 1, 2, 3, 4)
	var g TransformHeader
	if err := g.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	if g != th {
		t.Fatalf("got %+v", g)
	}
	if KindOf(b) != FrameEncrypted {
		t.Fatal("kind")
	}
	if err := g.Unmarshal(b[:len(b)-1]); !errors.Is(err, ErrMalformed) {
		t.Fatal("size mismatch accepted")
	}
}

func TestErrorResponseDecoding(t *testing.T) {
	// STATUS_BUFFER_TOO_SMALL carries the needed length.
	r := &ErrorResponse{Data: le.AppendUint32(nil, 1234)}
	var g ErrorResponse
	if err := g.Unmarshal(r.Marshal(nil)); err != nil {
		t.Fatal(err)
	}
	if n, ok := g.BufferTooSmallLength(); !ok || n != 1234 {
		t.Fatalf("got %d %v", n, ok)
	}
	// A context count larger than the data is refused.
	b := (&ErrorResponse{}).Marshal(nil)
	b[2] = 5
	if err := g.Unmarshal(b); !errors.Is(err, ErrMalformed) {
		t.Fatalf("err %v", err)
	}
}

func TestIsErrorResponse(t *testing.T) {
	body9 := (&ErrorResponse{}).Marshal(nil)
	read := (&ReadResponse{Data: []byte{1}}).Marshal(nil)
	cases := []struct {
		cmd  Command
		st   ntstatus.Status
		body []byte
		want bool
	}{
		{CommandCreate, ntstatus.STATUS_SUCCESS, nil, false},
		{CommandCreate, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND, body9, true},
		{CommandSessionSetup, ntstatus.STATUS_MORE_PROCESSING_REQUIRED, body9, false},
		{CommandSessionSetup, ntstatus.STATUS_LOGON_FAILURE, body9, true},
		{CommandRead, ntstatus.STATUS_BUFFER_OVERFLOW, read, false},
		{CommandRead, ntstatus.STATUS_BUFFER_OVERFLOW, body9, true},
		{CommandQueryInfo, ntstatus.STATUS_BUFFER_OVERFLOW, body9, false},
		{CommandRead, ntstatus.STATUS_END_OF_FILE, body9, true},
		{CommandQueryDirectory, ntstatus.STATUS_NO_MORE_FILES, body9, true},
	}
	for _, c := range cases {
		h := Header{Command: c.cmd, Status: c.st, Flags: FlagServerToRedir}
		if got := IsErrorResponse(&h, c.body); got != c.want {
			t.Errorf("%v %v: got %v", c.cmd, c.st, got)
		}
	}
}

func TestNewRequestResponseCoverAllCommands(t *testing.T) {
	for c := CommandNegotiate; c <= CommandOplockBreak; c++ {
		if m := NewRequest(c); m == nil || m.Command() != c {
			t.Errorf("NewRequest(%v) = %T", c, m)
		}
		if m := NewResponse(c); c != CommandCancel && (m == nil || m.Command() != c) {
			t.Errorf("NewResponse(%v) = %T", c, m)
		}
	}
}

func TestAppendMessageKeepsCommandForErrors(t *testing.T) {
	h := Header{Command: CommandCreate, Flags: FlagServerToRedir, Status: ntstatus.STATUS_ACCESS_DENIED}
	msg := AppendMessage(nil, &h, &ErrorResponse{})
	g, body, err := ParseMessage(msg)
	if err != nil || g.Command != CommandCreate || !IsErrorResponse(&g, body) {
		t.Fatalf("%+v %v", g, err)
	}
}
