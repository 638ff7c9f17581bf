package spnego

import (
	"testing"

	"github.com/lanman/lanman/ntlm"
)

// BenchmarkHandshake is a full SPNEGO/NTLMv2 logon in process, including
// both mechListMICs.
func BenchmarkHandshake(b *testing.B) {
	cfg := serverConfig()
	b.ReportAllocs()
	for b.Loop() {
		c, err := ntlm.NewClient(ntlm.ClientConfig{User: "alice", Password: "pw1"})
		if err != nil {
			b.Fatal(err)
		}
		if err := run(b, NewInitiator(c), NewAcceptor(ntlm.NewServer(cfg)), nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
