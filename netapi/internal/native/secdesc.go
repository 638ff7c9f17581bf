package native

import (
	"encoding/binary"
	"fmt"
)

// Self-relative SECURITY_DESCRIPTOR (MS-DTYP 2.4.6): Revision, Sbz1,
// Control, then the offsets of the owner SID, group SID, SACL and DACL from
// the start of the descriptor, zero when absent.
const (
	sdHeaderLen    = 20
	sdSelfRelative = 0x8000 // Control SR bit
	maxSDLen       = 1 << 20
)

// SecurityDescriptor copies the self-relative security descriptor at addr,
// as a SHARE_INFO_502's PSECURITY_DESCRIPTOR points to one. A NULL pointer
// is nil.
//
// The Win32 structure carries no length (its shi502_reserved member is
// documented as reserved), so the length is the one the descriptor itself
// implies, as GetSecurityDescriptorLength computes it: the end of the
// furthest of its header, SIDs (MS-DTYP 2.4.2.2: 8 bytes and 4 per
// sub-authority) and ACLs (MS-DTYP 2.4.5: AclSize bytes).
func SecurityDescriptor(mem Memory, addr uint64) ([]byte, error) {
	if addr == 0 {
		return nil, nil
	}
	h, err := mem.Bytes(addr, sdHeaderLen)
	if err != nil {
		return nil, fmt.Errorf("native: security descriptor at %#x: %w", addr, err)
	}
	if h[0] != 1 || binary.LittleEndian.Uint16(h[2:])&sdSelfRelative == 0 {
		return nil, fmt.Errorf("%w: revision %d, control %#04x", ErrBadSecurityDescriptor, h[0], binary.LittleEndian.Uint16(h[2:]))
	}
	end := uint64(sdHeaderLen)
	for i, what := range [4]string{"owner", "group", "SACL", "DACL"} {
		off := uint64(binary.LittleEndian.Uint32(h[4+4*i:]))
		if off == 0 {
			continue
		}
		if off < sdHeaderLen || off > maxSDLen {
			return nil, fmt.Errorf("%w: %s at offset %d", ErrBadSecurityDescriptor, what, off)
		}
		var size uint64
		if i < 2 {
			// SID: Revision, SubAuthorityCount, 6-byte authority, then
			// SubAuthorityCount DWORDs.
			b, err := mem.Bytes(addr+off, 2)
			if err != nil {
				return nil, fmt.Errorf("native: security descriptor %s SID: %w", what, err)
			}
			if b[0] != 1 || b[1] > 15 {
				return nil, fmt.Errorf("%w: %s SID revision %d, %d sub-authorities", ErrBadSecurityDescriptor, what, b[0], b[1])
			}
			size = 8 + 4*uint64(b[1])
		} else {
			// ACL: AclRevision, Sbz1, AclSize, AceCount, Sbz2.
			b, err := mem.Bytes(addr+off, 8)
			if err != nil {
				return nil, fmt.Errorf("native: security descriptor %s: %w", what, err)
			}
			size = uint64(binary.LittleEndian.Uint16(b[2:]))
			if size < 8 {
				return nil, fmt.Errorf("%w: %s AclSize %d", ErrBadSecurityDescriptor, what, size)
			}
		}
		end = max(end, off+size)
	}
	b, err := mem.Bytes(addr, int(end))
	if err != nil {
		return nil, fmt.Errorf("native: security descriptor of %d bytes at %#x: %w", end, addr, err)
	}
	return append([]byte(nil), b...), nil
}
