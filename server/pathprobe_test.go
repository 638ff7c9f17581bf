package server

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

// The tests in this file play a hostile client against the share's name
// handling (cleanPath, share.resolve, share.rename): every probe must
// either stay inside the share on a plain file or directory, or fail
// with the status a Windows server gives, and must never touch anything
// outside the share.

// probeShare starts a server whose data share holds a small tree with
// links to a directory outside it, and returns a tree connect to it, the
// share's directory and the outside directory.
func probeShare(t *testing.T) (*testServer, *smb2.Tree, string, string) {
	t.Helper()
	ts := startServer(t, nil)
	c := dialTestClient(t, ts.addr, testUser, testUserPW)
	t.Cleanup(c.close)
	tr := c.tree(t, "data")
	data := ts.dataDir
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret"), "secret")
	writeFile(t, filepath.Join(data, "file.txt"), "file")
	writeFile(t, filepath.Join(data, "kelvin.txt"), "kelvin")
	writeFile(t, filepath.Join(data, "sub", "deep", "in.txt"), "in")
	links := map[string]string{
		"dlink":               outside,                           // directory, outside
		"flink":               filepath.Join(outside, "secret"),  // file, outside
		"inlink":              filepath.Join(data, "sub"),        // directory, inside
		"dangle":              filepath.Join(outside, "nothing"), // dangling
		"klink":               outside,                           // for Kelvin-sign folding
		"sub/deep/dlink2":     outside,                           // at depth
		"sub/flink2":          filepath.Join(outside, "secret"),  // file at depth
		"sub/relup":           "../../" + filepath.Base(outside), // relative, outside
		"sub/deep/fileinlink": filepath.Join(data, "file.txt"),   // file, inside
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(data, filepath.FromSlash(name))); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	}
	return ts, tr, data, outside
}

// checkOutside fails the test if anything but "secret" appeared in the
// outside directory or the secret changed.
func checkOutside(t *testing.T, outside string) {
	t.Helper()
	ents, _ := os.ReadDir(outside)
	for _, e := range ents {
		if e.Name() != "secret" {
			t.Errorf("%s appeared outside the share", e.Name())
		}
	}
	if readFile(t, filepath.Join(outside, "secret")) != "secret" {
		t.Error("the file outside the share changed")
	}
}

func TestPathProbesCreate(t *testing.T) {
	_, tr, data, outside := probeShare(t)
	ctx := testCtx(t)
	long := strings.Repeat("x", 300)
	for _, tc := range []struct {
		name string
		disp smb2.CreateDisposition
		want ntstatus.Status
	}{
		// Dot components in every position and spelling.
		{`..`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`..\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`.\..\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub\..\..\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub\deep\..`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub\.`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		// Windows trims trailing dots and spaces, so these are ".." or
		// "." to a Windows host.
		{`.. `, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`..\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`...`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`... \x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub\. .\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{` `, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		// Drive letters, streams, UNC-looking names, forbidden characters.
		{`C:\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`C:x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`file.txt:s`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`file.txt::$DATA`, smb2.FileOpen, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub\\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{"a\x00b", smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{"a\x1fb", smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`a*`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{long, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub\` + long + `\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_NAME_INVALID},
		// Symbolic links at any depth, in any case, as directory or leaf.
		{`dlink\secret`, smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{`DLINK\secret`, smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{`dlink\new`, smb2.FileCreate, ntstatus.STATUS_ACCESS_DENIED},
		{`flink`, smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{`FLink`, smb2.FileOverwriteIf, ntstatus.STATUS_ACCESS_DENIED},
		{`flink`, smb2.FileSupersede, ntstatus.STATUS_ACCESS_DENIED},
		{`inlink\deep\in.txt`, smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{`dangle`, smb2.FileCreate, ntstatus.STATUS_ACCESS_DENIED},
		{`DANGLE`, smb2.FileOpenIf, ntstatus.STATUS_ACCESS_DENIED},
		{`Sub\Deep\DLink2\secret`, smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{`sub\deep\dlink2\x`, smb2.FileCreate, ntstatus.STATUS_ACCESS_DENIED},
		{`sub\flink2`, smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{`SUB\RELUP\secret`, smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{`sub\deep\fileinlink`, smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		// Unicode simple folding: KELVIN SIGN folds to k, so these find
		// klink and kelvin.txt; the link is still refused.
		{"\u212Alink\\secret", smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{"\u212Aelvin.txt", smb2.FileOpen, ntstatus.STATUS_SUCCESS},
		// LONG S folds to s (as NTFS upcases it to S) and finds sub;
		// dotless i does not fold to i under simple folding.
		{"\u017Fub\\deep\\in.txt", smb2.FileOpen, ntstatus.STATUS_SUCCESS},
		{"\u017Fub\\flink2", smb2.FileOpen, ntstatus.STATUS_ACCESS_DENIED},
		{"f\u0131le.txt", smb2.FileOpen, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND},
		// A file used as a directory.
		{`file.txt\x`, smb2.FileOpenIf, ntstatus.STATUS_OBJECT_PATH_NOT_FOUND},
		// Plain names, for contrast.
		{`SUB\DEEP\IN.TXT`, smb2.FileOpen, ntstatus.STATUS_SUCCESS},
		{`sub\deep\`, smb2.FileOpen, ntstatus.STATUS_SUCCESS},
	} {
		f, err := tr.Create(ctx, tc.name, &smb2.CreateParams{
			DesiredAccess:     smb2.GenericRead | smb2.GenericWrite,
			ShareAccess:       smb2.FileShareRead | smb2.FileShareWrite | smb2.FileShareDelete,
			CreateDisposition: tc.disp,
		})
		if err == nil {
			f.Close(ctx)
		}
		if tc.want == ntstatus.STATUS_SUCCESS {
			if err != nil {
				t.Errorf("create %q (disposition %d): %v, want success", tc.name, tc.disp, err)
			}
		} else if !errors.Is(err, tc.want) {
			t.Errorf("create %q (disposition %d): %v, want %v", tc.name, tc.disp, err, tc.want)
		}
	}
	checkOutside(t, outside)
	if readFile(t, filepath.Join(data, "file.txt")) != "file" {
		t.Error("file.txt changed")
	}
	if _, err := os.Lstat(filepath.Join(filepath.Dir(data), "x")); err == nil {
		t.Error("x was created beside the share")
	}
}

// TestPathProbesInvalidUTF8 checks that the case-insensitive fallback
// does not let U+FFFD (what a client gets for bytes that are not UTF-8)
// stand for any such byte in a name on disk.
func TestPathProbesInvalidUTF8(t *testing.T) {
	ts := startServer(t, nil)
	c := dialTestClient(t, ts.addr, testUser, testUserPW)
	defer c.close()
	tr := c.tree(t, "data")
	ctx := testCtx(t)
	if err := os.WriteFile(filepath.Join(ts.dataDir, "a\xffb"), []byte("raw"), 0o644); err != nil {
		t.Skipf("file system refuses names that are not UTF-8: %v", err)
	}
	_, err := tr.Open(ctx, "a\uFFFDb")
	wantStatus(t, "open U+FFFD for an invalid byte", err, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND)
	_, err = tr.Open(ctx, "A\uFFFDB")
	wantStatus(t, "open U+FFFD for an invalid byte, other case", err, ntstatus.STATUS_OBJECT_NAME_NOT_FOUND)
}

func TestPathProbesRename(t *testing.T) {
	_, tr, data, outside := probeShare(t)
	ctx := testCtx(t)
	writeFile(t, filepath.Join(data, "victim.txt"), "victim")
	writeFile(t, filepath.Join(data, "R.txt"), "R")
	os.Mkdir(filepath.Join(data, "opendir"), 0o755)
	od, err := tr.Open(ctx, "opendir")
	if err != nil {
		t.Fatal(err)
	}
	defer od.Close(ctx)
	long := strings.Repeat("y", 300)
	for _, tc := range []struct {
		target  string // sent as is, not through the client's cleanup
		replace bool
		want    ntstatus.Status
	}{
		{``, true, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`\`, true, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`..`, true, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`..\x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`\..\x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub\..\..\x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`.\..\x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`.. \x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`...`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub\..`, true, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`/x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub/x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`../x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`\\x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`\\127.0.0.1\ro\x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`\??\C:\x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`C:\x`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`x:s`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`x::$DATA`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`:s`, false, ntstatus.STATUS_NOT_SUPPORTED},
		{"x\x00", false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{long, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		// Links as the target, its parent, or deeper.
		{`dlink\x`, false, ntstatus.STATUS_ACCESS_DENIED},
		{`DLink\x`, false, ntstatus.STATUS_ACCESS_DENIED},
		{`dlink`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`flink`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`FLINK`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`dangle`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`Dangle`, false, ntstatus.STATUS_ACCESS_DENIED},
		{`inlink\x`, false, ntstatus.STATUS_ACCESS_DENIED},
		{`sub\deep\dlink2\x`, false, ntstatus.STATUS_ACCESS_DENIED},
		{`SUB\RELUP\x`, false, ntstatus.STATUS_ACCESS_DENIED},
		{"\u212Alink\\x", false, ntstatus.STATUS_ACCESS_DENIED},
		// Existing targets.
		{`file.txt`, false, ntstatus.STATUS_OBJECT_NAME_COLLISION},
		{`FILE.TXT`, false, ntstatus.STATUS_OBJECT_NAME_COLLISION},
		{`r.TXT`, false, ntstatus.STATUS_OBJECT_NAME_COLLISION},
		{`opendir`, false, ntstatus.STATUS_OBJECT_NAME_COLLISION},
		{`OPENDIR`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`sub`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`file.txt\x`, false, ntstatus.STATUS_OBJECT_PATH_NOT_FOUND},
		{`nodir\x`, false, ntstatus.STATUS_OBJECT_PATH_NOT_FOUND},
	} {
		f, err := tr.Create(ctx, "victim.txt", &smb2.CreateParams{
			DesiredAccess:     smb2.Delete | smb2.GenericRead,
			ShareAccess:       smb2.FileShareRead | smb2.FileShareWrite | smb2.FileShareDelete,
			CreateDisposition: smb2.FileOpen,
		})
		if err != nil {
			t.Fatal(err)
		}
		err = f.SetInfo(ctx, &smb2.FileRenameInformation{ReplaceIfExists: tc.replace, FileName: tc.target})
		f.Close(ctx)
		if !errors.Is(err, tc.want) {
			t.Errorf("rename to %q (replace %v): %v, want %v", tc.target, tc.replace, err, tc.want)
		}
		if readFile(t, filepath.Join(data, "victim.txt")) != "victim" {
			t.Fatalf("rename to %q moved or changed victim.txt", tc.target)
		}
	}
	checkOutside(t, outside)
	for name, want := range map[string]string{"file.txt": "file", "R.txt": "R", "sub/deep/in.txt": "in"} {
		if readFile(t, filepath.Join(data, filepath.FromSlash(name))) != want {
			t.Errorf("%s changed", name)
		}
	}
	for _, name := range []string{"flink", "dangle", "dlink"} {
		if fi, err := os.Lstat(filepath.Join(data, name)); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("link %s was replaced", name)
		}
	}

	// Into an open directory is allowed, and a name that differs from
	// an existing twin only in case is a collision, not a second file.
	if err := tr.Rename(ctx, "victim.txt", `OpenDir\v.txt`, false); err != nil {
		t.Fatalf("rename into an open directory: %v", err)
	}
	if readFile(t, filepath.Join(data, "opendir", "v.txt")) != "victim" {
		t.Error("rename into an open directory went elsewhere")
	}
	writeFile(t, filepath.Join(data, "opendir", "W.txt"), "W")
	wantStatus(t, "rename onto a case twin", tr.Rename(ctx, `opendir\v.txt`, `OPENDIR\w.TXT`, false), ntstatus.STATUS_OBJECT_NAME_COLLISION)
	if err := tr.Rename(ctx, `opendir\v.txt`, `OPENDIR\w.TXT`, true); err != nil {
		t.Fatalf("replace a case twin: %v", err)
	}
	ents, _ := os.ReadDir(filepath.Join(data, "opendir"))
	if len(ents) != 1 || ents[0].Name() != "W.txt" || readFile(t, filepath.Join(data, "opendir", "W.txt")) != "victim" {
		t.Errorf("after replacing a case twin: %v", ents)
	}
}

func TestPathProbesDispositions(t *testing.T) {
	_, tr, data, _ := probeShare(t)
	ctx := testCtx(t)
	writeFile(t, filepath.Join(data, "sub", "keep.txt"), "keep")
	for _, tc := range []struct {
		name string
		disp smb2.CreateDisposition
		opts smb2.CreateOptions
		want ntstatus.Status
	}{
		{`FILE.txt`, smb2.FileCreate, 0, ntstatus.STATUS_OBJECT_NAME_COLLISION},
		{`SUB`, smb2.FileCreate, smb2.FileDirectoryFile, ntstatus.STATUS_OBJECT_NAME_COLLISION},
		{`Sub\Deep`, smb2.FileCreate, 0, ntstatus.STATUS_OBJECT_NAME_COLLISION},
		{`sub`, smb2.FileSupersede, 0, ntstatus.STATUS_INVALID_PARAMETER},
		{`SUB`, smb2.FileSupersede, smb2.FileDirectoryFile, ntstatus.STATUS_INVALID_PARAMETER},
		{`sub`, smb2.FileOverwriteIf, 0, ntstatus.STATUS_INVALID_PARAMETER},
		{`sub`, smb2.FileOverwrite, 0, ntstatus.STATUS_INVALID_PARAMETER},
		{``, smb2.FileSupersede, smb2.FileDirectoryFile, ntstatus.STATUS_INVALID_PARAMETER},
		{`file.TXT`, smb2.FileOpen, smb2.FileDirectoryFile, ntstatus.STATUS_NOT_A_DIRECTORY},
		{`Sub`, smb2.FileOpen, smb2.FileNonDirectoryFile, ntstatus.STATUS_FILE_IS_A_DIRECTORY},
	} {
		f, err := tr.Create(ctx, tc.name, &smb2.CreateParams{
			DesiredAccess:     smb2.GenericRead | smb2.GenericWrite,
			ShareAccess:       smb2.FileShareRead | smb2.FileShareWrite | smb2.FileShareDelete,
			CreateDisposition: tc.disp,
			CreateOptions:     tc.opts,
		})
		if err == nil {
			f.Close(ctx)
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("create %q (disposition %d, options %#x): %v, want %v", tc.name, tc.disp, tc.opts, err, tc.want)
		}
	}
	if readFile(t, filepath.Join(data, "sub", "keep.txt")) != "keep" || readFile(t, filepath.Join(data, "file.txt")) != "file" {
		t.Error("a refused CREATE changed the share")
	}
	ents, _ := os.ReadDir(data)
	for _, e := range ents {
		if e.Name() != strings.ToLower(e.Name()) && e.Name() != "R.txt" {
			t.Errorf("a case twin %s was created", e.Name())
		}
	}
}

// TestPathProbesDeepChain checks that a lookup costs in proportion to the
// depth of the name: a client that builds a chain of directories
// thousands deep must not make each CREATE in it take seconds (resolving
// the whole prefix again for every component took 20 s at this depth).
func TestPathProbesDeepChain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a deep directory chain")
	}
	ts := startServer(t, nil)
	const depth = 4000
	r, err := os.OpenRoot(ts.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < depth; i++ {
		if err := r.Mkdir("a", 0o755); err != nil {
			t.Fatal(err)
		}
		sub, err := r.OpenRoot("a")
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		r = sub
	}
	if err := r.WriteFile("f", []byte("deep"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.Close()
	c := dialTestClient(t, ts.addr, testUser, testUserPW)
	defer c.close()
	tr := c.tree(t, "data")
	ctx := testCtx(t)
	for _, tc := range []struct {
		what, name string
		want       ntstatus.Status
	}{
		{"exact", strings.Repeat(`a\`, depth) + "f", ntstatus.STATUS_SUCCESS},
		{"folded at every level", strings.Repeat(`A\`, depth) + "F", ntstatus.STATUS_SUCCESS},
		{"missing below the chain", strings.Repeat(`a\`, depth) + `new\x`, ntstatus.STATUS_OBJECT_PATH_NOT_FOUND},
		{"a file as a directory", strings.Repeat(`a\`, depth-1) + `A\f\x`, ntstatus.STATUS_OBJECT_PATH_NOT_FOUND},
	} {
		start := time.Now()
		f, err := tr.Open(ctx, tc.name)
		if err == nil {
			f.Close(ctx)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: open at depth %d took %v", tc.what, depth, d)
		}
		if tc.want == ntstatus.STATUS_SUCCESS {
			if err != nil {
				t.Errorf("%s: open at depth %d failed: %s", tc.what, depth, lastPart(err))
			}
		} else if !errors.Is(err, tc.want) {
			t.Errorf("%s: open at depth %d: %s, want %v", tc.what, depth, lastPart(err), tc.want)
		}
	}
}

// lastPart is the end of an error's text, without the (long) names its
// wrappers quote.
func lastPart(err error) string {
	if err == nil {
		return "success"
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// BenchmarkResolve measures a lookup of a name three deep, spelled
// exactly and in another case.
func BenchmarkResolve(b *testing.B) {
	dir := b.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "one", "two"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "one", "two", "file.txt"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := openShare(Share{Name: "b", Path: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.root.Close()
	for _, name := range []string{"one/two/file.txt", "One/Two/File.txt"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.resolve(name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPathProbesRenameOpenTwins checks that the open-file checks of a
// rename compare names without regard to case: on a file system that
// ignores case the open table can hold another spelling of the name being
// renamed or replaced. Here (where case is kept) twins stand in for it.
func TestPathProbesRenameOpenTwins(t *testing.T) {
	ts := startServer(t, nil)
	c := dialTestClient(t, ts.addr, testUser, testUserPW)
	defer c.close()
	tr := c.tree(t, "data")
	ctx := testCtx(t)
	data := ts.dataDir
	writeFile(t, filepath.Join(data, "Twin", "in.txt"), "in")
	os.Mkdir(filepath.Join(data, "twin"), 0o755)
	writeFile(t, filepath.Join(data, "T.txt"), "T")
	writeFile(t, filepath.Join(data, "t.txt"), "t")
	writeFile(t, filepath.Join(data, "src.txt"), "src")
	if readFile(t, filepath.Join(data, "T.txt")) != "T" {
		t.Skip("the file system ignores case: no twins")
	}
	for _, name := range []string{`Twin\in.txt`, `T.txt`} {
		f, err := tr.Open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close(ctx)
	}
	for _, tc := range []struct {
		what, from, to string
		replace        bool
		want           ntstatus.Status
	}{
		{"a directory whose twin has an open file below", `twin`, `moved`, false, ntstatus.STATUS_ACCESS_DENIED},
		{"over a file whose twin is open", `src.txt`, `t.txt`, true, ntstatus.STATUS_ACCESS_DENIED},
	} {
		wantStatus(t, tc.what, tr.Rename(ctx, tc.from, tc.to, tc.replace), tc.want)
	}
	if readFile(t, filepath.Join(data, "t.txt")) != "t" || readFile(t, filepath.Join(data, "src.txt")) != "src" {
		t.Error("a refused rename changed files")
	}
	if _, err := os.Stat(filepath.Join(data, "twin")); err != nil {
		t.Error("a refused rename moved twin")
	}
}

// FuzzResolve checks resolve's promises for any client name: the result
// stays local, goes through no link, keeps the number of components, and
// changes a component only to one equal to it without regard to case.
func FuzzResolve(f *testing.F) {
	dir := f.TempDir()
	outside := f.TempDir()
	for _, d := range []string{"Dir/Sub", "dir", "k"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
			f.Fatal(err)
		}
	}
	for _, n := range []string{"Dir/f.txt", "Dir/Sub/g.txt", "file"} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(n)), nil, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "Dir", "link")); err != nil {
		f.Skip(err)
	}
	if err := os.Symlink("../..", filepath.Join(dir, "Dir", "Sub", "up")); err != nil {
		f.Skip(err)
	}
	s, err := openShare(Share{Name: "f", Path: dir})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{`dir\f.txt`, `DIR\SUB\G.TXT`, `Dir\LINK\x`, `dir\sub\Up\x`, "\u212A\\x", `file\x`, `Dir\new\x`, `..\x`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		rel, err := cleanPath(name)
		if err != nil {
			return
		}
		got, err := s.resolve(rel)
		if err != nil {
			return
		}
		if !filepath.IsLocal(got) {
			t.Fatalf("resolve(%q) = %q, not local", rel, got)
		}
		in, out := strings.Split(rel, "/"), strings.Split(got, "/")
		if rel == "." {
			in = []string{"."}
		}
		if len(in) != len(out) {
			t.Fatalf("resolve(%q) = %q: components changed", rel, got)
		}
		for i := range in {
			if in[i] != out[i] && !strings.EqualFold(in[i], out[i]) {
				t.Fatalf("resolve(%q) = %q: %q became %q", rel, got, in[i], out[i])
			}
			fi, err := s.root.Lstat(strings.Join(out[:i+1], "/"))
			if err != nil {
				break
			}
			if fi.Mode()&os.ModeSymlink != 0 {
				t.Fatalf("resolve(%q) = %q goes through a link", rel, got)
			}
		}
	})
}

func TestPathProbesRenameDirectory(t *testing.T) {
	_, tr, data, outside := probeShare(t)
	ctx := testCtx(t)
	for _, tc := range []struct {
		from, to string
		replace  bool
		want     ntstatus.Status
	}{
		{`sub`, `sub\deep\x`, false, ntstatus.STATUS_INVALID_PARAMETER},
		{`sub`, `SUB\DEEP\x`, false, ntstatus.STATUS_INVALID_PARAMETER},
		{`sub`, `Sub\x`, false, ntstatus.STATUS_INVALID_PARAMETER},
		{`sub\deep`, `sub`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`sub\deep`, `SUB`, false, ntstatus.STATUS_OBJECT_NAME_COLLISION},
		{`sub`, `inlink\x`, false, ntstatus.STATUS_ACCESS_DENIED},
		{`sub`, `dlink`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`sub`, `file.txt`, true, ntstatus.STATUS_ACCESS_DENIED},
		{`sub`, `..\sub`, false, ntstatus.STATUS_OBJECT_NAME_INVALID},
		{`sub`, `sub`, false, ntstatus.STATUS_SUCCESS},
		{`sub`, `SUB`, false, ntstatus.STATUS_SUCCESS}, // case only
		{`Sub`, `sub`, false, ntstatus.STATUS_SUCCESS}, // and back
	} {
		err := tr.Rename(ctx, tc.from, tc.to, tc.replace)
		if tc.want == ntstatus.STATUS_SUCCESS {
			if err != nil {
				t.Errorf("rename %q to %q: %v", tc.from, tc.to, err)
			}
		} else {
			wantStatus(t, "rename "+tc.from+" to "+tc.to, err, tc.want)
		}
	}
	if readFile(t, filepath.Join(data, "sub", "deep", "in.txt")) != "in" {
		t.Error("sub lost its contents")
	}
	checkOutside(t, outside)
}
