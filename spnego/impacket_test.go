package spnego

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/ntlm"
)

// python is Debian's interpreter, which has python3-impacket.
const python = "/usr/bin/python3"

func requireImpacket(t *testing.T) {
	t.Helper()
	if err := exec.Command(python, "-c", "import impacket.spnego, impacket.ntlm").Run(); err != nil {
		needPeer(t, "impacket", err)
	}
}

// TestImpacketTokens runs impacket's SPNEGO and NTLM token builders as the
// initiator against our Acceptor: we decode impacket's NegTokenInit and
// NegTokenResp, impacket decodes ours. impacket sends neither an NTLM MIC
// nor a mechListMIC, which the acceptor must tolerate when NTLMSSP was the
// preferred mechanism.
func TestImpacketTokens(t *testing.T) {
	requireImpacket(t)
	for _, tc := range []struct {
		name    string
		krb     bool
		wantErr error
	}{
		{name: "ntlm first"},
		// With Kerberos listed first the acceptor requires a mechListMIC,
		// which impacket does not send: refused, as Windows does.
		{name: "kerberos first", krb: true, wantErr: ErrMechListMIC},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			args := []string{"testdata/impacket_spnego.py", "alice", "pw1", "WORKGROUP"}
			if tc.krb {
				args = append(args, "krb-first")
			}
			cmd := exec.CommandContext(ctx, python, args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { stdin.Close(); cmd.Wait() }()
			sc := bufio.NewScanner(stdout)
			sc.Buffer(nil, 1<<20)
			recv := func() []byte {
				t.Helper()
				if !sc.Scan() {
					t.Fatalf("python stopped: %s", stderr.String())
				}
				b, err := hex.DecodeString(strings.TrimSpace(sc.Text()))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			send := func(b []byte) {
				stdin.Write([]byte(hex.EncodeToString(b) + "\n"))
			}

			a := NewAcceptor(ntlm.NewServer(serverConfig()))
			first := recv()
			var init NegTokenInit
			if err := init.Unmarshal(first); err != nil {
				t.Fatalf("decode impacket's NegTokenInit: %v", err)
			}
			if !init.MechTypes[len(init.MechTypes)-1].Equal(OIDNTLMSSP) {
				t.Fatalf("impacket's init: %v", &init)
			}
			out, _, err := a.Step(first)
			if err != nil {
				t.Fatal(err)
			}
			send(out)
			if tc.krb {
				out, _, err = a.Step(recv())
				if err != nil {
					t.Fatalf("impacket's NEGOTIATE in a NegTokenResp: %v", err)
				}
				send(out)
			}
			last := recv()
			var r NegTokenResp
			if err := r.Unmarshal(last); err != nil || len(r.ResponseToken) == 0 {
				t.Fatalf("decode impacket's NegTokenResp: %v %v", &r, err)
			}
			_, done, err := a.Step(last)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || !done {
				t.Fatalf("done=%v err=%v", done, err)
			}
			if key := recv(); !bytes.Equal(key, a.SessionKey()) {
				t.Fatalf("session key: impacket %x, ours %x", key, a.SessionKey())
			}
			if a.Identity().User != "alice" {
				t.Errorf("identity %+v", a.Identity())
			}
		})
	}
}
