package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// fleetFlags choose the targets and the output of an enumeration verb.
type fleetFlags struct {
	targetsFile string
	concurrency int
	json, csv   bool
	jsonl       bool
	cidr        bool // a CIDR range was given: this is a fleet run
}

// maxTargets bounds what one run expands to (a /16 is 65,536 hosts).
const maxTargets = 1 << 16

func (f *fleetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.targetsFile, "targets", "", "read more servers from this file, one a line (# comments); - is standard input")
	fs.IntVar(&f.concurrency, "concurrency", 64, "servers asked at once in a fleet run")
	fs.BoolVar(&f.json, "json", false, "print a JSON array")
	fs.BoolVar(&f.csv, "csv", false, "print CSV with a header line")
	fs.BoolVar(&f.jsonl, "jsonl", false, "print one JSON object a line (JSON Lines), streamed")
}

func (f *fleetFlags) format() (format, error) {
	n := 0
	out := formatTable
	for _, c := range []struct {
		on bool
		f  format
	}{{f.json, formatJSON}, {f.csv, formatCSV}, {f.jsonl, formatJSONL}} {
		if c.on {
			n++
			out = c.f
		}
	}
	if n > 1 {
		return 0, usageError("--json, --csv and --jsonl exclude each other")
	}
	return out, nil
}

// fleet says whether rows need the server they came from.
func (f *fleetFlags) fleet() bool { return f.targetsFile != "" || f.cidr }

// targets expands the positional servers, CIDR ranges among them, and the
// targets file.
func (f *fleetFlags) targets(pos []string) ([]string, error) {
	var out []string
	add := func(s string) error {
		if p, err := netip.ParsePrefix(s); err == nil {
			f.cidr = true
			p = p.Masked()
			if bits := p.Addr().BitLen() - p.Bits(); bits > 16 {
				return usageError("%s: more than %d addresses", s, maxTargets)
			}
			for a := p.Addr(); p.Contains(a); a = a.Next() {
				// Skip the network and broadcast addresses of IPv4
				// ranges larger than a /31.
				if a.Is4() && p.Bits() < 31 && (a == p.Addr() || !p.Contains(a.Next())) {
					continue
				}
				out = append(out, a.String())
			}
		} else {
			out = append(out, s)
		}
		if len(out) > maxTargets {
			return usageError("more than %d targets", maxTargets)
		}
		return nil
	}
	for _, s := range pos {
		if err := add(s); err != nil {
			return nil, err
		}
	}
	if f.targetsFile != "" {
		var r io.Reader
		if f.targetsFile == "-" {
			r = os.Stdin
		} else {
			fh, err := os.Open(f.targetsFile)
			if err != nil {
				return nil, err
			}
			defer fh.Close()
			r = fh
		}
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			for _, s := range strings.Fields(line) {
				if err := add(s); err != nil {
					return nil, err
				}
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("--targets: %w", err)
		}
	}
	if f.concurrency < 1 {
		return nil, usageError("--concurrency must be at least 1")
	}
	return out, nil
}

// errSomeFailed is the exit error of a fleet run in which some servers
// failed; their errors are rows of the output.
var errSomeFailed = errors.New("some servers failed (see the error rows)")

// runFleet asks every target with bounded concurrency and prints one
// stream of rows, each with the server it came from; a server's failure
// is a row too. JSON Lines and CSV are written as answers arrive, so
// memory stays flat however many targets there are.
func runFleet(ctx context.Context, e *env, fl fleetFlags, out format, targets []string,
	query func(ctx context.Context, server string) (any, error)) error {
	type result struct {
		server string
		rows   any
		err    error
	}
	results := make(chan result, fl.concurrency)
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(fl.concurrency, len(targets))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(targets) || ctx.Err() != nil {
					return
				}
				rows, err := query(ctx, targets[i])
				results <- result{targets[i], rows, err}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	w := newFleetWriter(e.stdout, out)
	progress := newProgress(e.stderr, len(targets))
	failed := 0
	for r := range results {
		progress.step()
		if r.err != nil {
			failed++
			w.fail(r.server, r.err)
			continue
		}
		if err := w.rows(r.server, r.rows); err != nil {
			return err
		}
	}
	progress.done()
	if err := w.close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d: %w", failed, len(targets), errSomeFailed)
	}
	return nil
}

// fleetWriter prints rows prefixed by server and error columns.
type fleetWriter struct {
	w      io.Writer
	f      format
	enc    *json.Encoder
	cw     *csv.Writer
	header bool
	first  bool
	// table output needs all rows for its widths
	table []tableRow
}

type tableRow struct {
	server string
	err    string
	rows   any
}

func newFleetWriter(w io.Writer, f format) *fleetWriter {
	fw := &fleetWriter{w: w, f: f, first: true}
	switch f {
	case formatJSONL, formatJSON:
		fw.enc = json.NewEncoder(w)
	case formatCSV:
		fw.cw = csv.NewWriter(w)
	}
	return fw
}

func (fw *fleetWriter) object(m map[string]any) error {
	if fw.f == formatJSON {
		sep := ",\n"
		if fw.first {
			sep = "[\n"
		}
		if _, err := io.WriteString(fw.w, sep); err != nil {
			return err
		}
		fw.first = false
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		_, err = fw.w.Write(b)
		return err
	}
	return fw.enc.Encode(m)
}

func (fw *fleetWriter) rows(server string, rows any) error {
	v := reflect.ValueOf(rows)
	switch fw.f {
	case formatTable:
		fw.table = append(fw.table, tableRow{server: server, rows: rows})
		return nil
	case formatCSV:
		cols := columnsOf(v.Type().Elem())
		if !fw.header {
			// One header for the whole run: every server answers the
			// same verb at the same level, so the columns agree.
			h := []string{"server", "error"}
			for _, c := range cols {
				h = append(h, c.name)
			}
			fw.cw.Write(h)
			fw.header = true
		}
		for i := 0; i < v.Len(); i++ {
			rec := []string{server, ""}
			for _, c := range cols {
				rec = append(rec, cell(v.Index(i).FieldByIndex(c.index)))
			}
			fw.cw.Write(rec)
		}
		fw.cw.Flush()
		return fw.cw.Error()
	default:
		cols := columnsOf(v.Type().Elem())
		for i := 0; i < v.Len(); i++ {
			m := map[string]any{"server": server}
			for _, c := range cols {
				m[c.name] = v.Index(i).FieldByIndex(c.index).Interface()
			}
			if err := fw.object(m); err != nil {
				return err
			}
		}
		return nil
	}
}

func (fw *fleetWriter) fail(server string, err error) {
	switch fw.f {
	case formatTable:
		fw.table = append(fw.table, tableRow{server: server, err: err.Error()})
	case formatCSV:
		// The header may not be known yet; errors carry their own.
		if !fw.header {
			fw.cw.Write([]string{"server", "error"})
			fw.header = true
		}
		fw.cw.Write([]string{server, err.Error()})
		fw.cw.Flush()
	default:
		fw.object(map[string]any{"server": server, "error": err.Error()})
	}
}

func (fw *fleetWriter) close() error {
	switch fw.f {
	case formatJSON:
		end := "\n]\n"
		if fw.first {
			end = "[]\n"
		}
		_, err := io.WriteString(fw.w, end)
		return err
	case formatTable:
		for _, t := range fw.table {
			if t.err != "" {
				if _, err := fmt.Fprintf(fw.w, "%s: error: %s\n", t.server, t.err); err != nil {
					return err
				}
			}
		}
		for _, t := range fw.table {
			if t.err == "" && reflect.ValueOf(t.rows).Len() > 0 {
				if err := writeRows(fw.w, formatTable, t.rows, [2]string{"server", t.server}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// progress draws "n/total" on a terminal's stderr; on anything else it
// draws nothing, so piped output stays clean.
type progress struct {
	w     io.Writer
	total int
	n     int
	last  time.Time
	on    bool
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) && total > 1 {
		p.on = true
	}
	return p
}

func (p *progress) step() {
	p.n++
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && p.n < p.total) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * p.n / p.total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.n, p.total)
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
