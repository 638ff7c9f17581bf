package smb2

import (
	"bytes"
	"testing"

	"github.com/lanman/lanman/internal/sambatest"
)

func TestClientDialects(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	for _, d := range []Dialect{Dialect202, Dialect210, Dialect300, Dialect302, Dialect311} {
		t.Run(d.String(), func(t *testing.T) {
			ctx := testCtx(t)
			sess := login(t, s, &Options{Dialects: []Dialect{d}}, s.User)
			if got := sess.Conn().Dialect(); got != d {
				t.Fatalf("dialect %v, want %v", got, d)
			}
			if !sess.Signed() {
				t.Fatal("session not signed")
			}
			tree, err := sess.TreeConnect(ctx, "data")
			if err != nil {
				t.Fatal(err)
			}
			f, err := tree.OpenFile(ctx, "hello-"+d.String()+".txt", FileOverwriteIf)
			if err != nil {
				t.Fatal(err)
			}
			want := []byte("hello over " + d.String())
			if _, err := f.WriteAt(ctx, want, 0); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, 100)
			n, err := f.ReadAt(ctx, got, 0)
			if n != len(want) || !bytes.Equal(got[:n], want) {
				t.Fatalf("read %q (%v), want %q", got[:n], err, want)
			}
			if err := f.Close(ctx); err != nil {
				t.Fatal(err)
			}
			if err := tree.Disconnect(ctx); err != nil {
				t.Fatal(err)
			}
			if err := sess.Logoff(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}
