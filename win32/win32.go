// Package win32 is the Win32 error code space that NET_API_STATUS shares:
// ERROR_* and NERR_* values (MS-ERREF 2.2) as one comparable error type.
//
// A code is an error value itself, so callers test with errors.Is:
//
//	if errors.Is(err, win32.ERROR_ACCESS_DENIED) { … }
//
//go:generate go run ../internal/cmd/generrs ../../shared/specs/MS-ERREF.md
package win32

import "fmt"

// Errno is a Win32 error code or NET_API_STATUS.
type Errno uint32

// Error prints the code with its MS-ERREF name and decimal value, the way
// Windows' own documentation refers to them: "ERROR_ACCESS_DENIED (5)".
func (e Errno) Error() string {
	if n, ok := names[uint32(e)]; ok {
		return fmt.Sprintf("%s (%d)", n, uint32(e))
	}
	return fmt.Sprintf("win32 error %d (0x%08X)", uint32(e), uint32(e))
}

// Name is the symbolic name, or "" when MS-ERREF does not list the code.
func (e Errno) Name() string { return names[uint32(e)] }

// The codes lanman returns or tests for. Any other value still prints with
// its name through Error.
const (
	ERROR_SUCCESS                     Errno = 0
	NERR_Success                      Errno = 0
	ERROR_INVALID_FUNCTION            Errno = 1
	ERROR_FILE_NOT_FOUND              Errno = 2
	ERROR_PATH_NOT_FOUND              Errno = 3
	ERROR_ACCESS_DENIED               Errno = 5
	ERROR_INVALID_HANDLE              Errno = 6
	ERROR_NOT_ENOUGH_MEMORY           Errno = 8
	ERROR_BAD_NETPATH                 Errno = 53
	ERROR_NETNAME_DELETED             Errno = 64
	ERROR_BAD_NET_NAME                Errno = 67
	ERROR_ALREADY_ASSIGNED            Errno = 85
	ERROR_INVALID_PASSWORD            Errno = 86
	ERROR_INVALID_PARAMETER           Errno = 87
	ERROR_CALL_NOT_IMPLEMENTED        Errno = 120
	ERROR_INSUFFICIENT_BUFFER         Errno = 122
	ERROR_INVALID_NAME                Errno = 123
	ERROR_INVALID_LEVEL               Errno = 124
	ERROR_BUSY                        Errno = 170
	ERROR_MORE_DATA                   Errno = 234
	ERROR_NO_MORE_ITEMS               Errno = 259
	ERROR_BAD_DEVICE                  Errno = 1200
	ERROR_CONNECTION_UNAVAIL          Errno = 1201
	ERROR_DEVICE_ALREADY_REMEMBERED   Errno = 1202
	ERROR_NO_NET_OR_BAD_PATH          Errno = 1203
	ERROR_NOT_CONNECTED               Errno = 2250
	ERROR_OPEN_FILES                  Errno = 2401
	ERROR_DEVICE_IN_USE               Errno = 2404
	ERROR_LOGON_FAILURE               Errno = 1326
	ERROR_NOT_SUPPORTED               Errno = 50
	ERROR_SESSION_CREDENTIAL_CONFLICT Errno = 1219
	ERROR_SERVICE_NOT_ACTIVE          Errno = 1062
	ERROR_TIMEOUT                     Errno = 1460

	NERR_BASE               Errno = 2100
	NERR_NetNotStarted      Errno = 2102
	NERR_UnknownServer      Errno = 2103
	NERR_DuplicateShare     Errno = 2118
	NERR_BufTooSmall        Errno = 2123
	NERR_WkstaNotStarted    Errno = 2138
	NERR_ServerNotStarted   Errno = 2114
	NERR_UserNotFound       Errno = 2221
	NERR_UseNotFound        Errno = 2250
	NERR_BadAsgType         Errno = 2251
	NERR_DeviceIsShared     Errno = 2252
	NERR_NetNameNotFound    Errno = 2310
	NERR_ClientNameNotFound Errno = 2312
	NERR_FileIdNotFound     Errno = 2314
	NERR_InvalidComputer    Errno = 2351
	NERR_OpenFiles          Errno = 2401
	NERR_ActiveConns        Errno = 2402
	NERR_DevInUse           Errno = 2404
)
