package dcerpc

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntlm"
)

// msgPipe connects a Client to an Association as a message-mode named pipe
// does, one message per read, and implements MessageReader the way an SMB
// server answers READs sent back to back: the server takes a message for
// each READ as it arrives, whether or not the client still wants it. A
// READ on an empty pipe is either answered at once without data (lanman's
// server: STATUS_PIPE_EMPTY) or held by the server (Samba), where it would
// take the next reply; such a pipe is closed, as smb2.Pipe does.
type msgPipe struct {
	a    *Association
	hold bool // an empty pipe holds READs (Samba) instead of failing them
	// lie rewrites the alloc_hint of the first response fragment, or of
	// every one with lieAll.
	lie    func(hint uint32, stub int) uint32
	lieAll bool

	closed   bool
	trans    int // transceives
	reads    int // sequential reads
	flights  int // ReadMessages calls
	piped    int // READs sent by ReadMessages
	orphaned int // READs sent that the client did not want (answered or held)
	held     int // READs the server held on an empty pipe
}

var errPipeClosed = errors.New("msgPipe: closed")
var errOutOfStep = errors.New("msgPipe: reads out of step")

func (p *msgPipe) Write(ctx context.Context, b []byte) error {
	if p.closed {
		return errPipeClosed
	}
	return p.a.Write(ctx, b)
}

func (p *msgPipe) Transceive(ctx context.Context, b []byte) ([]byte, error) {
	if p.closed {
		return nil, errPipeClosed
	}
	p.trans++
	if err := p.a.Write(ctx, b); err != nil {
		return nil, err
	}
	out := make([]byte, 65536)
	n, _ := p.a.Read(out)
	out = out[:n]
	p.rewrite(out)
	return out, nil
}

// rewrite applies the lie to one whole message.
func (p *msgPipe) rewrite(m []byte) {
	if p.lie == nil || len(m) < RequestHeaderLen || PacketType(m[2]) != PTypeResponse ||
		(!p.lieAll && m[3]&FlagFirstFrag == 0) {
		return
	}
	h := binary.LittleEndian.Uint32(m[16:])
	binary.LittleEndian.PutUint32(m[16:], p.lie(h, len(m)-RequestHeaderLen))
}

func (p *msgPipe) Read(ctx context.Context, b []byte) (int, error) {
	if p.closed {
		return 0, errPipeClosed
	}
	p.reads++
	n, _ := p.a.Read(b)
	if n == 0 {
		return 0, io.ErrUnexpectedEOF // a real pipe would block
	}
	p.rewrite(b[:n])
	return n, nil
}

func (p *msgPipe) ReadMessages(ctx context.Context, n, size int, fn func([]byte) bool) error {
	if p.closed {
		return errPipeClosed
	}
	p.flights++
	p.piped += n
	// The server answers every READ in order as it arrives.
	answers := make([][]byte, n)
	for i := range answers {
		b := make([]byte, size)
		k, _ := p.a.Read(b)
		if k > 0 {
			answers[i] = b[:k]
			p.rewrite(answers[i])
		}
	}
	want, took, held := true, 0, 0
	var err error
	for _, b := range answers {
		switch {
		case want && b != nil:
			want = fn(b)
		case want:
			err, want = errors.New("msgPipe: pipe empty"), false
		case b != nil:
			took++
			p.orphaned++
		default:
			p.orphaned++
			if p.hold {
				held++
				p.held++
			}
		}
	}
	if took > 0 || held > 0 {
		p.closed = true
		return errors.Join(err, fmt.Errorf("%w: %d took a message, %d held", errOutOfStep, took, held))
	}
	return err
}

func newMsgPipe(t testing.TB, srv *Server) *msgPipe {
	t.Helper()
	if srv == nil {
		srv = &Server{}
	}
	srv.Register(echoIface, echoHandler())
	a := srv.NewAssociation(AssociationOptions{Identity: gss.Identity{User: "u"}, SecondaryAddr: `\PIPE\srvsvc`})
	return &msgPipe{a: a}
}

// sizeStub is the stub of echo opnum 1, which answers n pattern bytes.
func sizeStub(n int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(n)) }

func TestPipelinedReply(t *testing.T) {
	ctx := ctxT(t)
	for _, frag := range []uint16{MinFrag, 4280, 5840, 65535} {
		for _, n := range []int{0, 100, int(frag) - 24, int(frag) - 23, 2*(int(frag)-24) + 1, 3 * (int(frag) - 24), 90000, 300000} {
			t.Run(fmt.Sprintf("frag=%d/n=%d", frag, n), func(t *testing.T) {
				p := newMsgPipe(t, &Server{MaxFrag: frag})
				c, err := Bind(ctx, p, echoIface, nil)
				if err != nil {
					t.Fatal(err)
				}
				for range 2 { // the pipe stays in step for the next call
					p.trans, p.reads, p.flights, p.piped = 0, 0, 0, 0
					out, err := c.Call(ctx, 1, sizeStub(n))
					if err != nil || !bytes.Equal(out, pattern(n)) {
						t.Fatalf("%d bytes, %v", len(out), err)
					}
					room := int(frag) - RequestHeaderLen
					frags := max(1, (n+room-1)/room)
					if p.trans != 1 || p.piped+p.reads != frags-1 || p.orphaned != 0 || p.closed {
						t.Fatalf("%d fragments: %d transceives, %d pipelined in %d flights, %d reads, %d orphaned",
							frags, p.trans, p.piped, p.flights, p.reads, p.orphaned)
					}
					// One flight for all but the first and the last fragment,
					// the last read alone.
					if frags > 3 && (p.flights != 1 || p.reads != 1) {
						t.Fatalf("%d fragments: %d flights, %d reads", frags, p.flights, p.reads)
					}
				}
			})
		}
	}
}

// TestPipelinedReplyLyingHint has the first fragment's alloc_hint lie.
// The Client trusts a consistent hint less one fragment; what it cannot
// catch leaves the pipe closed and the Client broken, never a READ
// waiting for the next reply, and the reply is right or the call fails.
func TestPipelinedReplyLyingHint(t *testing.T) {
	ctx := ctxT(t)
	const frag, n = 4280, 50000 // 12 fragments of 4256 stub octets
	lies := []struct {
		name string
		lie  func(h uint32, stub int) uint32
		// extra READs the client may send, by hold: whether the client
		// must end up broken
		overread bool
	}{
		{"honest", func(h uint32, _ int) uint32 { return h }, false},
		{"zero", func(uint32, int) uint32 { return 0 }, false},
		{"rounded up", func(h uint32, _ int) uint32 { return h + 7 }, false},
		{"one fragment more", func(h uint32, stub int) uint32 { return h + uint32(stub) }, false},
		{"too small", func(h uint32, _ int) uint32 { return h / 3 }, false},
		{"this fragment only", func(_ uint32, stub int) uint32 { return uint32(stub) }, false},
		{"below this fragment", func(_ uint32, stub int) uint32 { return uint32(stub) - 1 }, false},
		{"twice", func(h uint32, _ int) uint32 { return 2 * h }, true},
		{"huge", func(uint32, int) uint32 { return 1 << 31 }, false}, // beyond MaxResponse: not trusted
	}
	var total uint32
	lies = append(lies, struct {
		name     string
		lie      func(h uint32, stub int) uint32
		overread bool
	}{"total in every fragment", func(h uint32, _ int) uint32 {
		if total == 0 {
			total = h
		}
		return total
	}, false})
	for _, hold := range []bool{false, true} {
		for i, l := range lies {
			t.Run(fmt.Sprintf("hold=%v/%s", hold, l.name), func(t *testing.T) {
				total = 0
				p := newMsgPipe(t, &Server{MaxFrag: frag})
				p.hold, p.lie, p.lieAll = hold, l.lie, i == len(lies)-1
				c, err := Bind(ctx, p, echoIface, nil)
				if err != nil {
					t.Fatal(err)
				}
				out, err := c.Call(ctx, 1, sizeStub(n))
				if err != nil || !bytes.Equal(out, pattern(n)) {
					t.Fatalf("%d bytes, %v", len(out), err)
				}
				if l.overread != (p.orphaned > 0) {
					t.Fatalf("%d READs orphaned", p.orphaned)
				}
				_, err = c.Call(ctx, 1, sizeStub(n))
				switch {
				case hold && l.overread:
					// The pipe was closed under the held READs.
					if !p.closed || p.held == 0 || !errors.Is(err, ErrBroken) || !errors.Is(err, errOutOfStep) {
						t.Fatalf("closed %v, %d held, next call: %v", p.closed, p.held, err)
					}
				case err != nil:
					t.Fatalf("next call: %v", err)
				}
			})
		}
	}
}

// TestPipelinedReplySealed pipelines a reply whose fragments are sealed:
// the stub per fragment is smaller than the fragment size says, so the
// Client reads fewer ahead, and never too many.
func TestPipelinedReplySealed(t *testing.T) {
	ctx := ctxT(t)
	for _, level := range []AuthLevel{AuthLevelIntegrity, AuthLevelPrivacy} {
		t.Run(level.String(), func(t *testing.T) {
			srv := ntlmServer()
			srv.MaxFrag = 4280
			p := newMsgPipe(t, srv)
			p.hold = true
			cl, err := ntlm.NewClient(ntlm.ClientConfig{User: "alice", Password: "S3cret!", Workstation: "WS"})
			if err != nil {
				t.Fatal(err)
			}
			c, err := Bind(ctx, p, echoIface, &ClientOptions{Auth: &ClientAuth{Type: AuthTypeWinNT, Level: level, Initiator: cl, ContextID: 1}})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{70000, 200000} {
				out, err := c.Call(ctx, 1, sizeStub(n))
				if err != nil || !bytes.Equal(out, pattern(n)) {
					t.Fatalf("%d bytes, %v", len(out), err)
				}
			}
			if p.flights == 0 || p.orphaned != 0 {
				t.Fatalf("%d flights, %d orphaned", p.flights, p.orphaned)
			}
		})
	}
}
