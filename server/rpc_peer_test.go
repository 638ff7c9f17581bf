package server

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestRpcclient(t *testing.T) {
	needPeer(t, "rpcclient")
	ts := startServer(t, nil)
	os.WriteFile(filepath.Join(ts.dataDir, "f.txt"), []byte("x"), 0o644)
	for _, tc := range []struct {
		cmd  string
		want []string
	}{
		{"srvinfo", []string{"LANMANTEST", "platform_id     :\t500", "os version      :\t10.0"}},
		{"netshareenumall", []string{"netname: IPC$", "netname: data", "remark:\ttest data", "netname: ro"}},
		{"netsessenum", []string{"Received 1 entries"}},
		{"netconnenum", nil},
		{"netfileenum", []string{`\PIPE\srvsvc`}},
		{"wkssvc_wkstagetinfo", nil},
	} {
		out, err := ts.rpcclient(t, testAdmin, testAdminPW, tc.cmd)
		if err != nil {
			t.Errorf("%s: %v\n%s", tc.cmd, err, out)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tc.cmd, w, out)
			}
		}
		if strings.Contains(out, "WERR_") || strings.Contains(out, "NT_STATUS_") {
			t.Errorf("%s: reported an error:\n%s", tc.cmd, out)
		}
	}
	// A user who is not an administrator may list shares and get the
	// server's basic information, but not enumerate sessions or files
	// (MS-SRVS appendix B <52>, <46>).
	for cmd, denied := range map[string]bool{"netsessenum": true, "netfileenum": true, "srvinfo": false, "netshareenum": false} {
		out, _ := ts.rpcclient(t, testUser, testUserPW, cmd)
		got := strings.Contains(out, "WERR_ACCESS_DENIED")
		if got != denied {
			t.Errorf("non-admin %s: access denied = %v, want %v:\n%s", cmd, got, denied, out)
		}
	}
	out, err := ts.rpcclient(t, testUser, "wrong", "srvinfo")
	if err == nil || !strings.Contains(out, "NT_STATUS_LOGON_FAILURE") {
		t.Errorf("wrong password: %v\n%s", err, out)
	}
}

// impacketResult is what testdata/impacket_srvs.py prints: for each call
// and level, the entries of one unlimited call and of a walk with
// PreferedMaximumLength 1.
type impacketRun struct {
	Entries []map[string]any `json:"entries"`
	Calls   int              `json:"calls"`
	Total   int              `json:"total"`
	Error   any              `json:"error"`
}

func TestImpacket(t *testing.T) {
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil || exec.Command(python, "-c", "import impacket").Run() != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3-impacket is required in CI")
		}
		t.Skip("impacket not installed")
	}
	ts := startServer(t, nil)
	os.WriteFile(filepath.Join(ts.dataDir, "f.txt"), []byte("x"), 0o644)
	// A second session, of another user, with a file open.
	c := dialTestClient(t, ts.addr, testUser, testUserPW)
	defer c.close()
	c.openFile(t, "data", "f.txt")

	cmd := exec.Command(python, "testdata/impacket_srvs.py", "127.0.0.1", ts.port, testAdmin)
	cmd.Env = append(os.Environ(), "LANMAN_TEST_PASSWORD="+testAdminPW)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("impacket: %v\n%s\n%s", err, out, stderr)
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("decoding %s: %v", out, err)
	}
	minEntries := map[string]int{
		"session0": 2, "session1": 2, "session2": 2, "session10": 2, "session502": 2,
		"conn0": 2, "conn1": 2, "file2": 3, "file3": 3,
		"share0": 3, "share1": 3, "share2": 3, "share502": 3,
	}
	for key, min := range minEntries {
		var pair struct{ All, Paged impacketRun }
		if err := json.Unmarshal(res[key], &pair); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if pair.All.Error != nil || pair.Paged.Error != nil {
			t.Errorf("%s: errors %v / %v", key, pair.All.Error, pair.Paged.Error)
			continue
		}
		if len(pair.All.Entries) < min || pair.All.Total != len(pair.All.Entries) {
			t.Errorf("%s: %d entries, total %d, want at least %d", key, len(pair.All.Entries), pair.All.Total, min)
		}
		if !reflect.DeepEqual(pair.All.Entries, pair.Paged.Entries) {
			t.Errorf("%s: paged entries differ:\n all   %v\n paged %v", key, pair.All.Entries, pair.Paged.Entries)
		}
		if pair.Paged.Calls != len(pair.Paged.Entries) {
			t.Errorf("%s: paging with 1 byte took %d calls for %d entries", key, pair.Paged.Calls, len(pair.Paged.Entries))
		}
	}
	for _, k := range []string{"hNetrSessionEnum", "hNetrShareEnum", "hNetrConnectionEnum", "hNetrFileEnum"} {
		var n int
		json.Unmarshal(res[k], &n)
		if n == 0 {
			t.Errorf("%s: TotalEntries 0", k)
		}
	}
	if !regexp.MustCompile(`rpc_x_bad_stub_data`).Match(res["unterminated"]) {
		t.Errorf("qualifier without NUL: %s, want rpc_x_bad_stub_data as from Windows", res["unterminated"])
	}
	if !regexp.MustCompile(`f\.txt`).Match(res["file3"]) {
		t.Errorf("file3 lacks the open file: %s", res["file3"])
	}
}
