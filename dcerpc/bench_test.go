package dcerpc

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkCall is a full request/response round trip in process: client
// fragmentation and reassembly, the association's parsing, dispatch and
// response fragmentation, with the transport delivering whole messages.
func BenchmarkCall(b *testing.B) {
	for _, level := range []AuthLevel{AuthLevelNone, AuthLevelIntegrity, AuthLevelPrivacy} {
		for _, size := range []int{100, 64 << 10} {
			b.Run(fmt.Sprintf("%s/%d", level, size), func(b *testing.B) {
				ctx := context.Background()
				env := newEnv(b, authServer(false), 1<<16)
				env.pipe.chunk = false
				opts := &ClientOptions{}
				if level != AuthLevelNone {
					opts.Auth = &ClientAuth{Type: AuthTypeWinNT, Level: level, Initiator: &testInitiator{user: "alice", password: "secret"}}
				}
				c, err := Bind(ctx, env.pipe, echoIface, opts)
				if err != nil {
					b.Fatal(err)
				}
				stub := pattern(size)
				b.SetBytes(int64(2 * size))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.Call(ctx, 0, stub); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkRequestAppend(b *testing.B) {
	p := RequestPDU{Header: Header{Flags: 3, CallID: 1}, AllocHint: 200, Opnum: 15, Stub: pattern(200)}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = p.Append(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRequestUnmarshal(b *testing.B) {
	raw, _ := (&RequestPDU{Header: Header{Flags: 3, CallID: 1}, AllocHint: 200, Opnum: 15, Stub: pattern(200),
		Auth: &AuthVerifier{Type: AuthTypeWinNT, Level: AuthLevelIntegrity, PadLength: 8, Value: make([]byte, 16)}}).Append(nil)
	var p RequestPDU
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Unmarshal(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBindUnmarshal(b *testing.B) {
	raw, _ := samplePDUs()["bind"].Append(nil)
	var p BindPDU
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Unmarshal(raw); err != nil {
			b.Fatal(err)
		}
	}
}
