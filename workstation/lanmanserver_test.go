//go:build unix

package workstation

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/lanman/lanman/internal/lanmantest"
	"github.com/lanman/lanman/server"
	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

// startLanmanServer runs lanman's own SMB2 server in-process on loopback.
func startLanmanServer(t *testing.T) (*server.Server, string, string) {
	t.Helper()
	dir := t.TempDir()
	users, err := server.NewUsers(server.User{Name: "alice", NTHash: server.NTHash("alice-pw")})
	if err != nil {
		t.Fatal(err)
	}
	srv, addr := lanmantest.Serve(t, server.Config{Shares: []server.Share{{Name: "data", Path: dir}}, Users: users, ServerName: "LANMANSRV"})
	return srv, addr, dir
}

func TestLanmanServerUse(t *testing.T) {
	srv, addr, dir := startLanmanServer(t)
	os.WriteFile(filepath.Join(dir, "f.txt"), []byte("from lanman"), 0o644)
	_, c := startService(t, ServiceConfig{})
	ctx := testCtx(t)
	remote := `\\` + addr + `\data`
	if err := c.UseAdd(ctx, UseParams{Remote: remote, AsgType: UseWildcard, Creds: &Credentials{User: "alice", Password: "alice-pw"}}); err != nil {
		t.Fatalf("UseAdd: %v", err)
	}
	sessions := func() int {
		n := 0
		for _, s := range srv.Sessions() {
			if s.User == "alice" {
				n++
			}
		}
		return n
	}
	eventually(t, "the server lists the session", func() bool { return sessions() == 1 })
	all, err := c.UseEnum(ctx, 0)
	if err != nil || len(all) != 1 || all[0].Status != wkst.USE_OK || all[0].AsgType != wkst.USE_DISKDEV {
		t.Fatalf("enum: %+v %v", all, err)
	}

	f, err := c.OpenFile(ctx, remote+`\f.txt`, os.O_RDONLY)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the server lists the open", func() bool { return len(srv.Opens()) == 1 })
	if err := c.UseDel(ctx, remote, wkst.USE_NOFORCE); !errors.Is(err, win32.ERROR_DEVICE_IN_USE) {
		t.Fatalf("USE_NOFORCE: %v, want ERROR_DEVICE_IN_USE", err)
	}
	b := make([]byte, 11)
	if n, err := f.ReadAt(b, 0); n != 11 || string(b) != "from lanman" {
		t.Fatalf("read: %q %v", b[:n], err)
	}
	if err := c.UseDel(ctx, remote, wkst.USE_FORCE); err != nil {
		t.Fatalf("USE_FORCE: %v", err)
	}
	eventually(t, "the open is closed", func() bool { return len(srv.Opens()) == 0 })
	eventually(t, "the session is logged off", func() bool { return sessions() == 0 })
}
