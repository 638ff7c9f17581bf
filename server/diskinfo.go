package server

import (
	"encoding/binary"
	"sync"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

const (
	infoFile       = 1
	infoFilesystem = 2
	infoSecurity   = 3
)

// isFixedClass reports whether a QUERY_INFO class has a fixed size, for
// which a short buffer is STATUS_INFO_LENGTH_MISMATCH rather than
// STATUS_BUFFER_OVERFLOW with truncated data.
func isFixedClass(typ, class uint8) bool {
	if typ == infoFilesystem {
		return class != fileFsVolumeInformation && class != fileFsAttributeInformation
	}
	switch class {
	case fileAllInformation, fileNameInformation, fileStreamInformation:
		return false
	}
	return true
}

// queryInfo encodes one information class of an open file or directory
// (MS-SMB2 3.3.5.20.1-3).
func (h *diskHandle) queryInfo(typ, class uint8, addl uint32) ([]byte, ntstatus.Status) {
	if typ == infoSecurity {
		if h.access&readControl == 0 {
			return nil, ntstatus.STATUS_ACCESS_DENIED
		}
		return appendSecurityDescriptor(nil, addl), ntstatus.STATUS_SUCCESS
	}
	if typ != infoFile && typ != infoFilesystem {
		return nil, ntstatus.STATUS_INVALID_INFO_CLASS
	}
	m, st := h.meta()
	if st != ntstatus.STATUS_SUCCESS {
		return nil, st
	}
	if typ == infoFilesystem {
		return h.sh.fsInfo(class)
	}
	needAttr := func() bool { return h.access&fileReadAttributes != 0 }
	b := make([]byte, 0, 128)
	switch class {
	case fileBasicInformation:
		if !needAttr() {
			return nil, ntstatus.STATUS_ACCESS_DENIED
		}
		return appendBasicInfo(b, &m), ntstatus.STATUS_SUCCESS
	case fileStandardInformation:
		return appendStandardInfo(b, &m, h.deleteOnClose), ntstatus.STATUS_SUCCESS
	case fileInternalInformation:
		return binary.LittleEndian.AppendUint64(b, m.id), ntstatus.STATUS_SUCCESS
	case fileEaInformation:
		return binary.LittleEndian.AppendUint32(b, 0), ntstatus.STATUS_SUCCESS
	case fileAccessInformation:
		return binary.LittleEndian.AppendUint32(b, h.access), ntstatus.STATUS_SUCCESS
	case filePositionInformation:
		return binary.LittleEndian.AppendUint64(b, 0), ntstatus.STATUS_SUCCESS
	case fileModeInformation:
		return binary.LittleEndian.AppendUint32(b, 0), ntstatus.STATUS_SUCCESS
	case fileAlignmentInformation:
		return binary.LittleEndian.AppendUint32(b, 0), ntstatus.STATUS_SUCCESS
	case fileNameInformation:
		name := `\` + h.loc.Load().name
		b = binary.LittleEndian.AppendUint32(b, uint32(utf16Len(name)))
		return appendUTF16(b, name), ntstatus.STATUS_SUCCESS
	case fileAllInformation:
		if !needAttr() {
			return nil, ntstatus.STATUS_ACCESS_DENIED
		}
		b = appendBasicInfo(b, &m)
		b = appendStandardInfo(b, &m, h.deleteOnClose)
		b = binary.LittleEndian.AppendUint64(b, m.id)
		b = binary.LittleEndian.AppendUint32(b, 0)        // EA size
		b = binary.LittleEndian.AppendUint32(b, h.access) // access flags
		b = binary.LittleEndian.AppendUint64(b, 0)        // position
		b = binary.LittleEndian.AppendUint32(b, 0)        // mode
		b = binary.LittleEndian.AppendUint32(b, 0)        // alignment
		name := `\` + h.loc.Load().name
		b = binary.LittleEndian.AppendUint32(b, uint32(utf16Len(name)))
		return appendUTF16(b, name), ntstatus.STATUS_SUCCESS
	case fileNetworkOpenInformation:
		if !needAttr() {
			return nil, ntstatus.STATUS_ACCESS_DENIED
		}
		return appendNetworkOpenInfo(b, &m), ntstatus.STATUS_SUCCESS
	case fileAttributeTagInformation:
		b = binary.LittleEndian.AppendUint32(b, m.attrs)
		return binary.LittleEndian.AppendUint32(b, 0), ntstatus.STATUS_SUCCESS
	case fileStreamInformation:
		if m.dir {
			return nil, ntstatus.STATUS_SUCCESS
		}
		const name = "::$DATA"
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(utf16Len(name)))
		b = binary.LittleEndian.AppendUint64(b, m.size)
		b = binary.LittleEndian.AppendUint64(b, m.alloc)
		return appendUTF16(b, name), ntstatus.STATUS_SUCCESS
	}
	return nil, ntstatus.STATUS_INVALID_INFO_CLASS
}

// fsInfo encodes a file-system information class (MS-FSCC 2.5).
func (s *share) fsInfo(class uint8) ([]byte, ntstatus.Status) {
	const sectorSize, sectorsPerUnit = 512, 8
	const unit = sectorSize * sectorsPerUnit
	le := binary.LittleEndian
	b := make([]byte, 0, 96)
	switch class {
	case fileFsVolumeInformation:
		label := s.Name
		b = le.AppendUint64(b, 0)
		b = le.AppendUint32(b, volumeSerial(s.Name))
		b = le.AppendUint32(b, uint32(utf16Len(label)))
		b = append(b, 0, 0)
		return appendUTF16(b, label), ntstatus.STATUS_SUCCESS
	case fileFsSizeInformation, fileFsFullSizeInformation:
		total, free, _ := diskSpace(s.abs)
		b = le.AppendUint64(b, total/unit)
		b = le.AppendUint64(b, free/unit)
		if class == fileFsFullSizeInformation {
			b = le.AppendUint64(b, free/unit)
		}
		b = le.AppendUint32(b, sectorsPerUnit)
		return le.AppendUint32(b, sectorSize), ntstatus.STATUS_SUCCESS
	case fileFsDeviceInformation:
		b = le.AppendUint32(b, 0x07)                             // FILE_DEVICE_DISK
		return le.AppendUint32(b, 0x20), ntstatus.STATUS_SUCCESS // FILE_DEVICE_IS_MOUNTED
	case fileFsAttributeInformation:
		const fsName = "NTFS"
		attrs := uint32(0x00000003) // FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES
		attrs |= 0x00000004         // FILE_UNICODE_ON_DISK
		if s.ReadOnly {
			attrs |= 0x00080000 // FILE_READ_ONLY_VOLUME
		}
		b = le.AppendUint32(b, attrs)
		b = le.AppendUint32(b, 255)
		b = le.AppendUint32(b, uint32(utf16Len(fsName)))
		return appendUTF16(b, fsName), ntstatus.STATUS_SUCCESS
	case fileFsSectorSizeInformation:
		for range 4 {
			b = le.AppendUint32(b, sectorSize)
		}
		b = le.AppendUint32(b, 0x3) // ALIGNED_DEVICE | PARTITION_ALIGNED_ON_DEVICE
		b = le.AppendUint32(b, 0)
		return le.AppendUint32(b, 0), ntstatus.STATUS_SUCCESS
	case fileFsObjectIDInformation:
		return make([]byte, 64), ntstatus.STATUS_SUCCESS
	}
	return nil, ntstatus.STATUS_INVALID_INFO_CLASS
}

func volumeSerial(name string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return h
}

// setInfo applies a SET_INFO (MS-SMB2 3.3.5.21.1) to a disk open.
func (h *diskHandle) setInfo(typ, class uint8, buf []byte) ntstatus.Status {
	if h.sh.ReadOnly {
		return ntstatus.STATUS_ACCESS_DENIED
	}
	le := binary.LittleEndian
	switch typ {
	case infoSecurity:
		// Access is decided per share and user, not by file ACLs.
		return ntstatus.STATUS_NOT_SUPPORTED
	case infoFile:
	default:
		return ntstatus.STATUS_INVALID_INFO_CLASS
	}
	switch class {
	case fileBasicInformation:
		if len(buf) < 36 {
			return ntstatus.STATUS_INFO_LENGTH_MISMATCH
		}
		if h.access&fileWriteAttributes == 0 {
			return ntstatus.STATUS_ACCESS_DENIED
		}
		// Only the last write time is applied (and last access with
		// it); 0 and -1 mean "leave unchanged" (MS-FSCC 2.4.7).
		atime, mtime := le.Uint64(buf[8:]), le.Uint64(buf[16:])
		if mtime != 0 && mtime != ^uint64(0) {
			at := fileTimeToTime(mtime)
			if atime != 0 && atime != ^uint64(0) {
				at = fileTimeToTime(atime)
			}
			if err := chtimesFile(h, at, fileTimeToTime(mtime)); err != nil {
				return statusOf(err)
			}
		}
		return ntstatus.STATUS_SUCCESS
	case fileEndOfFileInformation, fileAllocationInformation:
		if len(buf) < 8 {
			return ntstatus.STATUS_INFO_LENGTH_MISMATCH
		}
		if h.dir {
			return ntstatus.STATUS_INVALID_PARAMETER
		}
		if h.access&fileWriteData == 0 {
			return ntstatus.STATUS_ACCESS_DENIED
		}
		n := le.Uint64(buf)
		if n > 1<<62 {
			return ntstatus.STATUS_INVALID_PARAMETER
		}
		if class == fileAllocationInformation {
			// Allocation is not under our control; only shrink the
			// file if asked below its size, as NTFS does.
			fi, err := h.f.Stat()
			if err != nil {
				return statusOf(err)
			}
			if int64(n) >= fi.Size() {
				return ntstatus.STATUS_SUCCESS
			}
		}
		return statusOf(h.f.Truncate(int64(n)))
	case fileDispositionInformation:
		if len(buf) < 1 {
			return ntstatus.STATUS_INFO_LENGTH_MISMATCH
		}
		if h.access&accessDelete == 0 {
			return ntstatus.STATUS_ACCESS_DENIED
		}
		if h.rel() == "." {
			return statusCannotDelete
		}
		if buf[0] != 0 && h.dir {
			ents, err := h.f.ReadDir(1)
			h.f.Seek(0, 0)
			if err == nil && len(ents) > 0 {
				return ntstatus.STATUS_DIRECTORY_NOT_EMPTY
			}
		}
		h.deleteOnClose = buf[0] != 0
		return ntstatus.STATUS_SUCCESS
	case fileRenameInformation:
		return h.rename(buf)
	}
	return ntstatus.STATUS_INVALID_INFO_CLASS
}

// byteLocks records byte-range locks per file (by its file ID), for
// conflict checks and fi3_num_locks.
type byteLocks struct {
	mu    sync.Mutex
	files map[uint64][]heldLock
}

type heldLock struct {
	owner     *liveOpen
	off, n    uint64
	exclusive bool
}

func overlaps(a, b heldLock) bool {
	if a.n == 0 || b.n == 0 {
		return false
	}
	return a.off < b.off+b.n && b.off < a.off+a.n
}

// apply performs a LOCK request's elements atomically (MS-SMB2
// 3.3.5.14.1-2): either all locks are taken or none.
func (l *byteLocks) apply(o *liveOpen, d *diskHandle, els []smb2.LockElement) ntstatus.Status {
	m, st := d.meta()
	if st != ntstatus.STATUS_SUCCESS {
		return st
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.files == nil {
		l.files = map[uint64][]heldLock{}
	}
	held := l.files[m.id]
	unlock := els[0].Flags&smb2.LockFlagUnlock != 0
	if unlock {
		for _, e := range els {
			if e.Flags != smb2.LockFlagUnlock {
				return ntstatus.STATUS_INVALID_PARAMETER
			}
			found := -1
			for i, h := range held {
				if h.owner == o && h.off == e.Offset && h.n == e.Length {
					found = i
					break
				}
			}
			if found < 0 {
				return statusRangeNotLocked
			}
			held = append(held[:found], held[found+1:]...)
			o.locks.Add(-1)
		}
		l.files[m.id] = held
		if len(held) == 0 {
			delete(l.files, m.id)
		}
		return ntstatus.STATUS_SUCCESS
	}
	var add []heldLock
	for _, e := range els {
		if e.Flags&smb2.LockFlagUnlock != 0 {
			return ntstatus.STATUS_INVALID_PARAMETER
		}
		if e.Length != 0 && e.Offset+e.Length < e.Offset {
			return statusInvalidLockRange
		}
		nl := heldLock{owner: o, off: e.Offset, n: e.Length, exclusive: e.Flags&smb2.LockFlagExclusiveLock != 0}
		for _, h := range append(held, add...) {
			if overlaps(h, nl) && (h.exclusive || nl.exclusive) && h.owner != o {
				return statusLockNotGranted
			}
			if overlaps(h, nl) && h.owner == o && (h.exclusive || nl.exclusive) {
				return statusLockNotGranted
			}
		}
		add = append(add, nl)
	}
	l.files[m.id] = append(held, add...)
	o.locks.Add(int32(len(add)))
	return ntstatus.STATUS_SUCCESS
}

// release drops every lock an open holds; called when it closes.
func (l *byteLocks) release(o *liveOpen) {
	if o.locks.Load() == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, held := range l.files {
		kept := held[:0]
		for _, h := range held {
			if h.owner != o {
				kept = append(kept, h)
			}
		}
		if len(kept) == 0 {
			delete(l.files, id)
		} else {
			l.files[id] = kept
		}
	}
	o.locks.Store(0)
}
