package wkst

import "testing"

// One fuzz target per message decoder; seeds are the golden stubs of that
// message, and each target checks decode/encode/decode stability.

func FuzzNetrWkstaGetInfoRequest(f *testing.F) {
	fuzzMessage[NetrWkstaGetInfoRequest](f, "NetrWkstaGetInfoRequest")
}

func FuzzNetrWkstaGetInfoResponse(f *testing.F) {
	fuzzMessage[NetrWkstaGetInfoResponse](f, "NetrWkstaGetInfoResponse")
}

func FuzzNetrWkstaUserEnumRequest(f *testing.F) {
	fuzzMessage[NetrWkstaUserEnumRequest](f, "NetrWkstaUserEnumRequest")
}

func FuzzNetrWkstaUserEnumResponse(f *testing.F) {
	fuzzMessage[NetrWkstaUserEnumResponse](f, "NetrWkstaUserEnumResponse")
}

func FuzzNetrUseAddRequest(f *testing.F) { fuzzMessage[NetrUseAddRequest](f, "NetrUseAddRequest") }

func FuzzNetrUseAddResponse(f *testing.F) { fuzzMessage[NetrUseAddResponse](f, "NetrUseAddResponse") }

func FuzzNetrUseGetInfoRequest(f *testing.F) {
	fuzzMessage[NetrUseGetInfoRequest](f, "NetrUseGetInfoRequest")
}

func FuzzNetrUseGetInfoResponse(f *testing.F) {
	fuzzMessage[NetrUseGetInfoResponse](f, "NetrUseGetInfoResponse")
}

func FuzzNetrUseDelRequest(f *testing.F) { fuzzMessage[NetrUseDelRequest](f, "NetrUseDelRequest") }

func FuzzNetrUseDelResponse(f *testing.F) { fuzzMessage[NetrUseDelResponse](f, "NetrUseDelResponse") }

func FuzzNetrUseEnumRequest(f *testing.F) { fuzzMessage[NetrUseEnumRequest](f, "NetrUseEnumRequest") }

func FuzzNetrUseEnumResponse(f *testing.F) {
	fuzzMessage[NetrUseEnumResponse](f, "NetrUseEnumResponse")
}
