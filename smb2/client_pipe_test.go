package smb2

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lanman/lanman/internal/sambatest"
)

// srvsvcBind is a DCE/RPC bind (call ID 1) to srvsvc
// 4B324FC8-1670-01D3-1278-5A47BF6EE188 v3.0 over NDR20
// 8a885d04-1ceb-11c9-9fe8-08002b104860 v2, built by hand from MS-RPCE
// 2.2.2.13 and C706 12.6.4.3 so that the test does not depend on the
// dcerpc package.
var srvsvcBind = mustHex(strings.Join([]string{
	"05000b03", "10000000", "4800", "0000", "01000000", // header: v5.0 bind, first|last, NDR LE, frag 72, call 1
	"b810", "b810", "00000000", // max xmit/recv 4280, no association group
	"01", "00", "0000", // one context
	"0000", "01", "00", // context 0, one transfer syntax
	"c84f324b7016d30112785a47bf6ee188", "03000000", // srvsvc v3.0
	"045d888aeb1cc9119fe808002b104860", "02000000", // NDR20 v2
}, ""))

// srvsvcGetInfo is a request (call ID 2) for NetrServerGetInfo (opnum
// 21) at level 101 with a null ServerName.
var srvsvcGetInfo = mustHex(strings.Join([]string{
	"05000003", "10000000", "2000", "0000", "02000000", // header: request, frag 32, call 2
	"08000000", "0000", "1500", // alloc hint 8, context 0, opnum 21
	"00000000", "65000000", // ServerName = NULL, Level = 101
}, ""))

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// checkPDU checks a DCE/RPC reply's type and call ID.
func checkPDU(t *testing.T, what string, b []byte, ptype byte, callID uint32) {
	t.Helper()
	if len(b) < 16 || b[0] != 5 || b[2] != ptype || binary.LittleEndian.Uint16(b[8:]) != uint16(len(b)) || binary.LittleEndian.Uint32(b[12:]) != callID {
		t.Fatalf("%s: not a whole PDU of type %d for call %d: % x", what, ptype, callID, b[:min(len(b), 32)])
	}
}

func TestClientOpenPipe(t *testing.T) {
	for _, enc := range []string{"", "required"} {
		t.Run("encrypt="+enc, func(t *testing.T) {
			s := sambatest.Start(t, sambatest.Options{Encrypt: enc})
			ctx := testCtx(t)
			sess := login(t, s, nil, s.User)
			c := sess.Conn()

			// TREE_CONNECT + CREATE + IOCTL(bind): one round trip.
			before := c.Stats().RoundTrips
			p, replies, err := sess.OpenPipe(ctx, `\PIPE\srvsvc`, srvsvcBind)
			if err != nil {
				t.Fatal(err)
			}
			if n := c.Stats().RoundTrips - before; n != 1 {
				t.Errorf("OpenPipe with a bind took %d round trips, want 1", n)
			}
			if len(replies) != 1 {
				t.Fatalf("%d replies", len(replies))
			}
			checkPDU(t, "bind", replies[0], 12, 1) // bind_ack
			out, err := p.Transceive(ctx, srvsvcGetInfo)
			if err != nil {
				t.Fatal(err)
			}
			checkPDU(t, "NetrServerGetInfo", out, 2, 2) // response
			if err := p.Close(ctx); err != nil {
				t.Fatal(err)
			}

			// The IPC$ tree is reused: CREATE + IOCTL + IOCTL. Samba
			// refuses the middle IOCTL; OpenPipe falls back and
			// still answers both.
			p2, replies, err := sess.OpenPipe(ctx, "srvsvc", srvsvcBind, srvsvcGetInfo)
			if err != nil {
				t.Fatal(err)
			}
			if len(replies) != 2 {
				t.Fatalf("%d replies", len(replies))
			}
			checkPDU(t, "bind", replies[0], 12, 1)
			checkPDU(t, "NetrServerGetInfo", replies[1], 2, 2)
			p2.Close(ctx)

			// Once learnt, the fallback costs no failed attempt:
			// CREATE + IOCTL(bind), then the request alone.
			before = c.Stats().RoundTrips
			p3, replies, err := sess.OpenPipe(ctx, "srvsvc", srvsvcBind, srvsvcGetInfo)
			if err != nil {
				t.Fatal(err)
			}
			if n := c.Stats().RoundTrips - before; n != 2 || len(replies) != 2 {
				t.Errorf("OpenPipe with bind and request: %d round trips, %d replies; want 2 and 2", n, len(replies))
			}
			checkPDU(t, "NetrServerGetInfo", replies[1], 2, 2)

			// Write + Read is the other way to talk to a pipe.
			req := append([]byte(nil), srvsvcGetInfo...)
			binary.LittleEndian.PutUint32(req[12:], 3)
			if err := p3.Write(ctx, req); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 4096)
			n, err := p3.Read(ctx, buf)
			if err != nil {
				t.Fatal(err)
			}
			checkPDU(t, "read reply", buf[:n], 2, 3)

			// A read with nothing to read pends at the server; a
			// cancelled context sends CANCEL and returns.
			rctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			start := time.Now()
			_, err = p3.Read(rctx, buf)
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("pending read: %v", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("cancel took %v", d)
			}
			// Samba does not cancel a pipe read (its named pipe
			// reads have no cancel function): the READ stays
			// pending and would take the next reply. The connection
			// itself is fine: a new pipe works.
			p3.Close(ctx)
			p4, replies, err := sess.OpenPipe(ctx, "srvsvc", srvsvcBind)
			if err != nil {
				t.Fatal(err)
			}
			checkPDU(t, "bind after cancel", replies[0], 12, 1)
			out, err = p4.Transceive(ctx, srvsvcGetInfo)
			if err != nil {
				t.Fatal(err)
			}
			checkPDU(t, "after cancel", out, 2, 2)
			p4.Close(ctx)
		})
	}
}

// TestClientConcurrent runs many requests at once on one connection.
func TestClientConcurrent(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	ctx := testCtx(t)
	sess := login(t, s, nil, s.User)
	tree, err := sess.TreeConnect(ctx, "data")
	if err != nil {
		t.Fatal(err)
	}
	const workers = 64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := "c" + itoa(i)
			f, err := tree.OpenFile(ctx, name, FileOverwriteIf)
			if err != nil {
				errs <- err
				return
			}
			defer f.Close(ctx)
			data := []byte(strings.Repeat(name, 1000))
			for j := 0; j < 10; j++ {
				if _, err := f.WriteAt(ctx, data, int64(j*len(data))); err != nil {
					errs <- err
					return
				}
			}
			got := make([]byte, len(data))
			for j := 0; j < 10; j++ {
				if _, err := f.ReadAt(ctx, got, int64(j*len(data))); err != nil || string(got) != string(data) {
					errs <- errors.Join(errors.New("read back differs"), err)
					return
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if st := sess.Conn().Stats(); st.Discarded != 0 {
		t.Errorf("%d responses discarded", st.Discarded)
	}
}

// TestClientCancelChangeNotify cancels a CHANGE_NOTIFY, which Samba
// answers with an interim STATUS_PENDING and holds.
func TestClientCancelChangeNotify(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{Encrypt: "desired"})
	ctx := testCtx(t)
	sess := login(t, s, nil, s.User)
	tree, err := sess.TreeConnect(ctx, "data")
	if err != nil {
		t.Fatal(err)
	}
	d, err := tree.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		nctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		req := tree.req(&ChangeNotifyRequest{FileID: d.ID(), OutputBufferLength: 4096, CompletionFilter: FileNotifyChangeFileName})
		_, err = sess.conn.roundTrip(nctx, req, &ChangeNotifyResponse{})
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("change notify: %v", err)
		}
	}
	if _, err := d.Stat(ctx); err != nil {
		t.Fatalf("after cancel: %v", err)
	}
	// The CANCELs worked: the server answered each abandoned request
	// (with STATUS_CANCELLED), and the answers were dropped.
	deadline := time.Now().Add(5 * time.Second)
	for sess.conn.abandonedAnswered.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 3 cancelled requests answered", sess.conn.abandonedAnswered.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
