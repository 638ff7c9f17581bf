package srvs

import (
	"testing"

	"github.com/lanman/lanman/ndr/ndrtest"
)

// One fuzz target per message decoder; seeds are the golden stubs of that
// message, and each target checks decode/encode/decode stability.

func FuzzNetrConnectionEnumRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrConnectionEnumRequest](f, goldenFile, "NetrConnectionEnumRequest")
}

func FuzzNetrConnectionEnumResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrConnectionEnumResponse](f, goldenFile, "NetrConnectionEnumResponse")
}

func FuzzNetrFileEnumRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrFileEnumRequest](f, goldenFile, "NetrFileEnumRequest")
}

func FuzzNetrFileEnumResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrFileEnumResponse](f, goldenFile, "NetrFileEnumResponse")
}

func FuzzNetrFileGetInfoRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrFileGetInfoRequest](f, goldenFile, "NetrFileGetInfoRequest")
}

func FuzzNetrFileGetInfoResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrFileGetInfoResponse](f, goldenFile, "NetrFileGetInfoResponse")
}

func FuzzNetrFileCloseRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrFileCloseRequest](f, goldenFile, "NetrFileCloseRequest")
}

func FuzzNetrFileCloseResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrFileCloseResponse](f, goldenFile, "NetrFileCloseResponse")
}

func FuzzNetrSessionEnumRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrSessionEnumRequest](f, goldenFile, "NetrSessionEnumRequest")
}

func FuzzNetrSessionEnumResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrSessionEnumResponse](f, goldenFile, "NetrSessionEnumResponse")
}

func FuzzNetrSessionDelRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrSessionDelRequest](f, goldenFile, "NetrSessionDelRequest")
}

func FuzzNetrSessionDelResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrSessionDelResponse](f, goldenFile, "NetrSessionDelResponse")
}

func FuzzNetrShareEnumRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrShareEnumRequest](f, goldenFile, "NetrShareEnumRequest")
}

func FuzzNetrShareEnumResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrShareEnumResponse](f, goldenFile, "NetrShareEnumResponse")
}

func FuzzNetrShareGetInfoRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrShareGetInfoRequest](f, goldenFile, "NetrShareGetInfoRequest")
}

func FuzzNetrShareGetInfoResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrShareGetInfoResponse](f, goldenFile, "NetrShareGetInfoResponse")
}

func FuzzNetrServerGetInfoRequest(f *testing.F) {
	ndrtest.FuzzStub[NetrServerGetInfoRequest](f, goldenFile, "NetrServerGetInfoRequest")
}

func FuzzNetrServerGetInfoResponse(f *testing.F) {
	ndrtest.FuzzStub[NetrServerGetInfoResponse](f, goldenFile, "NetrServerGetInfoResponse")
}
