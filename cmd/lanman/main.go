// Command lanman is the LAN Manager network-management tool: net-style
// verbs over lanman's client (session, conn, file, share, loggedon), its
// server (server, demo) and its workstation (use, workstation, ls, cat, cp).
//
// Every verb takes its flags before or after its arguments. Exit status is
// 0 on success, 1 when the operation failed (the error is printed with its
// name and number), and 2 for a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// verb is one subcommand. run gets the arguments after the verb name.
type verb struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a verb may touch of the process, so tests can run verbs
// in-process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	prompt         func(string) (string, error) // nil when not on a terminal
}

var verbs = map[string]verb{}

// register adds a verb; each verb's file calls it from init.
func register(v verb) {
	if _, dup := verbs[v.name]; dup {
		panic("lanman: verb registered twice: " + v.name)
	}
	verbs[v.name] = v
}

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")

func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, prompt: terminalPrompt()}
	code := runMain(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

func runMain(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	v, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "lanman: unknown command %q (see lanman help)\n", args[0])
		return 2
	}
	err := v.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(e.stderr, "lanman %s: %v\n", v.name, err)
		return 2
	default:
		fmt.Fprintf(e.stderr, "lanman %s: %v\n", v.name, err)
		return 1
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "usage: lanman COMMAND [ARGS] [FLAGS]\n\ncommands:")
	names := make([]string, 0, len(verbs))
	for n := range verbs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, verbs[n].summary)
	}
	fmt.Fprintln(w, "\nRun lanman COMMAND -h for a command's flags.")
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments, as net-style commands are typed
// ("lanman session host --level 1").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
