package workstation

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/win32"
)

// ntToWin32 maps the NTSTATUS codes a redirector meets to the Win32 codes
// NetUseAdd and the file calls return (as Windows' RtlNtStatusToDosError
// does for these).
var ntToWin32 = map[ntstatus.Status]win32.Errno{
	ntstatus.STATUS_ACCESS_DENIED:         win32.ERROR_ACCESS_DENIED,
	ntstatus.STATUS_LOGON_FAILURE:         win32.ERROR_LOGON_FAILURE,
	ntstatus.STATUS_WRONG_PASSWORD:        win32.ERROR_INVALID_PASSWORD,
	ntstatus.STATUS_ACCOUNT_RESTRICTION:   win32.Errno(1327), // ERROR_ACCOUNT_RESTRICTION
	ntstatus.STATUS_PASSWORD_EXPIRED:      win32.Errno(1330), // ERROR_PASSWORD_EXPIRED
	ntstatus.STATUS_ACCOUNT_DISABLED:      win32.Errno(1331), // ERROR_ACCOUNT_DISABLED
	ntstatus.STATUS_BAD_NETWORK_NAME:      win32.ERROR_BAD_NET_NAME,
	ntstatus.STATUS_OBJECT_NAME_NOT_FOUND: win32.ERROR_FILE_NOT_FOUND,
	ntstatus.STATUS_OBJECT_PATH_NOT_FOUND: win32.ERROR_PATH_NOT_FOUND,
	ntstatus.STATUS_OBJECT_NAME_COLLISION: win32.Errno(80), // ERROR_FILE_EXISTS
	ntstatus.STATUS_SHARING_VIOLATION:     win32.Errno(32), // ERROR_SHARING_VIOLATION
	ntstatus.STATUS_FILE_IS_A_DIRECTORY:   win32.ERROR_ACCESS_DENIED,
	ntstatus.STATUS_NOT_A_DIRECTORY:       win32.Errno(267), // ERROR_DIRECTORY
}

// errUnexpNetErr is ERROR_UNEXP_NET_ERR (59), "an unexpected network
// error occurred": the code for failures with no better one.
const errUnexpNetErr = win32.Errno(59)

// ErrnoOf is the Win32 code that reports err to a NetUse* caller: the
// win32.Errno it wraps, the mapping of a wrapped NTSTATUS, ERROR_BAD_NETPATH
// for a server that cannot be reached, ERROR_SEM_TIMEOUT-like
// ERROR_TIMEOUT for a deadline, else ERROR_UNEXP_NET_ERR.
func ErrnoOf(err error) win32.Errno {
	if err == nil {
		return win32.NERR_Success
	}
	var e win32.Errno
	if errors.As(err, &e) {
		return e
	}
	var st ntstatus.Status
	if errors.As(err, &st) {
		if w, ok := ntToWin32[st]; ok {
			return w
		}
		return errUnexpNetErr
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return win32.ERROR_TIMEOUT
	case errors.Is(err, fs.ErrNotExist):
		return win32.ERROR_FILE_NOT_FOUND
	case errors.Is(err, fs.ErrPermission):
		return win32.ERROR_ACCESS_DENIED
	case errors.Is(err, fs.ErrExist):
		return win32.Errno(80)
	case errors.Is(err, ErrStale):
		return win32.ERROR_NETNAME_DELETED
	case errors.Is(err, os.ErrClosed):
		return win32.ERROR_INVALID_HANDLE
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		return win32.ERROR_BAD_NETPATH
	}
	return errUnexpNetErr
}
