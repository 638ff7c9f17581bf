package srvs

import "testing"

// One fuzz target per message decoder; seeds are the golden stubs of that
// message, and each target checks decode/encode/decode stability.

func FuzzNetrConnectionEnumRequest(f *testing.F) {
	fuzzMessage[NetrConnectionEnumRequest](f, "NetrConnectionEnumRequest")
}

func FuzzNetrConnectionEnumResponse(f *testing.F) {
	fuzzMessage[NetrConnectionEnumResponse](f, "NetrConnectionEnumResponse")
}

func FuzzNetrFileEnumRequest(f *testing.F) {
	fuzzMessage[NetrFileEnumRequest](f, "NetrFileEnumRequest")
}

func FuzzNetrFileEnumResponse(f *testing.F) {
	fuzzMessage[NetrFileEnumResponse](f, "NetrFileEnumResponse")
}

func FuzzNetrFileGetInfoRequest(f *testing.F) {
	fuzzMessage[NetrFileGetInfoRequest](f, "NetrFileGetInfoRequest")
}

func FuzzNetrFileGetInfoResponse(f *testing.F) {
	fuzzMessage[NetrFileGetInfoResponse](f, "NetrFileGetInfoResponse")
}

func FuzzNetrFileCloseRequest(f *testing.F) {
	fuzzMessage[NetrFileCloseRequest](f, "NetrFileCloseRequest")
}

func FuzzNetrFileCloseResponse(f *testing.F) {
	fuzzMessage[NetrFileCloseResponse](f, "NetrFileCloseResponse")
}

func FuzzNetrSessionEnumRequest(f *testing.F) {
	fuzzMessage[NetrSessionEnumRequest](f, "NetrSessionEnumRequest")
}

func FuzzNetrSessionEnumResponse(f *testing.F) {
	fuzzMessage[NetrSessionEnumResponse](f, "NetrSessionEnumResponse")
}

func FuzzNetrSessionDelRequest(f *testing.F) {
	fuzzMessage[NetrSessionDelRequest](f, "NetrSessionDelRequest")
}

func FuzzNetrSessionDelResponse(f *testing.F) {
	fuzzMessage[NetrSessionDelResponse](f, "NetrSessionDelResponse")
}

func FuzzNetrShareEnumRequest(f *testing.F) {
	fuzzMessage[NetrShareEnumRequest](f, "NetrShareEnumRequest")
}

func FuzzNetrShareEnumResponse(f *testing.F) {
	fuzzMessage[NetrShareEnumResponse](f, "NetrShareEnumResponse")
}

func FuzzNetrShareGetInfoRequest(f *testing.F) {
	fuzzMessage[NetrShareGetInfoRequest](f, "NetrShareGetInfoRequest")
}

func FuzzNetrShareGetInfoResponse(f *testing.F) {
	fuzzMessage[NetrShareGetInfoResponse](f, "NetrShareGetInfoResponse")
}

func FuzzNetrServerGetInfoRequest(f *testing.F) {
	fuzzMessage[NetrServerGetInfoRequest](f, "NetrServerGetInfoRequest")
}

func FuzzNetrServerGetInfoResponse(f *testing.F) {
	fuzzMessage[NetrServerGetInfoResponse](f, "NetrServerGetInfoResponse")
}
