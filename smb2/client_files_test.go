package smb2

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lanman/lanman/internal/sambatest"
	"github.com/lanman/lanman/ntstatus"
)

// roundTripFile writes size random bytes to name on the data share,
// reads them back and removes the file.
func roundTripFile(t *testing.T, sess *Session, name string, size int) {
	t.Helper()
	ctx := testCtx(t)
	tree, err := sess.TreeConnect(ctx, "data")
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Disconnect(ctx)
	f, err := tree.OpenFile(ctx, name, FileOverwriteIf)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, size)
	rand.Read(want)
	if n, err := f.WriteAt(ctx, want, 0); err != nil || n != size {
		t.Fatalf("WriteAt: %d, %v", n, err)
	}
	got := make([]byte, size+10)
	n, err := f.ReadAt(ctx, got, 0)
	if err != io.EOF || n != size || !bytes.Equal(got[:n], want) {
		t.Fatalf("ReadAt: %d bytes, %v; equal %v", n, err, bytes.Equal(got[:n], want))
	}
	if err := f.SetDeleteOnClose(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestClientFiles(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	ctx := testCtx(t)
	sess := login(t, s, nil, s.User)
	tree, err := sess.TreeConnect(ctx, `\\127.0.0.1\data`)
	if err != nil {
		t.Fatal(err)
	}
	if tree.ShareType() != ShareTypeDisk {
		t.Fatalf("share type %v", tree.ShareType())
	}
	if err := tree.Mkdir(ctx, "dir"); err != nil {
		t.Fatal(err)
	}
	// A large file: several parallel multi-credit chunks.
	const size = 5<<20 + 12345
	data := make([]byte, size)
	rand.Read(data)
	f, err := tree.OpenFile(ctx, "dir/big.bin", FileCreate)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.WriteAt(ctx, data, 0); err != nil || n != size {
		t.Fatalf("WriteAt: %d, %v", n, err)
	}
	if err := f.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	local, err := os.ReadFile(filepath.Join(s.Share, "dir", "big.bin"))
	if err != nil || !bytes.Equal(local, data) {
		t.Fatalf("file on disk differs (%v)", err)
	}
	buf := make([]byte, 1000)
	if n, err := f.ReadAt(ctx, buf, size-500); n != 500 || err != io.EOF || !bytes.Equal(buf[:n], data[size-500:]) {
		t.Fatalf("read across EOF: %d, %v", n, err)
	}
	if n, err := f.ReadAt(ctx, buf, size+10); n != 0 || err != io.EOF {
		t.Fatalf("read past EOF: %d, %v", n, err)
	}
	st, err := f.Stat(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Standard.EndOfFile != size || st.Standard.Directory {
		t.Fatalf("stat: %+v", st.Standard)
	}
	var basic FileBasicInformation
	if err := f.QueryInfo(ctx, &basic); err != nil {
		t.Fatal(err)
	}
	if basic.LastWriteTime == 0 {
		t.Fatal("no LastWriteTime")
	}
	if err := f.Truncate(ctx, 10); err != nil {
		t.Fatal(err)
	}
	var std FileStandardInformation
	if err := f.QueryInfo(ctx, &std); err != nil || std.EndOfFile != 10 {
		t.Fatalf("after truncate: %+v, %v", std, err)
	}
	var fsSize FileFsFullSizeInformation
	if err := f.QueryInfo(ctx, &fsSize); err != nil || fsSize.TotalAllocationUnits == 0 {
		t.Fatalf("fs size: %+v, %v", fsSize, err)
	}
	if err := f.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(ctx); !errors.Is(err, ErrFileClosed) {
		t.Fatalf("second close: %v", err)
	}
	if _, err := f.ReadAt(ctx, buf, 0); !errors.Is(err, ErrFileClosed) {
		t.Fatalf("read after close: %v", err)
	}

	// Many files for a directory listing that takes several batches.
	var names []string
	for i := 0; i < 300; i++ {
		name := filepath.Join("dir", "file-with-a-rather-long-name-to-fill-batches-"+string(rune('a'+i%26))+"-"+itoa(i))
		if err := os.WriteFile(filepath.Join(s.Share, name), []byte("x"), 0o666); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(name))
	}
	names = append(names, "big.bin")
	d, err := tree.Open(ctx, "dir")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := d.ReadDirAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.FileName)
	}
	slices.Sort(got)
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Fatalf("listed %d names, want %d", len(got), len(names))
	}
	// Restart gives the same first batch again.
	first, err := d.ReadDir(ctx, "*", true)
	if err != nil || len(first) == 0 {
		t.Fatalf("restart: %d entries, %v", len(first), err)
	}
	d.Close(ctx)

	if err := tree.Rename(ctx, "dir/big.bin", "moved.bin", false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Share, "moved.bin")); err != nil {
		t.Fatal(err)
	}
	if err := tree.Remove(ctx, "moved.bin"); err != nil {
		t.Fatal(err)
	}
	if _, err := tree.Open(ctx, "moved.bin"); !errors.Is(err, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND) {
		t.Fatalf("open removed file: %v", err)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
