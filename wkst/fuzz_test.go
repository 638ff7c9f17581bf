package wkst

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/ndr/ndrtest"
)

// fuzzMessage seeds f with the golden stubs whose name starts with name and
// checks that decoding never panics, fails only with ndr.ErrMalformed, and
// that whatever decodes re-encodes to a stub that decodes to the same value
// and encodes to the same bytes.
func fuzzMessage[T any, P interface {
	*T
	Message
}](f *testing.F, name string) {
	for n, stub := range ndrtest.ReadGolden(f, goldenFile) {
		if n == name || strings.HasPrefix(n, name+"_") {
			f.Add(stub)
		}
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m := P(new(T))
		if err := Unmarshal(b, m); err != nil {
			if !errors.Is(err, ndr.ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		enc := Marshal(m)
		m2 := P(new(T))
		if err := Unmarshal(enc, m2); err != nil {
			t.Fatalf("re-decoding our own encoding: %v\n%x", err, enc)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("decode(encode(m)) != m:\n%+v\n%+v", m, m2)
		}
		if enc2 := Marshal(m2); !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable:\n%x\n%x", enc, enc2)
		}
	})
}
