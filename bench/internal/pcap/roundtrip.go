package pcap

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
)

// Conn is the round-trip count of one TCP connection.
type Conn struct {
	Client, Server netip.AddrPort
	// Handshake is 1 when the capture holds the SYN/SYN-ACK exchange.
	Handshake int
	// Data counts client flights answered by a server flight.
	Data int
	// Segments with payload, each way.
	ClientSegments, ServerSegments int
	// Bytes of payload, each way.
	ClientBytes, ServerBytes int
}

// RoundTrips is Handshake + Data: round trips from TCP connect to answer.
func (c *Conn) RoundTrips() int { return c.Handshake + c.Data }

type connKey struct{ client, server netip.AddrPort }

type connState struct {
	Conn
	// last is the direction of the last flight: 0 none, 1 client, 2 server.
	last int
}

// Counter counts round trips per connection over a stream of segments.
// Only connections whose SYN it sees are counted: connections that were
// open before the capture began (such as the benchmark's session holders)
// are not the client under test.
type Counter struct {
	conns map[connKey]*connState
	order []connKey
}

// NewCounter returns an empty Counter.
func NewCounter() *Counter { return &Counter{conns: make(map[connKey]*connState)} }

// Add feeds one segment, in capture order.
func (c *Counter) Add(s Segment) {
	if s.Flags&SYN != 0 && s.Flags&ACK == 0 {
		k := connKey{s.Src, s.Dst}
		if _, ok := c.conns[k]; !ok { // a retransmitted SYN is the same connection
			c.conns[k] = &connState{Conn: Conn{Client: s.Src, Server: s.Dst}}
			c.order = append(c.order, k)
		}
		return
	}
	st, fromClient := c.conns[connKey{s.Src, s.Dst}], true
	if st == nil {
		st, fromClient = c.conns[connKey{s.Dst, s.Src}], false
		if st == nil {
			return
		}
	}
	if s.Flags&SYN != 0 { // SYN-ACK from the server
		if !fromClient {
			st.Handshake = 1
		}
		return
	}
	if s.Payload == 0 {
		return
	}
	if fromClient {
		st.ClientSegments++
		st.ClientBytes += s.Payload
		st.last = 1
		return
	}
	st.ServerSegments++
	st.ServerBytes += s.Payload
	if st.last == 1 {
		st.Data++
	}
	st.last = 2
}

// Conns returns the connections in the order their SYNs were seen.
func (c *Counter) Conns() []Conn {
	out := make([]Conn, 0, len(c.order))
	for _, k := range c.order {
		out = append(out, c.conns[k].Conn)
	}
	return out
}

// Summary totals the connections of one client run.
type Summary struct {
	Conns      int // TCP connections opened
	RoundTrips int // handshakes plus data round trips, over all connections
	Data       int // data round trips only
	Segments   int // segments with payload, both ways
	Bytes      int // payload bytes, both ways
}

// Summarize totals conns.
func Summarize(conns []Conn) Summary {
	var s Summary
	for _, c := range conns {
		s.Conns++
		s.RoundTrips += c.RoundTrips()
		s.Data += c.Data
		s.Segments += c.ClientSegments + c.ServerSegments
		s.Bytes += c.ClientBytes + c.ServerBytes
	}
	return s
}

// CountFile reads a whole capture and counts the round trips of every
// TCP connection opened in it whose server port is serverPort (0: any).
// Packets that are not TCP are skipped.
func CountFile(r io.Reader, serverPort uint16) ([]Conn, error) {
	pr, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	c := NewCounter()
	for {
		_, pkt, err := pr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		s, err := DecodeTCP(pr.LinkType, pkt)
		if errors.Is(err, ErrNotTCP) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("pcap: record: %w", err)
		}
		c.Add(s)
	}
	conns := c.Conns()
	if serverPort != 0 {
		conns = slices.DeleteFunc(conns, func(c Conn) bool { return c.Server.Port() != serverPort })
	}
	return conns, nil
}
