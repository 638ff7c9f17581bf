package spnego

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/ntstatus"
)

const smbd = "/usr/sbin/smbd"

// needPeer skips when a peer program is missing, except under CI=true.
func needPeer(t *testing.T, what string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI=true: %v", what, err)
	}
	t.Skipf("%s not available: %v", what, err)
}

// startSamba runs Debian's smbd as a standalone server on a loopback port
// with a private configuration and one account, the current Unix user with
// the given password. It returns the address.
func startSamba(t *testing.T, password string) (addr, account string) {
	t.Helper()
	if _, err := os.Stat(smbd); err != nil {
		needPeer(t, "smbd", err)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	dir := t.TempDir()
	for _, d := range []string{"private", "lock", "state", "cache", "pid", "ncalrpc", "log", "share"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "smb.conf")
	cfg := fmt.Sprintf(`[global]
workgroup = LANTEST
netbios name = SAMBATEST
server role = standalone server
smb ports = %d
interfaces = 127.0.0.1
bind interfaces only = yes
private dir = %[2]s/private
lock directory = %[2]s/lock
state directory = %[2]s/state
cache directory = %[2]s/cache
pid directory = %[2]s/pid
ncalrpc dir = %[2]s/ncalrpc
log file = %[2]s/log/log.%%m
passdb backend = tdbsam:%[2]s/private/passdb.tdb
disable netbios = yes
load printers = no
printcap name = /dev/null
disable spoolss = yes
server min protocol = SMB2_02
[share]
path = %[2]s/share
`, port, dir)
	if err := os.WriteFile(conf, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	add := exec.CommandContext(ctx, "smbpasswd", "-c", conf, "-s", "-a", u.Username)
	add.Stdin = strings.NewReader(password + "\n" + password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		needPeer(t, "smbpasswd -a "+u.Username, fmt.Errorf("%v: %s", err, out))
	}

	cmd := exec.Command(smbd, "--foreground", "--no-process-group", "-s", conf, "--debug-stdout", "-d", "1")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		needPeer(t, "smbd", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("smbd output:\n%s", logs.String())
		}
	})
	addr = fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(15 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("smbd did not listen on %s: %v\n%s", addr, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return addr, u.Username
}

// smb2Conn is just enough SMB2 (MS-SMB2 2.2.3-2.2.6) to run SESSION_SETUP
// against smbd with our Initiator; the real client lives in package smb2.
type smb2Conn struct {
	c     net.Conn
	msgID uint64
	sid   uint64
}

func (s *smb2Conn) roundTrip(cmd uint16, body []byte) (status ntstatus.Status, hdr, resp []byte, err error) {
	h := make([]byte, 64)
	copy(h, "\xfeSMB")
	binary.LittleEndian.PutUint16(h[4:], 64)
	binary.LittleEndian.PutUint16(h[12:], cmd)
	binary.LittleEndian.PutUint16(h[14:], 1) // credits requested
	binary.LittleEndian.PutUint64(h[24:], s.msgID)
	binary.LittleEndian.PutUint64(h[40:], s.sid)
	s.msgID++
	msg := append(h, body...)
	frame := binary.BigEndian.AppendUint32(nil, uint32(len(msg)))
	if _, err := s.c.Write(append(frame, msg...)); err != nil {
		return 0, nil, nil, err
	}
	var n [4]byte
	if _, err := io.ReadFull(s.c, n[:]); err != nil {
		return 0, nil, nil, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size < 64 || size > 1<<20 {
		return 0, nil, nil, fmt.Errorf("bad frame size %d", size)
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(s.c, buf); err != nil {
		return 0, nil, nil, err
	}
	return ntstatus.Status(binary.LittleEndian.Uint32(buf[8:])), buf[:64], buf, nil
}

// securityBuffer extracts the buffer an offset/length pair at body+at
// points to (offsets count from the SMB2 header).
func securityBuffer(msg []byte, at int) ([]byte, error) {
	if len(msg) < 64+at+4 {
		return nil, errors.New("response too short")
	}
	off := int(binary.LittleEndian.Uint16(msg[64+at:]))
	n := int(binary.LittleEndian.Uint16(msg[64+at+2:]))
	if off+n > len(msg) {
		return nil, errors.New("security buffer out of range")
	}
	return msg[off : off+n], nil
}

// sambaLogon negotiates SMB 2.1 and runs SESSION_SETUP with our SPNEGO
// initiator until smbd accepts or refuses.
func sambaLogon(t *testing.T, addr string, cfg ntlm.ClientConfig) (*Initiator, error) {
	return sambaLogonAlter(t, addr, cfg, nil)
}

// sambaLogonAlter is sambaLogon with a hook that may change each token we
// send.
func sambaLogonAlter(t *testing.T, addr string, cfg ntlm.ClientConfig, alter func(n int, tok []byte) []byte) (*Initiator, error) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	s := &smb2Conn{c: c}

	neg := make([]byte, 36, 40)
	binary.LittleEndian.PutUint16(neg[0:], 36)
	binary.LittleEndian.PutUint16(neg[2:], 2) // dialect count
	binary.LittleEndian.PutUint16(neg[4:], 1) // signing enabled
	neg = binary.LittleEndian.AppendUint16(neg, 0x0202)
	neg = binary.LittleEndian.AppendUint16(neg, 0x0210)
	status, _, resp, err := s.roundTrip(0, neg)
	if err != nil || status != 0 {
		t.Fatalf("NEGOTIATE: %v %v", status, err)
	}
	hint, err := securityBuffer(resp, 56)
	if err != nil {
		t.Fatal(err)
	}

	mech, err := ntlm.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	in := NewInitiator(mech)
	tok, _, err := in.Step(hint)
	if err != nil {
		t.Fatalf("first step on samba's hint: %v", err)
	}
	for n := range 4 {
		if alter != nil {
			tok = alter(n, tok)
		}
		body := make([]byte, 24)
		binary.LittleEndian.PutUint16(body[0:], 25)
		body[3] = 1                                  // SecurityMode: signing enabled
		binary.LittleEndian.PutUint16(body[12:], 88) // SecurityBufferOffset
		binary.LittleEndian.PutUint16(body[14:], uint16(len(tok)))
		status, hdr, resp, err := s.roundTrip(1, append(body, tok...))
		if err != nil {
			t.Fatalf("SESSION_SETUP: %v", err)
		}
		if status != 0 && status != ntstatus.STATUS_MORE_PROCESSING_REQUIRED {
			return in, fmt.Errorf("smbd: %w", status)
		}
		s.sid = binary.LittleEndian.Uint64(hdr[40:])
		out, err := securityBuffer(resp, 4)
		if err != nil {
			t.Fatal(err)
		}
		var done bool
		tok, done, err = in.Step(out)
		if err != nil {
			return in, err
		}
		if status == 0 {
			if !done || tok != nil {
				t.Fatalf("smbd accepted but initiator done=%v out=%x", done, tok)
			}
			return in, nil
		}
		if done || len(tok) == 0 {
			t.Fatalf("initiator done=%v with %d bytes while smbd wants more", done, len(tok))
		}
	}
	t.Fatal("SESSION_SETUP does not terminate")
	return nil, nil
}

// TestSamba logs on to smbd through SESSION_SETUP with our SPNEGO/NTLM
// initiator: smbd checks our NTLMv2 response, our MIC and our mechListMIC,
// and we check its mechListMIC.
func TestSamba(t *testing.T) {
	const password = "Samba-test-pw1"
	addr, account := startSamba(t, password)

	in, err := sambaLogon(t, addr, ntlm.ClientConfig{User: account, Domain: "LANTEST", Password: password, Workstation: "GOTEST", TargetSPN: "cifs/127.0.0.1"})
	if err != nil {
		t.Fatalf("logon: %v", err)
	}
	if len(in.SessionKey()) != 16 || !in.Mech().MICSent() {
		t.Fatalf("key %x, MIC sent %v", in.SessionKey(), in.Mech().MICSent())
	}

	// Pass-the-hash works the same.
	h := ntlm.NTHash(password)
	if _, err := sambaLogon(t, addr, ntlm.ClientConfig{User: strings.ToUpper(account), NTHash: h[:]}); err != nil {
		t.Fatalf("pass-the-hash logon: %v", err)
	}

	_, err = sambaLogon(t, addr, ntlm.ClientConfig{User: account, Password: "wrong"})
	if !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) {
		t.Fatalf("wrong password: %v", err)
	}

	// smbd checks our mechListMIC: a corrupted one is refused.
	_, err = sambaLogonAlter(t, addr, ntlm.ClientConfig{User: account, Password: password}, func(n int, tok []byte) []byte {
		if n != 1 {
			return tok
		}
		var r NegTokenResp
		if err := r.Unmarshal(tok); err != nil || len(r.MechListMIC) != 16 {
			t.Fatalf("second token %v: %v", &r, err)
		}
		r.MechListMIC[4] ^= 1
		return r.Marshal()
	})
	var st ntstatus.Status
	if !errors.As(err, &st) || !st.IsError() {
		t.Fatalf("corrupted mechListMIC: %v", err)
	}
}
