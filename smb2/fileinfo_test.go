package smb2

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func sampleFileInfos() []FileInfo {
	basic := FileBasicInformation{CreationTime: 1, LastAccessTime: 2, LastWriteTime: 3, ChangeTime: 4, FileAttributes: FileAttributeArchive}
	std := FileStandardInformation{AllocationSize: 4096, EndOfFile: 13, NumberOfLinks: 1, Directory: true}
	return []FileInfo{
		&basic, &std,
		&FileInternalInformation{IndexNumber: 99},
		&FileEaInformation{EaSize: 4},
		&FileAccessInformation{AccessFlags: 0x12019F},
		&FilePositionInformation{CurrentByteOffset: 77},
		&FileEndOfFileInformation{EndOfFile: 1 << 40},
		&FileDispositionInformation{DeletePending: true},
		&FileRenameInformation{ReplaceIfExists: true, FileName: `dir\new name.txt`},
		&FileNetworkOpenInformation{CreationTime: 1, LastAccessTime: 2, LastWriteTime: 3, ChangeTime: 4, AllocationSize: 5, EndOfFile: 6, FileAttributes: FileAttributeNormal},
		&FileAttributeTagInformation{FileAttributes: FileAttributeReparsePoint, ReparseTag: 0xA000000C},
		&FileAllInformation{Basic: basic, Standard: std, Internal: FileInternalInformation{5}, Ea: FileEaInformation{0},
			Access: FileAccessInformation{0x1F01FF}, Position: FilePositionInformation{1}, Mode: 2, AlignmentReq: 0, FileName: `\dir\f.txt`},
		&FileFsVolumeInformation{VolumeCreationTime: 9, VolumeSerialNumber: 0xCAFE, VolumeLabel: "LANMAN"},
		&FileFsSizeInformation{TotalAllocationUnits: 1000, AvailableAllocationUnits: 500, SectorsPerAllocationUnit: 8, BytesPerSector: 512},
		&FileFsFullSizeInformation{TotalAllocationUnits: 1000, CallerAvailableAllocationUnits: 400, ActualAvailableAllocationUnits: 500, SectorsPerAllocationUnit: 8, BytesPerSector: 512},
		&FileFsAttributeInformation{FileSystemAttributes: 0x0000002F, MaximumComponentNameLength: 255, FileSystemName: "NTFS"},
		&FileFsDeviceInformation{DeviceType: 7, Characteristics: 0x20},
		&FileFsSectorSizeInformation{LogicalBytesPerSector: 512, PhysicalBytesPerSectorForAtomicity: 4096, PhysicalBytesPerSectorForPerformance: 4096,
			FileSystemEffectivePhysicalBytesPerSectorForAtomicity: 4096, Flags: 3},
	}
}

func TestFileInfoRoundTrip(t *testing.T) {
	for _, fi := range sampleFileInfos() {
		b := fi.Marshal(nil)
		g := NewFileInfo(fi.InfoType(), fi.InfoClass())
		if reflect.TypeOf(g) != reflect.TypeOf(fi) {
			t.Fatalf("NewFileInfo(%d, %d) = %T, want %T", fi.InfoType(), fi.InfoClass(), g, fi)
		}
		if err := g.Unmarshal(b); err != nil {
			t.Fatalf("%T: %v", fi, err)
		}
		if !reflect.DeepEqual(g, fi) {
			t.Fatalf("%T: got %+v want %+v", fi, g, fi)
		}
		if err := g.Unmarshal(nil); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%T: empty input accepted: %v", fi, err)
		}
	}
	// Known sizes (MS-FSCC).
	sizes := map[FileInfoClass]int{FileBasicInformationClass: 40, FileStandardInformationClass: 24, FileNetworkOpenInformationClass: 56}
	for _, fi := range sampleFileInfos() {
		if n, ok := sizes[fi.InfoClass()]; ok && fi.InfoType() == InfoFile && len(fi.Marshal(nil)) != n {
			t.Errorf("%T: %d bytes, want %d", fi, len(fi.Marshal(nil)), n)
		}
	}
}

func TestDirEntries(t *testing.T) {
	ents := []DirEntry{
		{FileIndex: 1, CreationTime: 1, LastAccessTime: 2, LastWriteTime: 3, ChangeTime: 4, EndOfFile: 13, AllocationSize: 4096,
			FileAttributes: FileAttributeArchive, EaSize: 0, ShortName: "HELLO~1.TXT", FileID: 55, FileName: "hello world.txt"},
		{FileName: "."},
		{FileName: "..", FileAttributes: FileAttributeDirectory},
		{FileName: "ünï"},
	}
	for _, c := range []FileInfoClass{FileDirectoryInformationClass, FileIDBothDirectoryInformationClass, FileNamesInformationClass} {
		b, n := AppendDirEntries(nil, c, ents, 1<<16)
		if n != len(ents) {
			t.Fatalf("class %d: wrote %d", c, n)
		}
		got, err := ParseDirEntries(c, b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ents {
			want := ents[i]
			switch c {
			case FileNamesInformationClass:
				want = DirEntry{FileIndex: want.FileIndex, FileName: want.FileName}
			case FileDirectoryInformationClass:
				want.EaSize, want.ShortName, want.FileID = 0, "", 0
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("class %d entry %d: got %+v want %+v", c, i, got[i], want)
			}
		}
		// A limit that fits only the first two entries.
		lim := align8(DirEntrySize(c, &ents[0])) + DirEntrySize(c, &ents[1])
		b, n = AppendDirEntries(nil, c, ents, lim)
		if n != 2 || len(b) != lim {
			t.Errorf("class %d: limited write %d entries %d bytes, want 2 and %d", c, n, len(b), lim)
		}
		if _, n := AppendDirEntries(nil, c, ents, 5); n != 0 {
			t.Errorf("class %d: wrote into 5 bytes", c)
		}
	}
	// Corrupt chains fail cleanly.
	b, _ := AppendDirEntries(nil, FileNamesInformationClass, ents, 1<<16)
	le.PutUint32(b, 3)
	if _, err := ParseDirEntries(FileNamesInformationClass, b); !errors.Is(err, ErrMalformed) {
		t.Errorf("short NextEntryOffset: %v", err)
	}
	le.PutUint32(b, 0)
	le.PutUint32(b[8:], 1000)
	if _, err := ParseDirEntries(FileNamesInformationClass, b); !errors.Is(err, ErrMalformed) {
		t.Errorf("long name: %v", err)
	}
}

func TestFiletime(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 100, time.UTC)
	if got := FiletimeOf(tm).Time(); !got.Equal(tm) {
		t.Fatalf("got %v", got)
	}
	if FiletimeOf(time.Time{}) != 0 || !Filetime(0).Time().IsZero() {
		t.Fatal("zero")
	}
	if FiletimeOf(time.Unix(0, 0)) != 116444736000000000 {
		t.Fatal("epoch")
	}
}

func TestCreateContextHelpers(t *testing.T) {
	ctxs := []CreateContext{
		(&DurableHandleResponseV2{Timeout: 60000, Flags: 0}).Context(),
		(&QueryMaximalAccessResponse{MaximalAccess: 0x1F01FF}).Context(),
		{Name: string([]byte{0x45, 0xBC, 0xA6, 0x6A, 0xEF, 0xA7, 0xF7, 0x4A, 0x90, 0x08, 0xFA, 0x46, 0x2E, 0x14, 0x4D, 0x74}), Data: make([]byte, 20)},
	}
	b := AppendCreateContexts(nil, ctxs)
	got, err := ParseCreateContexts(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ctxs) {
		t.Fatalf("got %+v", got)
	}
	var dh DurableHandleResponseV2
	d, _ := FindCreateContext(got, CreateDurableHandleRequestV2)
	if err := dh.Unmarshal(d); err != nil || dh.Timeout != 60000 {
		t.Fatalf("%+v %v", dh, err)
	}
	var mx QueryMaximalAccessResponse
	d, _ = FindCreateContext(got, CreateQueryMaximalAccess)
	if err := mx.Unmarshal(d); err != nil || mx.MaximalAccess != 0x1F01FF {
		t.Fatalf("%+v %v", mx, err)
	}
	// Next pointing into the middle of a context header.
	le.PutUint32(b, 8)
	if _, err := ParseCreateContexts(b); !errors.Is(err, ErrMalformed) {
		t.Fatalf("err %v", err)
	}
}

func TestIoctlStructs(t *testing.T) {
	v := ValidateNegotiateInfoRequest{Capabilities: CapDFS, GUID: GUID{1}, SecurityMode: 1, Dialects: []Dialect{Dialect300, Dialect302}}
	var g ValidateNegotiateInfoRequest
	if err := g.Unmarshal(v.Marshal(nil)); err != nil || !reflect.DeepEqual(g, v) {
		t.Fatalf("%+v %v", g, err)
	}
	vr := ValidateNegotiateInfoResponse{Capabilities: CapDFS, GUID: GUID{2}, SecurityMode: 3, Dialect: Dialect302}
	var gr ValidateNegotiateInfoResponse
	if err := gr.Unmarshal(vr.Marshal(nil)); err != nil || gr != vr {
		t.Fatalf("%+v %v", gr, err)
	}
	pw := PipeWaitRequest{Timeout: 5 * time.Second, TimeoutSpecified: true, Name: "srvsvc"}
	var gp PipeWaitRequest
	if err := gp.Unmarshal(pw.Marshal(nil)); err != nil || gp != pw {
		t.Fatalf("%+v %v", gp, err)
	}
	if err := g.Unmarshal(v.Marshal(nil)[:25]); !errors.Is(err, ErrMalformed) {
		t.Fatal("truncated dialects accepted")
	}
}
