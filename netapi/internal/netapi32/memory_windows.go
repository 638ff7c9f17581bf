package netapi32

import (
	"fmt"
	"unsafe"

	"github.com/lanman/lanman/netapi/internal/native"
)

// ptrSize is the width of a pointer in this process, which is the width
// netapi32 lays its structures out with.
const ptrSize = int(unsafe.Sizeof(uintptr(0)))

// allocation is a buffer netapi32 returned, as native.Memory.
//
// Everything a netapi32 buffer points to lies in the one allocation
// (NetApiBufferFree releases it all with one call), and NetApiBufferSize
// says how large that allocation is, so reads are confined to it: a pointer
// outside it is an error, not a fault. Should NetApiBufferSize fail, which
// it does not for buffers netapi32 itself allocated, the allocation's
// extent is unknown and the pointers the system wrote are taken as they are.
type allocation struct {
	base    unsafe.Pointer
	addr    uint64
	data    []byte // the allocation, when its size is known
	bounded bool
}

// newAllocation wraps the buffer at buf, which must stay allocated while the
// allocation is in use.
func newAllocation(buf *byte) allocation {
	a := allocation{base: unsafe.Pointer(buf), addr: uint64(uintptr(unsafe.Pointer(buf)))}
	var size uint32
	if netApiBufferSize(buf, &size) == 0 {
		a.data = unsafe.Slice(buf, size)
		a.bounded = true
	}
	return a
}

// Bytes implements native.Memory.
func (a allocation) Bytes(addr uint64, n int) ([]byte, error) {
	if n < 0 || addr == 0 {
		return nil, fmt.Errorf("%w: %d bytes at %#x", native.ErrBadPointer, n, addr)
	}
	if a.bounded {
		return native.Region{Base: a.addr, Data: a.data}.Bytes(addr, n)
	}
	// The extent is unknown: trust the system's pointer. The offset
	// wraps for addresses below base, which unsafe.Add handles.
	p := unsafe.Add(a.base, int(addr-a.addr))
	return unsafe.Slice((*byte)(p), n), nil
}
