package wkst

import (
	"testing"

	"github.com/lanman/lanman/ndr/ndrtest"
)

// One fuzz target per message decoder; seeds are the golden stubs of that
// message, and each target checks decode/encode/decode stability.

func FuzzNetrWkstaGetInfoRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrWkstaGetInfoRequest](f, goldenFile, "NetrWkstaGetInfoRequest")
}

func FuzzNetrWkstaGetInfoResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrWkstaGetInfoResponse](f, goldenFile, "NetrWkstaGetInfoResponse")
}

func FuzzNetrWkstaUserEnumRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrWkstaUserEnumRequest](f, goldenFile, "NetrWkstaUserEnumRequest")
}

func FuzzNetrWkstaUserEnumResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrWkstaUserEnumResponse](f, goldenFile, "NetrWkstaUserEnumResponse")
}

func FuzzNetrUseAddRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrUseAddRequest](f, goldenFile, "NetrUseAddRequest")
}

func FuzzNetrUseAddResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrUseAddResponse](f, goldenFile, "NetrUseAddResponse")
}

func FuzzNetrUseGetInfoRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrUseGetInfoRequest](f, goldenFile, "NetrUseGetInfoRequest")
}

func FuzzNetrUseGetInfoResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrUseGetInfoResponse](f, goldenFile, "NetrUseGetInfoResponse")
}

func FuzzNetrUseDelRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrUseDelRequest](f, goldenFile, "NetrUseDelRequest")
}

func FuzzNetrUseDelResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrUseDelResponse](f, goldenFile, "NetrUseDelResponse")
}

func FuzzNetrUseEnumRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrUseEnumRequest](f, goldenFile, "NetrUseEnumRequest")
}

func FuzzNetrUseEnumResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrUseEnumResponse](f, goldenFile, "NetrUseEnumResponse")
}
