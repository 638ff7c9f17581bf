package server

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/srvs"
)

// The idle-session benchmark runs its clients in a child process (this
// test binary, re-executed) so that only the server's memory is measured.
const benchClientEnv = "LANMAN_BENCH_CLIENT"

func TestMain(m *testing.M) {
	if spec := os.Getenv(benchClientEnv); spec != "" {
		os.Exit(benchClient(spec))
	}
	os.Exit(m.Run())
}

// benchClient opens n logged-on sessions (one connection each) to addr,
// says "ready", and holds them until stdin closes.
func benchClient(spec string) int {
	addr, ns, _ := strings.Cut(spec, ",")
	n, _ := strconv.Atoi(ns)
	tb := &testing.B{}
	clients := make([]*testClient, 0, n)
	sem := make(chan struct{}, 64)
	errc := make(chan error, n)
	res := make(chan *testClient, n)
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			c, err := dialTestClientOpts(tb, addr, testUser, testUserPW, nil)
			if err != nil {
				errc <- err
				return
			}
			res <- c
		}()
	}
	for len(clients) < n {
		select {
		case c := <-res:
			clients = append(clients, c)
		case err := <-errc:
			fmt.Println("error:", err)
			return 1
		}
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	return 0
}

func serverMemory() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse + ms.StackInuse
}

// BenchmarkIdleSessions reports the server's memory per idle
// authenticated session (heap and goroutine stacks, after GC), with 1,000
// and 10,000 sessions held by a client process. Run with -benchtime=1x.
func BenchmarkIdleSessions(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchIdleSessions(b, n)
			}
		})
	}
}

func benchIdleSessions(b *testing.B, n int) {
	ts := startServer(b, func(c *Config) {
		c.Logger = nil
		c.Limits = Limits{MaxSessions: n + 10, MaxConns: n + 10, MaxConnsPerClient: n + 10}
	})
	before := serverMemory()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchClientEnv+"="+ts.addr+","+strconv.Itoa(n))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		b.Fatalf("client: %q", line)
	}
	deadline := time.Now().Add(time.Minute)
	for ts.tables.sessions.len() < n {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d sessions", ts.tables.sessions.len(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Let the connection goroutines settle into their idle Read.
	time.Sleep(200 * time.Millisecond)
	after := serverMemory()
	b.ReportMetric(float64(after-before)/float64(n), "bytes/session")
	b.ReportMetric(0, "ns/op")
}

// fillSessions puts n authenticated-looking sessions in the tables, each
// on its own connection record, as n clients would leave them.
func fillSessions(s *Server, n int) []*liveSession {
	out := make([]*liveSession, n)
	for i := 0; i < n; i++ {
		c := newConn(s, nil, fmt.Sprintf("10.0.%d.%d", i/250, i%250+1))
		ls := &liveSession{id: newID(&s.tables.nextSession), conn: c, user: fmt.Sprintf("user%d", i%50), domain: "LANMAN", clientName: "WS"}
		c.register(ls)
		out[i] = ls
	}
	return out
}

// fillTrees gives each session a tree connect to share and, in it, an
// open of a file: what NetrConnectionEnum and NetrFileEnum walk.
func fillTrees(s *Server, sessions []*liveSession, share string) {
	sh, _ := s.share(share)
	now := time.Now().UnixNano()
	for i, ls := range sessions {
		t := &liveTree{id: newID(&s.tables.nextTree), sess: ls, share: sh, start: now, maxAccess: fileAllAccess}
		s.tables.trees.add(t)
		o := &liveOpen{id: newID(&s.tables.nextOpen), tree: t, path: fmt.Sprintf(`%s\project\file%05d.docx`, sh.abs, i),
			access: fileReadData | fileWriteData}
		s.tables.opens.add(o)
	}
}

// benchServer is a server with 10,000 sessions, each with a tree connect
// to the share "data" holding one open file.
func benchServer(b *testing.B) *Server {
	users, _ := ParseUsers(strings.NewReader(testUsersFile))
	s, err := New(Config{Users: users, Shares: []Share{{Name: "data", Path: b.TempDir(), Comment: "department files"}}})
	if err != nil {
		b.Fatal(err)
	}
	fillTrees(s, fillSessions(s, 10000), "data")
	return s
}

// benchEnum times one srvsvc handler answering req: decoding the request,
// walking the tables, and encoding the reply. It reports the reply's
// size, so that B/op can be read against it.
func benchEnum(b *testing.B, h func(context.Context, *dcerpc.Call) ([]byte, error), req srvs.Message, opnum uint16, minLen int) {
	call := &dcerpc.Call{Opnum: opnum, Stub: srvs.Marshal(req), Identity: gss.Identity{User: "alice", Admin: true}}
	ctx := context.Background()
	out, err := h(ctx, call)
	if err != nil || len(out) < minLen {
		b.Fatalf("%d bytes, %v", len(out), err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err = h(ctx, call)
		if err != nil || len(out) < minLen {
			b.Fatalf("%d bytes, %v", len(out), err)
		}
	}
	b.ReportMetric(float64(len(out)), "stub-bytes")
}

// BenchmarkSessionEnum502 times a level-502 NetrSessionEnum over 10,000
// sessions.
func BenchmarkSessionEnum502(b *testing.B) {
	s := benchServer(b)
	req := &srvs.NetrSessionEnumRequest{InfoStruct: srvs.SessionEnum{Level: 502}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}
	benchEnum(b, s.netrSessionEnum, req, srvs.OpNetrSessionEnum, 10000*32)
}

// BenchmarkConnectionEnum1 times a level-1 NetrConnectionEnum of a share
// with 10,000 tree connects.
func BenchmarkConnectionEnum1(b *testing.B) {
	s := benchServer(b)
	req := &srvs.NetrConnectionEnumRequest{Qualifier: "data", InfoStruct: srvs.ConnectEnum{Level: 1}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}
	benchEnum(b, s.netrConnectionEnum, req, srvs.OpNetrConnectionEnum, 10000*28)
}

// BenchmarkFileEnum3 times a level-3 NetrFileEnum over 10,000 opens.
func BenchmarkFileEnum3(b *testing.B) {
	s := benchServer(b)
	req := &srvs.NetrFileEnumRequest{InfoStruct: srvs.FileEnum{Level: 3}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}
	benchEnum(b, s.netrFileEnum, req, srvs.OpNetrFileEnum, 10000*20)
}

// BenchmarkShareEnum502 times a level-502 NetrShareEnum, whose
// CurrentUses counts the 10,000 tree connects.
func BenchmarkShareEnum502(b *testing.B) {
	s := benchServer(b)
	req := &srvs.NetrShareEnumRequest{InfoStruct: srvs.ShareEnum{Level: 502}, PreferedMaximumLength: srvs.MAX_PREFERRED_LENGTH}
	benchEnum(b, s.netrShareEnum, req, srvs.OpNetrShareEnum, 2*40)
}
