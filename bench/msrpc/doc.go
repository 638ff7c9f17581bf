// Package msrpc compares lanman's NDR codecs with those of
// github.com/oiweiwei/go-msrpc, pinned at v1.5.2, on the same reply
// bytes. It is a module of its own (see go.mod) so that go-msrpc never
// becomes a dependency of lanman: the main module's go test ./... does
// not enter this directory. Run it with
//
//	cd bench/msrpc && go test -run='^$' -bench=. -benchmem
//
// bench/run does, and reports the ratios in BENCHMARKS.md.
package msrpc
