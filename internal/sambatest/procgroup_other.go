//go:build !unix

package sambatest

import "os/exec"

// Samba runs on Unix only; elsewhere Require has already skipped (or, in
// CI, failed) before a process is started.
func ownProcessGroup(*exec.Cmd) {}

func signalGroup(int, bool) {}
