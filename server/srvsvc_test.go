package server

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/win32"
)

// srvsClient binds srvsvc over a pipe of c's session with lanman's own
// DCE/RPC client.
func (c *testClient) srvs(t testing.TB) *srvs.Client {
	t.Helper()
	ctx := testCtx(t)
	p, _, err := c.sess.OpenPipe(ctx, "srvsvc")
	if err != nil {
		t.Fatalf("open srvsvc: %v", err)
	}
	c.keep = append(c.keep, p)
	rc, err := dcerpc.Bind(ctx, p, dcerpc.SyntaxID{UUID: srvs.InterfaceUUID, Version: srvs.InterfaceVersionMajor, Minor: srvs.InterfaceVersionMinor}, nil)
	if err != nil {
		t.Fatalf("bind srvsvc: %v", err)
	}
	return srvs.NewClient(rc)
}

func u32(v uint32) *uint32 { return &v }

func TestSrvsvcSessions(t *testing.T) {
	ts := startServer(t, nil)
	os.WriteFile(filepath.Join(ts.dataDir, "a.txt"), []byte("a"), 0o644)
	admin := dialTestClient(t, ts.addr, testAdmin, testAdminPW)
	defer admin.close()
	var bobs []*testClient
	for range 3 {
		b := dialTestClient(t, ts.addr, testUser, testUserPW)
		defer b.close()
		b.openFile(t, "data", "a.txt")
		bobs = append(bobs, b)
	}
	cl := admin.srvs(t)
	ctx := testCtx(t)

	enum := func(level uint32, client, user string, max uint32, resume *uint32) (*srvs.NetrSessionEnumResponse, error) {
		return cl.NetrSessionEnum(ctx, &srvs.NetrSessionEnumRequest{ClientName: client, UserName: user,
			InfoStruct: srvs.SessionEnum{Level: level}, PreferedMaximumLength: max, ResumeHandle: resume})
	}
	all, err := enum(502, "", "", srvs.MAX_PREFERRED_LENGTH, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.InfoStruct.Level502) != 4 || all.TotalEntries != 4 {
		t.Fatalf("502: %d entries, total %d", len(all.InfoStruct.Level502), all.TotalEntries)
	}
	for _, e := range all.InfoStruct.Level502 {
		if e.ClientName != `\\127.0.0.1` {
			t.Errorf("cname %q", e.ClientName)
		}
		if e.UserName == testUser && e.NumOpens != 1 {
			t.Errorf("bob's session has %d opens", e.NumOpens)
		}
	}
	for _, lvl := range []uint32{0, 1, 2, 10, 502} {
		full, err := enum(lvl, "", "", srvs.MAX_PREFERRED_LENGTH, nil)
		if err != nil || full.InfoStruct.Len() != 4 {
			t.Fatalf("level %d: %v, %d entries", lvl, err, full.InfoStruct.Len())
		}
		// Paging with every PreferedMaximumLength from 1 byte up gives
		// exactly the entries of the unlimited call.
		for max := uint32(1); max < 1200; max += 7 {
			var got srvs.SessionEnum
			got.Level = lvl
			resume := u32(0)
			for calls := 0; ; calls++ {
				if calls > 10 {
					t.Fatalf("level %d max %d: no progress", lvl, max)
				}
				r, err := enum(lvl, "", "", max, resume)
				if err != nil {
					t.Fatalf("level %d max %d: %v", lvl, max, err)
				}
				appendSessions(&got, &r.InfoStruct)
				if r.Status != win32.ERROR_MORE_DATA {
					break
				}
				resume = r.ResumeHandle
			}
			if !sameSessions(&got, &full.InfoStruct) {
				t.Fatalf("level %d max %d: paged %+v\nwant %+v", lvl, max, got, full.InfoStruct)
			}
		}
	}
	r, err := enum(10, "", testUser, srvs.MAX_PREFERRED_LENGTH, nil)
	if err != nil || len(r.InfoStruct.Level10) != 3 {
		t.Errorf("UserName filter: %v %+v", err, r)
	}
	r, err = enum(10, `\\127.0.0.1`, testAdmin, srvs.MAX_PREFERRED_LENGTH, nil)
	if err != nil || len(r.InfoStruct.Level10) != 1 {
		t.Errorf("both filters: %v %+v", err, r)
	}
	for _, tc := range []struct {
		level        uint32
		client, user string
		want         win32.Errno
	}{
		{10, "", "nobody", win32.NERR_UserNotFound},
		{10, `\\10.9.9.9`, "", win32.NERR_ClientNameNotFound},
		{10, "127.0.0.1", "", win32.NERR_InvalidComputer},
		{3, "", "", win32.ERROR_INVALID_LEVEL},
		{10, "", string(make([]byte, 1100)), win32.ERROR_INVALID_PARAMETER},
	} {
		if _, err := enum(tc.level, tc.client, tc.user, srvs.MAX_PREFERRED_LENGTH, nil); !errors.Is(err, tc.want) {
			t.Errorf("%+v: err = %v", tc, err)
		}
	}
	// A non-admin may not enumerate sessions.
	if _, err := bobs[0].srvs(t).NetrSessionEnum(ctx, &srvs.NetrSessionEnumRequest{InfoStruct: srvs.SessionEnum{Level: 10},
		PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}); !errors.Is(err, win32.ERROR_ACCESS_DENIED) {
		t.Errorf("non-admin NetrSessionEnum: %v", err)
	}

	// NetrSessionDel really closes bob's sessions, and their opens.
	if _, err := cl.NetrSessionDel(ctx, &srvs.NetrSessionDelRequest{UserName: "nobody"}); !errors.Is(err, win32.NERR_ClientNameNotFound) {
		t.Errorf("NetrSessionDel nobody: %v", err)
	}
	if _, err := cl.NetrSessionDel(ctx, &srvs.NetrSessionDelRequest{}); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
		t.Errorf("NetrSessionDel without qualifiers: %v", err)
	}
	if _, err := cl.NetrSessionDel(ctx, &srvs.NetrSessionDelRequest{UserName: testUser}); err != nil {
		t.Fatalf("NetrSessionDel: %v", err)
	}
	waitFor(t, func() bool { return len(ts.Sessions()) == 1 && len(ts.Opens()) == 1 })
	select {
	case <-bobs[0].conn.Done():
	case <-time.After(5 * time.Second):
		t.Error("bob's connection stayed open after NetrSessionDel")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func appendSessions(dst, src *srvs.SessionEnum) {
	dst.Level0 = append(dst.Level0, src.Level0...)
	dst.Level1 = append(dst.Level1, src.Level1...)
	dst.Level2 = append(dst.Level2, src.Level2...)
	dst.Level10 = append(dst.Level10, src.Level10...)
	dst.Level502 = append(dst.Level502, src.Level502...)
}

// sameSessions compares two enumerations, ignoring the times, which may
// tick between calls.
func sameSessions(a, b *srvs.SessionEnum) bool {
	norm := func(e *srvs.SessionEnum) srvs.SessionEnum {
		c := srvs.SessionEnum{Level: e.Level}
		appendSessions(&c, e)
		c.Level1 = append([]srvs.SessionInfo1(nil), c.Level1...)
		for i := range c.Level1 {
			c.Level1[i].Time, c.Level1[i].IdleTime = 0, 0
		}
		c.Level2 = append([]srvs.SessionInfo2(nil), c.Level2...)
		for i := range c.Level2 {
			c.Level2[i].Time, c.Level2[i].IdleTime = 0, 0
		}
		c.Level10 = append([]srvs.SessionInfo10(nil), c.Level10...)
		for i := range c.Level10 {
			c.Level10[i].Time, c.Level10[i].IdleTime = 0, 0
		}
		c.Level502 = append([]srvs.SessionInfo502(nil), c.Level502...)
		for i := range c.Level502 {
			c.Level502[i].Time, c.Level502[i].IdleTime = 0, 0
		}
		return c
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func TestSrvsvcFilesConnectionsShares(t *testing.T) {
	ts := startServer(t, nil)
	os.WriteFile(filepath.Join(ts.dataDir, "a.txt"), []byte("a"), 0o644)
	admin := dialTestClient(t, ts.addr, testAdmin, testAdminPW)
	defer admin.close()
	bob := dialTestClient(t, ts.addr, testUser, testUserPW)
	defer bob.close()
	f := bob.openFile(t, "data", "a.txt")
	bob.tree(t, "ro")
	cl := admin.srvs(t)
	ctx := testCtx(t)

	files, err := cl.NetrFileEnum(ctx, &srvs.NetrFileEnumRequest{UserName: testUser, InfoStruct: srvs.FileEnum{Level: 3}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH})
	if err != nil || len(files.InfoStruct.Level3) != 1 {
		t.Fatalf("NetrFileEnum: %v %+v", err, files)
	}
	fi := files.InfoStruct.Level3[0]
	if fi.PathName != filepath.Join(ts.dataDir, "a.txt") || fi.UserName != testUser || fi.Permissions&srvs.PERM_FILE_READ == 0 {
		t.Errorf("FILE_INFO_3 %+v", fi)
	}
	byBase, err := cl.NetrFileEnum(ctx, &srvs.NetrFileEnumRequest{BasePath: ts.dataDir, InfoStruct: srvs.FileEnum{Level: 2}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH})
	if err != nil || len(byBase.InfoStruct.Level2) != 1 || byBase.InfoStruct.Level2[0].ID != fi.ID {
		t.Errorf("BasePath filter: %v %+v", err, byBase)
	}
	if _, err := cl.NetrFileEnum(ctx, &srvs.NetrFileEnumRequest{InfoStruct: srvs.FileEnum{Level: 1}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}); !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
		t.Errorf("file level 1: %v", err)
	}
	gi, err := cl.NetrFileGetInfo(ctx, &srvs.NetrFileGetInfoRequest{FileID: fi.ID, Level: 3})
	if err != nil || gi.InfoStruct.FileInfo3 == nil || gi.InfoStruct.FileInfo3.PathName != fi.PathName {
		t.Errorf("NetrFileGetInfo: %v %+v", err, gi)
	}
	if _, err := cl.NetrFileGetInfo(ctx, &srvs.NetrFileGetInfoRequest{FileID: 999999, Level: 3}); !errors.Is(err, win32.ERROR_FILE_NOT_FOUND) {
		t.Errorf("NetrFileGetInfo unknown: %v", err)
	}

	conns, err := cl.NetrConnectionEnum(ctx, &srvs.NetrConnectionEnumRequest{Qualifier: "data", InfoStruct: srvs.ConnectEnum{Level: 1}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH})
	if err != nil || len(conns.InfoStruct.Level1) != 1 || conns.InfoStruct.Level1[0].NetName != `\\127.0.0.1` || conns.InfoStruct.Level1[0].NumOpens != 1 {
		t.Errorf("NetrConnectionEnum share: %v %+v", err, conns)
	}
	conns, err = cl.NetrConnectionEnum(ctx, &srvs.NetrConnectionEnumRequest{Qualifier: `\\127.0.0.1`, InfoStruct: srvs.ConnectEnum{Level: 1}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH})
	if err != nil || len(conns.InfoStruct.Level1) < 3 {
		t.Errorf("NetrConnectionEnum computer: %v %+v", err, conns)
	}
	for _, tc := range []struct {
		q    string
		lvl  uint32
		want win32.Errno
	}{{"", 1, win32.ERROR_INVALID_PARAMETER}, {"nosuch", 1, win32.NERR_NetNameNotFound}, {"data", 2, win32.ERROR_INVALID_LEVEL}} {
		if _, err := cl.NetrConnectionEnum(ctx, &srvs.NetrConnectionEnumRequest{Qualifier: tc.q, InfoStruct: srvs.ConnectEnum{Level: tc.lvl}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}); !errors.Is(err, tc.want) {
			t.Errorf("NetrConnectionEnum %+v: %v", tc, err)
		}
	}

	shares, err := cl.NetrShareEnum(ctx, &srvs.NetrShareEnumRequest{InfoStruct: srvs.ShareEnum{Level: 502}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH})
	if err != nil || len(shares.InfoStruct.Level502) != 3 || shares.InfoStruct.Level502[1].Path != ts.dataDir || shares.InfoStruct.Level502[1].CurrentUses != 1 {
		t.Errorf("NetrShareEnum 502: %v %+v", err, shares)
	}
	if _, err := cl.NetrShareGetInfo(ctx, &srvs.NetrShareGetInfoRequest{NetName: "nosuch", Level: 1}); !errors.Is(err, win32.NERR_NetNameNotFound) {
		t.Errorf("NetrShareGetInfo nosuch: %v", err)
	}
	bc := bob.srvs(t)
	if _, err := bc.NetrShareEnum(ctx, &srvs.NetrShareEnumRequest{InfoStruct: srvs.ShareEnum{Level: 1}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}); err != nil {
		t.Errorf("non-admin share enum level 1: %v", err)
	}
	if _, err := bc.NetrShareEnum(ctx, &srvs.NetrShareEnumRequest{InfoStruct: srvs.ShareEnum{Level: 502}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}); !errors.Is(err, win32.ERROR_ACCESS_DENIED) {
		t.Errorf("non-admin share enum level 502: %v", err)
	}
	if _, err := bc.NetrFileClose(ctx, &srvs.NetrFileCloseRequest{FileID: fi.ID}); !errors.Is(err, win32.ERROR_ACCESS_DENIED) {
		t.Errorf("non-admin NetrFileClose: %v", err)
	}
	si, err := cl.NetrServerGetInfo(ctx, &srvs.NetrServerGetInfoRequest{Level: 102})
	if err != nil || si.InfoStruct.ServerInfo102 == nil || si.InfoStruct.ServerInfo102.Name != "LANMANTEST" || si.InfoStruct.ServerInfo102.Users != 2 {
		t.Errorf("NetrServerGetInfo 102: %v %+v", err, si)
	}
	if _, err := bc.NetrServerGetInfo(ctx, &srvs.NetrServerGetInfoRequest{Level: 102}); !errors.Is(err, win32.ERROR_ACCESS_DENIED) {
		t.Errorf("non-admin 102: %v", err)
	}
	if _, err := cl.NetrServerGetInfo(ctx, &srvs.NetrServerGetInfoRequest{Level: 103}); !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
		t.Errorf("level 103: %v", err)
	}

	// NetrFileClose really closes: the client's handle is dead after it.
	if _, err := cl.NetrFileClose(ctx, &srvs.NetrFileCloseRequest{FileID: fi.ID}); err != nil {
		t.Fatalf("NetrFileClose: %v", err)
	}
	if _, err := cl.NetrFileClose(ctx, &srvs.NetrFileCloseRequest{FileID: fi.ID}); !errors.Is(err, win32.NERR_FileIdNotFound) {
		t.Errorf("second NetrFileClose: %v", err)
	}
	buf := make([]byte, 1)
	if _, err := f.ReadAt(ctx, buf, 0); err == nil {
		t.Error("read on a handle closed by NetrFileClose succeeded")
	}
}
