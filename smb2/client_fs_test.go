package smb2

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/lanman/lanman/internal/sambatest"
)

func TestClientFS(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	files := map[string]string{
		"a.txt":           "alpha",
		"dir/b.txt":       "bravo bravo",
		"dir/sub/c.bin":   string(make([]byte, 3000)),
		"dir/sub/empty":   "",
		"other/deep/d.md": "# delta",
	}
	var names []string
	for name, content := range files {
		p := filepath.Join(s.Share, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	ctx := testCtx(t)
	sess := login(t, s, nil, s.User)
	tree, err := sess.TreeConnect(ctx, "data")
	if err != nil {
		t.Fatal(err)
	}
	// fstest reads byte by byte, one READ each: keep the files small.
	if err := fstest.TestFS(tree.FS(ctx), names...); err != nil {
		t.Fatal(err)
	}
}
