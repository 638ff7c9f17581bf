package dcerpc

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// readGolden parses "name hex" lines.
func readGolden(t *testing.T, text string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		name, hx, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok {
			continue
		}
		b, err := hex.DecodeString(hx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m[name] = b
	}
	return m
}

var srvsvcIface = SyntaxID{UUID: MustParseUUID("4b324fc8-1670-01d3-1278-5a47bf6ee188"), Version: 3}

// checkImpacketPDUs decodes the PDUs impacket built, checks what they say,
// and re-encodes them identically.
func checkImpacketPDUs(t *testing.T, g map[string][]byte) {
	t.Helper()
	var bind BindPDU
	if err := bind.Unmarshal(g["bind"]); err != nil {
		t.Fatal(err)
	}
	if bind.CallID != 1 || bind.Flags != FlagFirstFrag|FlagLastFrag || bind.MaxXmitFrag != 4280 || bind.MaxRecvFrag != 4280 ||
		len(bind.Contexts) != 1 || bind.Contexts[0].AbstractSyntax != srvsvcIface ||
		len(bind.Contexts[0].TransferSyntaxes) != 1 || bind.Contexts[0].TransferSyntaxes[0] != NDR20 || bind.Auth != nil {
		t.Errorf("bind decoded as %+v", bind)
	}
	var abind BindPDU
	if err := abind.Unmarshal(g["bind_auth"]); err != nil {
		t.Fatal(err)
	}
	if abind.Auth == nil || abind.Auth.Type != AuthTypeWinNT || abind.Auth.Level != AuthLevelIntegrity ||
		!bytes.HasPrefix(abind.Auth.Value, []byte("NTLMSSP\x00\x01\x00\x00\x00")) || abind.Contexts[0].AbstractSyntax != srvsvcIface {
		t.Errorf("authenticated bind decoded as %+v / %+v", abind, abind.Auth)
	}
	var req RequestPDU
	if err := req.Unmarshal(g["request"]); err != nil {
		t.Fatal(err)
	}
	if req.Opnum != 15 || req.ContextID != 0 || req.Flags != FlagFirstFrag|FlagLastFrag ||
		int(req.AllocHint) != len(req.Stub) || len(req.Stub) != 68 || req.Auth != nil {
		t.Errorf("request decoded as %+v", req)
	}
	for name, p := range map[string]pdu{"bind": &bind, "bind_auth": &abind, "request": &req} {
		b, err := p.Append(nil)
		if err != nil || !bytes.Equal(b, g[name]) {
			t.Errorf("%s: re-encoding differs (%v)\n got % x\nwant % x", name, err, b, g[name])
		}
	}
}

func TestImpacketGolden(t *testing.T) {
	text, err := os.ReadFile("testdata/impacket_golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	checkImpacketPDUs(t, readGolden(t, string(text)))
}

// TestImpacketLive regenerates the golden PDUs with impacket and checks
// them the same way; the deterministic ones (the binds) must equal the
// committed bytes. The request's stub carries random NDR referent IDs, so
// only its structure is compared. Without impacket the test skips, except
// under CI=true, where it fails.
func TestImpacketLive(t *testing.T) {
	out, err := exec.Command("/usr/bin/python3", "testdata/gen_impacket.py").Output()
	if err != nil {
		msg := "impacket (python3-impacket) not available: " + err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg += ": " + string(ee.Stderr)
		}
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	live := readGolden(t, string(out))
	checkImpacketPDUs(t, live)
	text, err := os.ReadFile("testdata/impacket_golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	committed := readGolden(t, string(text))
	for _, name := range []string{"bind", "bind_auth"} {
		if !bytes.Equal(live[name], committed[name]) {
			t.Errorf("%s: impacket now builds\n% x\ncommitted\n% x", name, live[name], committed[name])
		}
	}
	if len(live["request"]) != len(committed["request"]) ||
		!bytes.Equal(live["request"][:RequestHeaderLen], committed["request"][:RequestHeaderLen]) {
		t.Errorf("request header or size changed")
	}
}
