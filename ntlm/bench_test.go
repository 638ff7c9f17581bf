package ntlm

import (
	"testing"
)

// BenchmarkHandshake is a full NTLMv2 logon in process: NEGOTIATE,
// CHALLENGE, AUTHENTICATE with MIC and key exchange, and verification.
func BenchmarkHandshake(b *testing.B) {
	cfg := testServerConfig()
	b.ReportAllocs()
	for b.Loop() {
		c, err := NewClient(ClientConfig{User: testUser, Password: testPassword, Workstation: "WS", TargetSPN: "cifs/lanman"})
		if err != nil {
			b.Fatal(err)
		}
		s := NewServer(cfg)
		neg, _, _ := c.Step(nil)
		chal, _, err := s.Step(neg)
		if err != nil {
			b.Fatal(err)
		}
		auth, _, err := c.Step(chal)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.Step(auth); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSecurity(b *testing.B) (*Security, *Security) {
	c, _ := NewClient(ClientConfig{User: testUser, Password: testPassword})
	s := NewServer(testServerConfig())
	if err := handshake(b, c, s); err != nil {
		b.Fatal(err)
	}
	return c.Security(), s.Security()
}

func BenchmarkSign(b *testing.B) {
	for _, size := range []int{64, 1024, 4280} {
		b.Run(sizeName(size), func(b *testing.B) {
			cs, ss := benchSecurity(b)
			msg := make([]byte, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				sig, _ := cs.Sign(msg)
				if err := ss.Verify(msg, sig); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSeal(b *testing.B) {
	for _, size := range []int{64, 1024, 4280} {
		b.Run(sizeName(size), func(b *testing.B) {
			cs, ss := benchSecurity(b)
			pdu := make([]byte, size+24)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				sig, _ := cs.Seal(pdu[24:], pdu)
				if err := ss.Unseal(pdu[24:], pdu, sig); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func sizeName(n int) string {
	switch {
	case n >= 1024 && n%1024 == 0:
		return itoa(n/1024) + "KiB"
	default:
		return itoa(n) + "B"
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
