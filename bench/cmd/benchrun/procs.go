//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// measured is one finished process.
type measured struct {
	wall   time.Duration
	rssKB  int64 // peak resident set of the process or any child it waited for
	stdout []byte
}

// measure runs a command to completion and returns its wall time and its
// peak RSS as the kernel accounts it (wait4's ru_maxrss covers the
// process and the descendants it reaped, so for a shell loop it is the
// largest single process).
func measure(ctx context.Context, env []string, name string, args ...string) (measured, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	m := measured{wall: time.Since(t0), stdout: out.Bytes()}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.rssKB = ru.Maxrss
		}
	}
	if err != nil {
		return m, fmt.Errorf("%s: %w: %s", name, err, tail(errb.String()+out.String(), 600))
	}
	return m, nil
}

// background is a long-running process the benchmark started; stop ends
// it (and only it, with its process group).
type background struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	log  *os.File
}

func startBackground(name string, env []string, logPath string, stdin io.Reader, prog string, args ...string) (*background, error) {
	cmd := exec.Command(prog, args...)
	cmd.Env = env
	cmd.Stdin = stdin
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	b := &background{name: name, cmd: cmd, done: make(chan struct{}), log: log}
	go func() { cmd.Wait(); log.Close(); close(b.done) }()
	return b, nil
}

func (b *background) exited() bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

func (b *background) stop() {
	if b == nil || b.exited() {
		return
	}
	pgid := b.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-b.done
	}
}

// waitTCP waits until addr accepts connections, or b exits, or ctx ends.
func waitTCP(ctx context.Context, b *background, dial func(ctx context.Context) (net.Conn, error), logPath string) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		dctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		c, err := dial(dctx)
		cancel()
		if err == nil {
			c.Close()
			return nil
		}
		if b.exited() {
			out, _ := os.ReadFile(logPath)
			return fmt.Errorf("%s exited at start: %s", b.name, tail(string(out), 800))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not listen within 20s", b.name)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitLine waits until the log file of b holds a line starting with
// prefix.
func waitLine(ctx context.Context, b *background, logPath, prefix string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		if f, err := os.Open(logPath); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), prefix) {
					f.Close()
					return nil
				}
			}
			f.Close()
		}
		if b.exited() {
			out, _ := os.ReadFile(logPath)
			return fmt.Errorf("%s exited: %s", b.name, tail(string(out), 800))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %q not seen within %v", b.name, prefix, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// output runs a short command and returns its trimmed standard output, or
// "" when it fails (used for versions of tools).
func output(ctx context.Context, name string, args ...string) string {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil && len(out) == 0 {
		return ""
	}
	return strings.TrimSpace(string(out))
}

var errNoTool = errors.New("tool not installed")

func need(tools ...string) error {
	for _, t := range tools {
		if _, err := exec.LookPath(t); err != nil {
			return fmt.Errorf("%s: %w (bench/run installs it with apt-get)", t, errNoTool)
		}
	}
	return nil
}
