// Package ntstatus is the NTSTATUS code space (MS-ERREF 2.3) as one
// comparable error type, for the statuses SMB2 carries in every header.
//
//go:generate go run ../internal/cmd/generrs ../../shared/specs/MS-ERREF.md
package ntstatus

import "fmt"

// Status is an NTSTATUS value.
type Status uint32

// Error prints the status with its MS-ERREF name and hex value:
// "STATUS_LOGON_FAILURE (0xC000006D)".
func (s Status) Error() string {
	if n, ok := names[uint32(s)]; ok {
		return fmt.Sprintf("%s (0x%08X)", n, uint32(s))
	}
	return fmt.Sprintf("NTSTATUS 0x%08X", uint32(s))
}

// Name is the symbolic name, or "" when MS-ERREF does not list the status.
func (s Status) Name() string { return names[uint32(s)] }

// IsError reports whether the severity bits say error (0b11).
func (s Status) IsError() bool { return uint32(s)>>30 == 3 }

// IsWarning reports whether the severity bits say warning (0b10), as
// STATUS_BUFFER_OVERFLOW does: the reply still carries data.
func (s Status) IsWarning() bool { return uint32(s)>>30 == 2 }

// The statuses lanman sends or tests for. Any other value still prints
// with its name through Error.
const (
	STATUS_SUCCESS                  Status = 0x00000000
	STATUS_PENDING                  Status = 0x00000103
	STATUS_NOTIFY_ENUM_DIR          Status = 0x0000010C
	STATUS_BUFFER_OVERFLOW          Status = 0x80000005
	STATUS_NO_MORE_FILES            Status = 0x80000006
	STATUS_UNSUCCESSFUL             Status = 0xC0000001
	STATUS_NOT_IMPLEMENTED          Status = 0xC0000002
	STATUS_INVALID_INFO_CLASS       Status = 0xC0000003
	STATUS_INFO_LENGTH_MISMATCH     Status = 0xC0000004
	STATUS_INVALID_HANDLE           Status = 0xC0000008
	STATUS_INVALID_PARAMETER        Status = 0xC000000D
	STATUS_NO_SUCH_FILE             Status = 0xC000000F
	STATUS_INVALID_DEVICE_REQUEST   Status = 0xC0000010
	STATUS_END_OF_FILE              Status = 0xC0000011
	STATUS_MORE_PROCESSING_REQUIRED Status = 0xC0000016
	STATUS_NO_MEMORY                Status = 0xC0000017
	STATUS_ACCESS_DENIED            Status = 0xC0000022
	STATUS_BUFFER_TOO_SMALL         Status = 0xC0000023
	STATUS_OBJECT_TYPE_MISMATCH     Status = 0xC0000024
	STATUS_OBJECT_NAME_INVALID      Status = 0xC0000033
	STATUS_OBJECT_NAME_NOT_FOUND    Status = 0xC0000034
	STATUS_OBJECT_NAME_COLLISION    Status = 0xC0000035
	STATUS_OBJECT_PATH_INVALID      Status = 0xC0000039
	STATUS_OBJECT_PATH_NOT_FOUND    Status = 0xC000003A
	STATUS_OBJECT_PATH_SYNTAX_BAD   Status = 0xC000003B
	STATUS_SHARING_VIOLATION        Status = 0xC0000043
	STATUS_DELETE_PENDING           Status = 0xC0000056
	STATUS_PRIVILEGE_NOT_HELD       Status = 0xC0000061
	STATUS_WRONG_PASSWORD           Status = 0xC000006A
	STATUS_LOGON_FAILURE            Status = 0xC000006D
	STATUS_ACCOUNT_RESTRICTION      Status = 0xC000006E
	STATUS_PASSWORD_EXPIRED         Status = 0xC0000071
	STATUS_ACCOUNT_DISABLED         Status = 0xC0000072
	STATUS_INSUFFICIENT_RESOURCES   Status = 0xC000009A
	STATUS_PIPE_NOT_AVAILABLE       Status = 0xC00000AC
	STATUS_INVALID_PIPE_STATE       Status = 0xC00000AD
	STATUS_PIPE_BUSY                Status = 0xC00000AE
	STATUS_PIPE_DISCONNECTED        Status = 0xC00000B0
	STATUS_PIPE_CLOSING             Status = 0xC00000B1
	STATUS_PIPE_EMPTY               Status = 0xC00000D9
	STATUS_FILE_IS_A_DIRECTORY      Status = 0xC00000BA
	STATUS_NOT_SUPPORTED            Status = 0xC00000BB
	STATUS_NETWORK_NAME_DELETED     Status = 0xC00000C9
	STATUS_NETWORK_ACCESS_DENIED    Status = 0xC00000CA
	STATUS_BAD_NETWORK_NAME         Status = 0xC00000CC
	STATUS_REQUEST_NOT_ACCEPTED     Status = 0xC00000D0
	STATUS_INTERNAL_ERROR           Status = 0xC00000E5
	STATUS_DIRECTORY_NOT_EMPTY      Status = 0xC0000101
	STATUS_NOT_A_DIRECTORY          Status = 0xC0000103
	STATUS_CANCELLED                Status = 0xC0000120
	STATUS_FILE_CLOSED              Status = 0xC0000128
	STATUS_INVALID_LEVEL            Status = 0xC0000148
	STATUS_PIPE_BROKEN              Status = 0xC000014B
	STATUS_IO_TIMEOUT               Status = 0xC00000B5
	STATUS_CONNECTION_DISCONNECTED  Status = 0xC000020C
	STATUS_CONNECTION_RESET         Status = 0xC000020D
	STATUS_NOT_FOUND                Status = 0xC0000225
	STATUS_USER_SESSION_DELETED     Status = 0xC0000203
	STATUS_NETWORK_SESSION_EXPIRED  Status = 0xC000035C
	STATUS_NOT_A_REPARSE_POINT      Status = 0xC0000275
	STATUS_FILE_NOT_AVAILABLE       Status = 0xC0000467
	STATUS_SMB_BAD_CLUSTER_DIALECT  Status = 0xC05D0001
)
