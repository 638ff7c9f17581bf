package dcerpc

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// boundAssoc returns an association after a plain bind of echoIface.
func boundAssoc(t testing.TB, srv *Server) *Association {
	t.Helper()
	env := newEnv(t, srv, 4096)
	c := NewClient(nil, nil)
	stagedBind(t, c, env.assoc)
	return env.assoc
}

func readFault(t *testing.T, a *Association) FaultPDU {
	t.Helper()
	out := make([]byte, 65536)
	n, _ := a.Read(out)
	var f FaultPDU
	if err := f.Unmarshal(out[:n]); err != nil {
		t.Fatalf("expected a fault, got % x: %v", out[:n], err)
	}
	return f
}

func reqBytes(r RequestPDU) []byte {
	b, err := r.Append(nil)
	if err != nil {
		panic(err)
	}
	return b
}

func TestServerHostile(t *testing.T) {
	ctx := context.Background()
	ff := uint8(FlagFirstFrag | FlagLastFrag)

	t.Run("request before bind", func(t *testing.T) {
		a := newEnv(t, nil, 0).assoc
		err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: ff, CallID: 1}}))
		if !errors.Is(err, ErrProtocol) {
			t.Fatal(err)
		}
		if f := readFault(t, a); f.Status != FaultProtoError {
			t.Fatal(f.Status)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		a := newEnv(t, nil, 0).assoc
		if err := a.Write(ctx, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); !errors.Is(err, ErrMalformed) {
			t.Fatal(err)
		}
		if err := a.Write(ctx, []byte{1}); !errors.Is(err, ErrClosed) {
			t.Fatal(err)
		}
	})
	t.Run("bind of another version", func(t *testing.T) {
		a := newEnv(t, nil, 0).assoc
		b, _ := (&BindPDU{Header: Header{Flags: ff, CallID: 9}, Contexts: []ContextElem{{AbstractSyntax: echoIface, TransferSyntaxes: []SyntaxID{NDR20}}}}).Append(nil)
		b[0] = 4
		if err := a.Write(ctx, b); !errors.Is(err, ErrVersion) {
			t.Fatal(err)
		}
		out := make([]byte, 100)
		n, _ := a.Read(out)
		var nak BindNakPDU
		if err := nak.Unmarshal(out[:n]); err != nil || nak.Reason != RejectProtocolVersionNotSupported || nak.CallID != 9 {
			t.Fatalf("%+v %v", nak, err)
		}
	})
	t.Run("second bind", func(t *testing.T) {
		a := boundAssoc(t, nil)
		b, _ := (&BindPDU{Header: Header{Flags: ff, CallID: 2}, Contexts: []ContextElem{{AbstractSyntax: echoIface, TransferSyntaxes: []SyntaxID{NDR20}}}}).Append(nil)
		if err := a.Write(ctx, b); !errors.Is(err, ErrProtocol) {
			t.Fatal(err)
		}
	})
	t.Run("unknown context", func(t *testing.T) {
		a := boundAssoc(t, nil)
		// A fragmented call on an unknown context faults at once and its
		// remaining fragments are dropped.
		if err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: FlagFirstFrag, CallID: 2}, ContextID: 42, Stub: []byte("a")})); err != nil {
			t.Fatal(err)
		}
		if f := readFault(t, a); f.Status != FaultUnknownIf {
			t.Fatal(f.Status)
		}
		if err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: FlagLastFrag, CallID: 2}, ContextID: 42, Stub: []byte("b")})); err != nil {
			t.Fatal(err)
		}
		if a.Pending() != 0 {
			t.Fatal("answered a dropped fragment")
		}
		// The association still works.
		if err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: ff, CallID: 3}, Stub: []byte("ok")})); err != nil {
			t.Fatal(err)
		}
		out := make([]byte, 100)
		n, _ := a.Read(out)
		var r ResponsePDU
		if err := r.Unmarshal(out[:n]); err != nil || string(r.Stub) != "ok" {
			t.Fatalf("%+v %v", r, err)
		}
	})
	t.Run("too large", func(t *testing.T) {
		srv := &Server{MaxRequest: 10000}
		a := boundAssoc(t, srv)
		// alloc_hint above the limit: refused with the first fragment.
		if err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: FlagFirstFrag, CallID: 2}, AllocHint: 1 << 30, Stub: []byte("a")})); err != nil {
			t.Fatal(err)
		}
		if f := readFault(t, a); f.Status != FaultAccessDenied {
			t.Fatal(f.Status)
		}
		a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: FlagLastFrag, CallID: 2}, Stub: []byte("a")}))
		// A lying alloc_hint of 0: refused when the stub passes the limit.
		chunk := make([]byte, 4000)
		for i := 0; i < 3; i++ {
			fl := uint8(0)
			if i == 0 {
				fl = FlagFirstFrag
			}
			if err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: fl, CallID: 3}, Stub: chunk})); err != nil {
				t.Fatal(err)
			}
		}
		if f := readFault(t, a); f.Status != FaultAccessDenied || f.CallID != 3 {
			t.Fatal(f.Status, f.CallID)
		}
	})
	t.Run("fragment above negotiated size", func(t *testing.T) {
		a := boundAssoc(t, &Server{MaxFrag: 4280})
		err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: ff, CallID: 2}, Stub: make([]byte, 5000)}))
		if !errors.Is(err, ErrProtocol) {
			t.Fatal(err)
		}
	})
	t.Run("interleaved calls", func(t *testing.T) {
		a := boundAssoc(t, nil)
		a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: FlagFirstFrag, CallID: 2}, Stub: []byte("a")}))
		if err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: FlagFirstFrag, CallID: 3}, Stub: []byte("a")})); !errors.Is(err, ErrProtocol) {
			t.Fatal(err)
		}
	})
	t.Run("stray fragment ignored", func(t *testing.T) {
		a := boundAssoc(t, nil)
		if err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: FlagLastFrag, CallID: 1}})); err != nil || a.Pending() != 0 {
			t.Fatal(err, a.Pending())
		}
	})
	t.Run("orphaned drops the call", func(t *testing.T) {
		a := boundAssoc(t, nil)
		a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: FlagFirstFrag, CallID: 2}, Stub: []byte("a")}))
		o, _ := (&OrphanedPDU{Header: Header{Flags: ff, CallID: 2}}).Append(nil)
		if err := a.Write(ctx, o); err != nil {
			t.Fatal(err)
		}
		// A new call may start now.
		if err := a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: ff, CallID: 3}, Stub: []byte("b")})); err != nil || a.Pending() == 0 {
			t.Fatal(err)
		}
	})
	t.Run("server-only PDU from client", func(t *testing.T) {
		a := boundAssoc(t, nil)
		b, _ := (&ResponsePDU{Header: Header{Flags: ff, CallID: 2}}).Append(nil)
		if err := a.Write(ctx, b); !errors.Is(err, ErrProtocol) {
			t.Fatal(err)
		}
	})
	t.Run("handler panic", func(t *testing.T) {
		srv := &Server{}
		env := newEnv(t, srv, 4096)
		srv.Register(echoIface, HandlerFunc(func(context.Context, *Call) ([]byte, error) { panic("boom") }))
		stagedBind(t, NewClient(nil, nil), env.assoc)
		if err := env.assoc.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: ff, CallID: 2}})); err != nil {
			t.Fatal(err)
		}
		if f := readFault(t, env.assoc); f.Status != FaultUnspec {
			t.Fatal(f.Status)
		}
	})
	t.Run("unread replies bounded", func(t *testing.T) {
		a := boundAssoc(t, nil)
		var err error
		for i := 0; i < 100 && err == nil; i++ {
			err = a.Write(ctx, reqBytes(RequestPDU{Header: Header{Flags: ff, CallID: uint32(10 + i)}, Opnum: 1, Stub: u32(1 << 20)}))
		}
		if !errors.Is(err, ErrTooLarge) {
			t.Fatal(err)
		}
	})
}

func TestTCP(t *testing.T) {
	ctx := ctxT(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srv := authServer(false)
	srv.Register(echoIface, echoHandler())
	served := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		served <- srv.Serve(ctx, conn)
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c, err := Bind(ctx, NewStreamTransport(conn), echoIface, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeWinNT, Level: AuthLevelPrivacy,
		Initiator: &testInitiator{user: "alice", password: "secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10, 100000} {
		out, err := c.Call(ctx, 1, u32(n))
		if err != nil || !bytes.Equal(out, pattern(n)) {
			t.Fatalf("%d: %d bytes %v", n, len(out), err)
		}
	}
	conn.Close()
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

func TestCallContextCancel(t *testing.T) {
	// A server that accepts and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			defer conn.Close()
			buf := make([]byte, 1024)
			for {
				if _, err := conn.Read(buf); err != nil {
					return
				}
			}
		}
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Bind(ctx, NewStreamTransport(conn), echoIface, nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("%v after %v", err, time.Since(start))
	}
}

func TestServeContextCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		served <- (&Server{}).Serve(ctx, conn)
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-served:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
}
