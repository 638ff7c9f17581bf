package ndr

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "Ab", "Jürgen 𝄞"} {
		var w Writer
		w.String(s)
		f.Add(w.Bytes())
	}
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xD8})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(b)
		s := r.String()
		if r.Err() != nil {
			if !errors.Is(r.Err(), ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", r.Err())
			}
			return
		}
		var w Writer
		w.String(s)
		r2 := NewReader(w.Bytes())
		if s2 := r2.String(); s2 != s || r2.Err() != nil {
			t.Fatalf("%q re-decoded as %q, %v", s, s2, r2.Err())
		}
	})
}

// FuzzDeferred decodes a container of structures with string pointers and a
// structure with a nested pointer, the shapes the srvsvc and wkssvc stubs
// are made of.
func FuzzDeferred(f *testing.F) {
	elems := []pair{{"x", 1, "y"}, {"z", 2, ""}}
	var w Writer
	w.Ptr(Counted(&elems))
	w.Flush()
	(&outer{p: &pair{"a", 7, "b"}, s: "c"}).MarshalNDR(&w)
	w.Flush()
	f.Add(w.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		decode := func(b []byte) ([]pair, outer, error) {
			var s []pair
			var o outer
			r := NewReader(b)
			r.Ptr(Counted(&s))
			r.Flush()
			o.UnmarshalNDR(r)
			return s, o, r.Flush()
		}
		s, o, err := decode(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		var w Writer
		w.Ptr(Counted(&s))
		w.Flush()
		o.MarshalNDR(&w)
		w.Flush()
		s2, o2, err := decode(w.Bytes())
		if err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		if !reflect.DeepEqual(s, s2) || !reflect.DeepEqual(o, o2) {
			t.Fatalf("round trip: %+v %+v / %+v %+v", s, o, s2, o2)
		}
		var w2 Writer
		w2.Ptr(Counted(&s2))
		w2.Flush()
		o2.MarshalNDR(&w2)
		w2.Flush()
		if !bytes.Equal(w.Bytes(), w2.Bytes()) {
			t.Fatal("encoding not stable")
		}
	})
}

// FuzzAppendDecodedUTF16 checks that the arena decoder Flush uses agrees
// with DecodeUTF16 on any input, and appends without touching dst.
func FuzzAppendDecodedUTF16(f *testing.F) {
	f.Add([]byte("A\x00b\x00"))
	f.Add([]byte{0x34, 0xD8, 0x1E, 0xDD})       // U+1D11E as a pair
	f.Add([]byte{0x00, 0xDC, 0x41, 0x00})       // lone low surrogate
	f.Add([]byte{0x00, 0xD8, 0x00, 0xD8, 0x01}) // two high surrogates, odd tail
	f.Add([]byte{0xE9, 0x00, 0xAC, 0x20})
	f.Fuzz(func(t *testing.T, b []byte) {
		want := DecodeUTF16(b)
		got := AppendDecodedUTF16([]byte("prefix"), b)
		if string(got) != "prefix"+want {
			t.Fatalf("% x: appended %q, DecodeUTF16 %q", b, got, want)
		}
	})
}
