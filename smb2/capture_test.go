package smb2

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// decoded is one message of a captured conversation.
type decoded struct {
	file string
	h    Header
	m    Message
}

// decodeCapture decodes every frame of a testdata/captures directory,
// made by smbclient against smbd through internal/capture. Every message
// must decode; QUERY_INFO and QUERY_DIRECTORY outputs are decoded further
// with the class their request asked for.
func decodeCapture(t *testing.T, dir string) []decoded {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "captures", dir, "*.bin"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no capture files in %s: %v", dir, err)
	}
	slices.Sort(files)
	var out []decoded
	type infoReq struct {
		t InfoType
		c FileInfoClass
	}
	infoReqs := map[uint64]infoReq{}
	dirReqs := map[uint64]FileInfoClass{}
	for _, f := range files {
		frame, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if k := KindOf(frame); k != FramePlain {
			t.Fatalf("%s: frame kind %v", f, k)
		}
		parts, err := SplitCompound(frame)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, p := range parts {
			h, body, err := ParseMessage(p)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			var m Message
			switch {
			case !h.IsResponse():
				m = NewRequest(h.Command)
			case IsErrorResponse(&h, body):
				m = new(ErrorResponse)
			default:
				m = NewResponse(h.Command)
			}
			if m == nil {
				t.Fatalf("%s: no codec for %v", f, h.Command)
			}
			if err := m.Unmarshal(body); err != nil {
				t.Fatalf("%s: %v %T: %v", f, h.Command, m, err)
			}
			switch m := m.(type) {
			case *QueryInfoRequest:
				infoReqs[h.MessageID] = infoReq{m.InfoType, m.FileInfoClass}
			case *QueryDirectoryRequest:
				dirReqs[h.MessageID] = m.FileInformationClass
			case *QueryInfoResponse:
				r := infoReqs[h.MessageID]
				if fi := NewFileInfo(r.t, r.c); fi != nil {
					if err := fi.Unmarshal(m.Output); err != nil {
						t.Fatalf("%s: %T: %v", f, fi, err)
					}
				}
			case *QueryDirectoryResponse:
				if _, err := ParseDirEntries(dirReqs[h.MessageID], m.Output); err != nil {
					t.Fatalf("%s: directory entries: %v", f, err)
				}
			}
			out = append(out, decoded{filepath.Base(f), h, m})
		}
	}
	return out
}

func find[T Message](msgs []decoded, resp bool) []T {
	var r []T
	for _, d := range msgs {
		if m, ok := d.m.(T); ok && d.h.IsResponse() == resp {
			r = append(r, m)
		}
	}
	return r
}

func TestSambaCapture311(t *testing.T) {
	msgs := decodeCapture(t, "cap311")
	neg := find[*NegotiateRequest](msgs, false)
	if len(neg) != 1 || !slices.Contains(neg[0].Dialects, Dialect311) {
		t.Fatalf("negotiate request: %+v", neg)
	}
	var pre PreauthIntegrityCapabilities
	data, ok := FindNegotiateContext(neg[0].Contexts, PreauthIntegrityCapabilitiesID)
	if !ok || pre.Unmarshal(data) != nil || !slices.Contains(pre.HashAlgorithms, HashSHA512) || len(pre.Salt) != 32 {
		t.Fatalf("preauth context: %+v", pre)
	}
	var enc EncryptionCapabilities
	data, ok = FindNegotiateContext(neg[0].Contexts, EncryptionCapabilitiesID)
	if !ok || enc.Unmarshal(data) != nil || !slices.Contains(enc.Ciphers, CipherAES128CCM) {
		t.Fatalf("encryption context: %+v", enc)
	}
	nr := find[*NegotiateResponse](msgs, true)
	if len(nr) != 1 || nr[0].DialectRevision != Dialect311 || len(nr[0].SecurityBuffer) == 0 || len(nr[0].Contexts) == 0 {
		t.Fatalf("negotiate response: %+v", nr)
	}
	if nr[0].SecurityMode&NegotiateSigningRequired == 0 {
		t.Error("server signing = mandatory not reflected")
	}
	ss := find[*SessionSetupResponse](msgs, true)
	if len(ss) < 2 {
		t.Fatalf("%d session setup responses", len(ss))
	}
	tc := find[*TreeConnectRequest](msgs, false)
	var paths []string
	for _, r := range tc {
		paths = append(paths, strings.ToLower(r.Path))
	}
	if !slices.Contains(paths, `\\127.0.0.1\data`) {
		t.Fatalf("tree connects: %q", paths)
	}
	var sawHello, sawRead, sawWrite bool
	for _, r := range find[*ReadResponse](msgs, true) {
		sawRead = sawRead || bytes.Equal(r.Data, []byte("hello-lanman\n"))
	}
	for _, w := range find[*WriteRequest](msgs, false) {
		sawWrite = sawWrite || bytes.Equal(w.Data, []byte("hello-lanman\n"))
	}
	for _, c := range find[*CreateRequest](msgs, false) {
		sawHello = sawHello || c.Name == "hello.txt"
	}
	if !sawRead || !sawWrite || !sawHello {
		t.Errorf("read %v write %v create hello.txt %v", sawRead, sawWrite, sawHello)
	}
	// The directory listing names hello.txt.
	var listed bool
	for i, d := range msgs {
		r, ok := d.m.(*QueryDirectoryResponse)
		if !ok || !d.h.IsResponse() {
			continue
		}
		var class FileInfoClass
		for _, e := range msgs[:i] {
			if q, ok := e.m.(*QueryDirectoryRequest); ok && e.h.MessageID == d.h.MessageID {
				class = q.FileInformationClass
			}
		}
		ents, err := ParseDirEntries(class, r.Output)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.FileName == "hello.txt" && e.EndOfFile == 13 {
				listed = true
			}
		}
	}
	if !listed {
		t.Error("hello.txt (13 bytes) not found in directory listings")
	}
	// Every message after the session is set up is signed.
	var signed int
	for _, d := range msgs {
		if d.h.Flags&FlagSigned != 0 {
			signed++
		}
	}
	if signed == 0 {
		t.Error("no signed messages in a mandatory-signing capture")
	}
}

func TestSambaCaptureIPC(t *testing.T) {
	msgs := decodeCapture(t, "capipc")
	var pipe bool
	for _, c := range find[*CreateRequest](msgs, false) {
		pipe = pipe || c.Name == "srvsvc"
	}
	if !pipe {
		t.Error("no CREATE of srvsvc")
	}
	var shareType bool
	for _, r := range find[*TreeConnectResponse](msgs, true) {
		shareType = shareType || r.ShareType == ShareTypePipe
	}
	if !shareType {
		t.Error("no IPC$ tree connect response")
	}
	// The RPC bind and calls travel in IOCTL FSCTL_PIPE_TRANSCEIVE or
	// WRITE/READ; either way some DCE/RPC PDU (version 5.0) is seen.
	var rpc bool
	for _, d := range msgs {
		var b []byte
		switch m := d.m.(type) {
		case *IoctlRequest:
			b = m.Input
		case *IoctlResponse:
			b = m.Output
		case *WriteRequest:
			b = m.Data
		case *ReadResponse:
			b = m.Data
		}
		rpc = rpc || (len(b) > 2 && b[0] == 5 && b[1] == 0)
	}
	if !rpc {
		t.Error("no DCE/RPC PDU in pipe traffic")
	}
}

func TestSambaCaptureOlderDialects(t *testing.T) {
	for dir, want := range map[string]Dialect{"cap21": Dialect210, "cap30": Dialect300} {
		msgs := decodeCapture(t, dir)
		nr := find[*NegotiateResponse](msgs, true)
		if len(nr) != 1 || nr[0].DialectRevision != want || nr[0].Contexts != nil {
			t.Errorf("%s: negotiate response %+v", dir, nr)
		}
	}
}
