//go:build unix

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/workstation"
)

func init() {
	register(verb{name: "workstation", summary: "the local Workstation service: serve, stop, status", run: runWorkstation})
}

// wsDir is the socket directory of the user's Workstation service, read
// through the verb's environment.
func wsDir(e *env) string { return workstation.SocketDirEnv(e.getenv) }

// dialService connects to the running service; with start set, it starts
// one first when none runs, as gpg-agent is started on demand.
func dialService(ctx context.Context, e *env, start bool) (*workstation.Client, error) {
	dir := wsDir(e)
	if !start {
		return workstation.Dial(ctx, dir)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the lanman binary to start the service: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	return workstation.Spawn(ctx, dir, exe, "workstation", "serve")
}

func runWorkstation(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("workstation", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	verbose := fs.Bool("v", false, "serve: log to standard error")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: lanman workstation serve|stop|status [-v]")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("want one of serve, stop, status")
	}
	switch pos[0] {
	case "serve":
		var h slog.Handler = slog.DiscardHandler
		if *verbose {
			h = slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo})
		}
		log := slog.New(h)
		err := workstation.ListenAndServe(ctx, workstation.ServiceConfig{Dir: wsDir(e), Logger: log})
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	case "stop":
		c, err := dialService(ctx, e, false)
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.Stop(ctx); err != nil {
			return err
		}
		// Wait until the socket is gone, so that a following command does
		// not reach the service on its way out.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			c2, err := workstation.Dial(ctx, wsDir(e))
			if errors.Is(err, win32.NERR_WkstaNotStarted) {
				fmt.Fprintln(e.stdout, "The Workstation service was stopped.")
				return nil
			}
			if c2 != nil {
				c2.Close()
			}
			time.Sleep(20 * time.Millisecond)
		}
		return errors.New("the Workstation service did not stop within 10s")
	case "status":
		c, err := dialService(ctx, e, false)
		if err != nil {
			return err
		}
		defer c.Close()
		info, err := c.WkstaGetInfo(ctx, 100)
		if err != nil {
			return err
		}
		uses, err := c.UseEnum(ctx, 0)
		if err != nil {
			return err
		}
		w := info.WkstaInfo100
		if w == nil {
			return errors.New("NetrWkstaGetInfo returned no information")
		}
		return writeStatus(e.stdout, w.ComputerName, w.LanGroup, wsDir(e), len(uses))
	}
	return usageError("unknown workstation command %q (want serve, stop, status)", pos[0])
}

func writeStatus(w io.Writer, computer, group, dir string, uses int) error {
	_, err := fmt.Fprintf(w, "The Workstation service is running.\nComputer name  %s\nWorkgroup      %s\nSocket         %s\nUses           %d\n", computer, group, dir, uses)
	return err
}
