//go:build unix

package netapi

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lanman/lanman/wkst"
	"github.com/lanman/lanman/workstation"
)

// TestNetUse drives the four NetUse functions through a real Workstation
// service (in-process, on a private socket) with a use of lanman's server.
func TestNetUse(t *testing.T) {
	// The service's socket lives under $XDG_RUNTIME_DIR/lanman.
	run := t.TempDir()
	if err := os.Chmod(run, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", run)
	ctx := context.Background()

	if _, _, _, err := NetUseEnum(ctx, "", 2, MAX_PREFERRED_LENGTH, nil); !errors.Is(err, NERR_WkstaNotStarted) {
		t.Fatalf("no service: %v, want NERR_WkstaNotStarted", err)
	}
	if _, _, _, err := NetUseEnum(ctx, `\\elsewhere`, 2, MAX_PREFERRED_LENGTH, nil); !errors.Is(err, ERROR_NOT_SUPPORTED) {
		t.Fatalf("remote server: %v, want ERROR_NOT_SUPPORTED", err)
	}

	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- workstation.ListenAndServe(sctx, workstation.ServiceConfig{}) }()
	defer func() {
		stop()
		select {
		case <-served:
		case <-time.After(10 * time.Second):
			t.Error("service did not stop")
		}
	}()
	sock := filepath.Join(workstation.SocketDir(), workstation.SocketName)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("service socket did not appear")
		}
	}

	ls := startLanman(t)
	user, pw, empty := "bob", ls.pw["bob"], ""
	remote := `\\` + ls.addr + `\data`
	add := &UseInfo2{UseInfo1: wkst.UseInfo1{Local: "Q:", Remote: remote, AsgType: USE_DISKDEV, Password: &pw}, UserName: &user, DomainName: &empty}
	if _, err := NetUseAdd(ctx, "", add); err != nil {
		t.Fatalf("NetUseAdd: %v", err)
	}
	if _, err := NetUseAdd(ctx, "", add); !errors.Is(err, ERROR_ALREADY_ASSIGNED) {
		t.Errorf("second NetUseAdd of Q:: %v, want ERROR_ALREADY_ASSIGNED", err)
	}
	buf, read, total, err := NetUseEnum(ctx, "", 2, MAX_PREFERRED_LENGTH, nil)
	uses, _ := buf.([]UseInfo2)
	if err != nil || read != 1 || total != 1 || uses[0].Remote != remote || uses[0].Status != USE_OK {
		t.Fatalf("NetUseEnum = %#v, %d, %d, %v", buf, read, total, err)
	}
	info, err := NetUseGetInfo(ctx, "", "Q:", 1)
	if u, ok := info.(*UseInfo1); err != nil || !ok || u.Remote != remote {
		t.Fatalf("NetUseGetInfo(Q:, 1) = %#v, %v", info, err)
	}
	if len(ls.srv.Sessions()) != 1 {
		t.Errorf("server sessions = %+v, want the use's one", ls.srv.Sessions())
	}
	if err := NetUseDel(ctx, "", "Q:", USE_NOFORCE); err != nil {
		t.Fatalf("NetUseDel: %v", err)
	}
	if err := NetUseDel(ctx, "", "Q:", USE_NOFORCE); !errors.Is(err, NERR_UseNotFound) {
		t.Errorf("second NetUseDel: %v, want NERR_UseNotFound", err)
	}
	// The last use of the session logged it off.
	for deadline := time.Now().Add(5 * time.Second); len(ls.srv.Sessions()) != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("server sessions after NetUseDel: %+v", ls.srv.Sessions())
		}
	}
}
