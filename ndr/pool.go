package ndr

import "sync"

// writers recycles the Writers of Marshal. A Writer's buffer and referent
// queue grow to the size of the largest message it has encoded; reusing
// them is what makes encoding a large enumeration cost one allocation (the
// returned copy) instead of a series of ever larger buffers and queues.
var writers = sync.Pool{New: func() any { return new(Writer) }}

// A Writer that grew past these bounds (an enormous enumeration: 16 MiB
// of stub, or a quarter of a million queued referents, 10 MiB of queue) is
// left to the garbage collector rather than kept in the pool.
const (
	maxPooledBuffer = 16 << 20
	maxPooledQueue  = 1 << 18
)

// Marshal runs encode on an empty pooled Writer and returns a copy of what
// it wrote, exactly len bytes long: the only allocation it makes once the
// pool is warm. The copy belongs to the caller, who may keep it, so
// Marshal suits results whose lifetime it cannot see, such as an RPC
// handler's response stub. encode must not keep w.
func Marshal(encode func(w *Writer)) []byte {
	w := writers.Get().(*Writer)
	w.Reset()
	encode(w)
	out := make([]byte, len(w.buf))
	copy(out, w.buf)
	w.Reset() // drop the references the queue and FullPtr keys held
	if cap(w.buf) <= maxPooledBuffer && cap(w.queue) <= maxPooledQueue {
		writers.Put(w)
	}
	return out
}
