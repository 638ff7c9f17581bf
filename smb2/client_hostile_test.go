package smb2

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/lanman/lanman/ntlm"
)

// A hostile server is a real peer that breaks the protocol on purpose:
// each test listens on loopback, answers the client's first request (or
// the first two) with bad bytes, and checks that the client fails with an
// error, promptly, without panicking or hanging.

// hostileServer listens on loopback and runs serve for each connection.
func hostileServer(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return l.Addr().String()
}

// readRequest reads one request frame and returns its first header.
func readRequest(c net.Conn) (Header, error) {
	frame, err := readFrame(c, 1<<20)
	if err != nil {
		return Header{}, err
	}
	h, _, err := ParseMessage(frame)
	return h, err
}

// frameOf prefixes msg with the transport header.
func frameOf(msg []byte) []byte {
	b := make([]byte, 4, 4+len(msg))
	putFrameHeader(b, len(msg))
	return append(b, msg...)
}

// negotiateResponse is a plausible 2.1 NEGOTIATE response to message id.
func negotiateResponse(id uint64, credits uint16, mod func(*Header, *NegotiateResponse)) []byte {
	h := Header{Flags: FlagServerToRedir, MessageID: id, Credits: credits}
	r := NegotiateResponse{
		SecurityMode:    NegotiateSigningEnabled | NegotiateSigningRequired,
		DialectRevision: Dialect210,
		Capabilities:    CapLargeMTU,
		MaxTransactSize: 1 << 20, MaxReadSize: 1 << 20, MaxWriteSize: 1 << 20,
	}
	if mod != nil {
		mod(&h, &r)
	}
	return AppendMessage(nil, &h, &r)
}

// answerNegotiate reads the NEGOTIATE and answers it properly.
func answerNegotiate(c net.Conn, credits uint16) bool {
	h, err := readRequest(c)
	if err != nil {
		return false
	}
	_, err = c.Write(frameOf(negotiateResponse(h.MessageID, credits, nil)))
	return err == nil
}

func dialHostile(t *testing.T, addr string) (*Conn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	c, err := Dial(ctx, addr, &Options{Dialects: []Dialect{Dialect210, Dialect202}})
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Dial took %v", d)
	}
	return c, err
}

func TestClientHostileNegotiate(t *testing.T) {
	cases := []struct {
		name  string
		reply func(h Header) []byte
		want  error // nil: any error
	}{
		{"garbage", func(Header) []byte { return []byte("HTTP/1.1 400 Bad Request\r\n\r\n") }, ErrMalformed},
		{"huge frame", func(Header) []byte { return []byte{0, 0xFF, 0xFF, 0xFF} }, ErrFrameTooLarge},
		{"tiny frame", func(Header) []byte { return []byte{0, 0, 0, 2, 0xFE, 'S'} }, ErrMalformed},
		{"short header", func(Header) []byte { return frameOf([]byte{0xFE, 'S', 'M', 'B', 64, 0, 0, 0}) }, ErrMalformed},
		{"smb1", func(Header) []byte { return frameOf([]byte{0xFF, 'S', 'M', 'B', 0x72, 0, 0, 0, 0, 0}) }, ErrProtocol},
		{"unknown protocol", func(Header) []byte { return frameOf([]byte{1, 2, 3, 4, 5, 6, 7, 8}) }, ErrMalformed},
		{"encrypted before session", func(Header) []byte {
			th := TransformHeader{OriginalMessageSize: 70, Flags: TransformFlagEncrypted, SessionID: 7}
			return frameOf(append(th.Marshal(nil), make([]byte, 70)...))
		}, ErrProtocol},
		{"request not response", func(h Header) []byte {
			return frameOf(negotiateResponse(h.MessageID, 1, func(h *Header, _ *NegotiateResponse) { h.Flags = 0 }))
		}, ErrProtocol},
		{"dialect not offered", func(h Header) []byte {
			return frameOf(negotiateResponse(h.MessageID, 1, func(_ *Header, r *NegotiateResponse) { r.DialectRevision = Dialect311 }))
		}, ErrProtocol},
		{"wildcard dialect", func(h Header) []byte {
			return frameOf(negotiateResponse(h.MessageID, 1, func(_ *Header, r *NegotiateResponse) { r.DialectRevision = DialectWildcard }))
		}, ErrProtocol},
		{"tiny limits", func(h Header) []byte {
			return frameOf(negotiateResponse(h.MessageID, 1, func(_ *Header, r *NegotiateResponse) { r.MaxReadSize = 512 }))
		}, ErrProtocol},
		{"no signing", func(h Header) []byte {
			return frameOf(negotiateResponse(h.MessageID, 1, func(_ *Header, r *NegotiateResponse) { r.SecurityMode = 0 }))
		}, ErrProtocol},
		{"wrong command", func(h Header) []byte {
			msg := AppendMessage(nil, &Header{Flags: FlagServerToRedir, MessageID: h.MessageID, Credits: 1}, &EchoResponse{})
			return frameOf(msg)
		}, ErrProtocol},
		{"bad body", func(h Header) []byte {
			msg := negotiateResponse(h.MessageID, 1, nil)
			msg[HeaderSize+56] = 0xF0 // security buffer offset beyond the message
			msg[HeaderSize+58] = 0x10
			return frameOf(msg)
		}, ErrMalformed},
		{"lying compound", func(h Header) []byte {
			msg := negotiateResponse(h.MessageID, 1, nil)
			le.PutUint32(msg[headerNextCommandOffset:], 4096)
			return frameOf(msg)
		}, ErrMalformed},
		{"misaligned compound", func(h Header) []byte {
			msg := negotiateResponse(h.MessageID, 1, nil)
			le.PutUint32(msg[headerNextCommandOffset:], 65)
			return frameOf(append(msg, make([]byte, 100)...))
		}, ErrMalformed},
		{"error status", func(h Header) []byte {
			msg := AppendMessage(nil, &Header{Flags: FlagServerToRedir, MessageID: h.MessageID, Status: 0xC0000022, Credits: 1}, &ErrorResponse{})
			return frameOf(msg)
		}, nil},
		{"silence after wrong ids", func(h Header) []byte {
			var out []byte
			for id := uint64(1); id < 50; id++ {
				out = append(out, frameOf(negotiateResponse(h.MessageID+id, 65535, nil))...)
			}
			return out
		}, context.DeadlineExceeded},
		{"close", nil, io.EOF},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := hostileServer(t, func(c net.Conn) {
				h, err := readRequest(c)
				if err != nil || tc.reply == nil {
					return
				}
				c.Write(tc.reply(h))
				io.Copy(io.Discard, c) // hold the connection open
			})
			c, err := dialHostile(t, addr)
			if err == nil {
				c.Close()
				t.Fatal("Dial succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// TestClientHostileAfterNegotiate: a server that negotiates properly,
// grants absurd credits, then answers SESSION_SETUP badly.
func TestClientHostileAfterNegotiate(t *testing.T) {
	cases := []struct {
		name  string
		reply func(h Header) []byte
		want  error
	}{
		{"compound with garbage tail", func(h Header) []byte {
			ok := AppendMessage(nil, &Header{Flags: FlagServerToRedir, MessageID: h.MessageID, Credits: 65535, Status: 0xC0000016, SessionID: 5}, &SessionSetupResponse{SecurityBuffer: []byte{1}})
			return frameOf(AppendCompound(nil, ok, []byte("garbage garbage garbage garbage garbage garbage garbage garbage!!")))
		}, ErrMalformed},
		{"session id 0", func(h Header) []byte {
			return frameOf(AppendMessage(nil, &Header{Flags: FlagServerToRedir, MessageID: h.MessageID, Credits: 1, Status: 0xC0000016}, &SessionSetupResponse{SecurityBuffer: []byte{1}}))
		}, ErrProtocol},
		{"bad challenge", func(h Header) []byte {
			return frameOf(AppendMessage(nil, &Header{Flags: FlagServerToRedir, MessageID: h.MessageID, Credits: 1, Status: 0xC0000016, SessionID: 9}, &SessionSetupResponse{SecurityBuffer: []byte("NTLMSSP\x00\x02\x00\x00\x00")}))
		}, nil},
		{"unsigned success", func(h Header) []byte {
			return frameOf(AppendMessage(nil, &Header{Flags: FlagServerToRedir, MessageID: h.MessageID, Credits: 1, SessionID: 9}, &SessionSetupResponse{}))
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := hostileServer(t, func(c net.Conn) {
				if !answerNegotiate(c, 65535) {
					return
				}
				h, err := readRequest(c)
				if err != nil {
					return
				}
				c.Write(tc.reply(h))
				io.Copy(io.Discard, c)
			})
			c, err := dialHostile(t, addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if got := c.credits.available(); got > maxCreditWindow {
				t.Fatalf("%d credits held", got)
			}
			m, _ := ntlm.NewClient(ntlm.ClientConfig{User: "u", Password: "p"})
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err = c.SessionSetup(ctx, m)
			if err == nil {
				t.Fatal("SessionSetup succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// TestClientCloseFailsCalls: calls in flight fail when the connection is
// closed, and later calls fail at once.
func TestClientCloseFailsCalls(t *testing.T) {
	addr := hostileServer(t, func(c net.Conn) {
		if answerNegotiate(c, 10) {
			io.Copy(io.Discard, c) // never answer again
		}
	})
	c, err := dialHostile(t, addr)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.roundTrip(context.Background(), &request{body: &EchoRequest{}}, &EchoResponse{})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	c.Close()
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("in-flight call: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("in-flight call did not end on Close")
	}
	if _, err := c.roundTrip(context.Background(), &request{body: &EchoRequest{}}, &EchoResponse{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("call after Close: %v", err)
	}
}
