package smb2

// FileInfo is an MS-FSCC information structure that QUERY_INFO returns
// and SET_INFO carries. Each type marshals and unmarshals itself;
// Unmarshal accepts trailing bytes (servers may pad).
type FileInfo interface {
	InfoType() InfoType
	InfoClass() FileInfoClass
	Marshal(b []byte) []byte
	Unmarshal(b []byte) error
}

func short(name string, got, need int) error {
	return malformed("%s: %d bytes, need %d", name, got, need)
}

// FileBasicInformation (MS-FSCC 2.4.7).
type FileBasicInformation struct {
	CreationTime   Filetime
	LastAccessTime Filetime
	LastWriteTime  Filetime
	ChangeTime     Filetime
	FileAttributes FileAttributes
}

// InfoType returns InfoFile.
func (*FileBasicInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileBasicInformationClass.
func (*FileBasicInformation) InfoClass() FileInfoClass { return FileBasicInformationClass }

// Marshal appends the 40-byte structure.
func (f *FileBasicInformation) Marshal(b []byte) []byte {
	b = le.AppendUint64(b, uint64(f.CreationTime))
	b = le.AppendUint64(b, uint64(f.LastAccessTime))
	b = le.AppendUint64(b, uint64(f.LastWriteTime))
	b = le.AppendUint64(b, uint64(f.ChangeTime))
	b = le.AppendUint32(b, uint32(f.FileAttributes))
	return le.AppendUint32(b, 0)
}

// Unmarshal decodes the structure. SET_INFO clients may send 36 bytes
// (no trailing Reserved), which is accepted.
func (f *FileBasicInformation) Unmarshal(b []byte) error {
	if len(b) < 36 {
		return short("FileBasicInformation", len(b), 40)
	}
	f.CreationTime = Filetime(le.Uint64(b))
	f.LastAccessTime = Filetime(le.Uint64(b[8:]))
	f.LastWriteTime = Filetime(le.Uint64(b[16:]))
	f.ChangeTime = Filetime(le.Uint64(b[24:]))
	f.FileAttributes = FileAttributes(le.Uint32(b[32:]))
	return nil
}

// FileStandardInformation (MS-FSCC 2.4.41).
type FileStandardInformation struct {
	AllocationSize int64
	EndOfFile      int64
	NumberOfLinks  uint32
	DeletePending  bool
	Directory      bool
}

// InfoType returns InfoFile.
func (*FileStandardInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileStandardInformationClass.
func (*FileStandardInformation) InfoClass() FileInfoClass { return FileStandardInformationClass }

// Marshal appends the 24-byte structure.
func (f *FileStandardInformation) Marshal(b []byte) []byte {
	b = le.AppendUint64(b, uint64(f.AllocationSize))
	b = le.AppendUint64(b, uint64(f.EndOfFile))
	b = le.AppendUint32(b, f.NumberOfLinks)
	return append(b, boolByte(f.DeletePending), boolByte(f.Directory), 0, 0)
}

// Unmarshal decodes the structure.
func (f *FileStandardInformation) Unmarshal(b []byte) error {
	if len(b) < 22 {
		return short("FileStandardInformation", len(b), 24)
	}
	f.AllocationSize = int64(le.Uint64(b))
	f.EndOfFile = int64(le.Uint64(b[8:]))
	f.NumberOfLinks = le.Uint32(b[16:])
	f.DeletePending, f.Directory = b[20] != 0, b[21] != 0
	return nil
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// FileInternalInformation (MS-FSCC 2.4.22): the file's 64-bit ID.
type FileInternalInformation struct{ IndexNumber uint64 }

// InfoType returns InfoFile.
func (*FileInternalInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileInternalInformationClass.
func (*FileInternalInformation) InfoClass() FileInfoClass { return FileInternalInformationClass }

// Marshal appends the 8-byte structure.
func (f *FileInternalInformation) Marshal(b []byte) []byte { return le.AppendUint64(b, f.IndexNumber) }

// Unmarshal decodes the structure.
func (f *FileInternalInformation) Unmarshal(b []byte) error {
	if len(b) < 8 {
		return short("FileInternalInformation", len(b), 8)
	}
	f.IndexNumber = le.Uint64(b)
	return nil
}

// FileEaInformation (MS-FSCC 2.4.13).
type FileEaInformation struct{ EaSize uint32 }

// InfoType returns InfoFile.
func (*FileEaInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileEaInformationClass.
func (*FileEaInformation) InfoClass() FileInfoClass { return FileEaInformationClass }

// Marshal appends the 4-byte structure.
func (f *FileEaInformation) Marshal(b []byte) []byte { return le.AppendUint32(b, f.EaSize) }

// Unmarshal decodes the structure.
func (f *FileEaInformation) Unmarshal(b []byte) error {
	if len(b) < 4 {
		return short("FileEaInformation", len(b), 4)
	}
	f.EaSize = le.Uint32(b)
	return nil
}

// FileAccessInformation (MS-FSCC 2.4.1): the open's granted access.
type FileAccessInformation struct{ AccessFlags AccessMask }

// InfoType returns InfoFile.
func (*FileAccessInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileAccessInformationClass.
func (*FileAccessInformation) InfoClass() FileInfoClass { return FileAccessInformationClass }

// Marshal appends the 4-byte structure.
func (f *FileAccessInformation) Marshal(b []byte) []byte {
	return le.AppendUint32(b, uint32(f.AccessFlags))
}

// Unmarshal decodes the structure.
func (f *FileAccessInformation) Unmarshal(b []byte) error {
	if len(b) < 4 {
		return short("FileAccessInformation", len(b), 4)
	}
	f.AccessFlags = AccessMask(le.Uint32(b))
	return nil
}

// FilePositionInformation (MS-FSCC 2.4.35).
type FilePositionInformation struct{ CurrentByteOffset int64 }

// InfoType returns InfoFile.
func (*FilePositionInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FilePositionInformationClass.
func (*FilePositionInformation) InfoClass() FileInfoClass { return FilePositionInformationClass }

// Marshal appends the 8-byte structure.
func (f *FilePositionInformation) Marshal(b []byte) []byte {
	return le.AppendUint64(b, uint64(f.CurrentByteOffset))
}

// Unmarshal decodes the structure.
func (f *FilePositionInformation) Unmarshal(b []byte) error {
	if len(b) < 8 {
		return short("FilePositionInformation", len(b), 8)
	}
	f.CurrentByteOffset = int64(le.Uint64(b))
	return nil
}

// FileEndOfFileInformation (MS-FSCC 2.4.14), for SET_INFO.
type FileEndOfFileInformation struct{ EndOfFile int64 }

// InfoType returns InfoFile.
func (*FileEndOfFileInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileEndOfFileInformationClass.
func (*FileEndOfFileInformation) InfoClass() FileInfoClass { return FileEndOfFileInformationClass }

// Marshal appends the 8-byte structure.
func (f *FileEndOfFileInformation) Marshal(b []byte) []byte {
	return le.AppendUint64(b, uint64(f.EndOfFile))
}

// Unmarshal decodes the structure.
func (f *FileEndOfFileInformation) Unmarshal(b []byte) error {
	if len(b) < 8 {
		return short("FileEndOfFileInformation", len(b), 8)
	}
	f.EndOfFile = int64(le.Uint64(b))
	return nil
}

// FileDispositionInformation (MS-FSCC 2.4.11), for SET_INFO.
type FileDispositionInformation struct{ DeletePending bool }

// InfoType returns InfoFile.
func (*FileDispositionInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileDispositionInformationClass.
func (*FileDispositionInformation) InfoClass() FileInfoClass {
	return FileDispositionInformationClass
}

// Marshal appends the 1-byte structure.
func (f *FileDispositionInformation) Marshal(b []byte) []byte {
	return append(b, boolByte(f.DeletePending))
}

// Unmarshal decodes the structure.
func (f *FileDispositionInformation) Unmarshal(b []byte) error {
	if len(b) < 1 {
		return short("FileDispositionInformation", len(b), 1)
	}
	f.DeletePending = b[0] != 0
	return nil
}

// FileRenameInformation is the SMB2 form of FILE_RENAME_INFORMATION
// (MS-FSCC 2.4.42.2), for SET_INFO.
type FileRenameInformation struct {
	ReplaceIfExists bool
	RootDirectory   uint64 // must be 0 over SMB2
	FileName        string // the new name, relative to the share root
}

// InfoType returns InfoFile.
func (*FileRenameInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileRenameInformationClass.
func (*FileRenameInformation) InfoClass() FileInfoClass { return FileRenameInformationClass }

// Marshal appends the structure.
func (f *FileRenameInformation) Marshal(b []byte) []byte {
	b = append(b, boolByte(f.ReplaceIfExists), 0, 0, 0, 0, 0, 0, 0)
	b = le.AppendUint64(b, f.RootDirectory)
	b = le.AppendUint32(b, uint32(utf16Len(f.FileName)))
	return appendUTF16(b, f.FileName)
}

// Unmarshal decodes the structure.
func (f *FileRenameInformation) Unmarshal(b []byte) error {
	if len(b) < 20 {
		return short("FileRenameInformation", len(b), 20)
	}
	f.ReplaceIfExists = b[0] != 0
	f.RootDirectory = le.Uint64(b[8:])
	n := le.Uint32(b[16:])
	if uint64(n) > uint64(len(b)-20) {
		return malformed("FileRenameInformation: name length %d in %d bytes", n, len(b)-20)
	}
	var err error
	f.FileName, err = decodeUTF16(b[20:20+n], "FileRenameInformation name")
	return err
}

// FileNetworkOpenInformation (MS-FSCC 2.4.29).
type FileNetworkOpenInformation struct {
	CreationTime   Filetime
	LastAccessTime Filetime
	LastWriteTime  Filetime
	ChangeTime     Filetime
	AllocationSize int64
	EndOfFile      int64
	FileAttributes FileAttributes
}

// InfoType returns InfoFile.
func (*FileNetworkOpenInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileNetworkOpenInformationClass.
func (*FileNetworkOpenInformation) InfoClass() FileInfoClass {
	return FileNetworkOpenInformationClass
}

// Marshal appends the 56-byte structure.
func (f *FileNetworkOpenInformation) Marshal(b []byte) []byte {
	b = le.AppendUint64(b, uint64(f.CreationTime))
	b = le.AppendUint64(b, uint64(f.LastAccessTime))
	b = le.AppendUint64(b, uint64(f.LastWriteTime))
	b = le.AppendUint64(b, uint64(f.ChangeTime))
	b = le.AppendUint64(b, uint64(f.AllocationSize))
	b = le.AppendUint64(b, uint64(f.EndOfFile))
	b = le.AppendUint32(b, uint32(f.FileAttributes))
	return le.AppendUint32(b, 0)
}

// Unmarshal decodes the structure.
func (f *FileNetworkOpenInformation) Unmarshal(b []byte) error {
	if len(b) < 52 {
		return short("FileNetworkOpenInformation", len(b), 56)
	}
	f.CreationTime = Filetime(le.Uint64(b))
	f.LastAccessTime = Filetime(le.Uint64(b[8:]))
	f.LastWriteTime = Filetime(le.Uint64(b[16:]))
	f.ChangeTime = Filetime(le.Uint64(b[24:]))
	f.AllocationSize = int64(le.Uint64(b[32:]))
	f.EndOfFile = int64(le.Uint64(b[40:]))
	f.FileAttributes = FileAttributes(le.Uint32(b[48:]))
	return nil
}

// FileAttributeTagInformation (MS-FSCC 2.4.6).
type FileAttributeTagInformation struct {
	FileAttributes FileAttributes
	ReparseTag     uint32
}

// InfoType returns InfoFile.
func (*FileAttributeTagInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileAttributeTagInformationClass.
func (*FileAttributeTagInformation) InfoClass() FileInfoClass {
	return FileAttributeTagInformationClass
}

// Marshal appends the 8-byte structure.
func (f *FileAttributeTagInformation) Marshal(b []byte) []byte {
	b = le.AppendUint32(b, uint32(f.FileAttributes))
	return le.AppendUint32(b, f.ReparseTag)
}

// Unmarshal decodes the structure.
func (f *FileAttributeTagInformation) Unmarshal(b []byte) error {
	if len(b) < 8 {
		return short("FileAttributeTagInformation", len(b), 8)
	}
	f.FileAttributes = FileAttributes(le.Uint32(b))
	f.ReparseTag = le.Uint32(b[4:])
	return nil
}

// FileAllInformation (MS-FSCC 2.4.2): the concatenation of the basic,
// standard, internal, EA, access, position, mode, alignment and name
// information.
type FileAllInformation struct {
	Basic        FileBasicInformation
	Standard     FileStandardInformation
	Internal     FileInternalInformation
	Ea           FileEaInformation
	Access       FileAccessInformation
	Position     FilePositionInformation
	Mode         uint32
	AlignmentReq uint32
	FileName     string
}

// InfoType returns InfoFile.
func (*FileAllInformation) InfoType() InfoType { return InfoFile }

// InfoClass returns FileAllInformationClass.
func (*FileAllInformation) InfoClass() FileInfoClass { return FileAllInformationClass }

// Marshal appends the structure (100 bytes plus the name).
func (f *FileAllInformation) Marshal(b []byte) []byte {
	b = f.Basic.Marshal(b)
	b = f.Standard.Marshal(b)
	b = f.Internal.Marshal(b)
	b = f.Ea.Marshal(b)
	b = f.Access.Marshal(b)
	b = f.Position.Marshal(b)
	b = le.AppendUint32(b, f.Mode)
	b = le.AppendUint32(b, f.AlignmentReq)
	b = le.AppendUint32(b, uint32(utf16Len(f.FileName)))
	return appendUTF16(b, f.FileName)
}

// Unmarshal decodes the structure. A name cut short (as by a
// STATUS_BUFFER_OVERFLOW reply) is decoded as far as it goes.
func (f *FileAllInformation) Unmarshal(b []byte) error {
	if len(b) < 100 {
		return short("FileAllInformation", len(b), 100)
	}
	_ = f.Basic.Unmarshal(b[0:40])
	_ = f.Standard.Unmarshal(b[40:64])
	_ = f.Internal.Unmarshal(b[64:72])
	_ = f.Ea.Unmarshal(b[72:76])
	_ = f.Access.Unmarshal(b[76:80])
	_ = f.Position.Unmarshal(b[80:88])
	f.Mode = le.Uint32(b[88:])
	f.AlignmentReq = le.Uint32(b[92:])
	n := uint64(le.Uint32(b[96:]))
	n = min(n, uint64(len(b)-100)) &^ 1
	var err error
	f.FileName, err = decodeUTF16(b[100:100+n], "FileAllInformation name")
	return err
}

// FileFsVolumeInformation (MS-FSCC 2.5.9).
type FileFsVolumeInformation struct {
	VolumeCreationTime Filetime
	VolumeSerialNumber uint32
	SupportsObjects    bool
	VolumeLabel        string
}

// InfoType returns InfoFilesystem.
func (*FileFsVolumeInformation) InfoType() InfoType { return InfoFilesystem }

// InfoClass returns FileFsVolumeInformationClass.
func (*FileFsVolumeInformation) InfoClass() FileInfoClass { return FileFsVolumeInformationClass }

// Marshal appends the structure.
func (f *FileFsVolumeInformation) Marshal(b []byte) []byte {
	b = le.AppendUint64(b, uint64(f.VolumeCreationTime))
	b = le.AppendUint32(b, f.VolumeSerialNumber)
	b = le.AppendUint32(b, uint32(utf16Len(f.VolumeLabel)))
	b = append(b, boolByte(f.SupportsObjects), 0)
	return appendUTF16(b, f.VolumeLabel)
}

// Unmarshal decodes the structure.
func (f *FileFsVolumeInformation) Unmarshal(b []byte) error {
	if len(b) < 18 {
		return short("FileFsVolumeInformation", len(b), 18)
	}
	f.VolumeCreationTime = Filetime(le.Uint64(b))
	f.VolumeSerialNumber = le.Uint32(b[8:])
	n := le.Uint32(b[12:])
	f.SupportsObjects = b[16] != 0
	if uint64(n) > uint64(len(b)-18) {
		return malformed("FileFsVolumeInformation: label length %d in %d bytes", n, len(b)-18)
	}
	var err error
	f.VolumeLabel, err = decodeUTF16(b[18:18+n], "FileFsVolumeInformation label")
	return err
}

// FileFsSizeInformation (MS-FSCC 2.5.8).
type FileFsSizeInformation struct {
	TotalAllocationUnits     int64
	AvailableAllocationUnits int64
	SectorsPerAllocationUnit uint32
	BytesPerSector           uint32
}

// InfoType returns InfoFilesystem.
func (*FileFsSizeInformation) InfoType() InfoType { return InfoFilesystem }

// InfoClass returns FileFsSizeInformationClass.
func (*FileFsSizeInformation) InfoClass() FileInfoClass { return FileFsSizeInformationClass }

// Marshal appends the 24-byte structure.
func (f *FileFsSizeInformation) Marshal(b []byte) []byte {
	b = le.AppendUint64(b, uint64(f.TotalAllocationUnits))
	b = le.AppendUint64(b, uint64(f.AvailableAllocationUnits))
	b = le.AppendUint32(b, f.SectorsPerAllocationUnit)
	return le.AppendUint32(b, f.BytesPerSector)
}

// Unmarshal decodes the structure.
func (f *FileFsSizeInformation) Unmarshal(b []byte) error {
	if len(b) < 24 {
		return short("FileFsSizeInformation", len(b), 24)
	}
	f.TotalAllocationUnits = int64(le.Uint64(b))
	f.AvailableAllocationUnits = int64(le.Uint64(b[8:]))
	f.SectorsPerAllocationUnit = le.Uint32(b[16:])
	f.BytesPerSector = le.Uint32(b[20:])
	return nil
}

// FileFsFullSizeInformation (MS-FSCC 2.5.4).
type FileFsFullSizeInformation struct {
	TotalAllocationUnits           int64
	CallerAvailableAllocationUnits int64
	ActualAvailableAllocationUnits int64
	SectorsPerAllocationUnit       uint32
	BytesPerSector                 uint32
}

// InfoType returns InfoFilesystem.
func (*FileFsFullSizeInformation) InfoType() InfoType { return InfoFilesystem }

// InfoClass returns FileFsFullSizeInformationClass.
func (*FileFsFullSizeInformation) InfoClass() FileInfoClass {
	return FileFsFullSizeInformationClass
}

// Marshal appends the 32-byte structure.
func (f *FileFsFullSizeInformation) Marshal(b []byte) []byte {
	b = le.AppendUint64(b, uint64(f.TotalAllocationUnits))
	b = le.AppendUint64(b, uint64(f.CallerAvailableAllocationUnits))
	b = le.AppendUint64(b, uint64(f.ActualAvailableAllocationUnits))
	b = le.AppendUint32(b, f.SectorsPerAllocationUnit)
	return le.AppendUint32(b, f.BytesPerSector)
}

// Unmarshal decodes the structure.
func (f *FileFsFullSizeInformation) Unmarshal(b []byte) error {
	if len(b) < 32 {
		return short("FileFsFullSizeInformation", len(b), 32)
	}
	f.TotalAllocationUnits = int64(le.Uint64(b))
	f.CallerAvailableAllocationUnits = int64(le.Uint64(b[8:]))
	f.ActualAvailableAllocationUnits = int64(le.Uint64(b[16:]))
	f.SectorsPerAllocationUnit = le.Uint32(b[24:])
	f.BytesPerSector = le.Uint32(b[28:])
	return nil
}

// FileFsAttributeInformation (MS-FSCC 2.5.1).
type FileFsAttributeInformation struct {
	FileSystemAttributes       uint32
	MaximumComponentNameLength int32
	FileSystemName             string // "NTFS"
}

// InfoType returns InfoFilesystem.
func (*FileFsAttributeInformation) InfoType() InfoType { return InfoFilesystem }

// InfoClass returns FileFsAttributeInformationClass.
func (*FileFsAttributeInformation) InfoClass() FileInfoClass {
	return FileFsAttributeInformationClass
}

// Marshal appends the structure.
func (f *FileFsAttributeInformation) Marshal(b []byte) []byte {
	b = le.AppendUint32(b, f.FileSystemAttributes)
	b = le.AppendUint32(b, uint32(f.MaximumComponentNameLength))
	b = le.AppendUint32(b, uint32(utf16Len(f.FileSystemName)))
	return appendUTF16(b, f.FileSystemName)
}

// Unmarshal decodes the structure.
func (f *FileFsAttributeInformation) Unmarshal(b []byte) error {
	if len(b) < 12 {
		return short("FileFsAttributeInformation", len(b), 12)
	}
	f.FileSystemAttributes = le.Uint32(b)
	f.MaximumComponentNameLength = int32(le.Uint32(b[4:]))
	n := le.Uint32(b[8:])
	if uint64(n) > uint64(len(b)-12) {
		return malformed("FileFsAttributeInformation: name length %d in %d bytes", n, len(b)-12)
	}
	var err error
	f.FileSystemName, err = decodeUTF16(b[12:12+n], "FileFsAttributeInformation name")
	return err
}

// FileFsDeviceInformation (MS-FSCC 2.5.10).
type FileFsDeviceInformation struct {
	DeviceType      uint32 // FILE_DEVICE_DISK is 0x07
	Characteristics uint32
}

// InfoType returns InfoFilesystem.
func (*FileFsDeviceInformation) InfoType() InfoType { return InfoFilesystem }

// InfoClass returns FileFsDeviceInformationClass.
func (*FileFsDeviceInformation) InfoClass() FileInfoClass { return FileFsDeviceInformationClass }

// Marshal appends the 8-byte structure.
func (f *FileFsDeviceInformation) Marshal(b []byte) []byte {
	b = le.AppendUint32(b, f.DeviceType)
	return le.AppendUint32(b, f.Characteristics)
}

// Unmarshal decodes the structure.
func (f *FileFsDeviceInformation) Unmarshal(b []byte) error {
	if len(b) < 8 {
		return short("FileFsDeviceInformation", len(b), 8)
	}
	f.DeviceType, f.Characteristics = le.Uint32(b), le.Uint32(b[4:])
	return nil
}

// FileFsSectorSizeInformation (MS-FSCC 2.5.7).
type FileFsSectorSizeInformation struct {
	LogicalBytesPerSector                                 uint32
	PhysicalBytesPerSectorForAtomicity                    uint32
	PhysicalBytesPerSectorForPerformance                  uint32
	FileSystemEffectivePhysicalBytesPerSectorForAtomicity uint32
	Flags                                                 uint32
	ByteOffsetForSectorAlignment                          uint32
	ByteOffsetForPartitionAlignment                       uint32
}

// InfoType returns InfoFilesystem.
func (*FileFsSectorSizeInformation) InfoType() InfoType { return InfoFilesystem }

// InfoClass returns FileFsSectorSizeInformationClass.
func (*FileFsSectorSizeInformation) InfoClass() FileInfoClass {
	return FileFsSectorSizeInformationClass
}

// Marshal appends the 28-byte structure.
func (f *FileFsSectorSizeInformation) Marshal(b []byte) []byte {
	for _, v := range [...]uint32{f.LogicalBytesPerSector, f.PhysicalBytesPerSectorForAtomicity,
		f.PhysicalBytesPerSectorForPerformance, f.FileSystemEffectivePhysicalBytesPerSectorForAtomicity,
		f.Flags, f.ByteOffsetForSectorAlignment, f.ByteOffsetForPartitionAlignment} {
		b = le.AppendUint32(b, v)
	}
	return b
}

// Unmarshal decodes the structure.
func (f *FileFsSectorSizeInformation) Unmarshal(b []byte) error {
	if len(b) < 28 {
		return short("FileFsSectorSizeInformation", len(b), 28)
	}
	f.LogicalBytesPerSector = le.Uint32(b)
	f.PhysicalBytesPerSectorForAtomicity = le.Uint32(b[4:])
	f.PhysicalBytesPerSectorForPerformance = le.Uint32(b[8:])
	f.FileSystemEffectivePhysicalBytesPerSectorForAtomicity = le.Uint32(b[12:])
	f.Flags = le.Uint32(b[16:])
	f.ByteOffsetForSectorAlignment = le.Uint32(b[20:])
	f.ByteOffsetForPartitionAlignment = le.Uint32(b[24:])
	return nil
}

// NewFileInfo returns a zero FileInfo of the given type and class, or nil
// when lanman has no codec for it (the caller answers
// STATUS_INVALID_INFO_CLASS or keeps the bytes opaque).
func NewFileInfo(t InfoType, c FileInfoClass) FileInfo {
	switch t {
	case InfoFile:
		switch c {
		case FileBasicInformationClass:
			return new(FileBasicInformation)
		case FileStandardInformationClass:
			return new(FileStandardInformation)
		case FileInternalInformationClass:
			return new(FileInternalInformation)
		case FileEaInformationClass:
			return new(FileEaInformation)
		case FileAccessInformationClass:
			return new(FileAccessInformation)
		case FilePositionInformationClass:
			return new(FilePositionInformation)
		case FileEndOfFileInformationClass:
			return new(FileEndOfFileInformation)
		case FileDispositionInformationClass:
			return new(FileDispositionInformation)
		case FileRenameInformationClass:
			return new(FileRenameInformation)
		case FileNetworkOpenInformationClass:
			return new(FileNetworkOpenInformation)
		case FileAttributeTagInformationClass:
			return new(FileAttributeTagInformation)
		case FileAllInformationClass:
			return new(FileAllInformation)
		}
	case InfoFilesystem:
		switch c {
		case FileFsVolumeInformationClass:
			return new(FileFsVolumeInformation)
		case FileFsSizeInformationClass:
			return new(FileFsSizeInformation)
		case FileFsFullSizeInformationClass:
			return new(FileFsFullSizeInformation)
		case FileFsAttributeInformationClass:
			return new(FileFsAttributeInformation)
		case FileFsDeviceInformationClass:
			return new(FileFsDeviceInformation)
		case FileFsSectorSizeInformationClass:
			return new(FileFsSectorSizeInformation)
		}
	}
	return nil
}
