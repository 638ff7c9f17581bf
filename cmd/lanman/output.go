package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"text/tabwriter"
)

// format is how rows are printed.
type format int

const (
	formatTable format = iota
	formatJSON
	formatCSV
	formatJSONL
)

// column is one field of a row type, named by its JSON tag: the Win32
// member name without its level prefix (sesi502_cname is "cname").
type column struct {
	name  string
	index []int
}

func columnsOf(t reflect.Type) []column {
	var cols []column
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		cols = append(cols, column{name: name, index: f.Index})
	}
	return cols
}

func cell(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return fmt.Sprintf("%x", v.Bytes())
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ""
		}
		return cell(v.Elem())
	}
	return fmt.Sprint(v.Interface())
}

// writeRows prints a slice of structs (rows) in the chosen format. In a
// table, the optional prefix columns (the server a row came from in a
// fleet run) come first; fleet runs stream the other formats themselves.
func writeRows(w io.Writer, f format, rows any, prefix ...[2]string) error {
	v := reflect.ValueOf(rows)
	if v.Kind() != reflect.Slice {
		return fmt.Errorf("internal: rows of kind %s", v.Kind())
	}
	t := v.Type().Elem()
	cols := columnsOf(t)
	switch f {
	case formatJSON:
		if v.Len() == 0 {
			_, err := io.WriteString(w, "[]\n")
			return err
		}
		b, err := json.MarshalIndent(rows, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	case formatJSONL:
		enc := json.NewEncoder(w)
		for i := 0; i < v.Len(); i++ {
			if err := enc.Encode(v.Index(i).Interface()); err != nil {
				return err
			}
		}
		return nil
	case formatCSV:
		cw := csv.NewWriter(w)
		header := make([]string, 0, len(cols))
		for _, c := range cols {
			header = append(header, c.name)
		}
		cw.Write(header)
		for i := 0; i < v.Len(); i++ {
			rec := make([]string, 0, len(header))
			for _, c := range cols {
				rec = append(rec, cell(v.Index(i).FieldByIndex(c.index)))
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	default:
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		var hdr []string
		for _, p := range prefix {
			hdr = append(hdr, strings.ToUpper(p[0]))
		}
		for _, c := range cols {
			hdr = append(hdr, strings.ToUpper(c.name))
		}
		fmt.Fprintln(tw, strings.Join(hdr, "\t"))
		for i := 0; i < v.Len(); i++ {
			var rec []string
			for _, p := range prefix {
				rec = append(rec, p[1])
			}
			for _, c := range cols {
				rec = append(rec, cell(v.Index(i).FieldByIndex(c.index)))
			}
			fmt.Fprintln(tw, strings.Join(rec, "\t"))
		}
		return tw.Flush()
	}
}
