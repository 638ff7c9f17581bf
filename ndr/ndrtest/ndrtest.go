// Package ndrtest holds test helpers shared by the packages whose codecs are
// checked against golden stubs generated with impacket.
package ndrtest

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

// Python is the interpreter the golden scripts run with: Debian's, which
// has python3-impacket, rather than whatever python3 is first on PATH. The
// environment variable LANMAN_PYTHON overrides it.
var Python = "/usr/bin/python3"

func init() {
	if p := os.Getenv("LANMAN_PYTHON"); p != "" {
		Python = p
	}
}

// ReadGolden parses a golden file of "name hex" lines.
func ReadGolden(t testing.TB, path string) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ParseGolden(t, data)
}

// ParseGolden parses "name hex" lines.
func ParseGolden(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, hx, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("golden line without hex: %q", line)
		}
		b, err := hex.DecodeString(hx)
		if err != nil {
			t.Fatalf("golden %s: %v", name, err)
		}
		if _, dup := out[name]; dup {
			t.Fatalf("golden %s appears twice", name)
		}
		out[name] = b
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// RequireImpacket skips the test when Python cannot import impacket, unless
// the environment variable CI is "true", in which case the test fails: a CI
// machine must be able to regenerate the golden files.
func RequireImpacket(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, Python, "-c", "import impacket.dcerpc.v5.srvs, impacket.dcerpc.v5.wkst").CombinedOutput()
	if err == nil {
		return
	}
	msg := "cannot import impacket with " + Python + ": " + err.Error() + ": " + string(out)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// RunScript runs a golden generator script and returns its output.
func RunScript(t testing.TB, script string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, Python, script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	return out
}
