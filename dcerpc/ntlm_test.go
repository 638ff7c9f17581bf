package dcerpc

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/spnego"
)

// Integration with the real NTLM and SPNEGO mechanisms: the framing must
// agree with NTLM's sign/seal as it is (signature over the whole PDU, only
// the stub sealed).

func ntlmServer() *Server {
	lookup := ntlm.PasswordLookup(map[string]string{"alice": "S3cret!"})
	return &Server{Acceptor: func(t AuthType) (gss.Acceptor, error) {
		srv := ntlm.NewServer(&ntlm.ServerConfig{ComputerName: "LANMAN", Lookup: lookup})
		switch t {
		case AuthTypeWinNT:
			return srv, nil
		case AuthTypeSPNEGO:
			return spnego.NewAcceptor(srv), nil
		}
		return nil, errors.New("unsupported auth type")
	}}
}

func TestNTLMIntegration(t *testing.T) {
	ctx := ctxT(t)
	for _, typ := range []AuthType{AuthTypeWinNT, AuthTypeSPNEGO} {
		for _, level := range []AuthLevel{AuthLevelConnect, AuthLevelIntegrity, AuthLevelPrivacy} {
			for _, pw := range []string{"S3cret!", "wrong"} {
				t.Run(fmt.Sprintf("%d/%s/%s", typ, level, pw), func(t *testing.T) {
					env := newEnv(t, ntlmServer(), 4096)
					cl, err := ntlm.NewClient(ntlm.ClientConfig{User: "alice", Password: pw, Workstation: "WS"})
					if err != nil {
						t.Fatal(err)
					}
					var ini gss.Initiator = cl
					if typ == AuthTypeSPNEGO {
						ini = spnego.NewInitiator(cl)
					}
					c, err := Bind(ctx, env.pipe, echoIface, &ClientOptions{MaxXmitFrag: MinFrag, MaxRecvFrag: MinFrag,
						Auth: &ClientAuth{Type: typ, Level: level, Initiator: ini, ContextID: 1}})
					if pw == "wrong" {
						if err == nil {
							_, err = c.Call(ctx, 0, nil)
						}
						if !errors.Is(err, FaultAccessDenied) && !errors.Is(err, ErrBindRejected) {
							t.Fatalf("wrong password: %v", err)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					for _, n := range []int{0, 33, 5000} {
						if out, err := c.Call(ctx, 0, pattern(n)); err != nil || !bytes.Equal(out, pattern(n)) {
							t.Fatalf("echo %d: %d bytes %v", n, len(out), err)
						}
					}
					if got, err := c.Call(ctx, 4, nil); err != nil || !strings.Contains(string(got), `\alice level=`) {
						t.Fatalf("identity %q %v", got, err)
					}
				})
			}
		}
	}
}

// impacketClient is run by /usr/bin/python3: impacket's DCE/RPC client
// over ncacn_ip_tcp with NTLM at the given level, against our server.
const impacketClient = `
import sys
from impacket.dcerpc.v5 import transport, rpcrt
from impacket.uuid import uuidtup_to_bin
port, level = int(sys.argv[1]), int(sys.argv[2])
t = transport.DCERPCTransportFactory('ncacn_ip_tcp:127.0.0.1[%d]' % port)
t.set_credentials('alice', 'S3cret!', '')
d = t.get_dce_rpc()
d.set_auth_type(rpcrt.RPC_C_AUTHN_WINNT)
d.set_auth_level(level)
d.connect()
d.bind(uuidtup_to_bin(('4b324fc8-1670-01d3-1278-5a47bf6ee188', '3.0')))
for n in (5, 100, 6000):
    stub = bytes((i * 7 + (i >> 8)) & 0xff for i in range(n))
    d.call(0, stub)
    got = d.recv()
    if got != stub:
        sys.exit('echo %d: got %d bytes' % (n, len(got)))
d.call(4, b'')
print(d.recv().decode())
`

// TestImpacketClient has impacket's NTLM-authenticated DCE/RPC client call
// our server over TCP, signing and sealing with its own NTLM code. Without
// impacket it skips, except under CI=true, where it fails.
func TestImpacketClient(t *testing.T) {
	if err := exec.Command("/usr/bin/python3", "-c", "import impacket.dcerpc.v5.rpcrt").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("impacket not available: %v", err)
		}
		t.Skipf("impacket not available: %v", err)
	}
	ctx := ctxT(t)
	for _, level := range []AuthLevel{AuthLevelConnect, AuthLevelIntegrity, AuthLevelPrivacy} {
		t.Run(level.String(), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			srv := ntlmServer()
			srv.Register(echoIface, echoHandler())
			go func() {
				for {
					conn, err := ln.Accept()
					if err != nil {
						return
					}
					go srv.Serve(ctx, conn)
				}
			}()
			port := ln.Addr().(*net.TCPAddr).Port
			out, err := exec.CommandContext(ctx, "/usr/bin/python3", "-c", impacketClient, fmt.Sprint(port), fmt.Sprint(int(level))).CombinedOutput()
			if err != nil {
				t.Fatalf("impacket client: %v\n%s", err, out)
			}
			want := fmt.Sprintf(`\alice level=%d`, level)
			if !strings.Contains(string(out), want) {
				t.Fatalf("impacket client printed %q, want %q", out, want)
			}
		})
	}
}
