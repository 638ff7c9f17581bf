package srvs

import (
	"testing"

	"github.com/lanman/lanman/ndr/ndrtest"
)

const goldenFile = "testdata/impacket.golden"

// TestGolden decodes every stub impacket built into the value the script
// meant, and re-encodes that value to the very same bytes.
func TestGolden(t *testing.T) { ndrtest.Golden(t, goldenFile, goldenCases()) }

// TestGoldenLive re-runs the generator and checks that the committed golden
// file is what impacket produces today.
func TestGoldenLive(t *testing.T) { ndrtest.GoldenLive(t, "testdata/impacket_gen.py", goldenFile) }
