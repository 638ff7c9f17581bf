package dcerpc_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/internal/lanmantest"
	"github.com/lanman/lanman/internal/sambatest"
	"github.com/lanman/lanman/netapi"
	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/server"
	"github.com/lanman/lanman/smb2"
	"github.com/lanman/lanman/spnego"
	"github.com/lanman/lanman/srvs"
)

// Pipelined replies against real servers: Samba (one smbd per connection,
// 5840-octet fragments at most) and lanman's own, each holding a few
// hundred sessions so that NetrSessionEnum's reply takes many fragments.

var srvsvc = dcerpc.SyntaxID{UUID: dcerpc.UUID(srvs.InterfaceUUID), Version: srvs.InterfaceVersionMajor, Minor: srvs.InterfaceVersionMinor}

func peerCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// holdSessions opens n sessions as user over a few connections, closed at
// the end of the test.
func holdSessions(t testing.TB, addr, domain, user, password string, n int) {
	t.Helper()
	ctx := peerCtx(t)
	const conns = 4
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := range conns {
		c, err := smb2.Dial(ctx, addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := i; j < n; j += conns {
				m, err := ntlm.NewClient(ntlm.ClientConfig{User: user, Password: password, Domain: domain, Workstation: fmt.Sprintf("HOLD%d", j)})
				if err != nil {
					errs <- err
					return
				}
				if _, err := c.SessionSetup(ctx, spnego.NewInitiator(m)); err != nil {
					errs <- fmt.Errorf("session %d: %w", j, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// seqPipe hides the pipe's MessageReader: the Client reads one fragment
// per round trip, as before pipelining.
type seqPipe struct{ p *smb2.Pipe }

func (s seqPipe) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	return s.p.Transceive(ctx, b)
}
func (s seqPipe) Write(ctx context.Context, b []byte) error { return s.p.Write(ctx, b) }
func (s seqPipe) Read(ctx context.Context, b []byte) (int, error) {
	return s.p.Read(ctx, b)
}

// stubLen records the length of each response stub.
type stubLen struct {
	c    srvs.Caller
	last int
}

func (s *stubLen) Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error) {
	out, err := s.c.Call(ctx, opnum, stub)
	s.last = len(out)
	return out, err
}

// enumOver binds srvsvc over a new pipe of sess with a Client made by mk
// and returns the level-1 sessions ("user@client", sorted), the round
// trips of the call (the bind excluded), the SMB2 messages they carried
// and the length of the response stub.
func enumOver(t *testing.T, sess *smb2.Session, mk func(*smb2.Pipe) dcerpc.Transport, opts *dcerpc.ClientOptions) (names []string, rt, msgs uint64, stub int) {
	t.Helper()
	ctx := peerCtx(t)
	p, _, err := sess.OpenPipe(ctx, srvs.PipeName)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	rc, err := dcerpc.Bind(ctx, mk(p), srvsvc, opts)
	if err != nil {
		t.Fatal(err)
	}
	sl := &stubLen{c: rc}
	before := sess.Conn().Stats()
	resp, err := srvs.NewClient(sl).NetrSessionEnum(ctx, &srvs.NetrSessionEnumRequest{
		InfoStruct: srvs.SessionEnum{Level: 1}, PreferedMaximumLength: 0xFFFFFFFF})
	if err != nil {
		t.Fatal(err)
	}
	after := sess.Conn().Stats()
	return sessionNames(resp.InfoStruct.Level1), after.RoundTrips - before.RoundTrips, after.Messages - before.Messages, sl.last
}

func sessionNames(l []srvs.SessionInfo1) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.UserName+"@"+e.ClientName)
	}
	slices.Sort(out)
	return out
}

// netapiEnum enumerates level-1 sessions through netapi twice, cold and
// warm, and returns the warm call's names and round trips.
func netapiEnum(t *testing.T, addr, domain, user, password string) ([]string, uint64) {
	t.Helper()
	ctx := peerCtx(t)
	c, err := netapi.Dial(ctx, addr, &netapi.Options{Credentials: netapi.Credentials{Domain: domain, User: user, Password: password}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var names []string
	var rts [2]uint64
	for i := range rts {
		before := c.Stats().RoundTrips
		l, err := netapi.Collect(netapi.Sessions[netapi.SessionInfo1](ctx, c, netapi.Query{}))
		if err != nil {
			t.Fatal(err)
		}
		rts[i] = c.Stats().RoundTrips - before
		names = sessionNames(l)
	}
	t.Logf("netapi: %d sessions, cold call %d round trips (pipe open and bind included), warm call %d", len(names), rts[0], rts[1])
	return names, rts[1]
}

// fragments is how many fragments a stub of n octets takes at frag.
func fragments(n, frag int) int { return max(1, (n+frag-25)/(frag-24)) }

func TestPipelinedSamba(t *testing.T) {
	for _, enc := range []string{"", "required"} {
		t.Run("encrypt="+enc, func(t *testing.T) { testPipelinedSamba(t, enc) })
	}
}

// testPipelinedSamba runs with Samba's "server smb encrypt" = enc: each
// pipelined READ is then its own encrypted frame.
func testPipelinedSamba(t *testing.T, enc string) {
	s := sambatest.Start(t, sambatest.Options{Encrypt: enc})
	holdSessions(t, s.Addr, sambatest.Domain, s.User.Name, s.User.Password, 300)
	sess := login(t, s.Addr, sambatest.Domain, s.Admin.Name, s.Admin.Password)

	// Before: 4280-octet fragments, one round trip each.
	seq, seqRT, _, stub := enumOver(t, sess, func(p *smb2.Pipe) dcerpc.Transport { return seqPipe{p} },
		&dcerpc.ClientOptions{MaxXmitFrag: 4280, MaxRecvFrag: 4280})
	if len(seq) < 300 || int(seqRT) != fragments(stub, 4280) {
		t.Fatalf("sequential: %d sessions, %d round trips for a %d-octet stub", len(seq), seqRT, stub)
	}
	// Samba grants 5840 and sends 5808 stub octets a fragment; the first
	// comes with the IOCTL, all but the last in one flight, the last
	// alone: three round trips.
	frags := (stub + 5807) / 5808
	if frags < 4 {
		t.Fatalf("a %d-octet stub is only %d fragments: too few sessions", stub, frags)
	}
	got, rt, msgs, _ := enumOver(t, sess, func(p *smb2.Pipe) dcerpc.Transport { return p }, nil)
	if !slices.Equal(got, seq) || rt != 3 || int(msgs) != frags {
		t.Fatalf("pipelined: %d sessions (same: %v), %d round trips carrying %d messages for %d fragments",
			len(got), slices.Equal(got, seq), rt, msgs, frags)
	}
	t.Logf("%d sessions, %d-octet stub: sequential at 4280 %d round trips, pipelined at 5840 %d", len(seq), stub, seqRT, rt)

	names, warm := netapiEnum(t, s.Addr, sambatest.Domain, s.Admin.Name, s.Admin.Password)
	if warm != 3 || len(names) != len(seq)+1 { // netapi's own session is one more
		t.Fatalf("netapi: %d sessions, warm call %d round trips", len(names), warm)
	}
}

func TestPipelinedLanmanServer(t *testing.T) {
	addr := startLanman(t)
	holdSessions(t, addr, "LMTEST", "alice", "Al-2pass", 300)
	sess := login(t, addr, "LMTEST", "admin", "Adm-1pass")

	seq, seqRT, _, stub := enumOver(t, sess, func(p *smb2.Pipe) dcerpc.Transport { return seqPipe{p} },
		&dcerpc.ClientOptions{MaxXmitFrag: 4280, MaxRecvFrag: 4280})
	frags := fragments(stub, 4280)
	if len(seq) < 300 || int(seqRT) != frags || frags < 4 {
		t.Fatalf("sequential: %d sessions, %d round trips for a %d-octet stub", len(seq), seqRT, stub)
	}
	// The same fragments, pipelined.
	got, rt, msgs, _ := enumOver(t, sess, func(p *smb2.Pipe) dcerpc.Transport { return p },
		&dcerpc.ClientOptions{MaxXmitFrag: 4280, MaxRecvFrag: 4280})
	if !slices.Equal(got, seq) || rt != 3 || int(msgs) != frags {
		t.Fatalf("pipelined: %d sessions (same: %v), %d round trips carrying %d messages for %d fragments",
			len(got), slices.Equal(got, seq), rt, msgs, frags)
	}
	// By default lanman's server grants 65535-octet fragments.
	got, rt, _, _ = enumOver(t, sess, func(p *smb2.Pipe) dcerpc.Transport { return p }, nil)
	if want := uint64(fragments(stub, 65535)); !slices.Equal(got, seq) || rt != want {
		t.Fatalf("default fragments: %d sessions (same: %v), %d round trips, want %d", len(got), slices.Equal(got, seq), rt, want)
	}
	names, warm := netapiEnum(t, addr, "LMTEST", "admin", "Adm-1pass")
	if warm != uint64(fragments(stub, 65535)) || len(names) != len(seq)+1 {
		t.Fatalf("netapi: %d sessions, warm call %d round trips", len(names), warm)
	}
}

// TestReadMessagesTooMany asks a pipe for more messages than the reply
// has, as a Client misled by an alloc_hint would: lanman's server answers
// the READs too many with STATUS_PIPE_EMPTY and the pipe stays usable;
// Samba holds them, so the pipe is closed rather than left with READs that
// would take the next reply, and the connection carries on.
func TestReadMessagesTooMany(t *testing.T) {
	t.Run("lanman", func(t *testing.T) {
		addr := startLanman(t)
		holdSessions(t, addr, "LMTEST", "alice", "Al-2pass", 100)
		sess := login(t, addr, "LMTEST", "admin", "Adm-1pass")
		readTooMany(t, sess, false)
	})
	t.Run("samba", func(t *testing.T) {
		s := sambatest.Start(t, sambatest.Options{})
		holdSessions(t, s.Addr, sambatest.Domain, s.User.Name, s.User.Password, 100)
		sess := login(t, s.Addr, sambatest.Domain, s.Admin.Name, s.Admin.Password)
		readTooMany(t, sess, true)
	})
}

func readTooMany(t *testing.T, sess *smb2.Session, holds bool) {
	ctx := peerCtx(t)
	p, _, err := sess.OpenPipe(ctx, srvs.PipeName)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	opts := &dcerpc.ClientOptions{MaxXmitFrag: minFrag, MaxRecvFrag: minFrag}
	rc, err := dcerpc.Bind(ctx, seqPipe{p}, srvsvc, opts)
	if err != nil {
		t.Fatal(err)
	}
	stub := sessionEnumStub()
	call := func() (*dcerpc.PendingCall, error) {
		pc, err := rc.NewCall(srvs.OpNetrSessionEnum, stub)
		if err != nil {
			t.Fatal(err)
		}
		frags := pc.Fragments()
		for _, f := range frags[:len(frags)-1] {
			if err := p.Write(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		reply, err := p.Transceive(ctx, frags[len(frags)-1])
		if err != nil {
			t.Fatal(err)
		}
		done, err := pc.Feed(reply)
		if err != nil || done {
			t.Fatalf("a one-fragment reply (%v): too few sessions", err)
		}
		// Far more READs than fragments remain.
		var ferr error
		err = p.ReadMessages(ctx, 200, minFrag, func(msg []byte) bool {
			done, ferr = pc.Feed(msg)
			return ferr == nil && !done
		})
		if ferr != nil || !done {
			t.Fatalf("reply: done %v, %v", done, ferr)
		}
		return pc, err
	}
	before := sess.Conn().Stats().RoundTrips
	pc, err := call()
	if rt := sess.Conn().Stats().RoundTrips - before; rt != 2 && !holds {
		t.Errorf("%d round trips", rt)
	}
	if _, rerr := pc.Result(); rerr != nil {
		t.Fatal(rerr)
	}
	if holds {
		if !errors.Is(err, smb2.ErrPipeOutOfStep) {
			t.Fatalf("ReadMessages: %v, want ErrPipeOutOfStep", err)
		}
		if _, err := p.Transceive(ctx, []byte("x")); !errors.Is(err, smb2.ErrFileClosed) {
			t.Fatalf("the pipe is still open: %v", err)
		}
		// The connection is fine: a new pipe answers its own call.
		got, _, _, _ := enumOver(t, sess, func(p *smb2.Pipe) dcerpc.Transport { return p }, nil)
		if len(got) < 100 {
			t.Fatalf("%d sessions", len(got))
		}
		return
	}
	if err != nil {
		t.Fatalf("ReadMessages: %v", err)
	}
	// No READ was left behind: the next call on the pipe gets its own reply.
	pc, err = call()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Result(); err != nil {
		t.Fatal(err)
	}
}

// minFrag makes the reply for a hundred sessions several fragments (Samba
// grants no less than 2048: its fragments come in two pieces each).
const minFrag = dcerpc.MinFrag

// sessionEnumStub is the request stub of NetrSessionEnum at level 1 for
// every session.
func sessionEnumStub() []byte {
	var c captureCaller
	srvs.NewClient(&c).NetrSessionEnum(context.Background(), &srvs.NetrSessionEnumRequest{
		InfoStruct: srvs.SessionEnum{Level: 1}, PreferedMaximumLength: 0xFFFFFFFF})
	return c.stub
}

// captureCaller keeps the request stub and fails the call.
type captureCaller struct{ stub []byte }

func (c *captureCaller) Call(_ context.Context, _ uint16, stub []byte) ([]byte, error) {
	c.stub = append([]byte(nil), stub...)
	return nil, errors.New("captured")
}

// login sets up a session on a new connection to addr.
func login(t testing.TB, addr, domain, user, password string) *smb2.Session {
	t.Helper()
	ctx := peerCtx(t)
	c, err := smb2.Dial(ctx, addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	m, err := ntlm.NewClient(ntlm.ClientConfig{User: user, Password: password, Domain: domain, Workstation: "PIPELINE"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.SessionSetup(ctx, spnego.NewInitiator(m))
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// startLanman runs lanman's server on loopback with the users admin and
// alice, and returns its address.
func startLanman(t testing.TB) string {
	t.Helper()
	users, err := server.NewUsers(
		server.User{Name: "admin", NTHash: server.NTHash("Adm-1pass"), Admin: true},
		server.User{Name: "alice", NTHash: server.NTHash("Al-2pass")},
	)
	if err != nil {
		t.Fatal(err)
	}
	_, addr := lanmantest.Serve(t, server.Config{ServerName: "LMTEST", Domain: "LMTEST", Users: users,
		Limits: server.Limits{MaxSessions: 1000}})
	return addr
}
