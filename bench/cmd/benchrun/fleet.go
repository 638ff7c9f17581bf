//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lanman/lanman/bench/internal/delayline"
	"github.com/lanman/lanman/internal/sambatest"
)

// The fleet benchmark's network: two network namespaces of its own,
// joined through a user-space delay line (bench/internal/delayline: two
// TUN devices, one in each namespace, every packet held for the delay
// each way, the TCP handshake included). The server namespace has the
// whole of 10.99.0.0/16 on its loopback device, so one `lanman server`
// listening on 0.0.0.0:445 answers at every address: each target is a
// distinct IP address and TCP connection behind the added latency.
const (
	nsServer   = "lanmanbench-srv"
	nsClient   = "lanmanbench-cli"
	tunServer  = "lmbench-s"
	tunClient  = "lmbench-c"
	linkServer = "10.98.0.1"
	linkClient = "10.98.0.2"
	targetNet  = "10.99.0.0/16"
)

// fleetRun is one client run over a list of targets.
type fleetRun struct {
	client  string
	targets int
	ok      int // targets answered
	failed  int // targets that failed
	wall    time.Duration
	rssKB   int64
	runs    int
	note    string
}

func (r fleetRun) hostsPerSecond() float64 { return float64(r.ok) / r.wall.Seconds() }

type fleetResult struct {
	delayEachWay time.Duration
	connect      time.Duration // a TCP connect through the line, as measured
	concurrency  int
	runs         []fleetRun
}

func ipCmd(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// removeNetwork deletes the namespaces. It only touches the names this
// benchmark owns.
func removeNetwork() {
	for _, ns := range []string{nsServer, nsClient} {
		if _, err := os.Stat(filepath.Join("/var/run/netns", ns)); err == nil {
			exec.Command("ip", "netns", "del", ns).Run()
		}
	}
}

// setupNetwork creates the namespaces and the delay line; closing the
// returned line and removeNetwork undo it all.
func setupNetwork(ctx context.Context, delay time.Duration) (*delayline.Line, error) {
	removeNetwork() // left over from an interrupted run
	for _, ns := range []string{nsServer, nsClient} {
		if err := ipCmd(ctx, "netns", "add", ns); err != nil {
			return nil, err
		}
	}
	line, err := delayline.Open(tunClient, tunServer, delay)
	if err != nil {
		return nil, err
	}
	steps := [][]string{
		{"link", "set", tunClient, "netns", nsClient},
		{"link", "set", tunServer, "netns", nsServer},
		{"-n", nsServer, "link", "set", "lo", "up"},
		{"-n", nsClient, "link", "set", "lo", "up"},
		{"-n", nsServer, "addr", "add", linkServer + "/32", "dev", tunServer},
		{"-n", nsClient, "addr", "add", linkClient + "/32", "dev", tunClient},
		{"-n", nsServer, "link", "set", tunServer, "up"},
		{"-n", nsClient, "link", "set", tunClient, "up"},
		// Every address of the /16 is local in the server namespace.
		{"-n", nsServer, "addr", "add", targetNet, "dev", "lo"},
		{"-n", nsServer, "route", "add", linkClient + "/32", "dev", tunServer},
		{"-n", nsClient, "route", "add", targetNet, "dev", tunClient, "src", linkClient},
	}
	for _, s := range steps {
		if err := ipCmd(ctx, s...); err != nil {
			line.Close()
			return nil, err
		}
	}
	return line, nil
}

func targetAddr(i int) string { return fmt.Sprintf("10.99.%d.%d", i/250, i%250+1) }

func writeTargets(path string, n int) error {
	var b strings.Builder
	for i := range n {
		b.WriteString(targetAddr(i))
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

const fleetConcurrency = 64

func runFleet(ctx context.Context, c *config) (*fleetResult, error) {
	if err := need("ip", "rpcclient", "bash", "xargs"); err != nil {
		return nil, err
	}
	logf("fleet: network namespaces with %v delay each way", c.delay)
	line, err := setupNetwork(ctx, c.delay)
	if err != nil {
		removeNetwork()
		return nil, err
	}
	defer removeNetwork()
	defer line.Close()

	dir, err := os.MkdirTemp(c.work, "fleet-")
	if err != nil {
		return nil, err
	}
	password := "Fleet-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "x9"
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(sambatest.AdminName+":"+password+":admin\n"), 0o600); err != nil {
		return nil, err
	}
	share := filepath.Join(dir, "share")
	if err := os.Mkdir(share, 0o755); err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "server.log")
	srv, err := startBackground("lanman server (fleet)", os.Environ(), logPath, nil, "ip", "netns", "exec", nsServer,
		filepath.Join(c.bin, "lanman"), "server", "--listen", "0.0.0.0:445", "--share", "data="+share,
		"--users", users, "--domain", sambatest.Domain, "--name", "FLEET", "--log-level", "warn",
		"--max-sessions", "20000", "--max-conns", "20000", "--max-conns-per-client", "20000")
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	env := append(os.Environ(), "LANMAN_PASSWORD="+password)
	auth := filepath.Join(dir, "auth")
	if err := os.WriteFile(auth, []byte(fmt.Sprintf("username=%s\npassword=%s\ndomain=%s\n",
		sambatest.AdminName, password, sambatest.Domain)), 0o600); err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "client.conf")
	if err := os.WriteFile(conf, []byte("[global]\n  client min protocol = SMB2_02\n"), 0o644); err != nil {
		return nil, err
	}
	user := sambatest.Domain + `\` + sambatest.AdminName
	lanman := func(targets string) []string {
		return []string{"ip", "netns", "exec", nsClient, filepath.Join(c.bin, "lanman"), "session",
			"--targets", targets, "-U", user, "--level", "1", "--jsonl",
			"--concurrency", strconv.Itoa(fleetConcurrency), "--timeout", "20s"}
	}

	// Wait for the server, through the delayed link.
	one := filepath.Join(dir, "one")
	if err := writeTargets(one, 1); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		argv := lanman(one)
		m, err := measure(ctx, env, argv[0], argv[1:]...)
		if err == nil && countFleet(m.stdout).ok == 1 {
			break
		}
		if srv.exited() || time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("fleet server not answering: %v: %s", err, tail(string(out), 600))
		}
		time.Sleep(200 * time.Millisecond)
	}

	res := &fleetResult{delayEachWay: c.delay, concurrency: fleetConcurrency}
	// The latency as a client sees it: a TCP connect (one round trip)
	// from a shell in the client namespace, minus the same shell's
	// start-up cost measured without a connect.
	probe := func(script string) time.Duration {
		var best time.Duration
		for i := range 5 {
			m, err := measure(ctx, env, "ip", "netns", "exec", nsClient, "bash", "-c", script)
			if err == nil && (i == 0 || m.wall < best) {
				best = m.wall
			}
		}
		return best
	}
	res.connect = probe("exec 3<>/dev/tcp/"+targetAddr(0)+"/445") - probe("true")
	sizes := slices.Clone(c.fleet)
	if !slices.Contains(sizes, c.fleetRPC) {
		sizes = append(sizes, c.fleetRPC)
	}
	slices.Sort(sizes)
	files := map[int]string{}
	for _, n := range sizes {
		files[n] = filepath.Join(dir, fmt.Sprintf("targets-%d", n))
		if err := writeTargets(files[n], n); err != nil {
			return nil, err
		}
	}
	// Warm up: one pass over the largest list.
	warm := lanman(files[sizes[len(sizes)-1]])
	if _, err := measure(ctx, env, warm[0], warm[1:]...); err != nil {
		return nil, fmt.Errorf("fleet warmup: %w", err)
	}

	for _, n := range sizes {
		logf("fleet: lanman over %d targets", n)
		r, err := fleetMeasure(ctx, env, "lanman session --targets --jsonl", n, 3, lanman(files[n]), countFleet)
		if err != nil {
			return nil, err
		}
		res.runs = append(res.runs, r)
	}

	n := c.fleetRPC
	logf("fleet: rpcclient shell loop over %d targets (sequential)", n)
	loop := fmt.Sprintf(`while read -r h; do rpcclient -s %s -A %s "$h" -c netsessenum 2>&1; done < %s`,
		shellQuote([]string{conf}), shellQuote([]string{auth}), shellQuote([]string{files[n]}))
	r, err := fleetMeasure(ctx, env, "rpcclient, shell loop", n, 1,
		[]string{"ip", "netns", "exec", nsClient, "bash", "-c", loop}, countRpcclientRuns)
	if err != nil {
		return nil, err
	}
	res.runs = append(res.runs, r)

	logf("fleet: rpcclient with xargs -P %d over %d targets", fleetConcurrency, n)
	par := fmt.Sprintf(`xargs -P %d -I{} rpcclient -s %s -A %s {} -c netsessenum < %s 2>&1`, fleetConcurrency,
		shellQuote([]string{conf}), shellQuote([]string{auth}), shellQuote([]string{files[n]}))
	r, err = fleetMeasure(ctx, env, fmt.Sprintf("rpcclient, xargs -P %d", fleetConcurrency), n, 1,
		[]string{"ip", "netns", "exec", nsClient, "bash", "-c", par}, countRpcclientRuns)
	if err != nil {
		return nil, err
	}
	r.note = "peak RSS is the largest single rpcclient process; up to 64 run at once"
	res.runs = append(res.runs, r)
	return res, nil
}

type fleetCount struct{ ok, failed int }

// countFleet counts the servers in lanman's JSON Lines output: a server
// with an "error" field failed; any other row is an answer.
func countFleet(b []byte) fleetCount {
	ok, failed := map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		var row struct {
			Server string  `json:"server"`
			Error  *string `json:"error"`
		}
		if json.Unmarshal(sc.Bytes(), &row) != nil || row.Server == "" {
			continue
		}
		if row.Error != nil {
			failed[row.Server] = true
		} else {
			ok[row.Server] = true
		}
	}
	return fleetCount{ok: len(ok), failed: len(failed)}
}

// countRpcclientRuns counts the "Received N entries." lines of a loop of
// rpcclient runs: one per server answered.
func countRpcclientRuns(b []byte) fleetCount {
	return fleetCount{ok: bytes.Count(b, []byte("Received "))}
}

// fleetMeasure runs argv `runs` times and keeps the run with the median
// wall time; the peak RSS is the median too.
func fleetMeasure(ctx context.Context, env []string, name string, n, runs int, argv []string, count func([]byte) fleetCount) (fleetRun, error) {
	var all []fleetRun
	for range runs {
		m, err := measure(ctx, env, argv[0], argv[1:]...)
		if err != nil && !strings.Contains(err.Error(), "exit status 1") {
			return fleetRun{}, fmt.Errorf("%s over %d targets: %w", name, n, err)
		}
		fc := count(m.stdout)
		failed := n - fc.ok
		all = append(all, fleetRun{client: name, targets: n, ok: fc.ok, failed: failed, wall: m.wall, rssKB: m.rssKB})
	}
	slices.SortFunc(all, func(a, b fleetRun) int { return int(a.wall - b.wall) })
	r := all[len(all)/2]
	rss := make([]int64, len(all))
	for i := range all {
		rss[i] = all[i].rssKB
	}
	slices.Sort(rss)
	r.rssKB = rss[len(rss)/2]
	r.runs = runs
	return r, nil
}
