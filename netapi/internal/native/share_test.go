package native

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/lanman/lanman/srvs"
)

// everyoneFullSD is a self-relative security descriptor as a share has:
// owner BUILTIN\Administrators, group SYSTEM, and a DACL granting Everyone
// full control (MS-DTYP 2.4.6, 2.4.5, 2.4.4.2).
var everyoneFullSD = []byte{
	1, 0, 0x04, 0x80, // revision 1, control SR|DP
	20, 0, 0, 0, // owner
	36, 0, 0, 0, // group
	0, 0, 0, 0, // no SACL
	48, 0, 0, 0, // DACL
	1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0, // S-1-5-32-544
	1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, // S-1-5-18
	2, 0, 28, 0, 1, 0, 0, 0, // ACL revision 2, 28 bytes, 1 ACE
	0, 0, 20, 0, 0xFF, 0x01, 0x1F, 0x00, // ACCESS_ALLOWED, 20 bytes, 0x1F01FF
	1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, // S-1-1-0
}

// dacLFirstSD has its DACL before its owner SID: the length is where the
// furthest part ends, not the last offset's.
var daclFirstSD = func() []byte {
	b := []byte{
		1, 0, 0x04, 0x80,
		36, 0, 0, 0, // owner after the DACL
		0, 0, 0, 0,
		0, 0, 0, 0,
		20, 0, 0, 0, // DACL right after the header
		2, 0, 16, 0, 0, 0, 0, 0, // empty ACL padded to 16 bytes
		0, 0, 0, 0, 0, 0, 0, 0,
		1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, // S-1-5-18
	}
	return b
}()

func TestShares(t *testing.T) {
	forABIs(t, func(t *testing.T, ps int, base uint64) {
		cases := []struct {
			level uint32
			b     *bufBuilder
			want  srvs.ShareEnum
		}{
			{0, newBuilder(ps, base).rec(S("ADMIN$")).rec(S("C$")).rec(S("IPC$")).rec(S("Daten")),
				srvs.ShareEnum{Level: 0, Level0: []srvs.ShareInfo0{{NetName: "ADMIN$"}, {NetName: "C$"}, {NetName: "IPC$"}, {NetName: "Daten"}}}},
			{1, newBuilder(ps, base).
				rec(S("IPC$"), D(srvs.STYPE_IPC|srvs.STYPE_SPECIAL), S("Remote IPC")).
				rec(S("data"), D(srvs.STYPE_DISKTREE), Null()),
				srvs.ShareEnum{Level: 1, Level1: []srvs.ShareInfo1{
					{NetName: "IPC$", Type: srvs.STYPE_IPC | srvs.STYPE_SPECIAL, Remark: "Remote IPC"},
					{NetName: "data", Type: srvs.STYPE_DISKTREE},
				}}},
			{2, newBuilder(ps, base).
				rec(S("data"), D(0), S("Team data"), D(srvs.ACCESS_ALL), D(0xFFFFFFFF), D(3), S(`D:\data`), Null()).
				rec(S("old"), D(0), S(""), D(srvs.ACCESS_READ), D(10), D(0), S(`E:\old`), S("secret")),
				srvs.ShareEnum{Level: 2, Level2: []srvs.ShareInfo2{
					{NetName: "data", Remark: "Team data", Permissions: srvs.ACCESS_ALL, MaxUses: 0xFFFFFFFF, CurrentUses: 3, Path: `D:\data`},
					{NetName: "old", Permissions: srvs.ACCESS_READ, MaxUses: 10, Path: `E:\old`, Passwd: "secret"},
				}}},
			{502, newBuilder(ps, base).
				rec(S("data"), D(0), S("Team data"), D(0), D(0xFFFFFFFF), D(1), S(`D:\data`), Null(), D(uint32(len(everyoneFullSD))), Blob(everyoneFullSD)).
				rec(S("IPC$"), D(srvs.STYPE_IPC|srvs.STYPE_SPECIAL), S("Remote IPC"), D(0), D(0xFFFFFFFF), D(1), S(""), Null(), D(0), Null()).
				rec(S("odd"), D(0), S(""), D(0), D(1), D(0), S(`C:\`), Null(), D(0), Blob(daclFirstSD)),
				srvs.ShareEnum{Level: 502, Level502: []srvs.ShareInfo502{
					{NetName: "data", Remark: "Team data", MaxUses: 0xFFFFFFFF, CurrentUses: 1, Path: `D:\data`, SecurityDescriptor: everyoneFullSD},
					{NetName: "IPC$", Type: srvs.STYPE_IPC | srvs.STYPE_SPECIAL, Remark: "Remote IPC", MaxUses: 0xFFFFFFFF, CurrentUses: 1},
					{NetName: "odd", MaxUses: 1, Path: `C:\`, SecurityDescriptor: daclFirstSD},
				}}},
		}
		for _, c := range cases {
			mem, buf := c.b.build()
			got, err := Shares(mem, ps, c.level, buf, uint32(len(c.b.recs)))
			if err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("level %d:\n got %+v\nwant %+v", c.level, got, c.want)
			}
		}
	})
}

func TestSecurityDescriptorErrors(t *testing.T) {
	mutate := func(f func(b []byte)) []byte {
		b := append([]byte(nil), everyoneFullSD...)
		f(b)
		return b
	}
	for _, c := range []struct {
		name string
		sd   []byte
		err  error
	}{
		{"absolute", mutate(func(b []byte) { b[3] = 0 }), ErrBadSecurityDescriptor},
		{"revision", mutate(func(b []byte) { b[0] = 2 }), ErrBadSecurityDescriptor},
		{"owner in header", mutate(func(b []byte) { b[4] = 8 }), ErrBadSecurityDescriptor},
		{"owner far away", mutate(func(b []byte) { binary.LittleEndian.PutUint32(b[4:], 0x10000) }), ErrBadPointer},
		{"huge offset", mutate(func(b []byte) { binary.LittleEndian.PutUint32(b[16:], 0xFFFFFFF0) }), ErrBadSecurityDescriptor},
		{"SID sub-authorities", mutate(func(b []byte) { b[21] = 16 }), ErrBadSecurityDescriptor},
		{"ACL too small", mutate(func(b []byte) { b[50] = 4 }), ErrBadSecurityDescriptor},
		{"ACL too big", mutate(func(b []byte) { b[50] = 200 }), ErrBadPointer},
		{"truncated", everyoneFullSD[:12], ErrBadPointer},
	} {
		mem := Region{Base: 0x4000, Data: c.sd}
		if _, err := SecurityDescriptor(mem, 0x4000); !errors.Is(err, c.err) {
			t.Errorf("%s: %v, want %v", c.name, err, c.err)
		}
	}
	if sd, err := SecurityDescriptor(Region{}, 0); sd != nil || err != nil {
		t.Errorf("NULL: %v %v", sd, err)
	}
}
