// Package ndrtest holds test helpers shared by the packages whose message
// codecs (ndr.Stub types) are checked against golden stubs generated with
// impacket, fuzzed and benchmarked: srvs and wkst.
package ndrtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"maps"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/ndr"
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

// NewLike returns a new zero value of m's type.
func NewLike(m ndr.Stub) ndr.Stub {
	return reflect.New(reflect.TypeOf(m).Elem()).Interface().(ndr.Stub)
}

// Golden decodes every golden stub of goldenFile into the value its case
// says impacket meant, and re-encodes that value to the very same bytes.
// cases and the file must name the same stubs.
func Golden(t *testing.T, goldenFile string, cases map[string]ndr.Stub) {
	t.Helper()
	golden := ReadGolden(t, goldenFile)
	if len(golden) != len(cases) {
		t.Errorf("%d golden stubs, %d cases", len(golden), len(cases))
	}
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		want := cases[name]
		t.Run(name, func(t *testing.T) {
			stub, ok := golden[name]
			if !ok {
				t.Fatal("no golden stub")
			}
			got := NewLike(want)
			if err := ndr.UnmarshalStub(stub, got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
			}
			if enc := ndr.MarshalStub(want); !bytes.Equal(enc, stub) {
				t.Errorf("encoded\n%s\nimpacket\n%s", hex.Dump(enc), hex.Dump(stub))
			}
		})
	}
}

// GoldenLive re-runs the generator script and checks that the committed
// goldenFile is what impacket produces today. It skips without impacket
// (see RequireImpacket).
func GoldenLive(t *testing.T, script, goldenFile string) {
	t.Helper()
	RequireImpacket(t)
	live := ParseGolden(t, RunScript(t, script))
	committed := ReadGolden(t, goldenFile)
	for name, b := range live {
		if !bytes.Equal(committed[name], b) {
			t.Errorf("%s: impacket now produces %x, committed %x", name, b, committed[name])
		}
	}
	for name := range committed {
		if _, ok := live[name]; !ok {
			t.Errorf("%s: committed but no longer generated", name)
		}
	}
}

// FuzzStub is the fuzz target of the message type T: it seeds f with the
// golden stubs of goldenFile whose name is name or starts with name+"_",
// and checks that decoding never panics, fails only with ndr.ErrMalformed,
// and that whatever decodes re-encodes to a stub that decodes to the same
// value and encodes to the same bytes.
func FuzzStub[T any, P interface {
	*T
	ndr.Stub
}](f *testing.F, goldenFile, name string) {
	for n, stub := range ReadGolden(f, goldenFile) {
		if n == name || strings.HasPrefix(n, name+"_") {
			f.Add(stub)
		}
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m := P(new(T))
		if err := ndr.UnmarshalStub(b, m); err != nil {
			if !errors.Is(err, ndr.ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		enc := ndr.MarshalStub(m)
		m2 := P(new(T))
		if err := ndr.UnmarshalStub(enc, m2); err != nil {
			t.Fatalf("re-decoding our own encoding: %v\n%x", err, enc)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("decode(encode(m)) != m:\n%+v\n%+v", m, m2)
		}
		if enc2 := ndr.MarshalStub(m2); !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable:\n%x\n%x", enc, enc2)
		}
	})
}

// BenchDecode measures decoding m's encoding into a value of its type with
// one reused Reader, and reports the time and allocations per entry as well
// as per reply, since the cost of a reply grows with its entries.
func BenchDecode(b *testing.B, m ndr.Stub, entries int) {
	stub := ndr.MarshalStub(m)
	into := NewLike(m)
	var r ndr.Reader
	b.SetBytes(int64(len(stub)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		r.Reset(stub)
		if err := into.UnmarshalStub(&r); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	n := float64(b.N) * float64(entries)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/entry")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/entry")
}

// BenchEncode measures encoding m with one reused Writer.
func BenchEncode(b *testing.B, m ndr.Stub) {
	var w ndr.Writer
	m.MarshalStub(&w)
	b.SetBytes(int64(len(w.Bytes())))
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		m.MarshalStub(&w)
	}
}
