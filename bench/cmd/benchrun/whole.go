//go:build linux

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lanman/lanman/bench/internal/pcap"
	"github.com/lanman/lanman/internal/sambatest"
)

// server is one SMB server under test, on loopback.
type server struct {
	name     string
	host     string
	port     int
	domain   string
	user     string
	password string
	stop     func()
}

func (s *server) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// client is one command measured against a server.
type client struct {
	name    string
	argv    []string
	entries func(stdout []byte) int // entries the client says it received
}

// clientResult is what the benchmark found for one client.
type clientResult struct {
	name    string
	command string
	median  time.Duration
	mean    time.Duration
	stddev  time.Duration
	min     time.Duration
	rssKB   int64 // median over runs of the peak RSS
	rt      pcap.Summary
	entries int
	userSys time.Duration // mean CPU time (user+system) per run
}

// wholeCase is one server holding n sessions, with every client's result.
type wholeCase struct {
	server  string
	n       int
	clients []clientResult
}

func runWhole(ctx context.Context, c *config, tb *harnessTB) ([]wholeCase, error) {
	if err := need("smbd", "rpcclient", "hyperfine", "tcpdump", "/usr/bin/python3"); err != nil {
		return nil, err
	}
	var out []wholeCase
	logf("starting Samba on loopback")
	sb := sambatest.Start(tb, sambatest.Options{})
	samba := &server{
		name: "Samba " + sambaVersion(ctx), host: sb.Host, port: sb.Port, domain: sambatest.Domain,
		user: sb.Admin.Name, password: sb.Admin.Password, stop: sb.Stop,
	}
	cases, err := wholeServer(ctx, c, samba)
	samba.stop()
	if err != nil {
		return nil, fmt.Errorf("against Samba: %w", err)
	}
	out = append(out, cases...)

	logf("starting lanman's server on loopback")
	lm, err := startLanmanServer(ctx, c, sb.Admin.Password)
	if err != nil {
		return nil, err
	}
	cases, err = wholeServer(ctx, c, lm)
	lm.stop()
	if err != nil {
		return nil, fmt.Errorf("against lanman's server: %w", err)
	}
	return append(out, cases...), nil
}

func sambaVersion(ctx context.Context) string {
	return strings.TrimPrefix(output(ctx, "smbd", "--version"), "Version ")
}

// startLanmanServer runs `lanman server` on a free loopback port with one
// administrator whose name, domain and password match the Samba test
// server's, so every client uses the same credentials against both.
func startLanmanServer(ctx context.Context, c *config, password string) (*server, error) {
	dir, err := os.MkdirTemp(c.work, "lanman-server-")
	if err != nil {
		return nil, err
	}
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(sambatest.AdminName+":"+password+":admin\n"), 0o600); err != nil {
		return nil, err
	}
	share := filepath.Join(dir, "share")
	if err := os.Mkdir(share, 0o755); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &server{name: "lanman server", host: "127.0.0.1", port: port, domain: sambatest.Domain,
		user: sambatest.AdminName, password: password}
	logPath := filepath.Join(dir, "server.log")
	b, err := startBackground("lanman server", os.Environ(), logPath, nil, filepath.Join(c.bin, "lanman"),
		"server", "--listen", s.addr(), "--share", "data="+share, "--users", users,
		"--domain", sambatest.Domain, "--name", "LANMANBENCH", "--log-level", "warn",
		"--max-sessions", "5000", "--max-conns", "2000", "--max-conns-per-client", "2000")
	if err != nil {
		return nil, err
	}
	s.stop = b.stop
	dial := func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", s.addr())
	}
	if err := waitTCP(ctx, b, dial, logPath); err != nil {
		b.stop()
		return nil, err
	}
	return s, nil
}

func wholeServer(ctx context.Context, c *config, s *server) ([]wholeCase, error) {
	dir, err := os.MkdirTemp(c.work, "whole-")
	if err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "client.conf")
	if err := os.WriteFile(conf, []byte("[global]\n  client min protocol = SMB2_02\n"), 0o644); err != nil {
		return nil, err
	}
	auth := filepath.Join(dir, "auth")
	authText := fmt.Sprintf("username=%s\npassword=%s\ndomain=%s\n", s.user, s.password, s.domain)
	if err := os.WriteFile(auth, []byte(authText), 0o600); err != nil {
		return nil, err
	}
	env := append(os.Environ(), "LANMAN_PASSWORD="+s.password)
	port := strconv.Itoa(s.port)
	user := s.domain + `\` + s.user
	clients := []client{
		{"lanman", []string{filepath.Join(c.bin, "lanman"), "session", s.addr(), "-U", user, "--level", "1", "--json"}, countJSON},
		{"rpcclient", []string{"rpcclient", "-s", conf, "-A", auth, "-p", port, s.host, "-c", "netsessenum"}, countRpcclient},
		{"impacket", []string{"/usr/bin/python3", filepath.Join(c.root, "bench", "impacket_netsessenum.py"), s.host, port, s.domain, s.user, "1"}, countImpacket},
	}
	if s.name == "lanman server" { // Samba answers only levels 0 and 1 (ERROR_INVALID_LEVEL)
		clients = append(clients, client{"lanman, level 502", []string{filepath.Join(c.bin, "lanman"), "session", s.addr(),
			"-U", user, "--level", "502", "--json"}, countJSON})
	}

	var out []wholeCase
	for _, n := range c.ns {
		logf("%s: opening %d sessions", s.name, n)
		holder, err := holdSessions(ctx, c, s, env, dir, n)
		if err != nil {
			return nil, err
		}
		wc, err := wholeCase1(ctx, c, s, env, dir, n, clients)
		holder.stop()
		if err != nil {
			return nil, err
		}
		out = append(out, wc)
		// Let the server retire the held sessions before the next count.
		time.Sleep(2 * time.Second)
	}
	return out, nil
}

func holdSessions(ctx context.Context, c *config, s *server, env []string, dir string, n int) (*background, error) {
	logPath := filepath.Join(dir, fmt.Sprintf("hold-%d.log", n))
	// The holder keeps its sessions until its standard input closes; a
	// pipe whose write end we never write keeps it open until stop.
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	b, err := startBackground("holdsessions", env, logPath, r, filepath.Join(c.bin, "holdsessions"),
		"-addr", s.addr(), "-n", strconv.Itoa(n), "-conns", "8", "-user", s.user, "-domain", s.domain)
	r.Close()
	if err != nil {
		w.Close()
		return nil, err
	}
	go func() { <-b.done; w.Close() }()
	if err := waitLine(ctx, b, logPath, "ready", 5*time.Minute); err != nil {
		b.stop()
		return nil, err
	}
	return b, nil
}

func wholeCase1(ctx context.Context, c *config, s *server, env []string, dir string, n int, clients []client) (wholeCase, error) {
	wc := wholeCase{server: s.name, n: n}
	for _, cl := range clients {
		wc.clients = append(wc.clients, clientResult{name: cl.name, command: displayCommand(cl.argv)})
	}
	// Peak RSS, and a check that every client sees the sessions. These
	// runs also warm the server up (smbd's first pipe open is slow).
	for i, cl := range clients {
		var rss []int64
		for range c.rssRuns {
			m, err := measure(ctx, env, cl.argv[0], cl.argv[1:]...)
			if err != nil {
				return wc, fmt.Errorf("%s against %s: %w", cl.name, s.name, err)
			}
			rss = append(rss, m.rssKB)
			wc.clients[i].entries = cl.entries(m.stdout)
		}
		slices.Sort(rss)
		wc.clients[i].rssKB = rss[len(rss)/2]
		if e := wc.clients[i].entries; e < n {
			return wc, fmt.Errorf("%s against %s saw %d sessions, want at least %d", cl.name, s.name, e, n)
		}
	}
	// Round trips, one captured run per client.
	for i, cl := range clients {
		sum, err := captureRoundTrips(ctx, env, dir, s.port, cl.argv)
		if err != nil {
			return wc, fmt.Errorf("round trips of %s: %w", cl.name, err)
		}
		wc.clients[i].rt = sum
	}
	// Wall time, all clients in one hyperfine run.
	logf("%s, %d sessions: hyperfine", s.name, n)
	res, err := hyperfine(ctx, c, env, dir, fmt.Sprintf("hf-%d-%d.json", s.port, n), clients)
	if err != nil {
		return wc, err
	}
	for i := range clients {
		r := res[i]
		wc.clients[i].median = seconds(r.Median)
		wc.clients[i].mean = seconds(r.Mean)
		wc.clients[i].stddev = seconds(r.Stddev)
		wc.clients[i].min = seconds(r.Min)
		wc.clients[i].userSys = seconds(r.User + r.System)
	}
	return wc, nil
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

type hfResult struct {
	Command string  `json:"command"`
	Mean    float64 `json:"mean"`
	Stddev  float64 `json:"stddev"`
	Median  float64 `json:"median"`
	User    float64 `json:"user"`
	System  float64 `json:"system"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
}

func hyperfine(ctx context.Context, c *config, env []string, dir, name string, clients []client) ([]hfResult, error) {
	path := filepath.Join(dir, name)
	args := []string{"--warmup", strconv.Itoa(c.warmup), "--runs", strconv.Itoa(c.runs),
		"--style", "basic", "--export-json", path}
	for _, cl := range clients {
		args = append(args, "-n", cl.name, shellQuote(cl.argv))
	}
	cmd := exec.CommandContext(ctx, "hyperfine", args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("hyperfine: %w", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Results []hfResult `json:"results"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("hyperfine JSON: %w", err)
	}
	if len(doc.Results) != len(clients) {
		return nil, fmt.Errorf("hyperfine reported %d results for %d commands", len(doc.Results), len(clients))
	}
	return doc.Results, nil
}

// captureRoundTrips runs argv once while tcpdump captures the loopback
// port, and counts the round trips of the connections the run opened.
func captureRoundTrips(ctx context.Context, env []string, dir string, port int, argv []string) (pcap.Summary, error) {
	file := filepath.Join(dir, fmt.Sprintf("cap-%d-%d.pcap", port, time.Now().UnixNano()))
	logPath := file + ".log"
	// Headers are enough: the counter takes payload lengths from the IP
	// header. -U writes each packet as it comes, so nothing is lost when
	// tcpdump is stopped.
	td, err := startBackground("tcpdump", os.Environ(), logPath, nil, "tcpdump",
		"-i", "lo", "-n", "-Z", "root", "--immediate-mode", "-s", "160", "-U", "-w", file, "tcp port "+strconv.Itoa(port))
	if err != nil {
		return pcap.Summary{}, err
	}
	defer td.stop()
	if err := waitLine(ctx, td, logPath, "tcpdump: listening on", 10*time.Second); err != nil {
		return pcap.Summary{}, err
	}
	if _, err := measure(ctx, env, argv[0], argv[1:]...); err != nil {
		return pcap.Summary{}, err
	}
	time.Sleep(300 * time.Millisecond) // the last packets reach the capture
	td.stop()
	f, err := os.Open(file)
	if err != nil {
		return pcap.Summary{}, err
	}
	defer f.Close()
	conns, err := pcap.CountFile(f, uint16(port))
	if err != nil {
		return pcap.Summary{}, err
	}
	if len(conns) == 0 {
		st, _ := os.Stat(file)
		log, _ := os.ReadFile(logPath)
		return pcap.Summary{}, fmt.Errorf("no connection to port %d in the capture (%d bytes): %s", port, st.Size(), log)
	}
	return pcap.Summarize(conns), nil
}

var (
	reJSONEntry = regexp.MustCompile(`"cname"`)
	reRpcclient = regexp.MustCompile(`Received (\d+) entries`)
	reImpacket  = regexp.MustCompile(`entries (\d+)`)
)

func countJSON(b []byte) int { return len(reJSONEntry.FindAllIndex(b, -1)) }

func countRpcclient(b []byte) int { return lastInt(reRpcclient, b) }

func countImpacket(b []byte) int { return lastInt(reImpacket, b) }

func lastInt(re *regexp.Regexp, b []byte) int {
	m := re.FindAllSubmatch(b, -1)
	if len(m) == 0 {
		return -1
	}
	n, _ := strconv.Atoi(string(m[len(m)-1][1]))
	return n
}

// shellQuote makes one shell command line of argv for hyperfine.
func shellQuote(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,") == "" {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}

// displayCommand is argv for the report, with scratch paths shortened.
func displayCommand(argv []string) string {
	d := make([]string, len(argv))
	for i, a := range argv {
		if filepath.IsAbs(a) && strings.Contains(a, "lanman-") {
			a = filepath.Base(a)
		}
		if strings.HasSuffix(a, "impacket_netsessenum.py") {
			a = "bench/impacket_netsessenum.py"
		}
		d[i] = a
	}
	return shellQuote(d)
}
