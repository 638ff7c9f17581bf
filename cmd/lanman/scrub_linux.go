package main

import (
	"os"
	"strings"
	"unsafe"
)

// scrubArgs overwrites a password given as -U user%password in the
// process's own argument memory, which is what ps and /proc/PID/cmdline
// show, as Samba's tools do. On Linux the runtime's os.Args strings are
// that memory itself (not copies), so writing through them reaches it.
// Callers must have copied the password out first. Other users could
// still have read it before this ran: -U user%password is for
// compatibility, the environment or a file is the safe way.
func scrubArgs(secret string) {
	if secret == "" {
		return
	}
	for _, a := range os.Args[1:] {
		i := strings.Index(a, "%"+secret)
		if i < 0 || len(a) == 0 {
			continue
		}
		b := unsafe.Slice(unsafe.StringData(a), len(a))
		for j := i + 1; j < i+1+len(secret); j++ {
			b[j] = 'X'
		}
	}
}
