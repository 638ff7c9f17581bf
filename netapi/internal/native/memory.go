// Package native converts the buffers that netapi32.dll returns (arrays of
// SESSION_INFO_x, CONNECTION_INFO_x, FILE_INFO_x, SHARE_INFO_x,
// SERVER_INFO_10x, WKSTA_USER_INFO_x and USE_INFO_x structures whose LPWSTR
// members point at UTF-16 strings elsewhere in the same allocation) into
// the srvs and wkst Go types.
//
// The package is pure Go and builds on every OS: memory is reached only
// through the Memory interface and addresses are plain integers, so tests
// lay buffers out by hand, as Windows would, for both the 32-bit and the
// 64-bit ABI, and the fuzzer feeds it arbitrary memory. On Windows the
// netapi32 package implements Memory over the real allocation.
//
// Nothing here trusts the memory it reads: every pointer is looked up
// through Memory, which refuses addresses it does not hold, strings are
// read up to their NUL within a bound, and an array is only converted after
// all of it has proved readable, so a bad buffer yields an error, never a
// crash or an allocation larger than the memory behind it.
package native

import (
	"errors"
	"fmt"
)

// Memory is readable memory, addressed as the process that produced the
// buffer addresses it.
type Memory interface {
	// Bytes returns the n bytes at addr. It returns an error (wrapping
	// ErrBadPointer) unless every one of them is readable. The caller does
	// not modify or retain the slice beyond the conversion.
	Bytes(addr uint64, n int) ([]byte, error)
}

// Extenter is implemented by Memory that knows how many bytes are readable
// from an address on. String uses it to scan a string in one piece instead
// of probing with shrinking reads near the end of the memory.
type Extenter interface {
	// Extent is the number of readable bytes from addr on, 0 if addr is
	// not readable.
	Extent(addr uint64) int
}

// Region is Memory backed by one contiguous block: Data is the memory at
// address Base. Every address outside [Base, Base+len(Data)) is a bad
// pointer.
type Region struct {
	Base uint64
	Data []byte
}

// Bytes implements Memory.
func (r Region) Bytes(addr uint64, n int) ([]byte, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: negative length %d", ErrBadPointer, n)
	}
	if addr < r.Base || addr-r.Base > uint64(len(r.Data)) || uint64(n) > uint64(len(r.Data))-(addr-r.Base) {
		return nil, fmt.Errorf("%w: %d bytes at %#x", ErrBadPointer, n, addr)
	}
	off := int(addr - r.Base)
	return r.Data[off : off+n : off+n], nil
}

// Extent implements Extenter.
func (r Region) Extent(addr uint64) int {
	if addr < r.Base || addr-r.Base > uint64(len(r.Data)) {
		return 0
	}
	return len(r.Data) - int(addr-r.Base)
}

// Errors a conversion wraps, for errors.Is.
var (
	// ErrBadPointer: a pointer (or the array itself) lies outside the
	// memory the buffer occupies.
	ErrBadPointer = errors.New("native: pointer outside the buffer")
	// ErrUnterminated: a string has no NUL within MaxStringChars.
	ErrUnterminated = errors.New("native: string not NUL-terminated within bound")
	// ErrPointerSize: the pointer size is neither 4 nor 8.
	ErrPointerSize = errors.New("native: pointer size must be 4 or 8")
	// ErrInvalidLevel: the information level has no structure here.
	ErrInvalidLevel = errors.New("native: invalid information level")
	// ErrBadSecurityDescriptor: a PSECURITY_DESCRIPTOR does not point at a
	// well-formed self-relative security descriptor.
	ErrBadSecurityDescriptor = errors.New("native: malformed security descriptor")
	// ErrTooMany: an entry count whose array could not fit in any address
	// space the ABI has.
	ErrTooMany = errors.New("native: entry count too large")
)

// MaxStringChars bounds every string read from a buffer, in UTF-16 code
// units, terminator excluded. Network management strings are far shorter
// (paths are the longest, at most 32767 units), so anything longer is a
// corrupt buffer.
const MaxStringChars = 32767

// chunk is the most bytes a string read asks Memory for at once. Reads stop
// at the next multiple of chunk, so that a scan for the terminator never
// asks for memory beyond the page the terminator is on.
const chunk = 256

// String reads the NUL-terminated UTF-16LE string at addr. A NULL pointer
// is "", as MS-SRVS and MS-WKST treat it; a pointer Memory does not hold is
// an error.
func String(mem Memory, addr uint64) (string, error) {
	if addr == 0 {
		return "", nil
	}
	if addr&1 != 0 {
		// Windows never hands out an LPWSTR on an odd address; one here
		// means the buffer is not what the level says it is.
		return "", fmt.Errorf("%w: misaligned string at %#x", ErrBadPointer, addr)
	}
	const max = 2 * MaxStringChars
	if x, ok := mem.(Extenter); ok {
		// The memory says how far it extends: scan it in one piece.
		n := min(x.Extent(addr)&^1, max+2)
		b, err := mem.Bytes(addr, n)
		if err != nil {
			return "", fmt.Errorf("native: string at %#x: %w", addr, err)
		}
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				return decodeUTF16(b[:i]), nil
			}
		}
		if n == max+2 {
			return "", fmt.Errorf("%w: at %#x", ErrUnterminated, addr)
		}
		return "", fmt.Errorf("native: string at %#x runs off the end of memory: %w", addr, ErrBadPointer)
	}
	var (
		units []byte // the string so far, when it spans chunks
		cur   = addr
	)
	for {
		n := chunk - int(cur%chunk)
		b, err := mem.Bytes(cur, n)
		for err != nil && n > 2 {
			// The chunk runs past the end of readable memory; the
			// terminator may still lie before that end.
			n /= 2
			n &^= 1
			b, err = mem.Bytes(cur, n)
		}
		if err != nil {
			return "", fmt.Errorf("native: string at %#x: %w", addr, err)
		}
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				if units == nil {
					return decodeUTF16(b[:i]), nil
				}
				return decodeUTF16(append(units, b[:i]...)), nil
			}
		}
		if len(units)+len(b) > max {
			return "", fmt.Errorf("%w: at %#x", ErrUnterminated, addr)
		}
		units = append(units, b...)
		cur += uint64(len(b))
	}
}
