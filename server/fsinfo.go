package server

import (
	"encoding/binary"
	"hash/fnv"
	"io/fs"
	"time"
	"unicode/utf16"
)

// The file information classes the server answers (MS-FSCC 2.4, 2.5),
// encoded here because only the server produces them.
const (
	fileDirectoryInformation       = 1
	fileFullDirectoryInformation   = 2
	fileBothDirectoryInformation   = 3
	fileBasicInformation           = 4
	fileStandardInformation        = 5
	fileInternalInformation        = 6
	fileEaInformation              = 7
	fileAccessInformation          = 8
	fileNameInformation            = 9
	fileRenameInformation          = 10
	fileNamesInformation           = 12
	fileDispositionInformation     = 13
	filePositionInformation        = 14
	fileModeInformation            = 16
	fileAlignmentInformation       = 17
	fileAllInformation             = 18
	fileAllocationInformation      = 19
	fileEndOfFileInformation       = 20
	fileStreamInformation          = 22
	fileNetworkOpenInformation     = 34
	fileAttributeTagInformation    = 35
	fileIDBothDirectoryInformation = 37
	fileIDFullDirectoryInformation = 38
	fileDispositionInformationEx   = 64

	fileFsVolumeInformation     = 1
	fileFsSizeInformation       = 3
	fileFsDeviceInformation     = 4
	fileFsAttributeInformation  = 5
	fileFsFullSizeInformation   = 7
	fileFsObjectIDInformation   = 8
	fileFsSectorSizeInformation = 11
)

// File attributes (MS-FSCC 2.6).
const (
	attrReadonly  = 0x00000001
	attrHidden    = 0x00000002
	attrDirectory = 0x00000010
	attrArchive   = 0x00000020
	attrNormal    = 0x00000080
)

var le = binary.LittleEndian

// filetime converts t to a Windows FILETIME (100 ns since 1601).
func filetime(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(t.UnixNano()/100 + 116444736000000000)
}

// fileTimeToTime is the inverse of filetime.
func fileTimeToTime(ft uint64) time.Time {
	return time.Unix(0, (int64(ft)-116444736000000000)*100)
}

// fileMeta is what the info classes report about a file, gathered once
// from an os.FileInfo.
type fileMeta struct {
	name                          string
	size, alloc                   uint64
	create, access, write, change uint64
	attrs                         uint32
	id                            uint64
	links                         uint32
	dir                           bool
}

func metaOf(name string, fi fs.FileInfo, readOnlyShare bool) fileMeta {
	m := fileMeta{name: name, dir: fi.IsDir(), links: 1}
	if !m.dir {
		m.size = uint64(fi.Size())
		m.alloc = (m.size + 4095) &^ 4095
	}
	mt := filetime(fi.ModTime())
	m.create, m.access, m.write, m.change = mt, mt, mt, mt
	sysMeta(&m, fi)
	switch {
	case m.dir:
		m.attrs = attrDirectory
	default:
		m.attrs = attrArchive
	}
	if fi.Mode().Perm()&0o200 == 0 || readOnlyShare {
		if !m.dir {
			m.attrs |= attrReadonly
		}
	}
	if len(name) > 1 && name[0] == '.' && name != ".." {
		m.attrs |= attrHidden
	}
	if m.id == 0 {
		h := fnv.New64a()
		h.Write([]byte(name))
		m.id = h.Sum64()
	}
	return m
}

func appendUTF16(b []byte, s string) []byte {
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			b = le.AppendUint16(b, uint16(r1))
			b = le.AppendUint16(b, uint16(r2))
			continue
		}
		b = le.AppendUint16(b, uint16(r))
	}
	return b
}

func utf16Len(s string) int { return wstrSize(s) - 2 }

func appendTimes(b []byte, m *fileMeta) []byte {
	b = le.AppendUint64(b, m.create)
	b = le.AppendUint64(b, m.access)
	b = le.AppendUint64(b, m.write)
	return le.AppendUint64(b, m.change)
}

func appendBasicInfo(b []byte, m *fileMeta) []byte {
	b = appendTimes(b, m)
	b = le.AppendUint32(b, m.attrs)
	return le.AppendUint32(b, 0)
}

func appendStandardInfo(b []byte, m *fileMeta, deletePending bool) []byte {
	b = le.AppendUint64(b, m.alloc)
	b = le.AppendUint64(b, m.size)
	b = le.AppendUint32(b, m.links)
	return append(b, boolByte(deletePending), boolByte(m.dir), 0, 0)
}

func appendNetworkOpenInfo(b []byte, m *fileMeta) []byte {
	b = appendTimes(b, m)
	b = le.AppendUint64(b, m.alloc)
	b = le.AppendUint64(b, m.size)
	b = le.AppendUint32(b, m.attrs)
	return le.AppendUint32(b, 0)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// appendDirEntry appends one entry of a QUERY_DIRECTORY response in the
// given class (MS-FSCC 2.4.8, 2.4.14, 2.4.17, 2.4.26, 2.4.28, 2.4.34),
// NextEntryOffset left 0 for the caller to patch. It returns b unchanged
// and false for an unsupported class.
func appendDirEntry(b []byte, class uint8, m *fileMeta) ([]byte, bool) {
	nameLen := uint32(utf16Len(m.name))
	b = le.AppendUint32(b, 0) // NextEntryOffset
	b = le.AppendUint32(b, 0) // FileIndex
	if class == fileNamesInformation {
		b = le.AppendUint32(b, nameLen)
		return appendUTF16(b, m.name), true
	}
	b = appendTimes(b, m)
	b = le.AppendUint64(b, m.size)
	b = le.AppendUint64(b, m.alloc)
	b = le.AppendUint32(b, m.attrs)
	b = le.AppendUint32(b, nameLen)
	switch class {
	case fileDirectoryInformation:
	case fileFullDirectoryInformation:
		b = le.AppendUint32(b, 0) // EaSize
	case fileIDFullDirectoryInformation:
		b = le.AppendUint32(b, 0) // EaSize
		b = le.AppendUint32(b, 0) // Reserved
		b = le.AppendUint64(b, m.id)
	case fileBothDirectoryInformation, fileIDBothDirectoryInformation:
		b = le.AppendUint32(b, 0) // EaSize
		b = append(b, 0, 0)       // ShortNameLength, Reserved1
		b = append(b, make([]byte, 24)...)
		if class == fileIDBothDirectoryInformation {
			b = append(b, 0, 0) // Reserved2
			b = le.AppendUint64(b, m.id)
		}
	default:
		return b, false
	}
	return appendUTF16(b, m.name), true
}

// validDirClass reports whether QUERY_DIRECTORY supports class.
func validDirClass(class uint8) bool {
	switch class {
	case fileDirectoryInformation, fileFullDirectoryInformation, fileBothDirectoryInformation,
		fileNamesInformation, fileIDBothDirectoryInformation, fileIDFullDirectoryInformation:
		return true
	}
	return false
}

// A minimal self-relative security descriptor (MS-DTYP 2.4.6): owner
// BUILTIN\Administrators, group the same, and a DACL that allows Everyone
// full access, since access is decided per share and user, not per file.
// Only the parts asked for in AdditionalInformation are included.
func appendSecurityDescriptor(b []byte, addl uint32) []byte {
	admins := []byte{1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0} // S-1-5-32-544
	everyone := []byte{1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}               // S-1-1-0
	const owner, group, dacl = 1, 2, 4
	start := len(b)
	control := uint16(0x8000) // SE_SELF_RELATIVE
	if addl&dacl != 0 {
		control |= 0x0004 // SE_DACL_PRESENT
	}
	b = append(b, 1, 0)
	b = le.AppendUint16(b, control)
	b = append(b, make([]byte, 16)...) // offsets, patched below
	if addl&owner != 0 {
		le.PutUint32(b[start+4:], uint32(len(b)-start))
		b = append(b, admins...)
	}
	if addl&group != 0 {
		le.PutUint32(b[start+8:], uint32(len(b)-start))
		b = append(b, admins...)
	}
	if addl&dacl != 0 {
		le.PutUint32(b[start+16:], uint32(len(b)-start))
		aceSize := 8 + len(everyone)
		b = append(b, 2, 0) // ACL revision, Sbz1
		b = le.AppendUint16(b, uint16(8+aceSize))
		b = le.AppendUint16(b, 1) // AceCount
		b = le.AppendUint16(b, 0)
		b = append(b, 0, 0x03) // ACCESS_ALLOWED_ACE_TYPE, OBJECT_INHERIT|CONTAINER_INHERIT
		b = le.AppendUint16(b, uint16(aceSize))
		b = le.AppendUint32(b, 0x001F01FF) // FILE_ALL_ACCESS
		b = append(b, everyone...)
	}
	return b
}
