package sambatest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHarness starts a server, holds a session with an open file through
// smbclient, and checks smbstatus sees exactly that.
func TestHarness(t *testing.T) {
	s := Start(t, Options{})
	if err := os.WriteFile(filepath.Join(s.Share, "hello.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := s.Connect(t, s.Admin, "data")
	c.Run(t, "open hello.txt", "fnum")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Sessions) != 1 {
		t.Fatalf("sessions = %+v, want exactly one", st.Sessions)
	}
	for _, sess := range st.Sessions {
		if sess.Username != AdminName || sess.Dialect != "SMB3_11" {
			t.Errorf("session = %+v", sess)
		}
	}
	if _, ok := st.Open[filepath.Join(s.Share, "hello.txt")]; !ok {
		t.Errorf("open files = %+v, want hello.txt", st.Open)
	}
	c.Close()
	s.Stop()
}
