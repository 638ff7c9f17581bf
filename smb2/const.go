package smb2

import "fmt"

// ProtocolID values: the first four bytes of every SMB2 message, of an
// encrypted message (TRANSFORM_HEADER) and of a compressed one.
const (
	ProtocolSMB2        uint32 = 0x424D53FE // 0xFE 'S' 'M' 'B'
	ProtocolTransform   uint32 = 0x424D53FD // 0xFD 'S' 'M' 'B'
	ProtocolCompression uint32 = 0x424D53FC // 0xFC 'S' 'M' 'B'
)

// Command is the SMB2 command code (MS-SMB2 2.2.1.2).
type Command uint16

// The SMB2 commands.
const (
	CommandNegotiate      Command = 0x0000
	CommandSessionSetup   Command = 0x0001
	CommandLogoff         Command = 0x0002
	CommandTreeConnect    Command = 0x0003
	CommandTreeDisconnect Command = 0x0004
	CommandCreate         Command = 0x0005
	CommandClose          Command = 0x0006
	CommandFlush          Command = 0x0007
	CommandRead           Command = 0x0008
	CommandWrite          Command = 0x0009
	CommandLock           Command = 0x000A
	CommandIoctl          Command = 0x000B
	CommandCancel         Command = 0x000C
	CommandEcho           Command = 0x000D
	CommandQueryDirectory Command = 0x000E
	CommandChangeNotify   Command = 0x000F
	CommandQueryInfo      Command = 0x0010
	CommandSetInfo        Command = 0x0011
	CommandOplockBreak    Command = 0x0012
)

var commandNames = [...]string{
	"NEGOTIATE", "SESSION_SETUP", "LOGOFF", "TREE_CONNECT", "TREE_DISCONNECT",
	"CREATE", "CLOSE", "FLUSH", "READ", "WRITE", "LOCK", "IOCTL", "CANCEL",
	"ECHO", "QUERY_DIRECTORY", "CHANGE_NOTIFY", "QUERY_INFO", "SET_INFO",
	"OPLOCK_BREAK",
}

func (c Command) String() string {
	if int(c) < len(commandNames) {
		return commandNames[c]
	}
	return fmt.Sprintf("COMMAND(0x%04X)", uint16(c))
}

// Flags is the Flags field of the SMB2 header (MS-SMB2 2.2.1).
type Flags uint32

// Header flags.
const (
	FlagServerToRedir     Flags = 0x00000001 // a response
	FlagAsyncCommand      Flags = 0x00000002 // the header is the ASYNC form
	FlagRelatedOperations Flags = 0x00000004 // compounded with the previous request
	FlagSigned            Flags = 0x00000008
	FlagPriorityMask      Flags = 0x00000070
	FlagDFSOperations     Flags = 0x10000000
	FlagReplayOperation   Flags = 0x20000000
)

// Dialect is an SMB2 dialect revision number.
type Dialect uint16

// The dialects lanman speaks. DialectWildcard (0x02FF) appears only in a
// multi-protocol negotiate response, which lanman never sends (no SMB1).
const (
	Dialect202      Dialect = 0x0202
	Dialect210      Dialect = 0x0210
	Dialect300      Dialect = 0x0300
	Dialect302      Dialect = 0x0302
	Dialect311      Dialect = 0x0311
	DialectWildcard Dialect = 0x02FF
)

// Is3x reports whether d belongs to the SMB 3.x dialect family, which
// derives keys with the SP800-108 KDF and signs with AES.
func (d Dialect) Is3x() bool { return d >= Dialect300 && d != DialectWildcard }

func (d Dialect) String() string {
	switch d {
	case Dialect202:
		return "2.0.2"
	case Dialect210:
		return "2.1"
	case Dialect300:
		return "3.0"
	case Dialect302:
		return "3.0.2"
	case Dialect311:
		return "3.1.1"
	case DialectWildcard:
		return "2.???"
	}
	return fmt.Sprintf("dialect(0x%04X)", uint16(d))
}

// SecurityMode is the signing mode of NEGOTIATE (16 bits on the wire) and
// SESSION_SETUP (8 bits).
type SecurityMode uint16

// Security modes.
const (
	NegotiateSigningEnabled  SecurityMode = 0x0001
	NegotiateSigningRequired SecurityMode = 0x0002
)

// Capabilities are the global capabilities of NEGOTIATE (MS-SMB2 2.2.3).
type Capabilities uint32

// Global capabilities.
const (
	CapDFS               Capabilities = 0x00000001
	CapLeasing           Capabilities = 0x00000002
	CapLargeMTU          Capabilities = 0x00000004
	CapMultiChannel      Capabilities = 0x00000008
	CapPersistentHandles Capabilities = 0x00000010
	CapDirectoryLeasing  Capabilities = 0x00000020
	CapEncryption        Capabilities = 0x00000040
	CapNotifications     Capabilities = 0x00000080
)

// SessionFlags of a SESSION_SETUP response (MS-SMB2 2.2.6).
type SessionFlags uint16

// Session flags.
const (
	SessionFlagIsGuest     SessionFlags = 0x0001
	SessionFlagIsNull      SessionFlags = 0x0002
	SessionFlagEncryptData SessionFlags = 0x0004
)

// SESSION_SETUP request flags (MS-SMB2 2.2.5).
const (
	SessionSetupFlagBinding uint8 = 0x01
)

// ShareType of a TREE_CONNECT response (MS-SMB2 2.2.10).
type ShareType uint8

// Share types.
const (
	ShareTypeDisk  ShareType = 0x01
	ShareTypePipe  ShareType = 0x02
	ShareTypePrint ShareType = 0x03
)

// ShareFlags of a TREE_CONNECT response (MS-SMB2 2.2.10).
type ShareFlags uint32

// Share flags.
const (
	ShareFlagManualCaching            ShareFlags = 0x00000000
	ShareFlagAutoCaching              ShareFlags = 0x00000010
	ShareFlagVDOCaching               ShareFlags = 0x00000020
	ShareFlagNoCaching                ShareFlags = 0x00000030
	ShareFlagDFS                      ShareFlags = 0x00000001
	ShareFlagDFSRoot                  ShareFlags = 0x00000002
	ShareFlagRestrictExclusiveOpens   ShareFlags = 0x00000100
	ShareFlagForceSharedDelete        ShareFlags = 0x00000200
	ShareFlagAllowNamespaceCaching    ShareFlags = 0x00000400
	ShareFlagAccessBasedDirectoryEnum ShareFlags = 0x00000800
	ShareFlagForceLevelIIOplock       ShareFlags = 0x00001000
	ShareFlagEnableHashV1             ShareFlags = 0x00002000
	ShareFlagEnableHashV2             ShareFlags = 0x00004000
	ShareFlagEncryptData              ShareFlags = 0x00008000
	ShareFlagIdentityRemoting         ShareFlags = 0x00040000
	ShareFlagCompressData             ShareFlags = 0x00100000
	ShareFlagIsolatedTransport        ShareFlags = 0x00200000
)

// ShareCapabilities of a TREE_CONNECT response (MS-SMB2 2.2.10).
type ShareCapabilities uint32

// Share capabilities.
const (
	ShareCapDFS                    ShareCapabilities = 0x00000008
	ShareCapContinuousAvailability ShareCapabilities = 0x00000010
	ShareCapScaleout               ShareCapabilities = 0x00000020
	ShareCapCluster                ShareCapabilities = 0x00000040
	ShareCapAsymmetric             ShareCapabilities = 0x00000080
	ShareCapRedirectToOwner        ShareCapabilities = 0x00000100
)

// TREE_CONNECT request flags (SMB 3.1.1, MS-SMB2 2.2.9).
const (
	TreeConnectFlagClusterReconnect uint16 = 0x0001
	TreeConnectFlagRedirectToOwner  uint16 = 0x0002
	TreeConnectFlagExtensionPresent uint16 = 0x0004
)

// AccessMask is an access mask (MS-SMB2 2.2.13.1, MS-DTYP 2.4.3).
type AccessMask uint32

// File, pipe, printer and directory access rights, and the generic rights.
const (
	FileReadData         AccessMask = 0x00000001
	FileListDirectory    AccessMask = 0x00000001
	FileWriteData        AccessMask = 0x00000002
	FileAddFile          AccessMask = 0x00000002
	FileAppendData       AccessMask = 0x00000004
	FileAddSubdirectory  AccessMask = 0x00000004
	FileReadEA           AccessMask = 0x00000008
	FileWriteEA          AccessMask = 0x00000010
	FileExecute          AccessMask = 0x00000020
	FileTraverse         AccessMask = 0x00000020
	FileDeleteChild      AccessMask = 0x00000040
	FileReadAttributes   AccessMask = 0x00000080
	FileWriteAttributes  AccessMask = 0x00000100
	Delete               AccessMask = 0x00010000
	ReadControl          AccessMask = 0x00020000
	WriteDAC             AccessMask = 0x00040000
	WriteOwner           AccessMask = 0x00080000
	Synchronize          AccessMask = 0x00100000
	AccessSystemSecurity AccessMask = 0x01000000
	MaximumAllowed       AccessMask = 0x02000000
	GenericAll           AccessMask = 0x10000000
	GenericExecute       AccessMask = 0x20000000
	GenericWrite         AccessMask = 0x40000000
	GenericRead          AccessMask = 0x80000000
)

// OplockLevel is a requested or granted oplock (MS-SMB2 2.2.13).
type OplockLevel uint8

// Oplock levels.
const (
	OplockLevelNone      OplockLevel = 0x00
	OplockLevelII        OplockLevel = 0x01
	OplockLevelExclusive OplockLevel = 0x08
	OplockLevelBatch     OplockLevel = 0x09
	OplockLevelLease     OplockLevel = 0xFF
)

// ImpersonationLevel of a CREATE request.
type ImpersonationLevel uint32

// Impersonation levels.
const (
	ImpersonationAnonymous      ImpersonationLevel = 0
	ImpersonationIdentification ImpersonationLevel = 1
	ImpersonationImpersonation  ImpersonationLevel = 2
	ImpersonationDelegate       ImpersonationLevel = 3
)

// ShareAccess of a CREATE request.
type ShareAccess uint32

// Share access bits.
const (
	FileShareRead   ShareAccess = 0x00000001
	FileShareWrite  ShareAccess = 0x00000002
	FileShareDelete ShareAccess = 0x00000004
)

// CreateDisposition of a CREATE request.
type CreateDisposition uint32

// Create dispositions.
const (
	FileSupersede   CreateDisposition = 0x00000000
	FileOpen        CreateDisposition = 0x00000001
	FileCreate      CreateDisposition = 0x00000002
	FileOpenIf      CreateDisposition = 0x00000003
	FileOverwrite   CreateDisposition = 0x00000004
	FileOverwriteIf CreateDisposition = 0x00000005
)

// CreateOptions of a CREATE request.
type CreateOptions uint32

// Create options.
const (
	FileDirectoryFile           CreateOptions = 0x00000001
	FileWriteThrough            CreateOptions = 0x00000002
	FileSequentialOnly          CreateOptions = 0x00000004
	FileNoIntermediateBuffering CreateOptions = 0x00000008
	FileSynchronousIOAlert      CreateOptions = 0x00000010
	FileSynchronousIONonalert   CreateOptions = 0x00000020
	FileNonDirectoryFile        CreateOptions = 0x00000040
	FileCompleteIfOplocked      CreateOptions = 0x00000100
	FileNoEAKnowledge           CreateOptions = 0x00000200
	FileRandomAccess            CreateOptions = 0x00000800
	FileDeleteOnClose           CreateOptions = 0x00001000
	FileOpenByFileID            CreateOptions = 0x00002000
	FileOpenForBackupIntent     CreateOptions = 0x00004000
	FileNoCompression           CreateOptions = 0x00008000
	FileOpenRemoteInstance      CreateOptions = 0x00000400
	FileOpenRequiringOplock     CreateOptions = 0x00010000
	FileDisallowExclusive       CreateOptions = 0x00020000
	FileReserveOpfilter         CreateOptions = 0x00100000
	FileOpenReparsePoint        CreateOptions = 0x00200000
	FileOpenNoRecall            CreateOptions = 0x00400000
	FileOpenForFreeSpaceQuery   CreateOptions = 0x00800000
)

// CreateAction of a CREATE response.
type CreateAction uint32

// Create actions.
const (
	FileSuperseded  CreateAction = 0x00000000
	FileOpened      CreateAction = 0x00000001
	FileCreated     CreateAction = 0x00000002
	FileOverwritten CreateAction = 0x00000003
)

// FileAttributes (MS-FSCC 2.6).
type FileAttributes uint32

// File attributes.
const (
	FileAttributeReadonly          FileAttributes = 0x00000001
	FileAttributeHidden            FileAttributes = 0x00000002
	FileAttributeSystem            FileAttributes = 0x00000004
	FileAttributeDirectory         FileAttributes = 0x00000010
	FileAttributeArchive           FileAttributes = 0x00000020
	FileAttributeNormal            FileAttributes = 0x00000080
	FileAttributeTemporary         FileAttributes = 0x00000100
	FileAttributeSparseFile        FileAttributes = 0x00000200
	FileAttributeReparsePoint      FileAttributes = 0x00000400
	FileAttributeCompressed        FileAttributes = 0x00000800
	FileAttributeOffline           FileAttributes = 0x00001000
	FileAttributeNotContentIndexed FileAttributes = 0x00002000
	FileAttributeEncrypted         FileAttributes = 0x00004000
	FileAttributeIntegrityStream   FileAttributes = 0x00008000
	FileAttributeNoScrubData       FileAttributes = 0x00020000
)

// CLOSE flags (MS-SMB2 2.2.15).
const (
	CloseFlagPostQueryAttrib uint16 = 0x0001
)

// READ request flags and READ response flags (MS-SMB2 2.2.19, 2.2.20).
const (
	ReadFlagUnbuffered            uint8  = 0x01
	ReadFlagRequestCompressed     uint8  = 0x02
	ReadResponseFlagRDMATransform uint32 = 0x00000001
)

// WRITE request flags (MS-SMB2 2.2.21).
const (
	WriteFlagWriteThrough    uint32 = 0x00000001
	WriteFlagWriteUnbuffered uint32 = 0x00000002
)

// Channel values of READ and WRITE.
const (
	ChannelNone uint32 = 0x00000000
)

// LOCK element flags (MS-SMB2 2.2.26.1).
const (
	LockFlagSharedLock      uint32 = 0x00000001
	LockFlagExclusiveLock   uint32 = 0x00000002
	LockFlagUnlock          uint32 = 0x00000004
	LockFlagFailImmediately uint32 = 0x00000010
)

// IOCTL control codes lanman uses (MS-SMB2 2.2.31, MS-FSCC 2.3).
const (
	FsctlDFSGetReferrals           uint32 = 0x00060194
	FsctlPipePeek                  uint32 = 0x0011400C
	FsctlPipeWait                  uint32 = 0x00110018
	FsctlPipeTransceive            uint32 = 0x0011C017
	FsctlSrvCopyChunk              uint32 = 0x001440F2
	FsctlSrvEnumerateSnapshots     uint32 = 0x00144064
	FsctlSrvRequestResumeKey       uint32 = 0x00140078
	FsctlSrvReadHash               uint32 = 0x001441BB
	FsctlSrvCopyChunkWrite         uint32 = 0x001480F2
	FsctlLMRRequestResiliency      uint32 = 0x001401D4
	FsctlQueryNetworkInterfaceInfo uint32 = 0x001401FC
	FsctlSetReparsePoint           uint32 = 0x000900A4
	FsctlDFSGetReferralsEx         uint32 = 0x000601B0
	FsctlFileLevelTrim             uint32 = 0x00098208
	FsctlValidateNegotiateInfo     uint32 = 0x00140204
)

// IOCTL request flags.
const (
	IoctlFlagIsFsctl uint32 = 0x00000001
)

// QUERY_DIRECTORY flags (MS-SMB2 2.2.33).
const (
	QueryDirRestartScans      uint8 = 0x01
	QueryDirReturnSingleEntry uint8 = 0x02
	QueryDirIndexSpecified    uint8 = 0x04
	QueryDirReopen            uint8 = 0x10
)

// CHANGE_NOTIFY flags and completion filter bits (MS-SMB2 2.2.35).
const (
	WatchTree uint16 = 0x0001

	FileNotifyChangeFileName    uint32 = 0x00000001
	FileNotifyChangeDirName     uint32 = 0x00000002
	FileNotifyChangeAttributes  uint32 = 0x00000004
	FileNotifyChangeSize        uint32 = 0x00000008
	FileNotifyChangeLastWrite   uint32 = 0x00000010
	FileNotifyChangeLastAccess  uint32 = 0x00000020
	FileNotifyChangeCreation    uint32 = 0x00000040
	FileNotifyChangeEA          uint32 = 0x00000080
	FileNotifyChangeSecurity    uint32 = 0x00000100
	FileNotifyChangeStreamName  uint32 = 0x00000200
	FileNotifyChangeStreamSize  uint32 = 0x00000400
	FileNotifyChangeStreamWrite uint32 = 0x00000800
)

// InfoType of QUERY_INFO and SET_INFO (MS-SMB2 2.2.37).
type InfoType uint8

// Info types.
const (
	InfoFile       InfoType = 0x01
	InfoFilesystem InfoType = 0x02
	InfoSecurity   InfoType = 0x03
	InfoQuota      InfoType = 0x04
)

// Security information bits in AdditionalInformation for InfoSecurity.
const (
	OwnerSecurityInformation     uint32 = 0x00000001
	GroupSecurityInformation     uint32 = 0x00000002
	DACLSecurityInformation      uint32 = 0x00000004
	SACLSecurityInformation      uint32 = 0x00000008
	LabelSecurityInformation     uint32 = 0x00000010
	AttributeSecurityInformation uint32 = 0x00000020
	ScopeSecurityInformation     uint32 = 0x00000040
	BackupSecurityInformation    uint32 = 0x00010000
)

// HashAlgorithm is a preauthentication integrity hash algorithm.
type HashAlgorithm uint16

// HashSHA512 is the only preauthentication integrity hash defined.
const HashSHA512 HashAlgorithm = 0x0001

// CipherID identifies an SMB 3.x encryption algorithm
// (MS-SMB2 2.2.3.1.2).
type CipherID uint16

// Ciphers.
const (
	CipherAES128CCM CipherID = 0x0001
	CipherAES128GCM CipherID = 0x0002
	CipherAES256CCM CipherID = 0x0003
	CipherAES256GCM CipherID = 0x0004
)

func (c CipherID) String() string {
	switch c {
	case CipherAES128CCM:
		return "AES-128-CCM"
	case CipherAES128GCM:
		return "AES-128-GCM"
	case CipherAES256CCM:
		return "AES-256-CCM"
	case CipherAES256GCM:
		return "AES-256-GCM"
	}
	return fmt.Sprintf("cipher(0x%04X)", uint16(c))
}

// KeySize is the cipher's key length in bytes (16 or 32), or 0 when c is
// unknown.
func (c CipherID) KeySize() int {
	switch c {
	case CipherAES128CCM, CipherAES128GCM:
		return 16
	case CipherAES256CCM, CipherAES256GCM:
		return 32
	}
	return 0
}

// SigningAlgorithm identifies an SMB signing algorithm (MS-SMB2
// 2.2.3.1.7). Dialects 2.0.2 and 2.1 always use HMAC-SHA256; 3.0 and 3.0.2
// AES-CMAC; 3.1.1 AES-CMAC unless SIGNING_CAPABILITIES chose otherwise.
type SigningAlgorithm uint16

// Signing algorithms.
const (
	SigningHMACSHA256 SigningAlgorithm = 0x0000
	SigningAESCMAC    SigningAlgorithm = 0x0001
	SigningAESGMAC    SigningAlgorithm = 0x0002
)

func (a SigningAlgorithm) String() string {
	switch a {
	case SigningHMACSHA256:
		return "HMAC-SHA256"
	case SigningAESCMAC:
		return "AES-CMAC"
	case SigningAESGMAC:
		return "AES-GMAC"
	}
	return fmt.Sprintf("signing(0x%04X)", uint16(a))
}

// TransformFlagEncrypted is the Flags/EncryptionAlgorithm value of a
// TRANSFORM_HEADER: "encrypted" in 3.1.1, "AES-128-CCM" in 3.0 and 3.0.2,
// the same number either way.
const TransformFlagEncrypted uint16 = 0x0001
