package smb2

// DirEntry is one directory entry of a QUERY_DIRECTORY response, the
// union of the fields of the classes lanman supports:
// FileDirectoryInformation (MS-FSCC 2.4.10), FileIdBothDirectoryInformation
// (2.4.17) and FileNamesInformation (2.4.28). Fields a class lacks are
// ignored when encoding and zero when decoding.
type DirEntry struct {
	FileIndex      uint32
	CreationTime   Filetime
	LastAccessTime Filetime
	LastWriteTime  Filetime
	ChangeTime     Filetime
	EndOfFile      int64
	AllocationSize int64
	FileAttributes FileAttributes
	EaSize         uint32 // FileIdBothDirectoryInformation
	ShortName      string // FileIdBothDirectoryInformation, at most 12 characters
	FileID         uint64 // FileIdBothDirectoryInformation
	FileName       string
}

// dirFixedSize is the size of a class's entry before the file name, or 0
// for a class lanman does not encode.
func dirFixedSize(c FileInfoClass) int {
	switch c {
	case FileDirectoryInformationClass:
		return 64
	case FileIDBothDirectoryInformationClass:
		return 104
	case FileNamesInformationClass:
		return 12
	}
	return 0
}

// SupportedDirClass reports whether AppendDirEntries and ParseDirEntries
// handle class c.
func SupportedDirClass(c FileInfoClass) bool { return dirFixedSize(c) != 0 }

// DirEntrySize is the number of bytes e takes as an entry of class c,
// before the padding that aligns the next entry to 8 bytes.
func DirEntrySize(c FileInfoClass, e *DirEntry) int {
	return dirFixedSize(c) + utf16Len(e.FileName)
}

// AppendDirEntries appends as many of entries as fit in max bytes (the
// request's OutputBufferLength) as a chain of class c, each entry 8-byte
// aligned and linked by NextEntryOffset. It returns the extended slice
// and how many entries it wrote; 0 when even the first does not fit (the
// server then answers STATUS_INFO_LENGTH_MISMATCH or
// STATUS_BUFFER_OVERFLOW as the case requires). An unsupported class
// writes nothing.
func AppendDirEntries(b []byte, c FileInfoClass, entries []DirEntry, max int) ([]byte, int) {
	fixed := dirFixedSize(c)
	if fixed == 0 {
		return b, 0
	}
	start := len(b)
	prev := -1
	n := 0
	for i := range entries {
		e := &entries[i]
		at := align8(len(b) - start)
		if at+fixed+utf16Len(e.FileName) > max {
			break
		}
		for len(b)-start < at {
			b = append(b, 0)
		}
		if prev >= 0 {
			le.PutUint32(b[start+prev:], uint32(at-prev))
		}
		prev = at
		b = appendDirEntry(b, c, e)
		n++
	}
	return b, n
}

func appendDirEntry(b []byte, c FileInfoClass, e *DirEntry) []byte {
	b = le.AppendUint32(b, 0) // NextEntryOffset, patched by the caller
	b = le.AppendUint32(b, e.FileIndex)
	nameLen := uint32(utf16Len(e.FileName))
	if c == FileNamesInformationClass {
		b = le.AppendUint32(b, nameLen)
		return appendUTF16(b, e.FileName)
	}
	b = le.AppendUint64(b, uint64(e.CreationTime))
	b = le.AppendUint64(b, uint64(e.LastAccessTime))
	b = le.AppendUint64(b, uint64(e.LastWriteTime))
	b = le.AppendUint64(b, uint64(e.ChangeTime))
	b = le.AppendUint64(b, uint64(e.EndOfFile))
	b = le.AppendUint64(b, uint64(e.AllocationSize))
	b = le.AppendUint32(b, uint32(e.FileAttributes))
	b = le.AppendUint32(b, nameLen)
	if c == FileIDBothDirectoryInformationClass {
		b = le.AppendUint32(b, e.EaSize)
		var short [24]byte
		sn := appendUTF16(short[:0], e.ShortName)
		if len(sn) > 24 {
			sn = sn[:24]
		}
		b = append(b, uint8(len(sn)), 0)
		b = append(b, short[:]...)
		b = le.AppendUint16(b, 0)
		b = le.AppendUint64(b, e.FileID)
	}
	return appendUTF16(b, e.FileName)
}

// ParseDirEntries decodes a chain of directory entries of class c.
func ParseDirEntries(c FileInfoClass, b []byte) ([]DirEntry, error) {
	fixed := dirFixedSize(c)
	if fixed == 0 {
		return nil, malformed("directory entries: unsupported class %d", c)
	}
	if len(b) == 0 {
		return nil, nil
	}
	// Every entry is at least fixed bytes and entries never overlap, so
	// the count is bounded by len(b)/fixed.
	entries := make([]DirEntry, 0, min(len(b)/fixed+1, 1024))
	for off := 0; ; {
		r := b[off:]
		if len(r) < fixed {
			return nil, malformed("directory entry %d: %d bytes, need %d", len(entries), len(r), fixed)
		}
		next := le.Uint32(r)
		if next != 0 && (next < uint32(fixed) || uint64(next) > uint64(len(r))) {
			return nil, malformed("directory entry %d: NextEntryOffset %d", len(entries), next)
		}
		end := uint64(len(r))
		if next != 0 {
			end = uint64(next)
		}
		var e DirEntry
		e.FileIndex = le.Uint32(r[4:])
		var nameLen uint32
		if c == FileNamesInformationClass {
			nameLen = le.Uint32(r[8:])
		} else {
			e.CreationTime = Filetime(le.Uint64(r[8:]))
			e.LastAccessTime = Filetime(le.Uint64(r[16:]))
			e.LastWriteTime = Filetime(le.Uint64(r[24:]))
			e.ChangeTime = Filetime(le.Uint64(r[32:]))
			e.EndOfFile = int64(le.Uint64(r[40:]))
			e.AllocationSize = int64(le.Uint64(r[48:]))
			e.FileAttributes = FileAttributes(le.Uint32(r[56:]))
			nameLen = le.Uint32(r[60:])
		}
		if c == FileIDBothDirectoryInformationClass {
			e.EaSize = le.Uint32(r[64:])
			sl := int(r[68])
			if sl > 24 {
				return nil, malformed("directory entry %d: short name length %d", len(entries), sl)
			}
			var err error
			if e.ShortName, err = decodeUTF16(r[70:70+sl], "short name"); err != nil {
				return nil, err
			}
			e.FileID = le.Uint64(r[96:])
		}
		if uint64(fixed)+uint64(nameLen) > end {
			return nil, malformed("directory entry %d: name length %d beyond entry", len(entries), nameLen)
		}
		var err error
		if e.FileName, err = decodeUTF16(r[fixed:fixed+int(nameLen)], "file name"); err != nil {
			return nil, err
		}
		entries = append(entries, e)
		if next == 0 {
			return entries, nil
		}
		off += int(next)
	}
}
