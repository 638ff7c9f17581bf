package wkst

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"sort"
	"testing"

	"github.com/lanman/lanman/ndr/ndrtest"
)

const goldenFile = "testdata/impacket.golden"

// newLike returns a new zero value of m's type.
func newLike(m Message) Message {
	return reflect.New(reflect.TypeOf(m).Elem()).Interface().(Message)
}

// TestGolden decodes every stub impacket built into the value the script
// meant, and re-encodes that value to the very same bytes.
func TestGolden(t *testing.T) {
	golden := ndrtest.ReadGolden(t, goldenFile)
	cases := goldenCases()
	if len(golden) != len(cases) {
		t.Errorf("%d golden stubs, %d cases", len(golden), len(cases))
	}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		want := cases[name]
		t.Run(name, func(t *testing.T) {
			stub, ok := golden[name]
			if !ok {
				t.Fatal("no golden stub")
			}
			got := newLike(want)
			if err := Unmarshal(stub, got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
			}
			if enc := Marshal(want); !bytes.Equal(enc, stub) {
				t.Errorf("encoded\n%s\nimpacket\n%s", hex.Dump(enc), hex.Dump(stub))
			}
		})
	}
}

// TestGoldenLive re-runs the generator and checks that the committed golden
// file is what impacket produces today.
func TestGoldenLive(t *testing.T) {
	ndrtest.RequireImpacket(t)
	out := ndrtest.RunScript(t, "testdata/impacket_gen.py")
	live := ndrtest.ParseGolden(t, out)
	committed := ndrtest.ReadGolden(t, goldenFile)
	if !reflect.DeepEqual(live, committed) {
		for name, b := range live {
			if !bytes.Equal(committed[name], b) {
				t.Errorf("%s: impacket now produces %x, committed %x", name, b, committed[name])
			}
		}
		for name := range committed {
			if _, ok := live[name]; !ok {
				t.Errorf("%s: committed but no longer generated", name)
			}
		}
	}
}
