package smb2

import (
	"context"
	"sync"
)

// maxCreditWindow bounds how many credits the client keeps, however many a
// server grants: a hostile or buggy server cannot make the client open an
// unbounded number of requests (each outstanding request holds state).
const maxCreditWindow = 8192

// creditPool is the client's sequence window (MS-SMB2 3.2.4.1.6) reduced
// to a count: message IDs are handed out in increasing order at send time
// (under the connection's send lock), so the set of usable IDs is always
// [next, next+avail). Credits are taken here before a request is built and
// become IDs when it is written; a request that gives up before it is
// written puts its credits back, so no ID is ever skipped.
//
// Waiters are served first come, first served, so that a large
// multi-credit READ cannot be starved by a stream of one-credit requests.
type creditPool struct {
	mu      sync.Mutex
	avail   int
	peak    int // the most credits ever free at once
	waiters []*creditWaiter
	closed  error
}

type creditWaiter struct {
	n     int
	ready chan struct{} // closed once the credits are the waiter's
}

func newCreditPool(initial int) *creditPool {
	return &creditPool{avail: initial, peak: initial}
}

// acquire takes n credits, waiting for them with ctx. Callers size n
// below peak(), so that the wait can end.
func (p *creditPool) acquire(ctx context.Context, n int) error {
	p.mu.Lock()
	if p.closed != nil {
		p.mu.Unlock()
		return p.closed
	}
	if len(p.waiters) == 0 && p.avail >= n {
		p.avail -= n
		p.mu.Unlock()
		return nil
	}
	w := &creditWaiter{n: n, ready: make(chan struct{})}
	p.waiters = append(p.waiters, w)
	p.mu.Unlock()

	select {
	case <-w.ready:
		p.mu.Lock()
		err := p.closed
		p.mu.Unlock()
		if err != nil {
			return err
		}
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		defer p.mu.Unlock()
		select {
		case <-w.ready:
			// Granted while we gave up: give the credits back.
			if p.closed == nil {
				p.avail += n
				p.serveLocked()
			}
		default:
			for i, x := range p.waiters {
				if x == w {
					p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
					break
				}
			}
			// Removing the head may let the next waiter run.
			p.serveLocked()
		}
		return ctx.Err()
	}
}

// release returns unused credits (a request that was never sent).
func (p *creditPool) release(n int) { p.grant(n) }

// grant adds credits the server granted, bounded by maxCreditWindow.
func (p *creditPool) grant(n int) {
	if n <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed != nil {
		return
	}
	p.avail = min(p.avail+n, maxCreditWindow)
	p.peak = max(p.peak, p.avail)
	p.serveLocked()
}

func (p *creditPool) serveLocked() {
	for len(p.waiters) > 0 && p.avail >= p.waiters[0].n {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		p.avail -= w.n
		close(w.ready)
	}
}

// peakCredits is the largest number of credits the server has let the
// client hold at once: a multi-credit request asks for no more.
func (p *creditPool) peakCredits() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

// available reports the free credits (for tests and chunk sizing).
func (p *creditPool) available() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.avail
}

// close fails all waiters and future acquires with err.
func (p *creditPool) close(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed != nil {
		return
	}
	p.closed = err
	for _, w := range p.waiters {
		close(w.ready)
	}
	p.waiters = nil
}
