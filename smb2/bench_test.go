package smb2

import (
	"bytes"
	"testing"
)

const benchSize = 1 << 20

func BenchmarkSign(b *testing.B) {
	for _, alg := range []SigningAlgorithm{SigningHMACSHA256, SigningAESCMAC, SigningAESGMAC} {
		b.Run(alg.String(), func(b *testing.B) {
			s, _ := NewSigner(alg, bytes.Repeat([]byte{1}, 16))
			msg := testMessage(benchSize)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				_ = s.Sign(msg)
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	s, _ := NewSigner(SigningAESCMAC, bytes.Repeat([]byte{1}, 16))
	msg := testMessage(benchSize)
	_ = s.Sign(msg)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Verify(msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncrypt(b *testing.B) {
	for _, id := range []CipherID{CipherAES128CCM, CipherAES128GCM, CipherAES256CCM, CipherAES256GCM} {
		b.Run(id.String(), func(b *testing.B) {
			c, _ := NewCipher(id, bytes.Repeat([]byte{1}, id.KeySize()))
			msg := testMessage(benchSize)
			dst := make([]byte, 0, len(msg)+TransformHeaderSize+DecryptSlack)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = c.Encrypt(dst[:0], msg, 1)
			}
		})
	}
}

func BenchmarkDecrypt(b *testing.B) {
	for _, id := range []CipherID{CipherAES128CCM, CipherAES128GCM, CipherAES256CCM, CipherAES256GCM} {
		b.Run(id.String(), func(b *testing.B) {
			c, _ := NewCipher(id, bytes.Repeat([]byte{1}, id.KeySize()))
			msg := testMessage(benchSize)
			frame, _ := c.Encrypt(make([]byte, 0, len(msg)+TransformHeaderSize+DecryptSlack), msg, 1)
			work := make([]byte, len(frame), cap(frame))
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				copy(work, frame) // decryption is in place
				if _, _, err := c.Decrypt(work); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHeaderMarshal(b *testing.B) {
	h := Header{Command: CommandRead, MessageID: 99, SessionID: 1, TreeID: 2, Credits: 10, Flags: FlagSigned}
	buf := make([]byte, 0, HeaderSize)
	b.ReportAllocs()
	for b.Loop() {
		buf = h.Marshal(buf[:0])
	}
}

func BenchmarkHeaderUnmarshal(b *testing.B) {
	msg := testMessage(0)
	var h Header
	b.ReportAllocs()
	for b.Loop() {
		if err := h.Unmarshal(msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadResponseUnmarshal(b *testing.B) {
	h := Header{Flags: FlagServerToRedir}
	msg := AppendMessage(nil, &h, &ReadResponse{Data: make([]byte, benchSize)})
	var r ReadResponse
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Unmarshal(msg[HeaderSize:]); err != nil {
			b.Fatal(err)
		}
	}
}
