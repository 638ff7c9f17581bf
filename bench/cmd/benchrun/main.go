//go:build linux

// Command benchrun is the benchmark suite behind bench/run. In one run it
//
//   - measures whole client processes side by side (lanman session,
//     Samba's rpcclient netsessenum, and impacket's hNetrSessionEnum),
//     cold, against a private Samba and against lanman's own server on
//     loopback, each holding N = 10 and N = 1000 sessions: wall time with
//     hyperfine, peak RSS from the kernel's rusage, and round trips from a
//     tcpdump capture;
//   - runs the Go micro-benchmarks (NDR codecs, SMB2 signing and
//     encryption, the NTLM handshake) and the comparison with go-msrpc;
//   - runs the fleet benchmark: lanman's fleet mode against hundreds of
//     targets behind 20 ms of added round-trip latency in network
//     namespaces of its own, compared with a shell loop of rpcclient;
//
// and writes everything, with the method and the machine, to
// BENCHMARKS.md. It needs root (Samba's Unix accounts, network
// namespaces, tcpdump). bench/run builds it and the binaries it measures.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type config struct {
	root                            string // repository root
	bin                             string // directory holding the lanman and holdsessions binaries
	work                            string // scratch directory
	out                             string // the report
	runs                            int    // hyperfine runs per command
	warmup                          int    // hyperfine warmup runs per command
	rssRuns                         int    // runs per command for peak RSS
	ns                              []int  // session counts
	fleet                           []int  // fleet sizes for lanman
	fleetRPC                        int    // fleet size for the rpcclient loops
	delay                           time.Duration
	skipWhole, skipMicro, skipFleet bool
}

var start = time.Now()

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
}

func main() {
	var c config
	var ns, fleet string
	flag.StringVar(&c.root, "root", ".", "repository root")
	flag.StringVar(&c.bin, "bin", "", "directory with the lanman and holdsessions binaries")
	flag.StringVar(&c.out, "out", "BENCHMARKS.md", "report to write")
	flag.IntVar(&c.runs, "runs", 20, "hyperfine runs per command")
	flag.IntVar(&c.warmup, "warmup", 3, "hyperfine warmup runs per command")
	flag.IntVar(&c.rssRuns, "rss-runs", 5, "runs per command measuring peak RSS")
	flag.StringVar(&ns, "sessions", "10,1000", "session counts held on the servers")
	flag.StringVar(&fleet, "fleet", "50,100,200,400", "fleet sizes for lanman")
	flag.IntVar(&c.fleetRPC, "fleet-rpcclient", 200, "fleet size for the rpcclient loops")
	flag.DurationVar(&c.delay, "delay", 10*time.Millisecond, "netem delay each way in the fleet benchmark")
	flag.BoolVar(&c.skipWhole, "skip-whole", false, "skip the whole-process benchmark")
	flag.BoolVar(&c.skipMicro, "skip-micro", false, "skip the micro-benchmarks")
	flag.BoolVar(&c.skipFleet, "skip-fleet", false, "skip the fleet benchmark")
	flag.Parse()
	var err error
	if c.ns, err = parseInts(ns); err == nil {
		c.fleet, err = parseInts(fleet)
	}
	if err != nil || c.bin == "" {
		fmt.Fprintln(os.Stderr, "benchrun: need -bin, and -sessions/-fleet as comma-separated counts")
		os.Exit(2)
	}
	if err := run(&c); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

func parseInts(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad count %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(c *config) (err error) {
	if os.Geteuid() != 0 {
		return errors.New("must run as root (Samba's Unix accounts, network namespaces, tcpdump)")
	}
	if c.root, err = filepath.Abs(c.root); err != nil {
		return err
	}
	if c.bin, err = filepath.Abs(c.bin); err != nil {
		return err
	}
	if c.work, err = os.MkdirTemp("", "lanman-benchrun-"); err != nil {
		return err
	}
	defer os.RemoveAll(c.work)
	// Samba's users must be able to traverse into the harness directories.
	if err := os.Chmod(c.work, 0o755); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	tb := newHarnessTB(c.work)
	defer tb.runCleanups()
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(fatalError)
			if !ok {
				panic(r)
			}
			err = f
		}
	}()

	rep := &report{started: time.Now()}
	rep.machine = describeMachine(ctx, c)
	if !c.skipMicro {
		logf("micro-benchmarks")
		if rep.micro, err = runMicro(ctx, c); err != nil {
			return fmt.Errorf("micro-benchmarks: %w", err)
		}
	}
	if !c.skipWhole {
		if rep.whole, err = runWhole(ctx, c, tb); err != nil {
			return fmt.Errorf("whole-process benchmark: %w", err)
		}
	}
	if !c.skipFleet {
		if rep.fleet, err = runFleet(ctx, c); err != nil {
			return fmt.Errorf("fleet benchmark: %w", err)
		}
	}
	rep.elapsed = time.Since(start)
	if err := os.WriteFile(c.out, []byte(rep.markdown(c)), 0o644); err != nil {
		return err
	}
	logf("wrote %s", c.out)
	return nil
}
