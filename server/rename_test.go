package server

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantStatus(t *testing.T, what string, err error, st ntstatus.Status) {
	t.Helper()
	if !errors.Is(err, st) {
		t.Errorf("%s: %v, want %v", what, err, st)
	}
}

// openPath returns the display path the server's open table holds for the
// open with the given file ID.
func openPath(ts *testServer, id smb2.FileID) string {
	for _, o := range ts.Opens() {
		if uint64(o.ID) == id.Persistent {
			return o.Path
		}
	}
	return ""
}

func TestRename(t *testing.T) {
	ts := startServer(t, nil)
	c := dialTestClient(t, ts.addr, testUser, testUserPW)
	defer c.close()
	tr := c.tree(t, "data")
	ctx := testCtx(t)
	data := ts.dataDir
	exists := func(rel string) bool {
		_, err := os.Lstat(filepath.Join(data, filepath.FromSlash(rel)))
		return err == nil
	}

	t.Run("simple", func(t *testing.T) {
		writeFile(t, filepath.Join(data, "a.txt"), "A")
		if err := tr.Rename(ctx, "a.txt", "b.txt", false); err != nil {
			t.Fatal(err)
		}
		if exists("a.txt") || readFile(t, filepath.Join(data, "b.txt")) != "A" {
			t.Error("a.txt was not moved to b.txt")
		}
	})
	t.Run("replace", func(t *testing.T) {
		writeFile(t, filepath.Join(data, "c.txt"), "C")
		wantStatus(t, "rename onto existing", tr.Rename(ctx, "b.txt", "c.txt", false), ntstatus.STATUS_OBJECT_NAME_COLLISION)
		if readFile(t, filepath.Join(data, "c.txt")) != "C" || !exists("b.txt") {
			t.Fatal("a refused rename changed files")
		}
		if err := tr.Rename(ctx, "b.txt", "c.txt", true); err != nil {
			t.Fatal(err)
		}
		if exists("b.txt") || readFile(t, filepath.Join(data, "c.txt")) != "A" {
			t.Error("ReplaceIfExists did not replace c.txt")
		}
		// Directories are never replaced, nor replace anything.
		os.Mkdir(filepath.Join(data, "d"), 0o755)
		wantStatus(t, "replace a directory", tr.Rename(ctx, "c.txt", "d", true), ntstatus.STATUS_ACCESS_DENIED)
		writeFile(t, filepath.Join(data, "e.txt"), "E")
		wantStatus(t, "directory replacing a file", tr.Rename(ctx, "d", "e.txt", true), ntstatus.STATUS_ACCESS_DENIED)
		// A file someone has open is not replaced.
		g, err := tr.Open(ctx, "e.txt")
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "replace an open file", tr.Rename(ctx, "c.txt", "e.txt", true), ntstatus.STATUS_ACCESS_DENIED)
		g.Close(ctx)
		if err := tr.Rename(ctx, "c.txt", "e.txt", true); err != nil {
			t.Errorf("replace after close: %v", err)
		}
	})
	t.Run("open-file-across-directories", func(t *testing.T) {
		os.Mkdir(filepath.Join(data, "from"), 0o755)
		os.Mkdir(filepath.Join(data, "to"), 0o755)
		f, err := tr.OpenFile(ctx, `from\f.txt`, smb2.FileCreate)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close(ctx)
		other, err := tr.Open(ctx, `from\f.txt`)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close(ctx)
		if _, err := f.WriteAt(ctx, []byte("before "), 0); err != nil {
			t.Fatal(err)
		}
		if err := f.Rename(ctx, `to\g.txt`, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt(ctx, []byte("after"), 7); err != nil {
			t.Fatal(err)
		}
		if exists("from/f.txt") || readFile(t, filepath.Join(data, "to", "g.txt")) != "before after" {
			t.Error("the open file did not move with its contents")
		}
		want := filepath.Join(data, "to", "g.txt")
		for _, h := range []*smb2.File{f, other} {
			if p := openPath(ts, h.ID()); p != want {
				t.Errorf("open table path %q, want %q", p, want)
			}
		}
		st, err := f.Stat(ctx)
		if err != nil || !strings.EqualFold(st.FileName, `\to\g.txt`) {
			t.Errorf("FileNameInformation after rename: %+v, %v", st, err)
		}
		// Delete on close removes the file under its new name.
		if err := other.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.SetDeleteOnClose(ctx, true); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if exists("to/g.txt") {
			t.Error("delete on close missed the renamed file")
		}
	})
	t.Run("directory-with-open-files", func(t *testing.T) {
		writeFile(t, filepath.Join(data, "dir1", "in.txt"), "x")
		f, err := tr.Open(ctx, `dir1\in.txt`)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "rename a directory with an open file", tr.Rename(ctx, "dir1", "dir2", false), ntstatus.STATUS_ACCESS_DENIED)
		f.Close(ctx)
		if err := tr.Rename(ctx, "dir1", "dir2", false); err != nil {
			t.Fatal(err)
		}
		if readFile(t, filepath.Join(data, "dir2", "in.txt")) != "x" {
			t.Error("directory contents did not move")
		}
		wantStatus(t, "move a directory into itself", tr.Rename(ctx, "dir2", `dir2\sub`, false), ntstatus.STATUS_INVALID_PARAMETER)
	})
	t.Run("refused", func(t *testing.T) {
		writeFile(t, filepath.Join(data, "r.txt"), "R")
		wantStatus(t, "escape with ..", tr.Rename(ctx, "r.txt", `..\evil.txt`, false), ntstatus.STATUS_OBJECT_NAME_INVALID)
		wantStatus(t, "stream name", tr.Rename(ctx, "r.txt", `r.txt:s`, false), ntstatus.STATUS_OBJECT_NAME_INVALID)
		wantStatus(t, "missing parent", tr.Rename(ctx, "r.txt", `nodir\r.txt`, false), ntstatus.STATUS_OBJECT_PATH_NOT_FOUND)
		outside := t.TempDir()
		if err := os.Symlink(outside, filepath.Join(data, "link")); err == nil {
			wantStatus(t, "through a symlink", tr.Rename(ctx, "r.txt", `link\evil.txt`, false), ntstatus.STATUS_ACCESS_DENIED)
			if _, err := os.Stat(filepath.Join(outside, "evil.txt")); err == nil {
				t.Error("rename wrote through a symlink")
			}
		}
		// Without DELETE access.
		f, err := tr.Open(ctx, "r.txt")
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "rename without DELETE", f.Rename(ctx, "s.txt", false), ntstatus.STATUS_ACCESS_DENIED)
		f.Close(ctx)
		// The share root.
		root, err := tr.Create(ctx, "", &smb2.CreateParams{
			DesiredAccess:     smb2.Delete | smb2.GenericRead,
			ShareAccess:       smb2.FileShareRead | smb2.FileShareWrite | smb2.FileShareDelete,
			CreateDisposition: smb2.FileOpen,
			CreateOptions:     smb2.FileDirectoryFile,
		})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "rename the share root", root.Rename(ctx, "newroot", false), ntstatus.STATUS_ACCESS_DENIED)
		root.Close(ctx)
		if !exists("r.txt") {
			t.Error("a refused rename lost r.txt")
		}
		// A read-only share.
		ro := c.tree(t, "ro")
		wantStatus(t, "rename on a read-only share", ro.Rename(ctx, "readme.txt", "x.txt", false), ntstatus.STATUS_ACCESS_DENIED)
	})
	t.Run("case-only", func(t *testing.T) {
		writeFile(t, filepath.Join(data, "case.txt"), "c")
		if err := tr.Rename(ctx, "case.txt", "Case.TXT", false); err != nil {
			t.Fatal(err)
		}
		names, _ := filepath.Glob(filepath.Join(data, "[cC]ase.*"))
		if len(names) != 1 || filepath.Base(names[0]) != "Case.TXT" {
			t.Errorf("after a case-only rename: %v", names)
		}
		if err := tr.Rename(ctx, "Case.TXT", "Case.TXT", false); err != nil {
			t.Errorf("rename to the same name: %v", err)
		}
	})
}

func TestCaseInsensitiveNames(t *testing.T) {
	ts := startServer(t, nil)
	c := dialTestClient(t, ts.addr, testUser, testUserPW)
	defer c.close()
	tr := c.tree(t, "data")
	ctx := testCtx(t)
	data := ts.dataDir
	writeFile(t, filepath.Join(data, "docs", "a.txt"), "lower a")
	writeFile(t, filepath.Join(data, "Dup.txt"), "upper")
	writeFile(t, filepath.Join(data, "dup.txt"), "lower")
	writeFile(t, filepath.Join(data, "DUP.txt"), "all upper")

	read := func(name string) (string, error) {
		f, err := tr.Open(ctx, name)
		if err != nil {
			return "", err
		}
		defer f.Close(ctx)
		b := make([]byte, 64)
		n, _ := f.ReadAt(ctx, b, 0)
		return string(b[:n]), nil
	}
	for _, tc := range []struct{ name, want string }{
		{`docs\a.txt`, "lower a"},
		{`Docs\A.TXT`, "lower a"},
		{`DOCS\a.Txt`, "lower a"},
		// Exact spellings win; otherwise the smallest in byte order.
		{`dup.txt`, "lower"},
		{`Dup.txt`, "upper"},
		{`DUP.txt`, "all upper"},
		{`dUP.TXT`, "all upper"},
	} {
		got, err := read(tc.name)
		if err != nil || got != tc.want {
			t.Errorf("open %s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := read(`docs\b.txt`); !errors.Is(err, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND) {
		t.Errorf("open missing file: %v", err)
	}
	if _, err := read(`nodir\a.txt`); !errors.Is(err, ntstatus.STATUS_OBJECT_PATH_NOT_FOUND) {
		t.Errorf("open in missing directory: %v", err)
	}
	// CREATE of an existing name in another case opens it, not a twin.
	_, err := tr.OpenFile(ctx, `DOCS\A.txt`, smb2.FileCreate)
	wantStatus(t, "FILE_CREATE of an existing name in another case", err, ntstatus.STATUS_OBJECT_NAME_COLLISION)
	f, err := tr.OpenFile(ctx, `DOCS\A.txt`, smb2.FileOpenIf)
	if err != nil {
		t.Fatal(err)
	}
	if a := f.CreateResponse().CreateAction; a != smb2.CreateAction(actionOpened) {
		t.Errorf("FILE_OPEN_IF action %v, want opened", a)
	}
	if p := openPath(ts, f.ID()); p != filepath.Join(data, "docs", "a.txt") {
		t.Errorf("open table path %q", p)
	}
	f.Close(ctx)
	// A new file in a directory named in another case goes into that
	// directory, with the spelling the client gave.
	f, err = tr.OpenFile(ctx, `DOCS\New.txt`, smb2.FileCreate)
	if err != nil {
		t.Fatal(err)
	}
	f.Close(ctx)
	if _, err := os.Stat(filepath.Join(data, "docs", "New.txt")); err != nil {
		t.Errorf("new file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "DOCS")); err == nil {
		t.Error("a second DOCS directory was created")
	}
	// Renames resolve their target the same way.
	if err := tr.Rename(ctx, `docs\New.txt`, `DOCS\a.TXT`, false); !errors.Is(err, ntstatus.STATUS_OBJECT_NAME_COLLISION) {
		t.Errorf("rename onto a name in another case: %v", err)
	}
}

func TestSmbclientRename(t *testing.T) {
	smbclient := needPeer(t, "smbclient")
	ts := startServer(t, nil)
	writeFile(t, filepath.Join(ts.dataDir, "old.txt"), "old")
	writeFile(t, filepath.Join(ts.dataDir, "taken.txt"), "taken")
	writeFile(t, filepath.Join(ts.dataDir, "Sub", "x.txt"), "x")
	work := t.TempDir()
	run := func(cmd string) string {
		t.Helper()
		out, _ := runPeer(t, work, smbclient, ts.smbclientArgs(t, testUser, testUserPW, "//127.0.0.1/data", "-c", cmd)...)
		return out
	}
	// smbclient names the target in another case than it has on disk
	// for the directory, and moves the file across directories.
	out := run(`rename old.txt sub\new.txt`)
	if got := readFile(t, filepath.Join(ts.dataDir, "Sub", "new.txt")); got != "old" {
		t.Fatalf("rename across directories: %q\n%s", got, out)
	}
	if _, err := os.Stat(filepath.Join(ts.dataDir, "old.txt")); err == nil {
		t.Errorf("old.txt still there after rename:\n%s", out)
	}
	out = run(`rename SUB\NEW.TXT taken.txt`)
	if !strings.Contains(out, "NT_STATUS_OBJECT_NAME_COLLISION") || readFile(t, filepath.Join(ts.dataDir, "taken.txt")) != "taken" {
		t.Errorf("rename onto an existing file without -f:\n%s", out)
	}
	out = run(`rename SUB\NEW.TXT taken.txt -f`)
	if readFile(t, filepath.Join(ts.dataDir, "taken.txt")) != "old" {
		t.Errorf("rename -f did not replace:\n%s", out)
	}
	// smbclient folds ".." itself against its current directory (the
	// root), so this lands inside the share; the server's own refusal
	// of ".." is tested in TestRename.
	out = run(`rename taken.txt ..\escaped.txt`)
	if readFile(t, filepath.Join(ts.dataDir, "escaped.txt")) != "old" {
		t.Errorf("rename to the root:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(ts.dataDir), "escaped.txt")); err == nil {
		t.Error("rename escaped the share")
	}
}
