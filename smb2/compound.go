package smb2

// Compounding (MS-SMB2 3.2.4.1.4, 3.3.5.2.7): several messages sent in one
// transport frame, each header's NextCommand giving the offset of the next
// header from the start of its own, each message but the last padded to an
// 8-byte boundary. Related requests also set FlagRelatedOperations, which
// is the caller's business: the codec does not touch flags.

// SplitCompound splits a received frame into its messages. Each returned
// slice aliases frame and runs from a header to the next header (padding
// included, as signature verification needs), the last one to the end of
// the frame. Every message is at least HeaderSize long, every NextCommand
// is 8-byte aligned and in bounds, so the result is safe to decode.
func SplitCompound(frame []byte) ([][]byte, error) {
	var msgs [][]byte
	for off := 0; ; {
		rest := frame[off:]
		if len(rest) < HeaderSize {
			return nil, malformed("compound: message %d at offset %d: %d bytes, need a %d-byte header", len(msgs), off, len(rest), HeaderSize)
		}
		if p := le.Uint32(rest); p != ProtocolSMB2 {
			return nil, malformed("compound: message %d: ProtocolId 0x%08X", len(msgs), p)
		}
		next := le.Uint32(rest[headerNextCommandOffset:])
		if next == 0 {
			return append(msgs, rest), nil
		}
		if next < HeaderSize || next%8 != 0 || uint64(next) > uint64(len(rest)) {
			return nil, malformed("compound: message %d: NextCommand %d invalid for %d remaining bytes", len(msgs), next, len(rest))
		}
		msgs = append(msgs, rest[:next:next])
		off += int(next)
	}
}

// AppendCompound appends the messages to b as one compound chain: each
// message but the last is padded with zeros to a multiple of 8 bytes and
// its NextCommand set to its padded length; the last gets NextCommand 0.
// Signatures must be computed afterwards, over each padded message (use
// SplitCompound on the result to get them).
func AppendCompound(b []byte, msgs ...[]byte) []byte {
	for i, m := range msgs {
		start := len(b)
		b = append(b, m...)
		if len(m) < HeaderSize {
			continue // not a message; leave it to the peer to reject
		}
		next := uint32(0)
		if i < len(msgs)-1 {
			b = pad8(b, start)
			next = uint32(len(b) - start)
		}
		le.PutUint32(b[start+headerNextCommandOffset:], next)
	}
	return b
}
