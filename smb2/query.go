package smb2

// FileInfoClass is an MS-FSCC information class: a file information class
// (2.4) with InfoFile or QUERY_DIRECTORY, a file system one (2.5) with
// InfoFilesystem.
type FileInfoClass uint8

// File information classes (MS-FSCC 2.4).
const (
	FileDirectoryInformationClass       FileInfoClass = 1
	FileFullDirectoryInformationClass   FileInfoClass = 2
	FileBothDirectoryInformationClass   FileInfoClass = 3
	FileBasicInformationClass           FileInfoClass = 4
	FileStandardInformationClass        FileInfoClass = 5
	FileInternalInformationClass        FileInfoClass = 6
	FileEaInformationClass              FileInfoClass = 7
	FileAccessInformationClass          FileInfoClass = 8
	FileNameInformationClass            FileInfoClass = 9
	FileRenameInformationClass          FileInfoClass = 10
	FileNamesInformationClass           FileInfoClass = 12
	FileDispositionInformationClass     FileInfoClass = 13
	FilePositionInformationClass        FileInfoClass = 14
	FileFullEaInformationClass          FileInfoClass = 15
	FileModeInformationClass            FileInfoClass = 16
	FileAlignmentInformationClass       FileInfoClass = 17
	FileAllInformationClass             FileInfoClass = 18
	FileAllocationInformationClass      FileInfoClass = 19
	FileEndOfFileInformationClass       FileInfoClass = 20
	FileAlternateNameInformationClass   FileInfoClass = 21
	FileStreamInformationClass          FileInfoClass = 22
	FilePipeInformationClass            FileInfoClass = 23
	FilePipeLocalInformationClass       FileInfoClass = 24
	FileCompressionInformationClass     FileInfoClass = 28
	FileNetworkOpenInformationClass     FileInfoClass = 34
	FileAttributeTagInformationClass    FileInfoClass = 35
	FileIDBothDirectoryInformationClass FileInfoClass = 37
	FileIDFullDirectoryInformationClass FileInfoClass = 38
	FileNormalizedNameInformationClass  FileInfoClass = 48
)

// File system information classes (MS-FSCC 2.5).
const (
	FileFsVolumeInformationClass     FileInfoClass = 1
	FileFsSizeInformationClass       FileInfoClass = 3
	FileFsDeviceInformationClass     FileInfoClass = 4
	FileFsAttributeInformationClass  FileInfoClass = 5
	FileFsControlInformationClass    FileInfoClass = 6
	FileFsFullSizeInformationClass   FileInfoClass = 7
	FileFsObjectIDInformationClass   FileInfoClass = 8
	FileFsSectorSizeInformationClass FileInfoClass = 11
)

// QueryDirectoryRequest is the SMB2 QUERY_DIRECTORY request
// (MS-SMB2 2.2.33).
type QueryDirectoryRequest struct {
	FileInformationClass FileInfoClass
	Flags                uint8 // QueryDir*
	FileIndex            uint32
	FileID               FileID
	FileName             string // search pattern, e.g. "*"
	OutputBufferLength   uint32
}

// Command returns CommandQueryDirectory.
func (*QueryDirectoryRequest) Command() Command { return CommandQueryDirectory }

// Marshal appends the body.
func (r *QueryDirectoryRequest) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 33)
	b = append(b, uint8(r.FileInformationClass), r.Flags)
	b = le.AppendUint32(b, r.FileIndex)
	b = r.FileID.append(b)
	n := utf16Len(r.FileName)
	off := 0
	if n > 0 {
		off = bodyOffset(start, start+32)
	}
	b = le.AppendUint16(b, uint16(off))
	b = le.AppendUint16(b, uint16(n))
	b = le.AppendUint32(b, r.OutputBufferLength)
	if n == 0 {
		return append(b, 0)
	}
	return appendUTF16(b, r.FileName)
}

// Unmarshal decodes the body.
func (r *QueryDirectoryRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "QUERY_DIRECTORY request", 33); err != nil {
		return err
	}
	r.FileInformationClass = FileInfoClass(body[2])
	r.Flags = body[3]
	r.FileIndex = le.Uint32(body[4:])
	r.FileID = fileIDAt(body[8:])
	r.OutputBufferLength = le.Uint32(body[28:])
	name, err := field(body, "QUERY_DIRECTORY file name", uint32(le.Uint16(body[24:])), uint32(le.Uint16(body[26:])))
	if err != nil {
		return err
	}
	r.FileName, err = decodeUTF16(name, "QUERY_DIRECTORY file name")
	return err
}

// outputResponse is the common layout of the QUERY_DIRECTORY,
// CHANGE_NOTIFY and QUERY_INFO responses: StructureSize 9, a 16-bit
// offset, a 32-bit length, the buffer.
func marshalOutput(b, out []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 9)
	off := 0
	if len(out) > 0 {
		off = bodyOffset(start, start+8)
	}
	b = le.AppendUint16(b, uint16(off))
	b = le.AppendUint32(b, uint32(len(out)))
	return appendBuffer(b, out)
}

func unmarshalOutput(body []byte, name string) ([]byte, error) {
	if err := fixedBody(body, name, 9); err != nil {
		return nil, err
	}
	return field(body, name+" buffer", uint32(le.Uint16(body[2:])), le.Uint32(body[4:]))
}

// QueryDirectoryResponse is the SMB2 QUERY_DIRECTORY response
// (MS-SMB2 2.2.34). Output holds directory entries of the requested
// class; see AppendDirEntries and ParseDirEntries.
type QueryDirectoryResponse struct {
	Output []byte // aliases the input
}

// Command returns CommandQueryDirectory.
func (*QueryDirectoryResponse) Command() Command { return CommandQueryDirectory }

// Marshal appends the body.
func (r *QueryDirectoryResponse) Marshal(b []byte) []byte { return marshalOutput(b, r.Output) }

// Unmarshal decodes the body.
func (r *QueryDirectoryResponse) Unmarshal(body []byte) (err error) {
	r.Output, err = unmarshalOutput(body, "QUERY_DIRECTORY response")
	return err
}

// ChangeNotifyRequest is the SMB2 CHANGE_NOTIFY request (MS-SMB2 2.2.35).
type ChangeNotifyRequest struct {
	Flags              uint16 // WatchTree
	OutputBufferLength uint32
	FileID             FileID
	CompletionFilter   uint32 // FileNotifyChange*
}

// Command returns CommandChangeNotify.
func (*ChangeNotifyRequest) Command() Command { return CommandChangeNotify }

// Marshal appends the body.
func (r *ChangeNotifyRequest) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 32)
	b = le.AppendUint16(b, r.Flags)
	b = le.AppendUint32(b, r.OutputBufferLength)
	b = r.FileID.append(b)
	b = le.AppendUint32(b, r.CompletionFilter)
	return le.AppendUint32(b, 0)
}

// Unmarshal decodes the body.
func (r *ChangeNotifyRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "CHANGE_NOTIFY request", 32); err != nil {
		return err
	}
	r.Flags = le.Uint16(body[2:])
	r.OutputBufferLength = le.Uint32(body[4:])
	r.FileID = fileIDAt(body[8:])
	r.CompletionFilter = le.Uint32(body[24:])
	return nil
}

// ChangeNotifyResponse is the SMB2 CHANGE_NOTIFY response
// (MS-SMB2 2.2.36): FILE_NOTIFY_INFORMATION entries, left undecoded.
type ChangeNotifyResponse struct {
	Output []byte // aliases the input
}

// Command returns CommandChangeNotify.
func (*ChangeNotifyResponse) Command() Command { return CommandChangeNotify }

// Marshal appends the body.
func (r *ChangeNotifyResponse) Marshal(b []byte) []byte { return marshalOutput(b, r.Output) }

// Unmarshal decodes the body.
func (r *ChangeNotifyResponse) Unmarshal(body []byte) (err error) {
	r.Output, err = unmarshalOutput(body, "CHANGE_NOTIFY response")
	return err
}

// QueryInfoRequest is the SMB2 QUERY_INFO request (MS-SMB2 2.2.37).
type QueryInfoRequest struct {
	InfoType              InfoType
	FileInfoClass         FileInfoClass
	OutputBufferLength    uint32
	AdditionalInformation uint32
	Flags                 uint32
	FileID                FileID
	Input                 []byte // EA list or quota query; aliases the input
}

// Command returns CommandQueryInfo.
func (*QueryInfoRequest) Command() Command { return CommandQueryInfo }

// Marshal appends the body.
func (r *QueryInfoRequest) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 41)
	b = append(b, uint8(r.InfoType), uint8(r.FileInfoClass))
	b = le.AppendUint32(b, r.OutputBufferLength)
	off := 0
	if len(r.Input) > 0 {
		off = bodyOffset(start, start+40)
	}
	b = le.AppendUint16(b, uint16(off))
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, uint32(len(r.Input)))
	b = le.AppendUint32(b, r.AdditionalInformation)
	b = le.AppendUint32(b, r.Flags)
	b = r.FileID.append(b)
	return appendBuffer(b, r.Input)
}

// Unmarshal decodes the body.
func (r *QueryInfoRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "QUERY_INFO request", 41); err != nil {
		return err
	}
	r.InfoType = InfoType(body[2])
	r.FileInfoClass = FileInfoClass(body[3])
	r.OutputBufferLength = le.Uint32(body[4:])
	r.AdditionalInformation = le.Uint32(body[16:])
	r.Flags = le.Uint32(body[20:])
	r.FileID = fileIDAt(body[24:])
	var err error
	r.Input, err = field(body, "QUERY_INFO input", uint32(le.Uint16(body[8:])), le.Uint32(body[12:]))
	return err
}

// QueryInfoResponse is the SMB2 QUERY_INFO response (MS-SMB2 2.2.38).
// Output holds the info structure; decode it with the FileInfo type of
// the requested class, or keep it opaque (security descriptors).
type QueryInfoResponse struct {
	Output []byte // aliases the input
}

// Command returns CommandQueryInfo.
func (*QueryInfoResponse) Command() Command { return CommandQueryInfo }

// Marshal appends the body.
func (r *QueryInfoResponse) Marshal(b []byte) []byte { return marshalOutput(b, r.Output) }

// Unmarshal decodes the body.
func (r *QueryInfoResponse) Unmarshal(body []byte) (err error) {
	r.Output, err = unmarshalOutput(body, "QUERY_INFO response")
	return err
}

// SetInfoRequest is the SMB2 SET_INFO request (MS-SMB2 2.2.39).
type SetInfoRequest struct {
	InfoType              InfoType
	FileInfoClass         FileInfoClass
	AdditionalInformation uint32
	FileID                FileID
	Buffer                []byte // the info structure; aliases the input
}

// Command returns CommandSetInfo.
func (*SetInfoRequest) Command() Command { return CommandSetInfo }

// Marshal appends the body.
func (r *SetInfoRequest) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 33)
	b = append(b, uint8(r.InfoType), uint8(r.FileInfoClass))
	b = le.AppendUint32(b, uint32(len(r.Buffer)))
	b = le.AppendUint16(b, uint16(bodyOffset(start, start+32)))
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, r.AdditionalInformation)
	b = r.FileID.append(b)
	return appendBuffer(b, r.Buffer)
}

// Unmarshal decodes the body.
func (r *SetInfoRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "SET_INFO request", 33); err != nil {
		return err
	}
	r.InfoType = InfoType(body[2])
	r.FileInfoClass = FileInfoClass(body[3])
	r.AdditionalInformation = le.Uint32(body[12:])
	r.FileID = fileIDAt(body[16:])
	var err error
	r.Buffer, err = field(body, "SET_INFO buffer", uint32(le.Uint16(body[8:])), le.Uint32(body[4:]))
	return err
}

// SetInfoResponse is the SMB2 SET_INFO response (MS-SMB2 2.2.40).
type SetInfoResponse struct{}

// Command returns CommandSetInfo.
func (*SetInfoResponse) Command() Command { return CommandSetInfo }

// Marshal appends the body.
func (*SetInfoResponse) Marshal(b []byte) []byte { return append(b, 2, 0) }

// Unmarshal decodes the body.
func (*SetInfoResponse) Unmarshal(body []byte) error {
	return fixedBody(body, "SET_INFO response", 2)
}
