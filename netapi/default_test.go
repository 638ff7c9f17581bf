package netapi

import (
	"context"
	"testing"
)

// TestPackageLevel calls the Win32-shaped package functions against
// lanman's server: they dial with DefaultOptions once and reuse the
// connection, as Windows reuses one SMB connection per server.
func TestPackageLevel(t *testing.T) {
	ls := startLanman(t)
	saved := DefaultOptions
	DefaultOptions = &Options{Credentials: Credentials{User: "admin", Password: ls.pw["admin"]}}
	defer func() { DefaultOptions = saved; CloseConnections() }()
	ctx := context.Background()

	var resume uint32
	buf, read, total, err := NetSessionEnum(ctx, `\\`+ls.addr, "", "", 10, MAX_PREFERRED_LENGTH, &resume)
	if err != nil {
		t.Fatal(err)
	}
	sessions, ok := buf.([]SessionInfo10)
	if !ok || read != 1 || total != 1 || len(sessions) != 1 || sessions[0].UserName != "admin" {
		t.Fatalf("NetSessionEnum = %#v, %d, %d", buf, read, total)
	}
	if _, _, _, err := NetShareEnum(ctx, ls.addr, 1, MAX_PREFERRED_LENGTH, nil); err != nil {
		t.Fatal(err)
	}
	if info, err := NetServerGetInfo(ctx, ls.addr, 100); err != nil || info.(*ServerInfo100).Name != "LMTEST" {
		t.Fatalf("NetServerGetInfo = %#v, %v", info, err)
	}
	// Three calls, one session: the server sees only the pooled one.
	buf, _, _, err = NetSessionEnum(ctx, ls.addr, "", "", 10, MAX_PREFERRED_LENGTH, nil)
	if err != nil || len(buf.([]SessionInfo10)) != 1 {
		t.Fatalf("after three calls: %#v, %v; want the one pooled session", buf, err)
	}
	pool.Lock()
	n := len(pool.clients)
	pool.Unlock()
	if n != 1 {
		t.Fatalf("%d pooled connections, want 1", n)
	}
	CloseConnections()
	pool.Lock()
	n = len(pool.clients)
	pool.Unlock()
	if n != 0 {
		t.Fatalf("%d pooled connections after CloseConnections", n)
	}

	// Connect with a user dials, on every OS.
	s, err := Connect(ctx, ls.addr, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.(*Client); !ok {
		t.Fatalf("Connect returned %T, want *Client", s)
	}
}
