package netapi32

import (
	"fmt"
	"unsafe"

	"github.com/lanman/lanman/netapi/internal/native"
)

// ptrSize is the width of a pointer in this process, which is the width
// netapi32 lays its structures out with.
const ptrSize = int(unsafe.Sizeof(uintptr(0)))

// bufferMemory is the buffer netapi32 returned at buf, as native.Memory,
// and buf's address. buf must stay allocated while the memory is in use.
//
// Everything a netapi32 buffer points to lies in the one allocation
// (NetApiBufferFree releases it all with one call), and NetApiBufferSize
// says how large that allocation is, so reads are confined to it, through
// a native.Region over it: a pointer outside it is an error, not a fault.
// Should NetApiBufferSize fail, which it does not for buffers netapi32
// itself allocated, the extent is unknown and the pointers the system
// wrote are taken as they are.
func bufferMemory(buf *byte) (native.Memory, uint64) {
	addr := uint64(uintptr(unsafe.Pointer(buf)))
	var size uint32
	if netApiBufferSize(buf, &size) == 0 {
		return native.Region{Base: addr, Data: unsafe.Slice(buf, size)}, addr
	}
	return trusted{base: unsafe.Pointer(buf), addr: addr}, addr
}

// trusted reads any non-NULL address relative to a known pointer: memory
// that the system vouches for, of unknown extent.
type trusted struct {
	base unsafe.Pointer
	addr uint64
}

// Bytes implements native.Memory.
func (t trusted) Bytes(addr uint64, n int) ([]byte, error) {
	if n < 0 || addr == 0 {
		return nil, fmt.Errorf("%w: %d bytes at %#x", native.ErrBadPointer, n, addr)
	}
	// The offset wraps for addresses below base, which unsafe.Add
	// handles as a negative offset.
	p := unsafe.Add(t.base, int(addr-t.addr))
	return unsafe.Slice((*byte)(p), n), nil
}
