package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
	"github.com/lanman/lanman/workstation"
)

func init() {
	register(verb{name: "use", summary: "list, make and delete uses (connections to shares), as net use", run: runUse})
}

// useRow is one use as `lanman use` prints it: USE_INFO_2's members
// without their prefix. Status and type are names, not numbers, so that
// both people and scripts can read them.
type useRow struct {
	Local      string `json:"local"`
	Remote     string `json:"remote"`
	Status     string `json:"status"`
	AsgType    string `json:"asg_type"`
	RefCount   uint32 `json:"refcount"`
	UseCount   uint32 `json:"usecount"`
	UserName   string `json:"username"`
	DomainName string `json:"domainname"`
}

// statusName is the wording of `net use`.
func statusName(s uint32) string {
	switch s {
	case wkst.USE_OK:
		return "OK"
	case wkst.USE_PAUSED:
		return "Paused"
	case wkst.USE_SESSLOST:
		return "Disconnected"
	case wkst.USE_NETERR:
		return "Network error"
	case wkst.USE_CONN:
		return "Connecting"
	case wkst.USE_RECONN:
		return "Reconnecting"
	}
	return fmt.Sprintf("status %d", s)
}

func asgName(t uint32) string {
	switch t {
	case wkst.USE_DISKDEV:
		return "disk"
	case wkst.USE_SPOOLDEV:
		return "printer"
	case wkst.USE_CHARDEV:
		return "serial"
	case wkst.USE_IPC:
		return "ipc"
	case wkst.USE_WILDCARD:
		return "any"
	}
	return fmt.Sprintf("type %d", t)
}

func parseAsg(s string) (uint32, error) {
	switch strings.ToLower(s) {
	case "", "any", "wildcard":
		return wkst.USE_WILDCARD, nil
	case "disk":
		return wkst.USE_DISKDEV, nil
	case "printer", "print":
		return wkst.USE_SPOOLDEV, nil
	case "ipc":
		return wkst.USE_IPC, nil
	}
	return 0, usageError("--type %q: want disk, printer, ipc or any", s)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func isRemoteName(s string) bool {
	return strings.HasPrefix(s, `\\`) || strings.HasPrefix(s, "//")
}

// uses is where `lanman use` adds, lists and deletes: the Workstation
// service on Unix (*workstation.Client), netapi32 on Windows.
type uses interface {
	UseAdd(ctx context.Context, p workstation.UseParams) error
	UseDel(ctx context.Context, name string, force uint32) error
	UseEnum(ctx context.Context, prefMax uint32) ([]wkst.UseInfo2, error)
	Close() error
}

func runUse(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("use", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	userFlag := fs.String("U", "", "[DOMAIN\\]user[%password] to connect as (default $LANMAN_USER; none: the session the service already has with the server, or anonymous)")
	passwordFile := fs.String("password-file", "", "read the password from the first line of this file")
	anonymous := fs.Bool("anonymous", false, "connect with a null session")
	asgType := fs.String("type", "", "resource type: disk, printer, ipc (default: the share's)")
	del := fs.Bool("delete", false, "delete the use named LOCAL or \\\\server\\share")
	force := fs.Bool("force", false, "with --delete: close open files (USE_FORCE)")
	lotsOfForce := fs.Bool("lots-of-force", false, "with --delete: close open files and delete even a shared use (USE_LOTS_OF_FORCE)")
	jsonOut := fs.Bool("json", false, "list as JSON")
	csvOut := fs.Bool("csv", false, "list as CSV")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: lanman use                                  list uses\n       lanman use [LOCAL] \\\\server\\share [-U user]  make a use\n       lanman use NAME --delete [--force | --lots-of-force]")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *del:
		if len(pos) != 1 {
			return usageError("--delete takes one use name")
		}
		if *force && *lotsOfForce {
			return usageError("--force and --lots-of-force exclude each other")
		}
		level := wkst.USE_NOFORCE
		if *force {
			level = wkst.USE_FORCE
		}
		if *lotsOfForce {
			level = wkst.USE_LOTS_OF_FORCE
		}
		c, err := openUses(ctx, e, false)
		if errors.Is(err, win32.NERR_WkstaNotStarted) {
			// No service, no uses.
			return fmt.Errorf("%s: %w", pos[0], win32.NERR_UseNotFound)
		}
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.UseDel(ctx, pos[0], level); err != nil {
			if errors.Is(err, win32.ERROR_DEVICE_IN_USE) {
				return fmt.Errorf("%s has open files; use --force to close them: %w", pos[0], err)
			}
			return err
		}
		fmt.Fprintf(e.stdout, "%s was deleted successfully.\n", pos[0])
		return nil

	case len(pos) == 0:
		f := formatTable
		if *jsonOut {
			f = formatJSON
		} else if *csvOut {
			f = formatCSV
		}
		c, err := openUses(ctx, e, false)
		var uses []wkst.UseInfo2
		if err == nil {
			defer c.Close()
			uses, err = c.UseEnum(ctx, 0)
		}
		if err != nil && !errors.Is(err, win32.NERR_WkstaNotStarted) {
			return err
		}
		rows := make([]useRow, 0, len(uses))
		for _, u := range uses {
			rows = append(rows, useRow{
				Local: u.Local, Remote: u.Remote, Status: statusName(u.Status), AsgType: asgName(u.AsgType),
				RefCount: u.RefCount, UseCount: u.UseCount, UserName: deref(u.UserName), DomainName: deref(u.DomainName),
			})
		}
		if f == formatTable && len(rows) == 0 {
			fmt.Fprintln(e.stdout, "There are no entries in the list.")
			return nil
		}
		return writeRows(e.stdout, f, rows)

	case len(pos) <= 2:
		var p workstation.UseParams
		if len(pos) == 2 {
			p.Local, p.Remote = pos[0], pos[1]
		} else {
			p.Remote = pos[0]
		}
		if !isRemoteName(p.Remote) {
			return usageError(`%q is not a remote name (\\server\share); to delete a use add --delete`, p.Remote)
		}
		if p.AsgType, err = parseAsg(*asgType); err != nil {
			return err
		}
		if p.Local != "" && p.AsgType == wkst.USE_WILDCARD {
			p.AsgType = wkst.USE_DISKDEV // a named use is a disk unless told otherwise
		}
		switch {
		case *anonymous:
			if *userFlag != "" {
				return usageError("--anonymous and -U exclude each other")
			}
			p.Creds = &workstation.Credentials{}
		case *userFlag != "" || e.getenv("LANMAN_USER") != "":
			cr, err := credSources{userFlag: *userFlag, passwordFile: *passwordFile, getenv: e.getenv, prompt: e.prompt}.resolve()
			if err != nil {
				return err
			}
			p.Creds = &workstation.Credentials{User: cr.User, Domain: cr.Domain, Password: cr.Secret}
		}
		c, err := openUses(ctx, e, true)
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.UseAdd(ctx, p); err != nil {
			return err
		}
		name := p.Local
		if name == "" {
			name = p.Remote
		}
		fmt.Fprintf(e.stdout, "%s is now connected to %s.\n", name, p.Remote)
		return nil
	}
	return usageError("too many arguments")
}
