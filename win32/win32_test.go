package win32

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorNames(t *testing.T) {
	for _, tc := range []struct {
		e    Errno
		want string
	}{
		{ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED (5)"},
		{NERR_ClientNameNotFound, "NERR_ClientNameNotFound (2312)"},
		{ERROR_MORE_DATA, "ERROR_MORE_DATA (234)"},
		{NERR_UseNotFound, "NERR_UseNotFound (2250)"},
		{Errno(0xFFFF0000), "win32 error 4294901760 (0xFFFF0000)"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%d: got %q, want %q", uint32(tc.e), got, tc.want)
		}
	}
	wrapped := fmt.Errorf("NetSessionEnum: %w", ERROR_ACCESS_DENIED)
	if !errors.Is(wrapped, ERROR_ACCESS_DENIED) || errors.Is(wrapped, ERROR_MORE_DATA) {
		t.Error("errors.Is does not see through wrapping")
	}
}

// TestConstantNames checks the hand-written constants against the names
// MS-ERREF gives their values, where MS-ERREF's first name is the same
// family (an ERROR_ constant may share its value with a NERR_ name).
func TestConstantNames(t *testing.T) {
	for name, e := range map[string]Errno{
		"ERROR_INVALID_LEVEL": ERROR_INVALID_LEVEL, "NERR_BufTooSmall": NERR_BufTooSmall,
		"NERR_WkstaNotStarted": NERR_WkstaNotStarted, "NERR_OpenFiles": NERR_OpenFiles,
		"NERR_NetNameNotFound": NERR_NetNameNotFound, "NERR_FileIdNotFound": NERR_FileIdNotFound,
		"NERR_InvalidComputer": NERR_InvalidComputer, "NERR_UserNotFound": NERR_UserNotFound,
		"ERROR_CALL_NOT_IMPLEMENTED": ERROR_CALL_NOT_IMPLEMENTED, "NERR_DuplicateShare": NERR_DuplicateShare,
	} {
		if e.Name() != name {
			t.Errorf("%s = %d, but MS-ERREF names %d %q", name, uint32(e), uint32(e), e.Name())
		}
	}
}
