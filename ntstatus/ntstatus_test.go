package ntstatus

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorNames(t *testing.T) {
	for _, tc := range []struct {
		s    Status
		want string
	}{
		{STATUS_LOGON_FAILURE, "STATUS_LOGON_FAILURE (0xC000006D)"},
		{STATUS_BUFFER_OVERFLOW, "STATUS_BUFFER_OVERFLOW (0x80000005)"},
		{Status(0xE0FFFFFF), "NTSTATUS 0xE0FFFFFF"},
	} {
		if got := tc.s.Error(); got != tc.want {
			t.Errorf("%#x: got %q, want %q", uint32(tc.s), got, tc.want)
		}
	}
	// Every constant must have the name it is declared under: a typo in
	// the hand-written list would otherwise print a wrong name.
	if STATUS_ACCESS_DENIED.Name() != "STATUS_ACCESS_DENIED" || STATUS_PENDING.Name() != "STATUS_PENDING" {
		t.Error("constants disagree with MS-ERREF names")
	}
	wrapped := fmt.Errorf("session setup: %w", STATUS_LOGON_FAILURE)
	if !errors.Is(wrapped, STATUS_LOGON_FAILURE) || errors.Is(wrapped, STATUS_ACCESS_DENIED) {
		t.Error("errors.Is does not see through wrapping")
	}
	if !STATUS_ACCESS_DENIED.IsError() || STATUS_BUFFER_OVERFLOW.IsError() || !STATUS_BUFFER_OVERFLOW.IsWarning() {
		t.Error("severity bits misread")
	}
}
