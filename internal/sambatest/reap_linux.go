package sambatest

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// reapHelpers ends the processes that run with this instance's smb.conf
// but left smbd's process group: Samba 4.17's smbd starts samba-dcerpcd
// on demand, which makes itself a session leader, and its rpcd_* workers
// with it, so signalling the group does not reach them. They are found by
// their --configfile argument, which names this instance's private
// directory and nothing else.
func reapHelpers(conf string) {
	for deadline := time.Now().Add(5 * time.Second); ; {
		pids := helperPIDs(conf)
		if len(pids) == 0 || time.Now().After(deadline) {
			return
		}
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func helperPIDs(conf string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		for _, arg := range strings.Split(string(b), "\x00") {
			if arg == "--configfile="+conf {
				pids = append(pids, pid)
				break
			}
		}
	}
	return pids
}
