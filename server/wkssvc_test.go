package server

import (
	"encoding/binary"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

func (c *testClient) wkst(t testing.TB) *wkst.Client {
	t.Helper()
	ctx := testCtx(t)
	p, _, err := c.sess.OpenPipe(ctx, "wkssvc")
	if err != nil {
		t.Fatalf("open wkssvc: %v", err)
	}
	c.keep = append(c.keep, p)
	rc, err := dcerpc.Bind(ctx, p, dcerpc.SyntaxID{UUID: wkst.InterfaceUUID, Version: wkst.InterfaceVersionMajor, Minor: wkst.InterfaceVersionMinor}, nil)
	if err != nil {
		t.Fatalf("bind wkssvc: %v", err)
	}
	return wkst.NewClient(rc)
}

func TestWkssvc(t *testing.T) {
	ts := startServer(t, nil)
	admin := dialTestClient(t, ts.addr, testAdmin, testAdminPW)
	defer admin.close()
	bob := dialTestClient(t, ts.addr, testUser, testUserPW)
	defer bob.close()
	cl := admin.wkst(t)
	ctx := testCtx(t)

	gi, err := cl.NetrWkstaGetInfo(ctx, &wkst.NetrWkstaGetInfoRequest{Level: 100})
	if err != nil || gi.WkstaInfo.WkstaInfo100 == nil || gi.WkstaInfo.WkstaInfo100.ComputerName != "LANMANTEST" {
		t.Errorf("NetrWkstaGetInfo 100: %v %+v", err, gi)
	}
	if _, err := cl.NetrWkstaGetInfo(ctx, &wkst.NetrWkstaGetInfoRequest{Level: 999}); !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
		t.Errorf("level 999: %v", err)
	}
	if _, err := bob.wkst(t).NetrWkstaGetInfo(ctx, &wkst.NetrWkstaGetInfoRequest{Level: 102}); !errors.Is(err, win32.ERROR_ACCESS_DENIED) {
		t.Errorf("non-admin level 102: %v", err)
	}
	ue, err := cl.NetrWkstaUserEnum(ctx, &wkst.NetrWkstaUserEnumRequest{UserInfo: wkst.WkstaUserEnum{Level: 1}, PreferredMaximumLength: wkst.MAX_PREFERRED_LENGTH})
	if err != nil || len(ue.UserInfo.Level1) != 2 {
		t.Errorf("NetrWkstaUserEnum: %v %+v", err, ue)
	}
	// MS-WKST 3.2.4.7-10: the Use methods are refused to remote callers.
	if _, err := cl.NetrUseEnum(ctx, &wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: 0}, PreferredMaximumLength: wkst.MAX_PREFERRED_LENGTH}); !errors.Is(err, win32.ERROR_CALL_NOT_IMPLEMENTED) {
		t.Errorf("NetrUseEnum: %v", err)
	}
	if _, err := cl.NetrUseDel(ctx, &wkst.NetrUseDelRequest{UseName: `\\x\y`}); !errors.Is(err, win32.ERROR_CALL_NOT_IMPLEMENTED) {
		t.Errorf("NetrUseDel: %v", err)
	}
	if _, err := cl.NetrUseGetInfo(ctx, &wkst.NetrUseGetInfoRequest{UseName: `\\x\y`, Level: 1}); !errors.Is(err, win32.ERROR_CALL_NOT_IMPLEMENTED) {
		t.Errorf("NetrUseGetInfo: %v", err)
	}
}

// TestMalformedDropsOnlyThatConnection sends a garbled request on one
// connection: that connection is dropped, and another client's session
// keeps working.
func TestMalformedDropsOnlyThatConnection(t *testing.T) {
	ts := startServer(t, nil)
	good := dialTestClient(t, ts.addr, testAdmin, testAdminPW)
	defer good.close()
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// A frame that claims 8 MiB.
	nc.Write(binary.BigEndian.AppendUint32(nil, 8<<20))
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := nc.Read(make([]byte, 1)); err == nil {
		t.Errorf("oversized frame: connection still open (%d bytes)", n)
	}
	// A valid negotiate, then a message that is not SMB2.
	nc2, _ := net.Dial("tcp", ts.addr)
	defer nc2.Close()
	nc2.Write(frame(negotiateRequest(0x0202)))
	nc2.Write(frame([]byte("this is not smb2 at all, not even close")))
	nc2.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 4096)
	for {
		if _, err := nc2.Read(buf); err != nil {
			break
		}
	}
	// The other session is unaffected.
	if _, err := good.srvs(t).NetrServerGetInfo(testCtx(t), &srvs.NetrServerGetInfoRequest{Level: 101}); err != nil {
		t.Fatalf("other client after a malformed request: %v", err)
	}
	// Nothing is reachable without authenticating.
	nc3, _ := net.Dial("tcp", ts.addr)
	defer nc3.Close()
	out := exchangeRaw(t, nc3, frame(negotiateRequest(0x0202)))
	if len(out) == 0 {
		t.Fatal("no negotiate response")
	}
	tc := frame(smb2TreeConnectNoSession())
	out = exchangeRaw(t, nc3, tc)
	if len(out) < 4+64 || binary.LittleEndian.Uint32(out[4+8:]) != 0xC0000203 { // STATUS_USER_SESSION_DELETED
		t.Errorf("tree connect without a session: % x", out[:min(len(out), 20)])
	}
}

func exchangeRaw(t *testing.T, nc net.Conn, req []byte) []byte {
	t.Helper()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := nc.Write(req); err != nil {
		t.Fatal(err)
	}
	var hdr [4]byte
	if _, err := readFull(nc, hdr[:]); err != nil {
		return nil
	}
	body := make([]byte, binary.BigEndian.Uint32(hdr[:]))
	if _, err := readFull(nc, body); err != nil {
		return nil
	}
	return append(hdr[:], body...)
}

func readFull(nc net.Conn, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		k, err := nc.Read(b[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
