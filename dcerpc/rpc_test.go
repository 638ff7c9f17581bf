package dcerpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/win32"
)

var (
	echoIface  = SyntaxID{UUID: MustParseUUID("4b324fc8-1670-01d3-1278-5a47bf6ee188"), Version: 3}
	otherIface = SyntaxID{UUID: MustParseUUID("6bffd098-a112-3610-9833-46c3f87e345a"), Version: 1}
)

// echoHandler: opnum 0 echoes, 1 returns a stub of the requested size
// (little-endian uint32 in the request), 2 returns a Fault, 3 a plain
// error, 4 reports the caller, 5 returns a win32 code.
func echoHandler() OpTable {
	return OpTable{
		0: func(_ context.Context, c *Call) ([]byte, error) { return bytes.Clone(c.Stub), nil },
		1: func(_ context.Context, c *Call) ([]byte, error) {
			if len(c.Stub) < 4 {
				return nil, FaultNDR
			}
			n := int(c.Stub[0]) | int(c.Stub[1])<<8 | int(c.Stub[2])<<16 | int(c.Stub[3])<<24
			if n > 4<<20 {
				return nil, FaultNDR
			}
			return pattern(n), nil
		},
		2: func(context.Context, *Call) ([]byte, error) {
			return nil, fmt.Errorf("decoding: %w", FaultNDR)
		},
		3: func(context.Context, *Call) ([]byte, error) { return nil, errors.New("internal trouble") },
		4: func(_ context.Context, c *Call) ([]byte, error) {
			return []byte(fmt.Sprintf("%s\\%s level=%d iface=%s", c.Identity.Domain, c.Identity.User, c.AuthLevel, c.Interface)), nil
		},
		5: func(context.Context, *Call) ([]byte, error) { return nil, win32.ERROR_ACCESS_DENIED },
	}
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

func u32(n int) []byte { return []byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)} }

type testEnv struct {
	srv   *Server
	assoc *Association
	pipe  *pipeTransport
}

func newEnv(t testing.TB, srv *Server, maxOut int) *testEnv {
	t.Helper()
	if srv == nil {
		srv = &Server{}
	}
	srv.Register(echoIface, echoHandler())
	srv.Register(otherIface, HandlerFunc(func(_ context.Context, c *Call) ([]byte, error) {
		return append([]byte("other:"), c.Stub...), nil
	}))
	a := srv.NewAssociation(AssociationOptions{
		Identity:      gss.Identity{User: "pipeuser", Domain: "SMB"},
		SecondaryAddr: `\PIPE\srvsvc`,
	})
	return &testEnv{srv: srv, assoc: a, pipe: newPipe(a, uint64(maxOut), maxOut)}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestCallUnauthenticated(t *testing.T) {
	ctx := ctxT(t)
	for _, maxOut := range []int{7, 100, 1024, 65536} {
		t.Run(fmt.Sprint("maxOut=", maxOut), func(t *testing.T) {
			env := newEnv(t, nil, maxOut)
			c, err := Bind(ctx, env.pipe, echoIface, &ClientOptions{MaxXmitFrag: MinFrag, MaxRecvFrag: MinFrag})
			if err != nil {
				t.Fatal(err)
			}
			if c.MaxXmitFrag() != MinFrag {
				t.Errorf("MaxXmitFrag = %d", c.MaxXmitFrag())
			}
			for _, n := range []int{0, 1, 15, 16, 1407, 1408, 1409, 5000, 100000} {
				in := pattern(n)
				out, err := c.Call(ctx, 0, in)
				if err != nil {
					t.Fatalf("echo %d: %v", n, err)
				}
				if !bytes.Equal(out, in) {
					t.Fatalf("echo %d: got %d bytes back, differing", n, len(out))
				}
				out, err = c.Call(ctx, 1, u32(n))
				if err != nil || !bytes.Equal(out, pattern(n)) {
					t.Fatalf("generate %d: %d bytes, %v", n, len(out), err)
				}
			}
			got, err := c.Call(ctx, 4, nil)
			if err != nil || string(got) != `SMB\pipeuser level=1 iface=`+echoIface.String() {
				t.Fatalf("identity: %q %v", got, err)
			}
		})
	}
}

func TestFragmentCounts(t *testing.T) {
	ctx := ctxT(t)
	env := newEnv(t, nil, 1<<20)
	env.pipe.chunk = false
	c, err := Bind(ctx, env.pipe, echoIface, &ClientOptions{MaxXmitFrag: MinFrag, MaxRecvFrag: MinFrag})
	if err != nil {
		t.Fatal(err)
	}
	room := MinFrag - RequestHeaderLen
	env.pipe.writes, env.pipe.trans, env.pipe.reads = 0, 0, 0
	if _, err := c.Call(ctx, 0, pattern(3*room+1)); err != nil {
		t.Fatal(err)
	}
	// Four request fragments: three WRITEs and one transceive; four
	// response fragments: one in the transceive, three READs.
	if env.pipe.writes != 3 || env.pipe.trans != 1 || env.pipe.reads != 3 {
		t.Errorf("writes/transceives/reads = %d/%d/%d, want 3/1/3", env.pipe.writes, env.pipe.trans, env.pipe.reads)
	}
	env.pipe.writes, env.pipe.trans, env.pipe.reads = 0, 0, 0
	if _, err := c.Call(ctx, 0, pattern(room)); err != nil {
		t.Fatal(err)
	}
	if env.pipe.writes != 0 || env.pipe.trans != 1 || env.pipe.reads != 0 {
		t.Errorf("one-fragment call took %d/%d/%d", env.pipe.writes, env.pipe.trans, env.pipe.reads)
	}
}

func TestFaults(t *testing.T) {
	ctx := ctxT(t)
	env := newEnv(t, nil, 4096)
	c, err := Bind(ctx, env.pipe, echoIface, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		opnum uint16
		want  Fault
	}{
		{2, FaultNDR},
		{3, FaultUnspec},
		{5, FaultAccessDenied},
		{99, FaultOpRangeError},
	}
	for _, tc := range cases {
		_, err := c.Call(ctx, tc.opnum, nil)
		if !errors.Is(err, tc.want) {
			t.Errorf("opnum %d: %v, want %v", tc.opnum, err, tc.want)
		}
	}
	_, err = c.Call(ctx, 99, nil)
	if !errors.Is(err, win32.Errno(0x6D1)) { // RPC_S_PROCNUM_OUT_OF_RANGE
		t.Errorf("op range fault does not match RPC_S_PROCNUM_OUT_OF_RANGE: %v", err)
	}
	if got := FaultOpRangeError.Error(); got != "dcerpc fault nca_s_op_rng_error (0x1C010002)" {
		t.Errorf("Error() = %q", got)
	}
	if got := FaultNDR.String(); got != "nca_s_fault_ndr (0x000006F7)" {
		t.Errorf("String() = %q", got)
	}
	if got := Fault(0x6BE).String(); got != "RPC_S_CALL_FAILED (0x000006BE)" {
		t.Errorf("String() = %q", got)
	}
	// The client is still usable after faults.
	if out, err := c.Call(ctx, 0, []byte("still here")); err != nil || string(out) != "still here" {
		t.Fatalf("after faults: %q %v", out, err)
	}
}

func TestBindNegotiation(t *testing.T) {
	env := newEnv(t, nil, 4096)
	unknown := SyntaxID{UUID: MustParseUUID("12345678-1234-abcd-ef00-0123456789ab"), Version: 1}
	bind := BindPDU{
		Header:      Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: 1},
		MaxXmitFrag: 5840, MaxRecvFrag: 100,
		Contexts: []ContextElem{
			{ContextID: 0, AbstractSyntax: echoIface, TransferSyntaxes: []SyntaxID{NDR64, NDR20}},
			{ContextID: 1, AbstractSyntax: echoIface, TransferSyntaxes: []SyntaxID{BindTimeFeatureSyntax(3)}},
			{ContextID: 2, AbstractSyntax: unknown, TransferSyntaxes: []SyntaxID{NDR20}},
			{ContextID: 3, AbstractSyntax: otherIface, TransferSyntaxes: []SyntaxID{NDR64}},
			{ContextID: 4, AbstractSyntax: SyntaxID{UUID: echoIface.UUID, Version: 2}, TransferSyntaxes: []SyntaxID{NDR20}},
			{ContextID: 5, AbstractSyntax: SyntaxID{UUID: echoIface.UUID, Version: 3, Minor: 1}, TransferSyntaxes: []SyntaxID{NDR20}},
		},
	}
	b, err := bind.Append(nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 4096)
	n, more, err := env.assoc.Transceive(context.Background(), b, out)
	if err != nil || more {
		t.Fatal(err, more)
	}
	var ack BindAckPDU
	if err := ack.Unmarshal(out[:n]); err != nil {
		t.Fatal(err)
	}
	want := []Result{
		{ResultAcceptance, 0, NDR20},
		{ResultNegotiateAck, uint16(FeatureKeepConnectionOnOrphan), SyntaxID{}},
		{ResultProviderRejection, ReasonAbstractSyntaxNotSupported, SyntaxID{}},
		{ResultProviderRejection, ReasonProposedTransferSyntaxesNotSupp, SyntaxID{}},
		{ResultProviderRejection, ReasonAbstractSyntaxNotSupported, SyntaxID{}},
		{ResultProviderRejection, ReasonAbstractSyntaxNotSupported, SyntaxID{}},
	}
	if fmt.Sprint(ack.Results) != fmt.Sprint(want) {
		t.Errorf("results\n got %v\nwant %v", ack.Results, want)
	}
	// Each direction: the smaller of the client's proposal and the
	// server's limit (DefaultMaxFrag), never below MinFrag.
	if ack.MaxXmitFrag != MinFrag || ack.MaxRecvFrag != 5840 {
		t.Errorf("frag sizes %d/%d", ack.MaxXmitFrag, ack.MaxRecvFrag)
	}
	if ack.SecondaryAddr != `\PIPE\srvsvc` || ack.AssocGroupID == 0 || ack.CallID != 1 {
		t.Errorf("bind_ack %+v", ack)
	}
	// A request on the rejected context 2 faults nca_s_unk_if.
	req := RequestPDU{Header: Header{Flags: FlagFirstFrag | FlagLastFrag, CallID: 2}, ContextID: 2, Opnum: 0}
	b, _ = req.Append(nil)
	n, _, err = env.assoc.Transceive(context.Background(), b, out)
	if err != nil {
		t.Fatal(err)
	}
	var f FaultPDU
	if err := f.Unmarshal(out[:n]); err != nil || f.Status != FaultUnknownIf || f.CallID != 2 || f.Flags&FlagDidNotExecute == 0 {
		t.Fatalf("fault %+v %v", f, err)
	}
}

func TestBindClientSide(t *testing.T) {
	ctx := ctxT(t)
	env := newEnv(t, nil, 4096)
	_, err := Bind(ctx, env.pipe, SyntaxID{UUID: MustParseUUID("12345678-1234-abcd-ef00-0123456789ab"), Version: 1}, nil)
	var be *BindError
	if !errors.Is(err, ErrBindRejected) || !errors.As(err, &be) || be.Reason != ReasonAbstractSyntaxNotSupported {
		t.Fatalf("unknown interface: %v", err)
	}

	env = newEnv(t, nil, 4096)
	c, err := Bind(ctx, env.pipe, echoIface, &ClientOptions{FeatureNegotiation: true, FeatureBits: FeatureKeepConnectionOnOrphan | FeatureSecurityContextMultiplexing})
	if err != nil {
		t.Fatal(err)
	}
	if c.Features() != FeatureKeepConnectionOnOrphan {
		t.Errorf("features %x", c.Features())
	}
	other, err := c.AlterContext(ctx, otherIface)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := other.Call(ctx, 7, []byte("x")); err != nil || string(out) != "other:x" {
		t.Fatalf("second interface: %q %v", out, err)
	}
	if out, err := c.Call(ctx, 0, []byte("y")); err != nil || string(out) != "y" {
		t.Fatalf("primary after alter: %q %v", out, err)
	}
	if _, err := c.AlterContext(ctx, SyntaxID{UUID: otherIface.UUID, Version: 9}); !errors.Is(err, ErrBindRejected) {
		t.Fatalf("alter to unknown: %v", err)
	}
	if out, err := c.Call(ctx, 0, []byte("z")); err != nil || string(out) != "z" {
		t.Fatalf("after rejected alter: %q %v", out, err)
	}
}

func authServer(fourLegs bool) *Server {
	return &Server{Acceptor: func(t AuthType) (gss.Acceptor, error) {
		if t != AuthTypeWinNT && t != AuthTypeSPNEGO {
			return nil, errors.New("unsupported")
		}
		return &testAcceptor{passwords: map[string]string{"alice": "secret"}, fourLegs: fourLegs}, nil
	}}
}

func TestAuthLevels(t *testing.T) {
	ctx := ctxT(t)
	for _, typ := range []AuthType{AuthTypeWinNT, AuthTypeSPNEGO} {
		for _, level := range []AuthLevel{AuthLevelConnect, AuthLevelIntegrity, AuthLevelPrivacy} {
			t.Run(fmt.Sprintf("type=%d/%s", typ, level), func(t *testing.T) {
				four := typ == AuthTypeSPNEGO
				env := newEnv(t, authServer(four), 333)
				c, err := Bind(ctx, env.pipe, echoIface, &ClientOptions{
					MaxXmitFrag: MinFrag, MaxRecvFrag: MinFrag,
					Auth: &ClientAuth{Type: typ, Level: level, ContextID: 7,
						Initiator: &testInitiator{user: "alice", password: "secret", fourLegs: four}},
				})
				if err != nil {
					t.Fatal(err)
				}
				for _, n := range []int{0, 1, 17, 1400, 4000, 70000} {
					in := pattern(n)
					out, err := c.Call(ctx, 0, in)
					if err != nil || !bytes.Equal(out, in) {
						t.Fatalf("echo %d: %d bytes, %v", n, len(out), err)
					}
				}
				got, err := c.Call(ctx, 4, nil)
				want := fmt.Sprintf(`TEST\alice level=%d iface=%s`, level, echoIface)
				if err != nil || string(got) != want {
					t.Fatalf("identity: %q %v, want %q", got, err, want)
				}
				if _, err := c.Call(ctx, 99, nil); !errors.Is(err, FaultOpRangeError) {
					t.Fatalf("fault under auth: %v", err)
				}
				if out, err := c.Call(ctx, 0, []byte("after fault")); err != nil || string(out) != "after fault" {
					t.Fatalf("after fault: %q %v", out, err)
				}
			})
		}
	}
}

// sniffPipe records what the client sent, to check that privacy hides the
// stub and integrity does not.
type sniffPipe struct {
	*pipeTransport
	sent []byte
}

func (s *sniffPipe) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	s.sent = append(s.sent, b...)
	return s.pipeTransport.Transceive(ctx, b)
}

func TestPrivacyEncrypts(t *testing.T) {
	ctx := ctxT(t)
	secret := []byte("a very recognisable stub payload")
	for _, level := range []AuthLevel{AuthLevelIntegrity, AuthLevelPrivacy} {
		env := newEnv(t, authServer(false), 4096)
		sp := &sniffPipe{pipeTransport: env.pipe}
		c, err := Bind(ctx, sp, echoIface, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeWinNT, Level: level,
			Initiator: &testInitiator{user: "alice", password: "secret"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Call(ctx, 0, secret); err != nil {
			t.Fatal(err)
		}
		if visible := bytes.Contains(sp.sent, secret); visible != (level == AuthLevelIntegrity) {
			t.Errorf("level %s: stub visible on the wire = %v", level, visible)
		}
	}
}

func TestAuthFailures(t *testing.T) {
	ctx := ctxT(t)
	// Wrong password with NTLM-style three legs: the server cannot answer
	// rpc_auth_3, so the first call faults with access denied.
	env := newEnv(t, authServer(false), 4096)
	c, err := Bind(ctx, env.pipe, echoIface, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeWinNT, Level: AuthLevelIntegrity,
		Initiator: &testInitiator{user: "alice", password: "wrong"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, 0, []byte("x")); !errors.Is(err, FaultAccessDenied) {
		t.Fatalf("wrong password: %v", err)
	}

	// With four legs the failure shows in the alter_context.
	env = newEnv(t, authServer(true), 4096)
	_, err = Bind(ctx, env.pipe, echoIface, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeSPNEGO, Level: AuthLevelIntegrity,
		Initiator: &testInitiator{user: "alice", password: "wrong", fourLegs: true}}})
	if !errors.Is(err, FaultAccessDenied) {
		t.Fatalf("wrong password, four legs: %v", err)
	}

	// An unsupported auth type is a bind_nak.
	env = newEnv(t, authServer(false), 4096)
	_, err = Bind(ctx, env.pipe, echoIface, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeKerberos, Level: AuthLevelIntegrity,
		Initiator: &testInitiator{user: "alice", password: "secret"}}})
	var be *BindError
	if !errors.As(err, &be) || !be.Nak || be.Reason != RejectAuthenticationTypeNotRecog {
		t.Fatalf("kerberos: %v", err)
	}

	// No acceptor configured: also a bind_nak.
	env = newEnv(t, nil, 4096)
	_, err = Bind(ctx, env.pipe, echoIface, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeWinNT, Level: AuthLevelIntegrity,
		Initiator: &testInitiator{user: "alice", password: "secret"}}})
	if !errors.As(err, &be) || be.Reason != RejectAuthenticationTypeNotRecog {
		t.Fatalf("no acceptor: %v", err)
	}
}

// tamperPipe flips one bit in the stub of the request PDUs it forwards.
type tamperPipe struct {
	*pipeTransport
	on bool
}

func (p *tamperPipe) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	if p.on {
		b = bytes.Clone(b)
		b[RequestHeaderLen] ^= 1
	}
	return p.pipeTransport.Transceive(ctx, b)
}

func TestTamperDetected(t *testing.T) {
	ctx := ctxT(t)
	for _, level := range []AuthLevel{AuthLevelIntegrity, AuthLevelPrivacy} {
		env := newEnv(t, authServer(false), 4096)
		tp := &tamperPipe{pipeTransport: env.pipe}
		c, err := Bind(ctx, tp, echoIface, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeWinNT, Level: level,
			Initiator: &testInitiator{user: "alice", password: "secret"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Call(ctx, 0, []byte("fine")); err != nil {
			t.Fatal(err)
		}
		tp.on = true
		if _, err := c.Call(ctx, 0, []byte("tampered")); !errors.Is(err, FaultAccessDenied) {
			t.Fatalf("level %s: tampered request: %v", level, err)
		}
		if err := env.assoc.Write(ctx, []byte{5}); !errors.Is(err, ErrClosed) {
			t.Fatalf("association not closed after bad signature: %v", err)
		}
	}
}

// TestResponseTamperDetected corrupts a response on its way to the client.
func TestResponseTamperDetected(t *testing.T) {
	ctx := ctxT(t)
	env := newEnv(t, authServer(false), 4096)
	c := NewClient(nil, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeWinNT, Level: AuthLevelIntegrity,
		Initiator: &testInitiator{user: "alice", password: "secret"}}})
	stagedBind(t, c, env.assoc)
	pc, err := c.NewCall(0, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 4096)
	n, _, err := env.assoc.Transceive(ctx, pc.Fragments()[0], out)
	if err != nil {
		t.Fatal(err)
	}
	out[RequestHeaderLen] ^= 0x80
	if _, err := pc.Feed(out[:n]); !errors.Is(err, ErrAuth) {
		t.Fatalf("tampered response: %v", err)
	}
	if _, err := c.NewCall(0, nil); !errors.Is(err, ErrBroken) {
		t.Fatalf("client usable after a bad signature: %v", err)
	}
}

// stagedBind binds c to a by moving the bytes by hand.
func stagedBind(t testing.TB, c *Client, a *Association) {
	t.Helper()
	ctx := context.Background()
	b, err := c.BindPDU(echoIface)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 8192)
	for b != nil {
		n, more, err := a.Transceive(ctx, b, out)
		if err != nil || more {
			t.Fatal(err, more)
		}
		var need bool
		b, need, err = c.HandleBindReply(out[:n])
		if err != nil {
			t.Fatal(err)
		}
		if b != nil && !need {
			if err := a.Write(ctx, b); err != nil {
				t.Fatal(err)
			}
			if a.Pending() != 0 {
				t.Fatal("server answered rpc_auth_3")
			}
			break
		}
	}
	if !c.Bound() {
		t.Fatal("not bound")
	}
}

func TestStaged(t *testing.T) {
	ctx := ctxT(t)
	for _, auth := range []bool{false, true} {
		env := newEnv(t, authServer(false), 4096)
		opts := &ClientOptions{MaxXmitFrag: MinFrag, MaxRecvFrag: MinFrag}
		if auth {
			opts.Auth = &ClientAuth{Type: AuthTypeWinNT, Level: AuthLevelPrivacy,
				Initiator: &testInitiator{user: "alice", password: "secret"}}
		}
		c := NewClient(nil, opts)
		stagedBind(t, c, env.assoc)
		in := pattern(5000)
		pc, err := c.NewCall(0, in)
		if err != nil {
			t.Fatal(err)
		}
		frags := pc.Fragments()
		if len(frags) < 4 {
			t.Fatalf("%d fragments", len(frags))
		}
		for _, f := range frags[:len(frags)-1] {
			if err := env.assoc.Write(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		// A small IOCTL output buffer: the rest of each message is read.
		small := make([]byte, 50)
		n, more, err := env.assoc.Transceive(ctx, frags[len(frags)-1], small)
		if err != nil || !more {
			t.Fatalf("transceive: %v more=%v", err, more)
		}
		done, err := pc.Feed(small[:n])
		for !done && err == nil {
			n, _ = env.assoc.Read(small)
			if n == 0 {
				t.Fatal("reply ended early")
			}
			done, err = pc.Feed(small[:n])
		}
		out, rerr := pc.Result()
		if err != nil || rerr != nil || !bytes.Equal(out, in) {
			t.Fatalf("staged call: %d bytes, %v %v", len(out), err, rerr)
		}
		if env.assoc.Pending() != 0 {
			t.Fatal("bytes left over")
		}
	}
}

// TestStagedCompound builds the bind and the first request before any
// reply, sends them together as an SMB2 compound would, and splits the
// replies.
func TestStagedCompound(t *testing.T) {
	ctx := ctxT(t)
	env := newEnv(t, nil, 4096)
	c := NewClient(nil, nil)
	bind, err := c.BindPDU(echoIface)
	if err != nil {
		t.Fatal(err)
	}
	in := pattern(3000) // more than one MinFrag fragment
	pc, err := c.NewCall(0, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(pc.Fragments()) != 3 {
		t.Fatalf("%d fragments", len(pc.Fragments()))
	}
	var all []byte
	all = append(all, bind...)
	for _, f := range pc.Fragments() {
		all = append(all, f...)
	}
	if err := env.assoc.Write(ctx, all); err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 8192)
	n, _ := env.assoc.Read(out)
	if next, _, err := c.HandleBindReply(out[:n]); err != nil || next != nil || !c.Bound() {
		t.Fatal(next, err)
	}
	for done := false; !done; {
		n, _ = env.assoc.Read(out)
		if n == 0 {
			t.Fatal("reply ended early")
		}
		if done, err = pc.Feed(out[:n]); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := pc.Result(); err != nil || !bytes.Equal(got, in) {
		t.Fatalf("%d bytes %v", len(got), err)
	}
	// Later calls use the negotiated size.
	if got, err := func() ([]byte, error) {
		c2 := c
		pc, err := c2.NewCall(0, []byte("next"))
		if err != nil {
			return nil, err
		}
		n, _, err := env.assoc.Transceive(ctx, pc.Fragments()[0], out)
		if err != nil {
			return nil, err
		}
		if _, err := pc.Feed(out[:n]); err != nil {
			return nil, err
		}
		return pc.Result()
	}(); err != nil || string(got) != "next" {
		t.Fatalf("%q %v", got, err)
	}
}
