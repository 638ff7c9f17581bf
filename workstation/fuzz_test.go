//go:build unix

package workstation

import (
	"context"
	"testing"
	"time"

	"github.com/lanman/lanman/dcerpc"
	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/wkst"
)

// FuzzServiceStubs feeds arbitrary request stubs to every operation of
// both interfaces the service serves. The table is empty, so nothing
// reaches the network; what is tested is that no stub panics, hangs or
// makes the handler allocate without bound.
func FuzzServiceStubs(f *testing.F) {
	var w ndr.Writer
	w.String(`\\h\s\f`)
	w.Uint32(0)
	f.Add(uint16(opOpen), false, w.Bytes())
	f.Add(uint16(opRead), false, []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0})
	f.Add(uint16(opWrite), false, []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 'a', 'b', 'c', 'd'})
	f.Add(uint16(opClose), false, []byte{1, 0, 0, 0})
	f.Add(uint16(opStat), false, []byte{})
	f.Add(wkst.OpNetrUseEnum, true, wkst.Marshal(&wkst.NetrUseEnumRequest{InfoStruct: wkst.UseEnum{Level: 2}, PreferredMaximumLength: 10}))
	f.Add(wkst.OpNetrUseGetInfo, true, wkst.Marshal(&wkst.NetrUseGetInfoRequest{UseName: "X:", Level: 3}))
	f.Add(wkst.OpNetrUseDel, true, wkst.Marshal(&wkst.NetrUseDelRequest{UseName: "X:", ForceLevel: 2}))
	f.Add(wkst.OpNetrUseAdd, true, wkst.Marshal(&wkst.NetrUseAddRequest{InfoStruct: wkst.UseInfo{Level: 0, UseInfo0: &wkst.UseInfo0{Remote: "bad"}}}))
	f.Add(wkst.OpNetrWkstaGetInfo, true, wkst.Marshal(&wkst.NetrWkstaGetInfoRequest{Level: 102}))

	r := New(Config{})
	wk := (&wkstHandler{r: r, info: WkstaInfo{ComputerName: "X"}}).table()
	ctl := newControlHandler(r, func() {})
	ctlTable := ctl.table()
	ctlTable[opStop] = nil // stopping is not for fuzzing
	f.Fuzz(func(t *testing.T, op uint16, isWkst bool, stub []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		call := &dcerpc.Call{Opnum: op, Stub: stub}
		table := ctlTable
		if isWkst {
			table = wk
			if op == wkst.OpNetrUseAdd {
				// An add could dial whatever the input names; keep to
				// decoding and validation.
				var req wkst.NetrUseAddRequest
				if wkst.Unmarshal(stub, &req) == nil {
					useParams(&req.InfoStruct)
				}
				return
			}
		}
		table.ServeRPC(ctx, call)
	})
}

// FuzzControlReplies decodes arbitrary control replies as the client does.
func FuzzControlReplies(f *testing.F) {
	var w ndr.Writer
	st := FileStat{Name: "a.txt", Size: 3, Mode: 0o644, MTime: time.Unix(1, 0)}
	w.Uint32(1)
	st.marshal(&w)
	w.Uint32(0)
	f.Add(w.Bytes())
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := ndr.NewReader(b)
		n := r.Uint32()
		if int64(n)*minStatSize > int64(r.Remaining()) {
			return
		}
		for range n {
			var st FileStat
			st.unmarshal(r)
			if r.Err() != nil {
				return
			}
		}
		status(r, "fuzz")
		r = ndr.NewReader(b)
		cnt := r.Uint32()
		var data []byte
		r.BytesPtr(&data, cnt)
		r.Flush()
	})
}
