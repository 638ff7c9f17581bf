package ntlm

// Version is the VERSION structure of MS-NLMP 2.2.2.10. It is informative
// only (debugging), but Windows sends it and some peers log it.
type Version struct {
	Major, Minor uint8
	Build        uint16
	Revision     uint8 // NTLMRevisionCurrent; 15 is NTLMSSP_REVISION_W2K3
}

// DefaultVersion is what lanman reports: Windows 10.0 build 20348 (Windows
// Server 2022), NTLMSSP revision 15.
var DefaultVersion = Version{Major: 10, Minor: 0, Build: 20348, Revision: 15}

const versionSize = 8

func (v Version) put(b []byte) {
	b[0] = v.Major
	b[1] = v.Minor
	b[2] = byte(v.Build)
	b[3] = byte(v.Build >> 8)
	b[4], b[5], b[6] = 0, 0, 0
	b[7] = v.Revision
}

func parseVersion(b []byte) Version {
	return Version{Major: b[0], Minor: b[1], Build: uint16(b[2]) | uint16(b[3])<<8, Revision: b[7]}
}
