package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// credentials is who the CLI authenticates as. The secret is either a
// password or, with --nt-hash, the hex NT hash (pass-the-hash).
type credentials struct {
	Domain   string
	User     string
	Secret   string
	IsNTHash bool
}

// credSources are the places a secret may come from, in order of
// precedence: -U's %password, --password-file, $LANMAN_PASSWORD, and a
// prompt on the terminal. Nothing here ever prints the secret.
type credSources struct {
	userFlag     string // -U [DOMAIN\]user[%password]
	passwordFile string
	ntHash       bool
	getenv       func(string) string
	prompt       func(string) (string, error) // nil when not on a terminal
}

var errNoPassword = errors.New("no password given: use LANMAN_PASSWORD, --password-file, or run on a terminal to be prompted")

func (s credSources) resolve() (credentials, error) {
	var c credentials
	spec := s.userFlag
	if spec == "" {
		spec = s.getenv("LANMAN_USER")
	}
	if i := strings.IndexByte(spec, '%'); i >= 0 {
		// Clone: the argument memory is overwritten next.
		spec, c.Secret = spec[:i], strings.Clone(spec[i+1:])
		if s.userFlag != "" {
			scrubArgs(c.Secret)
		}
	}
	// Samba's tools accept both DOMAIN\user and DOMAIN/user.
	if i := strings.IndexAny(spec, `\/`); i >= 0 {
		c.Domain, c.User = spec[:i], spec[i+1:]
	} else {
		c.User = spec
	}
	if c.Domain == "" {
		c.Domain = s.getenv("LANMAN_DOMAIN")
	}
	c.IsNTHash = s.ntHash
	if c.User == "" {
		return c, errors.New("no user given: use -U [DOMAIN\\]user or LANMAN_USER")
	}
	if c.Secret != "" {
		return c, nil
	}
	if s.passwordFile != "" {
		b, err := os.ReadFile(s.passwordFile)
		if err != nil {
			// The error names the file, never its content.
			return c, fmt.Errorf("password file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		c.Secret = strings.TrimRight(line, "\r")
		return c, nil
	}
	if p := s.getenv("LANMAN_PASSWORD"); p != "" {
		c.Secret = p
		return c, nil
	}
	if s.prompt != nil {
		what := "Password"
		if s.ntHash {
			what = "NT hash"
		}
		p, err := s.prompt(fmt.Sprintf("%s for %s: ", what, c.User))
		if err != nil {
			return c, fmt.Errorf("reading password: %w", err)
		}
		c.Secret = p
		return c, nil
	}
	return c, errNoPassword
}

// terminalPrompt reads a secret from the controlling terminal without
// echo, or returns nil when there is no terminal to ask on.
func terminalPrompt() func(string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		if !term.IsTerminal(int(os.Stdin.Fd())) {
			return nil
		}
		return func(msg string) (string, error) {
			fmt.Fprint(os.Stderr, msg)
			b, err := term.ReadPassword(int(os.Stdin.Fd()))
			fmt.Fprintln(os.Stderr)
			return string(b), err
		}
	}
	if !term.IsTerminal(int(tty.Fd())) {
		tty.Close()
		return nil
	}
	return func(msg string) (string, error) {
		defer tty.Close()
		fmt.Fprint(tty, msg)
		b, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(tty)
		if err != nil {
			// Without a raw-mode terminal, read a plain line.
			line, rerr := bufio.NewReader(tty).ReadString('\n')
			return strings.TrimRight(line, "\r\n"), rerr
		}
		return string(b), nil
	}
}
