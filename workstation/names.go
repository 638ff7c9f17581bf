package workstation

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/lanman/lanman/win32"
)

// Resource types of a use (ui*_asg_type, MS-WKST 2.2.5.23).
const (
	UseWildcard uint32 = 0xFFFFFFFF
	UseDiskDev  uint32 = 0
	UseSpoolDev uint32 = 1
	UseCharDev  uint32 = 2
	UseIPC      uint32 = 3
)

// Status values of a use (ui*_status, MS-WKST 2.2.5.23). USE_DISCONN of
// Win32's lmuse.h is USE_SESSLOST.
const (
	UseOK       uint32 = 0
	UsePaused   uint32 = 1
	UseSessLost uint32 = 2
	UseDisconn         = UseSessLost
	UseNetErr   uint32 = 3
	UseConn     uint32 = 4
	UseReconn   uint32 = 5
)

// Force levels of NetUseDel (MS-WKST 3.2.4.9).
const (
	UseNoForce     uint32 = 0
	UseForce       uint32 = 1
	UseLotsOfForce uint32 = 2
)

// maxPasswordLen is the longest ui*_password NetrUseAdd accepts
// (MS-WKST 3.2.4.7).
const maxPasswordLen = 65

// maxLocalLen bounds a free-form local name, as Windows bounds device
// names (DEVLEN is 80).
const maxLocalLen = 80

// unc is a canonical \\server\share name, with the address to dial.
type unc struct {
	Server string // as written, lower-cased, without a port: the session's key and the NTLM target
	Share  string // upper-case is not forced: shares compare case-insensitively
	Addr   string // host:port
	Port   int
}

// String is the canonical remote name: \\server\share, or
// \\server:port\share when a port other than the default was given.
func (u unc) String() string { return `\\` + u.hostPart() + `\` + u.Share }

func (u unc) hostPart() string {
	if u.Port == 445 {
		return u.Server
	}
	return net.JoinHostPort(u.Server, strconv.Itoa(u.Port))
}

// parseUNC canonicalizes a remote name (MS-WKST 3.2.4.7: "If ui*_remote
// is not a UNC path format, the server MUST fail the call with
// ERROR_INVALID_PARAMETER"). It accepts \\server\share and //server/share,
// with an optional trailing separator, and a port after the server name
// (\\host:4455\share, \\[::1]:4455\share) so that servers on other ports
// can be used. defPort is the port when none is given (0 means 445).
func parseUNC(s string, defPort int) (unc, error) {
	if defPort == 0 {
		defPort = 445
	}
	bad := func(why string) (unc, error) {
		return unc{}, fmt.Errorf("workstation: remote name %q: %s: %w", s, why, win32.ERROR_INVALID_PARAMETER)
	}
	if !isUNC(s) {
		return bad(`not of the form \\server\share`)
	}
	rest := strings.ReplaceAll(s[2:], "/", `\`)
	rest = strings.TrimSuffix(rest, `\`)
	server, share, ok := strings.Cut(rest, `\`)
	if !ok || server == "" || share == "" {
		return bad(`not of the form \\server\share`)
	}
	if strings.Contains(share, `\`) {
		return bad("a path below the share is not a share")
	}
	if len(share) > 80 || strings.ContainsAny(share, "\"/[]:|<>+=;,*?\x00") {
		return bad("invalid share name")
	}
	host, port := server, defPort
	if a, err := netip.ParseAddr(server); err == nil {
		host = a.String()
	} else if h, p, err := net.SplitHostPort(server); err == nil {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil || n == 0 || h == "" {
			return bad("invalid port")
		}
		host, port = h, int(n)
	}
	if !validHost(host) {
		return bad("invalid server name")
	}
	host = strings.ToLower(host)
	return unc{Server: host, Share: share, Addr: net.JoinHostPort(host, strconv.Itoa(port)), Port: port}, nil
}

// validHost accepts an IP address or a DNS/NetBIOS name: letters, digits,
// '-', '_' and '.'.
func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return !strings.Contains(h, "%") // no IPv6 zones: they name local links
	}
	if h == "" || len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// isUNC tells a remote name (\\server\share) from a local device name.
func isUNC(s string) bool {
	return len(s) > 2 && (s[:2] == `\\` || s[:2] == "//")
}

// canonicalLocal checks a local device name against the resource type
// (MS-WKST 3.2.4.7) and returns it canonicalized: device names are
// upper-cased with their colon ("e" and "e:" are "E:"). Besides Windows'
// device names (drive letters for disks, LPTn:/PRN: for printers,
// COMn:/AUX: for serial devices), a disk or IPC use may have any name the
// user chooses, as a Unix system has no drive letters: letters, digits and
// ".-_", up to 80 characters, kept as written and compared without regard
// to case.
func canonicalLocal(local string, asg uint32) (string, error) {
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("workstation: local name %q: %s: %w", local, why, win32.ERROR_INVALID_PARAMETER)
	}
	up := strings.ToUpper(strings.TrimSuffix(local, ":"))
	switch {
	case len(up) == 1 && up[0] >= 'A' && up[0] <= 'Z':
		if asg != UseDiskDev {
			return bad("a drive letter names a disk")
		}
		return up + ":", nil
	case up == "PRN" || (strings.HasPrefix(up, "LPT") && isDigits(up[3:])):
		if asg != UseSpoolDev {
			return bad("LPTn: and PRN: name printers")
		}
		return up + ":", nil
	case up == "AUX" || (strings.HasPrefix(up, "COM") && isDigits(up[3:])):
		if asg != UseCharDev {
			return bad("COMn: and AUX: name serial devices")
		}
		return up + ":", nil
	}
	if asg != UseDiskDev && asg != UseIPC {
		return bad("this resource type needs a device name")
	}
	if local == "" || len(local) > maxLocalLen {
		return bad("empty or too long")
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return bad("only letters, digits and .-_ may be used")
		}
	}
	if local == "." || local == ".." {
		return bad("reserved")
	}
	return local, nil
}

func isDigits(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// sameLocal compares local names as Windows compares device names:
// without regard to case or to a trailing colon.
func sameLocal(a, b string) bool {
	return a != "" && b != "" && strings.EqualFold(strings.TrimSuffix(a, ":"), strings.TrimSuffix(b, ":"))
}

// splitPath splits "X:/dir/file", "name:dir/file" or
// `\\server\share\dir\file` into the use name and the path inside the
// share (with backslashes, no leading separator).
func splitPath(p string) (use, rel string, err error) {
	if isUNC(p) {
		rest := strings.ReplaceAll(p[2:], "/", `\`)
		server, after, ok := strings.Cut(rest, `\`)
		if !ok || server == "" {
			return "", "", fmt.Errorf("workstation: path %q: no share: %w", p, win32.ERROR_INVALID_PARAMETER)
		}
		share, rel, _ := strings.Cut(after, `\`)
		if share == "" {
			return "", "", fmt.Errorf("workstation: path %q: no share: %w", p, win32.ERROR_INVALID_PARAMETER)
		}
		return `\\` + server + `\` + share, cleanRel(rel), nil
	}
	use, rel, ok := strings.Cut(p, ":")
	if !ok || use == "" {
		return "", "", fmt.Errorf(`workstation: path %q: not NAME:path or \\server\share\path: %w`, p, win32.ERROR_INVALID_PARAMETER)
	}
	return use, cleanRel(rel), nil
}

// cleanRel turns a path inside a share into the form SMB2 CREATE wants:
// backslashes, no leading or trailing separator, no "." elements. ".."
// elements are left for the server to refuse.
func cleanRel(rel string) string {
	rel = strings.ReplaceAll(rel, "/", `\`)
	parts := strings.Split(rel, `\`)
	out := parts[:0]
	for _, p := range parts {
		if p != "" && p != "." {
			out = append(out, p)
		}
	}
	return strings.Join(out, `\`)
}
