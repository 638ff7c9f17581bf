package netapi

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/lanman/lanman/internal/lanmantest"
	"github.com/lanman/lanman/server"
	"github.com/lanman/lanman/smb2"
)

// lanmanServer runs lanman's own server in-process with an admin, two
// users, and a share holding a few files.
type lanmanServer struct {
	srv  *server.Server
	addr string
	dir  string
	pw   map[string]string
}

func startLanman(t *testing.T) *lanmanServer { return startLanmanTB(t) }

func startLanmanTB(t testing.TB) *lanmanServer {
	t.Helper()
	ls := &lanmanServer{dir: t.TempDir(), pw: map[string]string{"admin": "Adm-1pass", "alice": "Al-2pass", "bob": "Bo-3pass"}}
	for _, f := range []string{"a.txt", "b.txt", "c.txt"} {
		if err := os.WriteFile(filepath.Join(ls.dir, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	users, err := server.NewUsers(
		server.User{Name: "admin", NTHash: server.NTHash(ls.pw["admin"]), Admin: true},
		server.User{Name: "alice", NTHash: server.NTHash(ls.pw["alice"])},
		server.User{Name: "bob", NTHash: server.NTHash(ls.pw["bob"])},
	)
	if err != nil {
		t.Fatal(err)
	}
	ls.srv, ls.addr = lanmantest.Serve(t, server.Config{ServerName: "LMTEST", Domain: "LMTEST", Users: users,
		Shares: []server.Share{{Name: "data", Path: ls.dir, Comment: "test data"}}})
	return ls
}

func (ls *lanmanServer) dial(t *testing.T, user, workstation string, chain bool) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, ls.addr, &Options{
		Credentials:    Credentials{User: user, Password: ls.pw[user]},
		Workstation:    workstation,
		ChainFirstCall: chain,
	})
	if err != nil {
		t.Fatalf("Dial as %s: %v", user, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// holdFiles opens names on the data share through c's session.
func holdFiles(t *testing.T, c *Client, names ...string) {
	t.Helper()
	ctx := context.Background()
	tree, err := c.Session().TreeConnect(ctx, "data")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, err := tree.OpenFile(ctx, n, smb2.FileOpen); err != nil {
			t.Fatalf("open %s: %v", n, err)
		}
	}
}

func TestLanmanServerLevelsAndFilters(t *testing.T) {
	ls := startLanman(t)
	holdFiles(t, ls.dial(t, "alice", "WKS-A", false), "a.txt")
	holdFiles(t, ls.dial(t, "bob", "WKS-B", false), "b.txt", "c.txt")
	admin := ls.dial(t, "admin", "WKS-ADMIN", true)
	ctx := context.Background()

	s502, err := Collect(Sessions[SessionInfo502](ctx, admin, Query{}))
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]uint32{}
	for _, s := range s502 {
		users[s.UserName] = s.NumOpens
	}
	// admin's own session holds the srvsvc pipe open.
	if len(s502) != 3 || users["alice"] != 1 || users["bob"] != 2 || users["admin"] != 1 {
		t.Fatalf("level 502 sessions = %+v", s502)
	}
	// Every level answers with the same sessions.
	for _, n := range []int{
		mustLen(Collect(Sessions[SessionInfo0](ctx, admin, Query{}))),
		mustLen(Collect(Sessions[SessionInfo1](ctx, admin, Query{}))),
		mustLen(Collect(Sessions[SessionInfo2](ctx, admin, Query{}))),
		mustLen(Collect(Sessions[SessionInfo10](ctx, admin, Query{}))),
	} {
		if n != 3 {
			t.Errorf("a session level answered %d entries, want 3", n)
		}
	}
	bob, err := Collect(Sessions[SessionInfo10](ctx, admin, Query{UserName: "bob"}))
	if err != nil || len(bob) != 1 || bob[0].UserName != "bob" {
		t.Errorf("UserName filter: %+v, %v", bob, err)
	}
	if _, err := Collect(Sessions[SessionInfo10](ctx, admin, Query{UserName: "nobody"})); !errors.Is(err, NERR_UserNotFound) {
		t.Errorf("unknown user filter: err = %v, want NERR_UserNotFound", err)
	}
	if _, err := Collect(Sessions[SessionInfo10](ctx, admin, Query{ClientName: `\\192.0.2.1`})); !errors.Is(err, NERR_ClientNameNotFound) {
		t.Errorf("unknown client filter: err = %v, want NERR_ClientNameNotFound", err)
	}

	conns, err := Collect(Connections[ConnectionInfo1](ctx, admin, Query{Qualifier: "data"}))
	if err != nil || len(conns) != 2 {
		t.Fatalf("connections to data: %+v, %v", conns, err)
	}
	files, err := Collect(Files[FileInfo3](ctx, admin, Query{UserName: "bob"}))
	if err != nil || len(files) != 2 {
		t.Fatalf("bob's files: %+v, %v", files, err)
	}
	shares, err := Collect(Shares[ShareInfo2](ctx, admin, Query{}))
	if err != nil || len(shares) != 2 {
		t.Fatalf("shares: %+v, %v", shares, err)
	}
	info, err := admin.NetServerGetInfo(ctx, 101)
	if si, ok := info.(*ServerInfo101); err != nil || !ok || si.Name != "LMTEST" {
		t.Fatalf("NetServerGetInfo 101 = %#v, %v", info, err)
	}

	if fi, err := admin.NetFileGetInfo(ctx, files[0].ID, 3); err != nil || fi.(*FileInfo3).ID != files[0].ID {
		t.Errorf("NetFileGetInfo(%d) = %#v, %v", files[0].ID, fi, err)
	}
	// MS-SRVS 3.1.4.3 and 3.1.4.4 name different codes for an unknown id.
	if _, err := admin.NetFileGetInfo(ctx, 0xFFFF, 3); !errors.Is(err, ERROR_FILE_NOT_FOUND) {
		t.Errorf("NetFileGetInfo of no open: %v, want ERROR_FILE_NOT_FOUND", err)
	}
	if err := admin.NetFileClose(ctx, 0xFFFF); !errors.Is(err, NERR_FileIdNotFound) {
		t.Errorf("NetFileClose of no open: %v, want NERR_FileIdNotFound", err)
	}
	if si, err := admin.NetShareGetInfo(ctx, "data", 2); err != nil || si.(*ShareInfo2).Path != ls.dir {
		t.Errorf("NetShareGetInfo(data, 2) = %#v, %v", si, err)
	}
	if _, err := admin.NetShareGetInfo(ctx, "nosuch", 1); !errors.Is(err, NERR_NetNameNotFound) {
		t.Errorf("NetShareGetInfo of no share: %v, want NERR_NetNameNotFound", err)
	}

	// NetFileClose really closes: the open disappears from the list.
	if err := admin.NetFileClose(ctx, files[0].ID); err != nil {
		t.Fatal(err)
	}
	if after, err := Collect(Files[FileInfo3](ctx, admin, Query{UserName: "bob"})); err != nil || len(after) != 1 {
		t.Fatalf("after NetFileClose: %+v, %v", after, err)
	}
	// NetSessionDel ends alice's session.
	if err := admin.NetSessionDel(ctx, "", "alice"); err != nil {
		t.Fatal(err)
	}
	if left, err := Collect(Sessions[SessionInfo10](ctx, admin, Query{UserName: "alice"})); !errors.Is(err, NERR_UserNotFound) {
		t.Fatalf("after NetSessionDel: %+v, %v", left, err)
	}
}

func mustLen[T any](s []T, err error) int {
	if err != nil {
		return -1
	}
	return len(s)
}

// TestLanmanServerPaging: with every page size from 1 byte up, the
// iterator returns exactly the entries of one unlimited call.
func TestLanmanServerPaging(t *testing.T) {
	ls := startLanman(t)
	for i := 0; i < 6; i++ {
		holdFiles(t, ls.dial(t, "bob", fmt.Sprintf("WKS-%d", i), false), "a.txt")
	}
	admin := ls.dial(t, "admin", "WKS-ADMIN", false)
	ctx := context.Background()
	all, err := Collect(Sessions[SessionInfo502](ctx, admin, Query{}))
	if err != nil || len(all) != 7 {
		t.Fatalf("unlimited: %d entries, %v", len(all), err)
	}
	var resume uint32
	_, read, total, err := admin.NetSessionEnum(ctx, "", "", 502, 1, &resume)
	if !errors.Is(err, ErrMoreData) || read != 1 || total != 7 || resume == 0 {
		t.Fatalf("1-byte page: read %d total %d resume %d err %v; want 1 of 7 and ERROR_MORE_DATA", read, total, resume, err)
	}
	for max := uint32(1); max < 1500; max += 7 {
		got, err := Collect(Sessions[SessionInfo502](ctx, admin, Query{MaxLen: max}))
		if err != nil {
			t.Fatalf("max-len %d: %v", max, err)
		}
		if !reflect.DeepEqual(got, all) {
			t.Fatalf("max-len %d: %d entries differ from the unlimited call's %d", max, len(got), len(all))
		}
	}
}

func TestLanmanServerAccess(t *testing.T) {
	ls := startLanman(t)
	alice := ls.dial(t, "alice", "WKS-A", false)
	ctx := context.Background()
	if _, _, _, err := alice.NetSessionEnum(ctx, "", "", 10, MAX_PREFERRED_LENGTH, nil); !errors.Is(err, ERROR_ACCESS_DENIED) {
		t.Errorf("non-admin NetSessionEnum: %v, want ERROR_ACCESS_DENIED", err)
	}
	if _, _, _, err := alice.NetFileEnum(ctx, "", "", 3, MAX_PREFERRED_LENGTH, nil); !errors.Is(err, ERROR_ACCESS_DENIED) {
		t.Errorf("non-admin NetFileEnum: %v, want ERROR_ACCESS_DENIED", err)
	}
	if _, _, _, err := alice.NetSessionEnum(ctx, "", "", 7, MAX_PREFERRED_LENGTH, nil); err == nil {
		t.Error("level 7 accepted")
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := Dial(cctx, ls.addr, &Options{Credentials: Credentials{User: "alice", Password: "wrong"}}); !errors.Is(err, NTStatus(0xC000006D)) {
		t.Errorf("wrong password: %v, want STATUS_LOGON_FAILURE", err)
	}
}

// TestChainFirstCall counts round trips: with the first request chained
// behind TREE_CONNECT + CREATE + bind, a cold call is one round trip;
// without, two. Against Samba, which refuses the chain, the call still
// succeeds.
func TestChainFirstCall(t *testing.T) {
	ls := startLanman(t)
	ctx := context.Background()
	for _, chain := range []bool{true, false} {
		c := ls.dial(t, "admin", "WKS", chain)
		before := c.Stats().RoundTrips
		if _, _, _, err := c.NetSessionEnum(ctx, "", "", 10, MAX_PREFERRED_LENGTH, nil); err != nil {
			t.Fatal(err)
		}
		want := uint64(2)
		if chain {
			want = 1
		}
		if got := c.Stats().RoundTrips - before; got != want {
			t.Errorf("chain=%v: first call took %d round trips, want %d", chain, got, want)
		}
		before = c.Stats().RoundTrips
		if _, _, _, err := c.NetShareEnum(ctx, 1, MAX_PREFERRED_LENGTH, nil); err != nil {
			t.Fatal(err)
		}
		if got := c.Stats().RoundTrips - before; got != 1 {
			t.Errorf("chain=%v: second call took %d round trips, want 1", chain, got)
		}
	}
}
