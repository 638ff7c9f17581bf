package smb2

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"
)

// fuzzConn is a negotiated 3.1.1 Conn with one signing and encrypting
// session and calls waiting for message IDs 0 to 7, with no transport:
// frames are fed to handleFrame directly.
func fuzzConn(tb testing.TB) (*Conn, *Session, []*call) {
	c := &Conn{
		calls:    make(map[uint64]*call),
		sessions: make(map[uint64]*Session),
		credits:  newCreditPool(1),
		done:     make(chan struct{}),
		dialect:  Dialect311,
		cipher:   CipherAES128GCM,
	}
	c.signingAlg = SigningAESCMAC
	s := &Session{conn: c, id: 0x1234, signing: true}
	var h PreauthHash
	if err := s.keys.derive(c, bytes.Repeat([]byte{7}, 16), &h); err != nil {
		tb.Fatal(err)
	}
	c.sessions[s.id] = s
	cmds := []Command{CommandNegotiate, CommandSessionSetup, CommandRead, CommandIoctl, CommandCreate, CommandQueryDirectory, CommandWrite, CommandClose}
	var calls []*call
	for i, cmd := range cmds {
		cl := &call{id: uint64(i), cmd: cmd, ch: make(chan *response, 1)}
		if i >= 2 {
			cl.sess = s
			cl.encrypt = i%2 == 0
		}
		c.calls[cl.id] = cl
		calls = append(calls, cl)
	}
	return c, s, calls
}

// fuzzSeeds are frames a server could send: plain, signed, compound and
// encrypted responses.
func fuzzSeeds(tb testing.TB) [][]byte {
	_, s, _ := fuzzConn(tb)
	neg := negotiateResponse(0, 5, nil)
	read := AppendMessage(nil, &Header{Flags: FlagServerToRedir, MessageID: 2, Credits: 3, SessionID: s.id}, &ReadResponse{Data: []byte("data")})
	s.sign(read, false)
	ioctl := AppendMessage(nil, &Header{Flags: FlagServerToRedir, MessageID: 3, Credits: 1, SessionID: s.id, Status: 0x80000005}, &IoctlResponse{CtlCode: FsctlPipeTransceive, Output: []byte{5, 0, 12}})
	s.sign(ioctl, false)
	pending := AppendMessage(nil, &Header{Flags: FlagServerToRedir | FlagAsyncCommand, MessageID: 4, AsyncID: 99, Status: 0x103, Credits: 1, SessionID: s.id}, &ErrorResponse{})
	compound := AppendCompound(nil, read, ioctl, pending)
	server, _ := NewCipher(CipherAES128GCM, DeriveSessionKeys(Dialect311, CipherAES128GCM, bytes.Repeat([]byte{7}, 16), &PreauthHash{}).ServerOut)
	enc, _ := server.Encrypt(nil, read, s.id)
	return [][]byte{neg, read, ioctl, pending, compound, enc, {0xFE, 'S', 'M', 'B'}}
}

// FuzzClientFrames feeds arbitrary frames to the client's receive path
// (decrypt, split, match, verify, decode): it must return errors, never
// panic, and never block.
func FuzzClientFrames(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		c, _, calls := fuzzConn(t)
		if err := c.handleFrame(frame); err != nil {
			return
		}
		for _, cl := range calls {
			select {
			case r := <-cl.ch:
				if r.err == nil {
					decodeResponse(r, messageFor(r.hdr.Command))
				}
			default:
			}
		}
	})
}

// messageFor returns an empty response body of the command's type.
func messageFor(cmd Command) Message {
	switch cmd {
	case CommandNegotiate:
		return &NegotiateResponse{}
	case CommandSessionSetup:
		return &SessionSetupResponse{}
	case CommandRead:
		return &ReadResponse{}
	case CommandIoctl:
		return &IoctlResponse{}
	case CommandCreate:
		return &CreateResponse{}
	case CommandQueryDirectory:
		return &QueryDirectoryResponse{}
	case CommandWrite:
		return &WriteResponse{}
	}
	return &CloseResponse{}
}

// FuzzClientDial runs the whole client, reader goroutine included,
// against a server that answers NEGOTIATE with the fuzzer's bytes over
// net.Pipe. Dial must end with a result or an error within its deadline.
func FuzzClientDial(f *testing.F) {
	f.Add(frameOf(negotiateResponse(0, 1, nil)))
	f.Add([]byte{0, 0, 0, 8, 0xFE, 'S', 'M', 'B', 0, 0, 0, 0})
	f.Add(append(frameOf(negotiateResponse(1, 1, nil)), frameOf(negotiateResponse(0, 100, nil))...))
	f.Fuzz(func(t *testing.T, reply []byte) {
		cc, sc := net.Pipe()
		go func() {
			defer sc.Close()
			readFrame(sc, 1<<20)
			sc.Write(reply)
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		c, err := NewConn(ctx, cc, &Options{Dialects: []Dialect{Dialect210, Dialect202}})
		if err == nil {
			c.Close()
		}
	})
}
