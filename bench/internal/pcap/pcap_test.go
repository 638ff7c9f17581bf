package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"testing"
)

// writer builds a pcap file of Ethernet/IPv4/TCP packets, as tcpdump -i
// lo writes them, with the given snapshot length.
type writer struct {
	buf  bytes.Buffer
	snap int
}

func newWriter(snap int) *writer {
	w := &writer{snap: snap}
	var h [24]byte
	binary.LittleEndian.PutUint32(h[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], uint32(snap))
	binary.LittleEndian.PutUint32(h[20:], LinkEthernet)
	w.buf.Write(h[:])
	return w
}

func (w *writer) packet(src, dst netip.AddrPort, flags uint8, payload int) {
	pkt := make([]byte, 14+20+20+payload)
	binary.BigEndian.PutUint16(pkt[12:], 0x0800)
	ip := pkt[14:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(40+payload))
	ip[8], ip[9] = 64, 6
	copy(ip[12:16], src.Addr().AsSlice())
	copy(ip[16:20], dst.Addr().AsSlice())
	tcp := ip[20:]
	binary.BigEndian.PutUint16(tcp[0:], src.Port())
	binary.BigEndian.PutUint16(tcp[2:], dst.Port())
	tcp[12] = 5 << 4
	tcp[13] = flags
	incl := min(len(pkt), w.snap)
	var rh [16]byte
	binary.LittleEndian.PutUint32(rh[8:], uint32(incl))
	binary.LittleEndian.PutUint32(rh[12:], uint32(len(pkt)))
	w.buf.Write(rh[:])
	w.buf.Write(pkt[:incl])
}

var (
	cli    = netip.MustParseAddrPort("127.0.0.1:40000")
	srv    = netip.MustParseAddrPort("127.0.0.1:445")
	holder = netip.MustParseAddrPort("127.0.0.1:39999")
)

// exchange writes a connection: handshake, then flights described as
// signed payload sizes (positive: client to server, negative: server to
// client), then the FIN exchange.
func (w *writer) exchange(c netip.AddrPort, flights ...int) {
	w.packet(c, srv, SYN, 0)
	w.packet(srv, c, SYN|ACK, 0)
	w.packet(c, srv, ACK, 0)
	for _, f := range flights {
		if f > 0 {
			w.packet(c, srv, ACK, f)
			w.packet(srv, c, ACK, 0) // pure ACKs do not end a flight
		} else {
			w.packet(srv, c, ACK, -f)
		}
	}
	w.packet(c, srv, FIN|ACK, 0)
	w.packet(srv, c, FIN|ACK, 0)
	w.packet(c, srv, ACK, 0)
}

func TestCountFile(t *testing.T) {
	w := newWriter(128) // headers only, as the benchmark captures
	// Traffic of a connection opened before the capture is ignored.
	w.packet(holder, srv, ACK, 100)
	w.packet(srv, holder, ACK, 100)
	// negotiate; session setup x2; a compound of two requests in two
	// segments answered by two segments; a request answered by nothing.
	w.exchange(cli, 200, -300, 150, -250, 400, -200, 1400, 600, -1400, -900, 80)
	second := netip.MustParseAddrPort("127.0.0.1:40001")
	w.exchange(second, 100, -100)

	conns, err := CountFile(bytes.NewReader(w.buf.Bytes()), 445)
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 2 {
		t.Fatalf("got %d connections, want 2: %+v", len(conns), conns)
	}
	c := conns[0]
	if c.Client != cli || c.Server != srv {
		t.Errorf("endpoints %v -> %v", c.Client, c.Server)
	}
	if c.Handshake != 1 || c.Data != 4 || c.RoundTrips() != 5 {
		t.Errorf("handshake %d data %d, want 1 and 4", c.Handshake, c.Data)
	}
	if c.ClientSegments != 6 || c.ServerSegments != 5 || c.ClientBytes != 2830 || c.ServerBytes != 3050 {
		t.Errorf("segments %d/%d bytes %d/%d", c.ClientSegments, c.ServerSegments, c.ClientBytes, c.ServerBytes)
	}
	s := Summarize(conns)
	if s.Conns != 2 || s.RoundTrips != 7 || s.Data != 5 {
		t.Errorf("summary %+v", s)
	}

	other, err := CountFile(bytes.NewReader(w.buf.Bytes()), 139)
	if err != nil || len(other) != 0 {
		t.Errorf("port filter: %v %v", other, err)
	}
}

func TestReaderErrors(t *testing.T) {
	if _, err := NewReader(bytes.NewReader(make([]byte, 24))); !errors.Is(err, ErrBadMagic) {
		t.Errorf("zero header: %v", err)
	}
	if _, err := NewReader(bytes.NewReader(nil)); err == nil {
		t.Error("empty file accepted")
	}
	w := newWriter(65535)
	w.exchange(cli, 10, -10)
	full := w.buf.Bytes()
	if _, err := CountFile(bytes.NewReader(full[:len(full)-3]), 0); !errors.Is(err, ErrTruncated) {
		t.Errorf("truncated record: %v", err)
	}
	// A record claiming more than the snapshot length.
	bad := bytes.Clone(full)
	binary.LittleEndian.PutUint32(bad[24+8:], 70000)
	if _, err := CountFile(bytes.NewReader(bad), 0); !errors.Is(err, ErrTooLong) {
		t.Errorf("long record: %v", err)
	}
	// A packet whose TCP header is cut short.
	if _, err := DecodeTCP(LinkEthernet, full[24+16:24+16+40]); err == nil || errors.Is(err, ErrNotTCP) {
		t.Errorf("short TCP header: %v", err)
	}
	pr, _ := NewReader(bytes.NewReader(full[:24]))
	if _, _, err := pr.Next(); err != io.EOF {
		t.Errorf("end of file: %v", err)
	}
}

func TestBigEndianNanosecond(t *testing.T) {
	var h [24]byte
	binary.BigEndian.PutUint32(h[0:], 0xa1b23c4d)
	binary.BigEndian.PutUint32(h[16:], 100)
	binary.BigEndian.PutUint32(h[20:], LinkRaw)
	var rh [16]byte
	binary.BigEndian.PutUint32(rh[0:], 10)
	binary.BigEndian.PutUint32(rh[4:], 5)
	binary.BigEndian.PutUint32(rh[8:], 40)
	pkt := make([]byte, 40)
	pkt[0], pkt[9], pkt[3] = 0x45, 6, 40
	pkt[32] = 5 << 4
	pkt[33] = SYN
	pr, err := NewReader(bytes.NewReader(append(append(h[:], rh[:]...), pkt...)))
	if err != nil {
		t.Fatal(err)
	}
	ts, b, err := pr.Next()
	if err != nil || ts.UnixNano() != 10e9+5 {
		t.Fatalf("%v %v", ts, err)
	}
	s, err := DecodeTCP(pr.LinkType, b)
	if err != nil || s.Flags != SYN || s.Payload != 0 {
		t.Fatalf("%+v %v", s, err)
	}
}

func FuzzCountFile(f *testing.F) {
	w := newWriter(96)
	w.exchange(cli, 200, -300, 150, -250)
	f.Add(w.buf.Bytes())
	w = newWriter(65535)
	w.exchange(cli, 10, -10)
	f.Add(w.buf.Bytes())
	f.Add([]byte{0xd4, 0xc3, 0xb2, 0xa1})
	f.Fuzz(func(t *testing.T, b []byte) {
		conns, err := CountFile(bytes.NewReader(b), 0)
		if err != nil {
			return
		}
		for _, c := range conns {
			if c.Data > c.ServerSegments || c.Handshake > 1 {
				t.Fatalf("impossible count %+v", c)
			}
		}
	})
}

func FuzzDecodeTCP(f *testing.F) {
	w := newWriter(65535)
	w.packet(cli, srv, ACK, 20)
	f.Add(uint32(LinkEthernet), w.buf.Bytes()[24+16:])
	f.Add(uint32(LinkRaw), w.buf.Bytes()[24+16+14:])
	f.Add(uint32(LinkSLL2), make([]byte, 80))
	f.Fuzz(func(t *testing.T, link uint32, pkt []byte) {
		s, err := DecodeTCP(link, pkt)
		if err == nil && s.Payload < 0 {
			t.Fatalf("negative payload %+v", s)
		}
	})
}
