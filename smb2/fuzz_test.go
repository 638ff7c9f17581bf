package smb2

import (
	"os"
	"path/filepath"
	"testing"
)

// decoders is every body decoder, requests and responses, for the
// table-driven fuzz target.
func decoders() []func() Message {
	var ds []func() Message
	for c := CommandNegotiate; c <= CommandOplockBreak; c++ {
		ds = append(ds, func() Message { return NewRequest(c) })
		if c != CommandCancel {
			ds = append(ds, func() Message { return NewResponse(c) })
		}
	}
	return append(ds,
		func() Message { return new(ErrorResponse) },
		func() Message { return new(LeaseBreakNotification) },
		func() Message { return new(LeaseBreakAck) },
	)
}

func addCaptureSeeds(f *testing.F, add func([]byte)) {
	files, _ := filepath.Glob(filepath.Join("testdata", "captures", "*", "*.bin"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			add(b)
		}
	}
}

// FuzzMessage feeds a whole frame through the path a connection takes:
// split the compound, parse each header, and decode the body with every
// decoder (the server decodes hostile requests, the client hostile
// responses). Decoded values are re-marshalled, which must not panic.
func FuzzMessage(f *testing.F) {
	addCaptureSeeds(f, func(b []byte) { f.Add(b) })
	for _, tc := range sampleMessages() {
		h := Header{}
		if tc.resp {
			h.Flags = FlagServerToRedir
		}
		f.Add(AppendMessage(nil, &h, tc.m))
	}
	ds := decoders()
	f.Fuzz(func(t *testing.T, frame []byte) {
		parts, err := SplitCompound(frame)
		if err != nil {
			parts = [][]byte{frame}
		}
		for _, p := range parts {
			var h Header
			body := p
			if h.Unmarshal(p) == nil {
				body = p[HeaderSize:]
				_ = IsErrorResponse(&h, body)
			}
			for _, d := range ds {
				m := d()
				if m.Unmarshal(body) == nil {
					m.Marshal(make([]byte, HeaderSize))
				}
			}
		}
	})
}

// FuzzHeader checks header decoding and its round trip.
func FuzzHeader(f *testing.F) {
	addCaptureSeeds(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, b []byte) {
		var h Header
		if h.Unmarshal(b) != nil {
			return
		}
		var g Header
		if err := g.Unmarshal(h.Marshal(nil)); err != nil || g != h {
			t.Fatalf("header round trip: %+v vs %+v (%v)", g, h, err)
		}
	})
}

// FuzzSplitCompound checks that every part SplitCompound returns lies in
// the frame, starts with a header and that the parts tile the frame.
func FuzzSplitCompound(f *testing.F) {
	addCaptureSeeds(f, func(b []byte) { f.Add(b) })
	h := Header{}
	m := AppendMessage(nil, &h, &EchoRequest{})
	f.Add(AppendCompound(nil, m, m, m))
	f.Fuzz(func(t *testing.T, frame []byte) {
		parts, err := SplitCompound(frame)
		if err != nil {
			return
		}
		n := 0
		for _, p := range parts {
			if len(p) < HeaderSize {
				t.Fatalf("part of %d bytes", len(p))
			}
			n += len(p)
		}
		if n != len(frame) {
			t.Fatalf("parts cover %d of %d bytes", n, len(frame))
		}
	})
}

// FuzzTransformHeader checks TRANSFORM_HEADER decoding and decryption of
// hostile input: neither may panic, and decryption of garbage must fail.
func FuzzTransformHeader(f *testing.F) {
	th := TransformHeader{OriginalMessageSize: 4, Flags: 1, SessionID: 1}
	f.Add(append(th.Marshal(nil), 1, 2, 3, 4))
	f.Add([]byte{0xFD, 'S', 'M', 'B'})
	f.Fuzz(func(t *testing.T, b []byte) {
		var h TransformHeader
		if h.Unmarshal(b) == nil {
			var g TransformHeader
			if err := g.Unmarshal(append(h.Marshal(nil), b[TransformHeaderSize:]...)); err != nil || g != h {
				t.Fatalf("round trip: %v", err)
			}
		}
	})
}

// FuzzStructures covers the decoders of sub-structures: directory
// entries of each class, file and file system information, create and
// negotiate contexts, IOCTL payloads. The first byte selects the decoder.
func FuzzStructures(f *testing.F) {
	for i, fi := range sampleFileInfos() {
		f.Add(uint8(i), fi.Marshal(nil))
	}
	ents := []DirEntry{{FileName: "a"}, {FileName: "bb", ShortName: "B"}}
	for i, c := range []FileInfoClass{FileDirectoryInformationClass, FileIDBothDirectoryInformationClass, FileNamesInformationClass} {
		b, _ := AppendDirEntries(nil, c, ents, 1000)
		f.Add(uint8(100+i), b)
	}
	f.Add(uint8(110), AppendCreateContexts(nil, []CreateContext{DurableHandleRequest(), QueryOnDiskIDRequest()}))
	infos := sampleFileInfos()
	f.Fuzz(func(t *testing.T, sel uint8, b []byte) {
		switch {
		case int(sel) < len(infos):
			fi := NewFileInfo(infos[sel].InfoType(), infos[sel].InfoClass())
			if fi.Unmarshal(b) == nil {
				fi.Marshal(nil)
			}
		case sel >= 100 && sel < 103:
			c := []FileInfoClass{FileDirectoryInformationClass, FileIDBothDirectoryInformationClass, FileNamesInformationClass}[sel-100]
			if es, err := ParseDirEntries(c, b); err == nil {
				AppendDirEntries(nil, c, es, 1<<20)
			}
		case sel == 110:
			_, _ = ParseCreateContexts(b)
		default:
			_ = new(PreauthIntegrityCapabilities).Unmarshal(b)
			_ = new(EncryptionCapabilities).Unmarshal(b)
			_ = new(SigningCapabilities).Unmarshal(b)
			_ = new(NetnameContext).Unmarshal(b)
			_ = new(ValidateNegotiateInfoRequest).Unmarshal(b)
			_ = new(ValidateNegotiateInfoResponse).Unmarshal(b)
			_ = new(PipeWaitRequest).Unmarshal(b)
			_ = new(DurableHandleRequestV2).Unmarshal(b)
			_ = new(DurableHandleResponseV2).Unmarshal(b)
			_ = new(QueryMaximalAccessResponse).Unmarshal(b)
			_ = new(QueryOnDiskIDResponse).Unmarshal(b)
			_, _ = ParseDurableHandleReconnect(b)
		}
	})
}
