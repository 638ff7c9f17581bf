//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// benchLine is one line of go test -bench output.
type benchLine struct {
	pkg    string
	name   string // without the Benchmark prefix and the -GOMAXPROCS suffix
	nsOp   float64
	mbS    float64 // 0 when the benchmark sets no byte count
	bOp    float64
	allocs float64
}

// microSet is one go test -bench invocation.
type microSet struct {
	dir   string // relative to the repository root
	pkg   string
	bench string
}

var microSets = []microSet{
	{".", "./srvs", "."},
	{".", "./wkst", "."},
	{".", "./smb2", "^Benchmark(Sign|Verify|Encrypt|Decrypt)$"},
	{".", "./ntlm", "^BenchmarkHandshake$"},
	{"bench/msrpc", ".", "."},
}

func runMicro(ctx context.Context, c *config) ([]benchLine, error) {
	var out []benchLine
	for _, s := range microSets {
		logf("go test -bench %s %s", s.bench, filepath.Join(s.dir, s.pkg))
		cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", s.bench, "-benchmem", "-benchtime", "1s", s.pkg)
		cmd.Dir = filepath.Join(c.root, s.dir)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go test -bench %s: %w: %s", s.pkg, err, tail(stderr.String()+stdout.String(), 1000))
		}
		lines := parseBench(stdout.Bytes())
		if len(lines) == 0 {
			return nil, fmt.Errorf("go test -bench %s: no benchmark results", s.pkg)
		}
		out = append(out, lines...)
	}
	return out, nil
}

var reProcs = regexp.MustCompile(`-\d+$`)

// parseBench reads the result lines of go test -bench -benchmem.
func parseBench(b []byte) []benchLine {
	var out []benchLine
	pkg := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "pkg:" {
			pkg = f[1]
			continue
		}
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		l := benchLine{pkg: pkg, name: reProcs.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				l.nsOp = v
			case "MB/s":
				l.mbS = v
			case "B/op":
				l.bOp = v
			case "allocs/op":
				l.allocs = v
			}
		}
		if l.nsOp > 0 {
			out = append(out, l)
		}
	}
	return out
}
