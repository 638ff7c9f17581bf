//go:build linux || darwin || freebsd || netbsd || openbsd

package server

import (
	"io/fs"
	"syscall"
)

// sysMeta fills what the platform knows beyond os.FileInfo: the inode as
// the file ID, link count, allocation, and access/change times.
func sysMeta(m *fileMeta, fi fs.FileInfo) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	m.id = uint64(st.Ino)
	m.links = uint32(st.Nlink)
	if !m.dir {
		m.alloc = uint64(st.Blocks) * 512
	}
	m.access = filetime(statAtime(st))
	m.change = filetime(statCtime(st))
}

// diskSpace reports total and free bytes of the file system holding dir.
func diskSpace(dir string) (total, free uint64, ok bool) {
	var s syscall.Statfs_t
	if err := syscall.Statfs(dir, &s); err != nil {
		return 0, 0, false
	}
	bs := uint64(s.Bsize)
	return uint64(s.Blocks) * bs, uint64(s.Bavail) * bs, true
}
