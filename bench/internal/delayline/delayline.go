//go:build linux

// Package delayline adds a fixed one-way delay to every IP packet between
// two TUN devices, in user space. It stands in for `tc qdisc ... netem
// delay` on kernels built without sch_netem (and without the fq qdisc
// that eBPF-based delay needs), such as the CI machines': the benchmark
// moves one device into each of its network namespaces and routes the
// targets through them, so every packet, the TCP handshake included, is
// delayed exactly as netem would.
//
// Each direction is a reader that stamps packets with their delivery
// time and a writer that sleeps until it; a constant delay keeps them in
// order.
package delayline

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Line is a running delay line between two TUN devices.
type Line struct {
	a, b  *os.File
	delay time.Duration
	wg    sync.WaitGroup
	once  sync.Once
	// Packets counts packets forwarded, each way.
	mu      sync.Mutex
	packets [2]int
}

type packet struct {
	due  time.Time
	data []byte
}

// queueLen bounds the packets in flight each way; more are dropped, as a
// router's queue would.
const queueLen = 1 << 16

// Open creates TUN devices named nameA and nameB in the current network
// namespace and starts forwarding between them with delay each way. The
// caller configures the devices (addresses, MTU, moving them into other
// namespaces) with ip(8); the line keeps working after a move.
func Open(nameA, nameB string, delay time.Duration) (*Line, error) {
	a, err := openTUN(nameA)
	if err != nil {
		return nil, err
	}
	b, err := openTUN(nameB)
	if err != nil {
		a.Close()
		return nil, err
	}
	l := &Line{a: a, b: b, delay: delay}
	l.start(a, b, 0)
	l.start(b, a, 1)
	return l, nil
}

func openTUN(name string) (*os.File, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("delayline: open /dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("delayline: %s: %w", name, err)
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("delayline: TUNSETIFF %s: %w", name, err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, err
	}
	// Non-blocking, so the runtime poller serves reads and Close wakes them.
	return os.NewFile(uintptr(fd), "/dev/net/tun:"+name), nil
}

func (l *Line) start(from, to *os.File, dir int) {
	q := make(chan packet, queueLen)
	l.wg.Add(2)
	go func() {
		defer l.wg.Done()
		defer close(q)
		buf := make([]byte, 65536)
		for {
			n, err := from.Read(buf)
			if err != nil {
				return
			}
			p := packet{due: time.Now().Add(l.delay), data: append([]byte(nil), buf[:n]...)}
			select {
			case q <- p:
			default: // queue full: drop
			}
		}
	}()
	go func() {
		defer l.wg.Done()
		for p := range q {
			if d := time.Until(p.due); d > 0 {
				time.Sleep(d)
			}
			// A write to a device that is down (while it moves between
			// namespaces) fails and the packet is lost, as on a wire.
			if _, err := to.Write(p.data); errors.Is(err, os.ErrClosed) {
				return
			}
			l.mu.Lock()
			l.packets[dir]++
			l.mu.Unlock()
		}
	}()
}

// Packets returns the packets forwarded from A to B and from B to A.
func (l *Line) Packets() (ab, ba int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.packets[0], l.packets[1]
}

// Close stops the line and deletes the devices (they are not persistent,
// so closing their last descriptor removes them).
func (l *Line) Close() error {
	l.once.Do(func() {
		l.a.Close()
		l.b.Close()
		l.wg.Wait()
	})
	return nil
}
