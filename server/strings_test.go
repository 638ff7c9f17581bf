package server

import (
	"context"
	"errors"
	"testing"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/srvs"
)

// connectionEnumStub is a NetrConnectionEnum request for qualifier "data"
// at level 1, its [string] Qualifier written with or without the
// terminating NUL.
func connectionEnumStub(terminated bool) []byte {
	var w ndr.Writer
	w.NullPtr() // ServerName
	if terminated {
		w.StringPtr("data")
		w.Flush()
	} else {
		w.Uint32(ndr.FirstReferentID)
		w.ConformantVaryingHeader(4, 0, 4)
		w.Raw(ndr.AppendUTF16(nil, "data"))
	}
	info := srvs.ConnectEnum{Level: 1}
	info.MarshalNDR(&w)
	w.Flush()
	w.Uint32(srvs.MAX_PREFERRED_LENGTH)
	w.NullPtr() // ResumeHandle
	return w.Bytes()
}

// TestUnterminatedStringFaults pins what lanman's server does with a
// [string] parameter whose last character is not NUL (impacket's
// hNetrConnectionEnum(dce, "data", 1)): it faults the call with
// nca_s_fault_ndr (RPC_X_BAD_STUB_DATA), as Windows does; see
// ndr.Reader.String. The same request with the NUL is answered.
func TestUnterminatedStringFaults(t *testing.T) {
	ts := startServer(t, nil)
	ctx := context.Background()
	id := gss.Identity{User: "admin", Admin: true}

	out, err := ts.netrConnectionEnum(ctx, &dcerpc.Call{Opnum: srvs.OpNetrConnectionEnum, Stub: connectionEnumStub(true), Identity: id})
	if err != nil {
		t.Fatalf("terminated qualifier: %v", err)
	}
	var resp srvs.NetrConnectionEnumResponse
	if err := srvs.Unmarshal(out, &resp); err != nil || resp.Status != 0 {
		t.Fatalf("terminated qualifier: status %v, %v", resp.Status, err)
	}

	_, err = ts.netrConnectionEnum(ctx, &dcerpc.Call{Opnum: srvs.OpNetrConnectionEnum, Stub: connectionEnumStub(false), Identity: id})
	if !errors.Is(err, dcerpc.FaultNDR) {
		t.Fatalf("unterminated qualifier: %v, want %v", err, dcerpc.FaultNDR)
	}
}
