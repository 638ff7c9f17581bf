//go:build unix

package workstation

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

// startService runs a Workstation service on a private socket directory
// for the test and returns it with a connected client.
func startService(t *testing.T, cfg ServiceConfig) (*Service, *Client) {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(t.TempDir(), "lanman")
	}
	l, err := Listen(cfg.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("service did not stop")
		}
	})
	c, err := Dial(testCtx(t), cfg.Dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return s, c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDialWithoutService(t *testing.T) {
	ctx := testCtx(t)
	dir := filepath.Join(t.TempDir(), "lanman")
	if _, err := Dial(ctx, dir); !errors.Is(err, win32.NERR_WkstaNotStarted) {
		t.Fatalf("no directory: %v, want NERR_WkstaNotStarted", err)
	}
	// A directory and a stale socket, but nobody listening.
	l, err := Listen(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.ul.SetUnlinkOnClose(false)
	l.Close()
	if _, err := Dial(ctx, dir); !errors.Is(err, win32.NERR_WkstaNotStarted) {
		t.Fatalf("stale socket: %v, want NERR_WkstaNotStarted", err)
	}
}

func TestWkstaGetInfoLevels(t *testing.T) {
	_, c := startService(t, ServiceConfig{Info: WkstaInfo{ComputerName: "TESTBOX", LanGroup: "LAB", VerMajor: 10}})
	ctx := testCtx(t)
	for _, level := range []uint32{100, 101, 102} {
		info, err := c.WkstaGetInfo(ctx, level)
		if err != nil {
			t.Fatalf("level %d: %v", level, err)
		}
		var name, group string
		switch level {
		case 100:
			name, group = info.WkstaInfo100.ComputerName, info.WkstaInfo100.LanGroup
		case 101:
			name, group = info.WkstaInfo101.ComputerName, info.WkstaInfo101.LanGroup
		case 102:
			name, group = info.WkstaInfo102.ComputerName, info.WkstaInfo102.LanGroup
			if info.WkstaInfo102.PlatformID != wkst.PLATFORM_ID_NT || info.WkstaInfo102.VerMajor != 10 {
				t.Errorf("level 102: %+v", info.WkstaInfo102)
			}
		}
		if name != "TESTBOX" || group != "LAB" {
			t.Errorf("level %d: %q %q", level, name, group)
		}
	}
	for _, level := range []uint32{0, 502, 1013, 7} {
		if _, err := c.WkstaGetInfo(ctx, level); !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
			t.Errorf("level %d: %v, want ERROR_INVALID_LEVEL", level, err)
		}
	}
}

// Error paths of the four use calls that need no server.
func TestUseCallsErrorPaths(t *testing.T) {
	_, c := startService(t, ServiceConfig{})
	ctx := testCtx(t)
	wk := c.Wkst()

	// NetrUseAdd: bad level, NULL info, bad remote, bad local, bad type,
	// long password; ErrorParameter names the member.
	parm := uint32(0)
	_, err := wk.NetrUseAdd(ctx, &wkst.NetrUseAddRequest{InfoStruct: wkst.UseInfo{Level: 4}, ErrorParameter: &parm})
	if !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
		t.Errorf("add level 4: %v", err)
	}
	for level := uint32(0); level <= 3; level++ {
		_, err := wk.NetrUseAdd(ctx, &wkst.NetrUseAddRequest{InfoStruct: wkst.UseInfo{Level: level}})
		if !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
			t.Errorf("add level %d with NULL info: %v", level, err)
		}
	}
	long := string(make([]byte, 66))
	user := "u"
	cases := []struct {
		name string
		info wkst.UseInfo
		parm uint32
	}{
		{"level 0 remote", wkst.UseInfo{Level: 0, UseInfo0: &wkst.UseInfo0{Remote: `not-unc`}}, parmRemote},
		{"level 1 local", wkst.UseInfo{Level: 1, UseInfo1: &wkst.UseInfo1{Local: "LPT1:", Remote: `\\h\s`, AsgType: wkst.USE_DISKDEV}}, parmLocal},
		{"level 1 asg", wkst.UseInfo{Level: 1, UseInfo1: &wkst.UseInfo1{Remote: `\\h\s`, AsgType: 9}}, parmAsgType},
		{"level 1 wildcard with local", wkst.UseInfo{Level: 1, UseInfo1: &wkst.UseInfo1{Local: "X:", Remote: `\\h\s`, AsgType: wkst.USE_WILDCARD}}, parmAsgType},
		{"level 2 password", wkst.UseInfo{Level: 2, UseInfo2: &wkst.UseInfo2{UseInfo1: wkst.UseInfo1{Remote: `\\h\s`, Password: &long}, UserName: &user}}, parmPassword},
		{"level 3 remote", wkst.UseInfo{Level: 3, UseInfo3: &wkst.UseInfo3{UseInfo2: wkst.UseInfo2{UseInfo1: wkst.UseInfo1{Remote: `\\h`}}}}, parmRemote},
	}
	for _, cs := range cases {
		parm := uint32(0)
		resp, err := wk.NetrUseAdd(ctx, &wkst.NetrUseAddRequest{InfoStruct: cs.info, ErrorParameter: &parm})
		if !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
			t.Errorf("%s: %v, want ERROR_INVALID_PARAMETER", cs.name, err)
			continue
		}
		if resp.ErrorParameter == nil || *resp.ErrorParameter != cs.parm {
			t.Errorf("%s: ErrorParameter %v, want %d", cs.name, resp.ErrorParameter, cs.parm)
		}
	}
	// A server that does not answer: the dial error comes back as a
	// Win32 code, and nothing is left in the table.
	err = c.UseAdd(ctx, UseParams{Remote: `\\127.0.0.1:1\data`, AsgType: UseDiskDev, Creds: &Credentials{User: "u", Password: "p"}})
	if !errors.Is(err, win32.ERROR_BAD_NETPATH) {
		t.Errorf("unreachable server: %v, want ERROR_BAD_NETPATH", err)
	}

	// NetrUseGetInfo: bad level, empty name, unknown use, at every level.
	if _, err := c.UseGetInfo(ctx, "X:", 4); !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
		t.Errorf("getinfo level 4: %v", err)
	}
	for level := uint32(0); level <= 3; level++ {
		if _, err := c.UseGetInfo(ctx, "", level); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
			t.Errorf("getinfo empty name level %d: %v", level, err)
		}
		if _, err := c.UseGetInfo(ctx, "Q:", level); !errors.Is(err, win32.NERR_UseNotFound) {
			t.Errorf("getinfo unknown level %d: %v", level, err)
		}
		if _, err := c.UseGetInfo(ctx, `\\h\s`, level); !errors.Is(err, win32.NERR_UseNotFound) {
			t.Errorf("getinfo unknown remote level %d: %v", level, err)
		}
	}

	// NetrUseDel: bad force level, empty name, unknown use.
	if err := c.UseDel(ctx, "X:", 3); !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
		t.Errorf("del force 3: %v", err)
	}
	if err := c.UseDel(ctx, "", wkst.USE_NOFORCE); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
		t.Errorf("del empty: %v", err)
	}
	for _, force := range []uint32{wkst.USE_NOFORCE, wkst.USE_FORCE, wkst.USE_LOTS_OF_FORCE} {
		if err := c.UseDel(ctx, "X:", force); !errors.Is(err, win32.NERR_UseNotFound) {
			t.Errorf("del unknown force %d: %v", force, err)
		}
	}

	// NetrUseEnum: bad level; an empty table at every level.
	r3, err := wk.NetrUseEnum(ctx, &wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: 3}, PreferredMaximumLength: wkst.MAX_PREFERRED_LENGTH})
	if !errors.Is(err, win32.ERROR_INVALID_LEVEL) || r3.Status != win32.ERROR_INVALID_LEVEL {
		t.Errorf("enum level 3: %v", err)
	}
	for level := uint32(0); level <= 2; level++ {
		resume := uint32(0)
		r, err := wk.NetrUseEnum(ctx, &wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: level}, PreferredMaximumLength: 100, ResumeHandle: &resume})
		if err != nil || r.TotalEntries != 0 || r.InfoStruct.Len() != 0 || r.InfoStruct.Level != level {
			t.Errorf("enum empty level %d: %+v %v", level, r, err)
		}
	}
}

func TestStopThroughControl(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lanman")
	l, err := Listen(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(ServiceConfig{Dir: dir})
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background(), l) }()
	ctx := testCtx(t)
	c, err := Dial(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after Stop")
	}
	if _, err := Dial(ctx, dir); !errors.Is(err, win32.NERR_WkstaNotStarted) {
		t.Fatalf("after stop: %v", err)
	}
	if _, err := s.Redirector().GetInfo("X:"); !errors.Is(err, ErrClosed) {
		t.Fatalf("redirector after stop: %v", err)
	}
}

// Control calls on unknown handles and without uses fail with Win32
// codes, not faults.
func TestControlErrors(t *testing.T) {
	_, c := startService(t, ServiceConfig{})
	ctx := testCtx(t)
	if _, err := c.Stat(ctx, "X:/f"); !errors.Is(err, win32.NERR_UseNotFound) {
		t.Errorf("stat without use: %v", err)
	}
	if _, err := c.ReadDir(ctx, `\\h\s\d`); !errors.Is(err, win32.NERR_UseNotFound) {
		t.Errorf("readdir without use: %v", err)
	}
	if _, err := c.OpenFile(ctx, "nocolon", 0); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
		t.Errorf("open bad path: %v", err)
	}
	f := &RemoteFile{c: c, handle: 77, name: "x", ctx: ctx}
	if _, err := f.ReadAt(make([]byte, 4), 0); !errors.Is(err, win32.ERROR_INVALID_HANDLE) {
		t.Errorf("read unknown handle: %v", err)
	}
	if _, err := f.WriteAt([]byte("x"), 0); !errors.Is(err, win32.ERROR_INVALID_HANDLE) {
		t.Errorf("write unknown handle: %v", err)
	}
	if err := f.Close(); !errors.Is(err, win32.ERROR_INVALID_HANDLE) {
		t.Errorf("close unknown handle: %v", err)
	}
}
