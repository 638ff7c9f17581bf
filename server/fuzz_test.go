package server

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/lanman/lanman/smb2"
)

// frame wraps a message in the Direct TCP header.
func frame(msg []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(msg)))
	return append(b, msg...)
}

func negotiateRequest(dialects ...smb2.Dialect) []byte {
	req := &smb2.NegotiateRequest{
		SecurityMode: smb2.NegotiateSigningEnabled,
		Capabilities: smb2.CapLargeMTU | smb2.CapEncryption,
		Dialects:     dialects,
	}
	for _, d := range dialects {
		if d == smb2.Dialect311 {
			pic := smb2.PreauthIntegrityCapabilities{HashAlgorithms: []smb2.HashAlgorithm{smb2.HashSHA512}, Salt: make([]byte, 32)}
			enc := smb2.EncryptionCapabilities{Ciphers: []smb2.CipherID{smb2.CipherAES128GCM}}
			req.Contexts = []smb2.NegotiateContext{pic.NegotiateContext(), enc.NegotiateContext()}
		}
	}
	h := smb2.Header{Credits: 1}
	return smb2.AppendMessage(nil, &h, req)
}

// smb1Negotiate is an SMB1 NEGOTIATE offering the given dialect strings.
func smb1Negotiate(dialects ...string) []byte {
	b := []byte{0xFF, 'S', 'M', 'B', 0x72}
	b = append(b, make([]byte, 27)...)
	var data []byte
	for _, d := range dialects {
		data = append(data, 0x02)
		data = append(data, d...)
		data = append(data, 0)
	}
	b = append(b, 0) // WordCount
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

// serveBytes runs one connection of srv over an in-memory pipe, sends
// input, and returns what the server wrote back. It fails if the server
// panics or does not finish within the timeout once input has been sent
// and the client side closed.
func serveBytes(t testing.TB, srv *Server, input []byte) []byte {
	return serveBytesWait(t, srv, input, 0)
}

// serveBytesWait is serveBytes that lets the server answer for linger
// before the client side closes.
func serveBytesWait(t testing.TB, srv *Server, input []byte, linger time.Duration) []byte {
	client, server := net.Pipe()
	done := make(chan struct{})
	go func() {
		srv.ServeConn(context.Background(), server)
		close(done)
	}()
	outc := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(client)
		outc <- b
	}()
	client.SetWriteDeadline(time.Now().Add(5 * time.Second))
	client.Write(input)
	time.Sleep(linger)
	client.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Fatalf("server did not finish the connection:\n%s", buf[:n])
	}
	return <-outc
}

func fuzzServer(t testing.TB) *Server {
	users, _ := ParseUsers(stringsReader(testUsersFile))
	s, err := New(Config{ServerName: "FUZZ", Users: users, Shares: []Share{{Name: "data", Path: t.TempDir()}},
		Limits: Limits{SetupTimeout: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	s.onPanic = func(r any) { panic(fmt.Sprintf("server panicked: %v", r)) }
	return s
}

// FuzzConnection feeds arbitrary bytes to a connection as its input: the
// server must neither panic nor hang, whatever arrives.
func FuzzConnection(f *testing.F) {
	f.Add(frame(negotiateRequest(smb2.Dialect202, smb2.Dialect210, smb2.Dialect300, smb2.Dialect302, smb2.Dialect311)))
	f.Add(frame(negotiateRequest(smb2.Dialect311)))
	f.Add(frame(smb1Negotiate("NT LM 0.12", "SMB 2.002", "SMB 2.???")))
	f.Add(frame(smb1Negotiate("NT LM 0.12")))
	f.Add(append(frame(negotiateRequest(smb2.Dialect202)), frame(make([]byte, 70))...))
	f.Add([]byte{0, 0, 0, 4, 0xFD, 'S', 'M', 'B'})
	f.Add([]byte{0x85, 0, 0, 0})
	srv := fuzzServer(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		serveBytes(t, srv, in)
	})
}

func TestSMB1Negotiate(t *testing.T) {
	srv := fuzzServer(t)
	out := serveBytesWait(t, srv, frame(smb1Negotiate("NT LM 0.12", "SMB 2.002", "SMB 2.???")), 100*time.Millisecond)
	if len(out) < 4+smb2.HeaderSize+65 {
		t.Fatalf("no SMB2 NEGOTIATE response to a multi-protocol negotiate: % x", out)
	}
	var resp smb2.NegotiateResponse
	h, body, err := smb2.ParseMessage(out[4:])
	if err != nil || h.Command != smb2.CommandNegotiate {
		t.Fatalf("response: %v %v", h.Command, err)
	}
	if err := resp.Unmarshal(body); err != nil || resp.DialectRevision != smb2.DialectWildcard {
		t.Fatalf("dialect %v, %v", resp.DialectRevision, err)
	}
	if resp.SecurityMode&smb2.NegotiateSigningRequired == 0 {
		t.Error("signing not required")
	}
	// A client that offers only SMB1 is refused: no answer at all.
	if out := serveBytesWait(t, srv, frame(smb1Negotiate("NT LM 0.12", "LANMAN2.1")), 100*time.Millisecond); len(out) != 0 {
		t.Errorf("SMB1-only client got an answer: % x", out)
	}
}

// authConn is a connection with an established (unsigned) session and
// tree connects to "data" and IPC$, so that fuzzing reaches every
// command handler with arbitrary bodies.
type authConn struct {
	c          *conn
	sess       *liveSession
	data, ipc  *liveTree
	peer       net.Conn
	sessionID  uint64
	dataTreeID uint32
	ipcTreeID  uint32
}

func newAuthConn(t testing.TB, srv *Server) *authConn {
	a, b := net.Pipe()
	go io.Copy(io.Discard, b)
	c := newConn(srv, a, "127.0.0.1")
	c.negotiated = true
	c.dialect = smb2.Dialect302
	s := &liveSession{id: newID(&srv.tables.nextSession), conn: c, user: "alice", admin: true}
	c.sessions = map[uint64]*liveSession{uint64(s.id): s}
	c.register(s)
	ac := &authConn{c: c, sess: s, peer: b, sessionID: uint64(s.id)}
	for _, name := range []string{"data", "IPC$"} {
		sh, _ := srv.share(name)
		tr := &liveTree{id: newID(&srv.tables.nextTree), sess: s, share: sh, maxAccess: fileAllAccess}
		if s.treeID == nil {
			s.treeID = map[uint32]*liveTree{}
		}
		s.treeID[tr.id] = tr
		srv.tables.trees.add(tr)
		if name == "data" {
			ac.data, ac.dataTreeID = tr, tr.id
		} else {
			ac.ipc, ac.ipcTreeID = tr, tr.id
		}
	}
	t.Cleanup(func() { a.Close(); b.Close(); c.teardown() })
	return ac
}

func (ac *authConn) msg(tree uint32, m smb2.Message) []byte {
	h := smb2.Header{SessionID: ac.sessionID, TreeID: tree, Credits: 1}
	return smb2.AppendMessage(nil, &h, m)
}

// FuzzAuthenticatedRequest feeds arbitrary request chains to a logged-on
// connection: every handler must cope with any body without panicking.
func FuzzAuthenticatedRequest(f *testing.F) {
	srv := fuzzServer(f)
	ac := newAuthConn(f, srv)
	os.WriteFile(filepath.Join(srv.shares[1].abs, "f.txt"), []byte("data"), 0o644)
	os.Mkdir(filepath.Join(srv.shares[1].abs, "Sub"), 0o755)
	all := smb2.FileIDAll
	seeds := [][]byte{
		ac.msg(ac.dataTreeID, &smb2.CreateRequest{Name: "f.txt", DesiredAccess: 0x12019F, CreateDisposition: 1}),
		ac.msg(ac.dataTreeID, &smb2.CreateRequest{Name: "", DesiredAccess: 0x100081, CreateDisposition: 1, CreateOptions: 1}),
		ac.msg(ac.ipcTreeID, &smb2.CreateRequest{Name: "srvsvc", DesiredAccess: 0x12019F, CreateDisposition: 1}),
		ac.msg(ac.dataTreeID, &smb2.ReadRequest{Length: 100, FileID: all}),
		ac.msg(ac.dataTreeID, &smb2.WriteRequest{Data: []byte("hello"), FileID: all}),
		ac.msg(ac.dataTreeID, &smb2.QueryInfoRequest{InfoType: smb2.InfoFile, FileInfoClass: 18, OutputBufferLength: 4096, FileID: all}),
		ac.msg(ac.dataTreeID, &smb2.QueryDirectoryRequest{FileInformationClass: 37, FileName: "*", OutputBufferLength: 65536, FileID: all}),
		ac.msg(ac.dataTreeID, &smb2.SetInfoRequest{InfoType: smb2.InfoFile, FileInfoClass: 20, Buffer: make([]byte, 8), FileID: all}),
		ac.msg(ac.ipcTreeID, &smb2.IoctlRequest{CtlCode: smb2.FsctlPipeTransceive, Flags: smb2.IoctlFlagIsFsctl, FileID: all, Input: []byte{5, 0, 11, 3, 16, 0, 0, 0, 72, 0, 0, 0, 1, 0, 0, 0}, MaxOutputResponse: 4280}),
		ac.msg(ac.dataTreeID, &smb2.LockRequest{FileID: all, Locks: []smb2.LockElement{{Offset: 0, Length: 10, Flags: smb2.LockFlagExclusiveLock}}}),
		ac.msg(ac.dataTreeID, &smb2.CloseRequest{FileID: all}),
		ac.msg(ac.dataTreeID, &smb2.FlushRequest{FileID: all}),
		ac.msg(ac.dataTreeID, &smb2.EchoRequest{}),
		ac.msg(ac.dataTreeID, &smb2.TreeConnectRequest{Path: `\\x\data`}),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	// A related chain: create, write, read, close.
	var chain [][]byte
	for i, s := range seeds[:1:1] {
		_ = i
		chain = append(chain, s)
	}
	for _, s := range [][]byte{seeds[4], seeds[3], seeds[10]} {
		m := append([]byte(nil), s...)
		binary.LittleEndian.PutUint32(m[16:], uint32(smb2.FlagRelatedOperations))
		chain = append(chain, m)
	}
	f.Add(smb2.AppendCompound(nil, chain...))
	// Another: open with DELETE in another case, rename twice, close.
	chain = [][]byte{ac.msg(ac.dataTreeID, &smb2.CreateRequest{Name: "F.TXT", DesiredAccess: 0x13019F, CreateDisposition: 1})}
	for _, m := range []smb2.Message{
		&smb2.SetInfoRequest{InfoType: smb2.InfoFile, FileInfoClass: smb2.FileRenameInformationClass, FileID: all,
			Buffer: (&smb2.FileRenameInformation{FileName: `sub\g.txt`}).Marshal(nil)},
		&smb2.SetInfoRequest{InfoType: smb2.InfoFile, FileInfoClass: smb2.FileRenameInformationClass, FileID: all,
			Buffer: (&smb2.FileRenameInformation{ReplaceIfExists: true, FileName: "f.txt"}).Marshal(nil)},
		&smb2.CloseRequest{FileID: all},
	} {
		b := ac.msg(ac.dataTreeID, m)
		binary.LittleEndian.PutUint32(b[16:], uint32(smb2.FlagRelatedOperations))
		chain = append(chain, b)
	}
	f.Add(smb2.AppendCompound(nil, chain...))
	f.Fuzz(func(t *testing.T, in []byte) {
		if smb2.KindOf(in) != smb2.FramePlain {
			return
		}
		// Let any MessageId through: the credit window has its own
		// test, and the fuzzer cannot track it.
		ac.c.credits = creditWindow{lo: 0, hi: 1 << 60}
		ac.c.handleChain(in, nil)
	})
}

// smb2TreeConnectNoSession is a TREE_CONNECT to data with MessageId 1 and
// no session.
func smb2TreeConnectNoSession() []byte {
	h := smb2.Header{MessageID: 1, Credits: 1}
	return smb2.AppendMessage(nil, &h, &smb2.TreeConnectRequest{Path: `\\127.0.0.1\data`})
}
