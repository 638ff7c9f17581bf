package server

import "github.com/lanman/lanman/ntstatus"

// NTSTATUS values the server returns that the ntstatus package has names
// for (names_gen.go) but no exported constants.
const (
	statusInvalidOplockProtocol ntstatus.Status = 0xC00000E3
	statusCannotDelete          ntstatus.Status = 0xC0000121
	statusMediaWriteProtected   ntstatus.Status = 0xC00000A2
	statusDiskFull              ntstatus.Status = 0xC000007F
	statusRangeNotLocked        ntstatus.Status = 0xC000007E
	statusLockNotGranted        ntstatus.Status = 0xC0000055
	statusInvalidLockRange      ntstatus.Status = 0xC00001A1
)
