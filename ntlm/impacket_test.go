package ntlm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// python is Debian's interpreter, which has python3-impacket; a pyenv
// python on PATH would not.
const python = "/usr/bin/python3"

// requireImpacket skips the test when impacket is unavailable, except under
// CI=true, where the cross-check must run and its absence is a failure.
func requireImpacket(t *testing.T) {
	t.Helper()
	err := exec.Command(python, "-c", "import impacket.ntlm, Cryptodome.Cipher.ARC4").Run()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("impacket is required under CI=true: %v", err)
	}
	t.Skipf("impacket not available: %v", err)
}

// pyPeer is a Python process exchanging hex lines with the test.
type pyPeer struct {
	t   *testing.T
	in  *bufio.Writer
	out *bufio.Scanner
	cmd *exec.Cmd
}

func startPython(t *testing.T, script string, args ...string) *pyPeer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, python, append([]string{script}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("python: %v\n%s", err, stderr.String())
		}
	})
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	return &pyPeer{t: t, in: bufio.NewWriter(stdin), out: sc, cmd: cmd}
}

func (p *pyPeer) recv() []byte {
	p.t.Helper()
	if !p.out.Scan() {
		p.t.Fatalf("python closed its output: %v", p.out.Err())
	}
	b, err := hex.DecodeString(strings.TrimSpace(p.out.Text()))
	if err != nil {
		p.t.Fatalf("python sent %q: %v", p.out.Text(), err)
	}
	return b
}

func (p *pyPeer) send(b []byte) {
	p.t.Helper()
	p.in.WriteString(hex.EncodeToString(b) + "\n")
	if err := p.in.Flush(); err != nil {
		p.t.Fatal(err)
	}
}

// TestImpacketClient authenticates impacket's NTLM client against our
// Server, then exchanges signed and sealed messages both ways.
func TestImpacketClient(t *testing.T) {
	requireImpacket(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"password", []string{"Alice", testPassword, "WORKGROUP"}},
		{"nthash", []string{"alice", "", "", hex.EncodeToString(func() []byte { h := NTHash(testPassword); return h[:] }())}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			py := startPython(t, "testdata/impacket_client.py", tc.args...)
			s := NewServer(testServerConfig())
			chal, _, err := s.Step(py.recv())
			if err != nil {
				t.Fatal(err)
			}
			py.send(chal)
			if _, done, err := s.Step(py.recv()); err != nil || !done {
				t.Fatalf("accept impacket's AUTHENTICATE: done=%v err=%v", done, err)
			}
			if key := py.recv(); !bytes.Equal(key, s.SessionKey()) {
				t.Fatalf("session key: impacket %x, ours %x", key, s.SessionKey())
			}
			if id := s.Identity(); id.User != testUser || id.Workstation != "" && id.Workstation != "IMPKT" {
				t.Errorf("identity = %+v", id)
			}
			sec := s.Security()
			msg, sig := py.recv(), py.recv()
			if err := sec.Verify(msg, sig); err != nil {
				t.Fatalf("verify impacket's signature: %v", err)
			}
			sealed, sig := py.recv(), py.recv()
			if err := sec.Unseal(sealed, sealed, sig); err != nil || string(sealed) != "sealed by impacket" {
				t.Fatalf("unseal impacket's message: %q %v", sealed, err)
			}

			reply := []byte("signed by lanman")
			rsig, _ := sec.Sign(reply)
			py.send(reply)
			py.send(rsig)
			sealedReply := []byte("sealed by lanman")
			rsig, _ = sec.Seal(sealedReply, sealedReply)
			py.send(sealedReply)
			py.send(rsig)
			if verdict := py.recv(); string(verdict) != "ok" {
				t.Fatalf("impacket could not verify our signatures: %s", verdict)
			}
			if clear := py.recv(); string(clear) != "sealed by lanman" {
				t.Fatalf("impacket unsealed %q", clear)
			}
		})
	}
}

// TestImpacketChecksClient has impacket recompute the NTLMv2 proof, the
// exported session key, the MIC and a signature from our Client's
// AUTHENTICATE message.
func TestImpacketChecksClient(t *testing.T) {
	requireImpacket(t)
	c := newClient(t, ClientConfig{User: testUser, Domain: "WORKGROUP", Password: testPassword, Workstation: "GOCLIENT", TargetSPN: "cifs/lanman"})
	s := NewServer(testServerConfig())
	neg, _, _ := c.Step(nil)
	chal, _, err := s.Step(neg)
	if err != nil {
		t.Fatal(err)
	}
	auth, _, err := c.Step(chal)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, "testdata/impacket_check.py", testUser, testPassword, "WORKGROUP",
		hex.EncodeToString(neg), hex.EncodeToString(chal), hex.EncodeToString(auth)).CombinedOutput()
	if err != nil {
		t.Fatalf("impacket_check.py: %v\n%s", err, out)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 3 || lines[0] != "ok" {
		t.Fatalf("impacket disagrees:\n%s", out)
	}
	if lines[1] != hex.EncodeToString(c.SessionKey()) {
		t.Fatalf("exported key: impacket %s, ours %x", lines[1], c.SessionKey())
	}
	sig, _ := c.Security().Sign([]byte("hello from go"))
	if lines[2] != hex.EncodeToString(sig) {
		t.Fatalf("signature: impacket %s, ours %x", lines[2], sig)
	}
}
