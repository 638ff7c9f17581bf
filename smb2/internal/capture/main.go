// Command capture is a TCP relay that records the SMB2 frames passing
// between a client and a server, one file per direct-TCP frame
// (NNN-c2s.bin, NNN-s2c.bin, without the 4-byte transport header). It is
// how the testdata/captures files of package smb2 were made:
//
//	smbd -F --no-process-group -s /tmp/x/smb.conf   # smb ports = 44500
//	go run ./smb2/internal/capture -listen 127.0.0.1:44501 -to 127.0.0.1:44500 -dir out
//	smbclient -p 44501 //127.0.0.1/data -U user%pass -c 'ls; get f'
//
// It handles one connection and exits when it closes.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:44501", "address to listen on (loopback)")
	to := flag.String("to", "127.0.0.1:44500", "server address")
	dir := flag.String("dir", "capture", "output directory")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	c, err := ln.Accept()
	if err != nil {
		log.Fatal(err)
	}
	ln.Close()
	s, err := net.Dial("tcp", *to)
	if err != nil {
		log.Fatal(err)
	}
	var seq atomic.Int64
	var wg sync.WaitGroup
	relay := func(dst, src net.Conn, tag string) {
		defer wg.Done()
		defer dst.Close()
		for {
			var hdr [4]byte
			if _, err := io.ReadFull(src, hdr[:]); err != nil {
				return
			}
			n := binary.BigEndian.Uint32(hdr[:]) & 0xFFFFFF
			frame := make([]byte, n)
			if _, err := io.ReadFull(src, frame); err != nil {
				return
			}
			name := filepath.Join(*dir, fmt.Sprintf("%03d-%s.bin", seq.Add(1), tag))
			if err := os.WriteFile(name, frame, 0o644); err != nil {
				log.Print(err)
			}
			if _, err := dst.Write(append(hdr[:], frame...)); err != nil {
				return
			}
		}
	}
	wg.Add(2)
	go relay(s, c, "c2s")
	go relay(c, s, "s2c")
	wg.Wait()
}
