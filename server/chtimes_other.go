//go:build !linux

package server

import "time"

// chtimesFile leaves times unchanged where no descriptor-relative way to
// set them exists in the Go 1.24 standard library: SET_INFO of basic
// information then only applies what else it carries.
func chtimesFile(h *diskHandle, atime, mtime time.Time) error { return nil }
