//go:build unix

package workstation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lanman/lanman/internal/sambatest"
	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

// proxy forwards TCP connections to a server, and can cut them all and
// stop listening, then listen again on the same port: a network outage
// between the workstation and a real server.
type proxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

// down stops listening and cuts every connection.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// up listens again on the same address.
func (p *proxy) up() {
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}

func sambaSessions(t *testing.T, s *sambatest.Samba, user string) int {
	t.Helper()
	st, err := s.Status(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ss := range st.Sessions {
		if strings.EqualFold(ss.Username, user) || strings.HasSuffix(strings.ToLower(ss.Username), `\`+strings.ToLower(user)) {
			n++
		}
	}
	return n
}

func sambaOpens(t *testing.T, s *sambatest.Samba, name string) int {
	t.Helper()
	st, err := s.Status(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range st.Open {
		if strings.HasSuffix(f.Filename, name) {
			n += len(f.Opens)
		}
	}
	return n
}

// eventually polls cond: smbd updates its tables asynchronously.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSambaUseLifecycle(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	if err := os.WriteFile(filepath.Join(s.Share, "hello.txt"), []byte("hello, world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(s.Share, "dir"), 0o777)
	os.Chmod(filepath.Join(s.Share, "dir"), 0o777) // past the umask: the share's user writes here
	_, c := startService(t, ServiceConfig{})
	ctx := testCtx(t)
	remote := fmt.Sprintf(`\\127.0.0.1:%d\data`, s.Port)
	creds := &Credentials{User: s.User.Name, Password: s.User.Password, Domain: sambatest.Domain}

	if err := c.UseAdd(ctx, UseParams{Local: "X:", Remote: remote, AsgType: UseDiskDev, Creds: creds}); err != nil {
		t.Fatalf("UseAdd: %v", err)
	}
	eventually(t, "smbd lists the session", func() bool { return sambaSessions(t, s, s.User.Name) == 1 })

	// A second use of the same server shares the session.
	if err := c.UseAdd(ctx, UseParams{Remote: remote, AsgType: UseWildcard, Creds: creds}); err != nil {
		t.Fatalf("second UseAdd: %v", err)
	}
	if err := c.UseAdd(ctx, UseParams{Local: "x:", Remote: remote, AsgType: UseDiskDev, Creds: creds}); !errors.Is(err, win32.ERROR_ALREADY_ASSIGNED) {
		t.Fatalf("duplicate local name: %v, want ERROR_ALREADY_ASSIGNED", err)
	}
	other := &Credentials{User: s.Admin.Name, Password: s.Admin.Password}
	if err := c.UseAdd(ctx, UseParams{Local: "Y:", Remote: remote, AsgType: UseDiskDev, Creds: other}); !errors.Is(err, win32.ERROR_SESSION_CREDENTIAL_CONFLICT) {
		t.Fatalf("other credentials to the same server: %v, want ERROR_SESSION_CREDENTIAL_CONFLICT", err)
	}
	if err := c.UseAdd(ctx, UseParams{Local: "P:", Remote: fmt.Sprintf(`\\127.0.0.1:%d\IPC$`, s.Port), AsgType: UseSpoolDev}); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
		t.Fatalf("printer use of IPC$: %v, want ERROR_INVALID_PARAMETER", err)
	}
	if err := c.UseAdd(ctx, UseParams{Remote: fmt.Sprintf(`\\127.0.0.1:%d\nosuch`, s.Port), AsgType: UseDiskDev}); !errors.Is(err, win32.ERROR_BAD_NET_NAME) {
		t.Fatalf("missing share: %v, want ERROR_BAD_NET_NAME", err)
	}
	if n := sambaSessions(t, s, s.User.Name); n != 1 {
		t.Fatalf("smbd has %d sessions of the user, want 1 shared", n)
	}

	// Every level of NetUseGetInfo, by local and by remote name.
	for level := uint32(0); level <= 3; level++ {
		info, err := c.UseGetInfo(ctx, "x:", level)
		if err != nil {
			t.Fatalf("GetInfo level %d: %v", level, err)
		}
		checkInfo(t, level, info, "X:", remote, s.User.Name)
		info, err = c.UseGetInfo(ctx, remote, level)
		if err != nil {
			t.Fatalf("GetInfo %s level %d: %v", remote, level, err)
		}
		checkInfo(t, level, info, "", remote, s.User.Name)
	}

	// NetUseEnum at every level, all at once and in pages.
	for level := uint32(0); level <= 2; level++ {
		resume := uint32(0)
		r, err := c.Wkst().NetrUseEnum(ctx, &wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: level}, PreferredMaximumLength: wkst.MAX_PREFERRED_LENGTH, ResumeHandle: &resume})
		if err != nil || r.InfoStruct.Len() != 2 || r.TotalEntries != 2 {
			t.Fatalf("enum level %d: %+v %v", level, r, err)
		}
	}
	one := uint32((&wkst.UseInfo2{UseInfo1: wkst.UseInfo1{Local: "X:", Remote: remote}, UserName: &s.User.Name, DomainName: ptr(sambatest.Domain)}).BufferSize())
	resume := uint32(0)
	r, err := c.Wkst().NetrUseEnum(ctx, &wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: 2}, PreferredMaximumLength: one, ResumeHandle: &resume})
	if r == nil || r.Status != win32.NERR_BufTooSmall || r.InfoStruct.Len() != 1 || r.TotalEntries != 2 || r.ResumeHandle == nil || *r.ResumeHandle == 0 {
		t.Fatalf("first page: %+v %v, want one entry and NERR_BufTooSmall", r, err)
	}
	r2, err := c.Wkst().NetrUseEnum(ctx, &wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: 2}, PreferredMaximumLength: one + 100, ResumeHandle: r.ResumeHandle})
	if err != nil || r2.InfoStruct.Len() != 1 || r2.TotalEntries != 1 || r2.InfoStruct.Level2[0].Local != "" {
		t.Fatalf("second page: %+v %v", r2, err)
	}
	r0, _ := c.Wkst().NetrUseEnum(ctx, &wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: 0}, PreferredMaximumLength: 1, ResumeHandle: &resume})
	if r0 == nil || r0.Status != win32.NERR_BufTooSmall || r0.InfoStruct.Len() != 0 || r0.TotalEntries != 2 {
		t.Fatalf("page too small for any entry: %+v", r0)
	}
	all, err := c.UseEnum(ctx, one)
	if err != nil || len(all) != 2 || all[0].Status != UseOK || all[1].Status != UseOK {
		t.Fatalf("paged UseEnum: %+v %v", all, err)
	}

	// Files through the use.
	fi, err := c.Stat(ctx, "X:/hello.txt")
	if err != nil || fi.Size() != 13 || fi.IsDir() {
		t.Fatalf("stat: %v %v", fi, err)
	}
	ents, err := c.ReadDir(ctx, "X:/")
	if err != nil || len(ents) != 2 || ents[0].Name() != "dir" || !ents[0].IsDir() || ents[1].Name() != "hello.txt" {
		t.Fatalf("readdir: %v %v", ents, err)
	}
	wf, err := c.OpenFile(ctx, "X:/dir/new.txt", os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wf.Write([]byte("written through a use")); err != nil {
		t.Fatal(err)
	}
	if err := wf.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(s.Share, "dir", "new.txt")); string(b) != "written through a use" {
		t.Fatalf("file on the server: %q", b)
	}

	// A file held open: refcount 1, USE_NOFORCE and USE_FORCE's... only
	// NOFORCE fails, leaving use and file intact.
	f, err := c.OpenFile(ctx, "X:/hello.txt", os.O_RDONLY)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := c.UseGetInfo(ctx, "X:", 1); info.UseInfo1 == nil || info.UseInfo1.RefCount != 1 {
		t.Fatalf("refcount with a file open: %+v", info.UseInfo1)
	}
	eventually(t, "smbd lists the open file", func() bool { return sambaOpens(t, s, "hello.txt") == 1 })
	if err := c.UseDel(ctx, "X:", wkst.USE_NOFORCE); !errors.Is(err, win32.ERROR_DEVICE_IN_USE) {
		t.Fatalf("USE_NOFORCE with an open file: %v, want ERROR_DEVICE_IN_USE", err)
	}
	buf := make([]byte, 5)
	if n, err := f.ReadAt(buf, 0); err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("file after the refused delete: %q %v", buf[:n], err)
	}
	if _, err := c.UseGetInfo(ctx, "X:", 0); err != nil {
		t.Fatalf("use after the refused delete: %v", err)
	}
	if err := c.UseDel(ctx, "X:", wkst.USE_LOTS_OF_FORCE); err != nil {
		t.Fatalf("USE_LOTS_OF_FORCE: %v", err)
	}
	eventually(t, "smbd closes the file", func() bool { return sambaOpens(t, s, "hello.txt") == 0 })
	if _, err := f.ReadAt(buf, 0); !errors.Is(err, win32.ERROR_INVALID_HANDLE) {
		t.Fatalf("read after forced delete: %v, want ERROR_INVALID_HANDLE", err)
	}
	if _, err := c.UseGetInfo(ctx, "X:", 0); !errors.Is(err, win32.NERR_UseNotFound) {
		t.Fatalf("deleted use: %v", err)
	}
	if n := sambaSessions(t, s, s.User.Name); n != 1 {
		t.Fatalf("session gone while a use remains: %d", n)
	}

	// The last use of the session logs it off.
	if err := c.UseDel(ctx, remote, wkst.USE_NOFORCE); err != nil {
		t.Fatalf("delete by remote name: %v", err)
	}
	eventually(t, "smbd drops the session", func() bool { return sambaSessions(t, s, s.User.Name) == 0 })
	if all, err := c.UseEnum(ctx, 0); err != nil || len(all) != 0 {
		t.Fatalf("enum after deletes: %+v %v", all, err)
	}
}

func ptr(s string) *string { return &s }

func checkInfo(t *testing.T, level uint32, u wkst.UseInfo, local, remote, user string) {
	t.Helper()
	if u.Level != level {
		t.Fatalf("level %d answered as %d", level, u.Level)
	}
	var i1 *wkst.UseInfo1
	var i2 *wkst.UseInfo2
	switch level {
	case 0:
		if u.UseInfo0 == nil || u.UseInfo0.Local != local || u.UseInfo0.Remote != remote {
			t.Fatalf("level 0: %+v", u.UseInfo0)
		}
		return
	case 1:
		i1 = u.UseInfo1
	case 2:
		i2 = u.UseInfo2
	case 3:
		if u.UseInfo3 == nil {
			t.Fatal("level 3: NULL")
		}
		i2 = &u.UseInfo3.UseInfo2
	}
	if i2 != nil {
		if i2.UserName == nil || *i2.UserName != user || i2.DomainName == nil || *i2.DomainName != sambatest.Domain {
			t.Fatalf("level %d user/domain: %v %v", level, i2.UserName, i2.DomainName)
		}
		i1 = &i2.UseInfo1
	}
	if i1 == nil || i1.Local != local || i1.Remote != remote || i1.Status != UseOK || i1.AsgType != UseDiskDev || i1.UseCount != 1 || i1.Password != nil {
		t.Fatalf("level %d: %+v", level, i1)
	}
}

// Stopping the server turns the use to disconnected; touching it once the
// server is back reconnects it.
func TestSambaDisconnectReconnect(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	os.WriteFile(filepath.Join(s.Share, "f.txt"), []byte("abc"), 0o644)
	p := newProxy(t, s.Addr)
	r := New(Config{MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	defer r.Close(context.Background())
	ctx := testCtx(t)
	remote := `\\` + p.addr + `\data`
	if err := r.Add(ctx, UseParams{Local: "X:", Remote: remote, AsgType: UseDiskDev, Creds: &Credentials{User: s.User.Name, Password: s.User.Password}}); err != nil {
		t.Fatal(err)
	}
	if info, _ := r.GetInfo("X:"); info.Status != UseOK {
		t.Fatalf("status %d, want USE_OK", info.Status)
	}
	held, err := r.Open(ctx, "X:/f.txt")
	if err != nil {
		t.Fatal(err)
	}

	p.down()
	eventually(t, "status turns to disconnected", func() bool {
		info, _ := r.GetInfo("X:")
		return info.Status == UseDisconn
	})
	// Touching the use while the server is away fails, and says so.
	if _, err := r.Stat(ctx, "X:/f.txt"); err == nil {
		t.Fatal("stat with the server away succeeded")
	}
	if info, _ := r.GetInfo("X:"); info.Status != UseNetErr {
		t.Fatalf("status after a failed reconnect: %d, want USE_NETERR", info.Status)
	}

	p.up()
	var fi os.FileInfo
	eventually(t, "a touch reconnects", func() bool {
		fi, err = r.Stat(ctx, "X:/f.txt")
		return err == nil
	})
	if fi.Size() != 3 {
		t.Fatalf("size %d", fi.Size())
	}
	if info, _ := r.GetInfo("X:"); info.Status != UseOK || info.RefCount != 1 {
		t.Fatalf("after reconnect: %+v, want USE_OK and the stale file still counted", info)
	}
	// The file opened before the outage is stale; closing it releases it.
	if _, err := held.ReadAt(make([]byte, 1), 0); !errors.Is(err, ErrStale) {
		t.Fatalf("stale file read: %v, want ErrStale", err)
	}
	if err := held.Close(); err != nil {
		t.Fatalf("closing a stale file: %v", err)
	}
	if err := r.Del(ctx, "X:", UseNoForce); err != nil {
		t.Fatal(err)
	}
}

// Wrong password: ERROR_LOGON_FAILURE, nothing left behind.
func TestSambaLogonFailure(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	_, c := startService(t, ServiceConfig{})
	ctx := testCtx(t)
	err := c.UseAdd(ctx, UseParams{Remote: fmt.Sprintf(`\\127.0.0.1:%d\data`, s.Port), AsgType: UseDiskDev, Creds: &Credentials{User: s.User.Name, Password: "wrong"}})
	if !errors.Is(err, win32.ERROR_LOGON_FAILURE) {
		t.Fatalf("wrong password: %v, want ERROR_LOGON_FAILURE", err)
	}
	if all, _ := c.UseEnum(ctx, 0); len(all) != 0 {
		t.Fatalf("failed add left %+v", all)
	}
}
