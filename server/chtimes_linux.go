package server

import (
	"strconv"
	"syscall"
	"time"
)

// chtimesFile sets an open file's times through its descriptor
// (/proc/self/fd names exactly the open file, whatever happened to its
// path since), so no path is resolved outside the share's os.Root.
func chtimesFile(h *diskHandle, atime, mtime time.Time) error {
	ts := []syscall.Timespec{syscall.NsecToTimespec(atime.UnixNano()), syscall.NsecToTimespec(mtime.UnixNano())}
	return syscall.UtimesNano("/proc/self/fd/"+strconv.Itoa(int(h.f.Fd())), ts)
}
