package netapi32

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/lanman/lanman/netapi/internal/native"
	"github.com/lanman/lanman/srvs"
	"github.com/lanman/lanman/win32"
	"github.com/lanman/lanman/wkst"
)

func sp(s string) *string { return &s }

// The Go mirrors of USE_INFO_x that NetUseAdd passes must be the very
// layout native reads: build one in Go memory, then read it back through
// native over this process's own memory.
func TestUseInfoLayout(t *testing.T) {
	for level, size := range map[uint32]uintptr{
		1: unsafe.Sizeof(useInfo1{}), 2: unsafe.Sizeof(useInfo2{}), 3: unsafe.Sizeof(useInfo3{}),
	} {
		if want := native.UseInfoSize(ptrSize, level); int(size) != want {
			t.Errorf("sizeof(USE_INFO_%d) = %d, native says %d", level, size, want)
		}
	}
	in := wkst.UseInfo3{
		UseInfo2: wkst.UseInfo2{
			UseInfo1: wkst.UseInfo1{Local: "Z:", Remote: `\\srv\data`, Password: sp("pw"), Status: 1, AsgType: wkst.USE_DISKDEV, RefCount: 2, UseCount: 3},
			UserName: sp("alice"), DomainName: sp(""),
		},
		Flags: 9,
	}
	a := &useArgs{fn: "test"}
	u := new(useInfo3)
	if err := a.fill2(&u.useInfo2, &in.UseInfo2); err != nil {
		t.Fatal(err)
	}
	u.flags = in.Flags
	mem := trusted{base: unsafe.Pointer(u), addr: uint64(uintptr(unsafe.Pointer(u)))}
	got, err := native.UseInfo(mem, ptrSize, 3, mem.addr)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.UseInfo3, &in) {
		t.Errorf("read back %+v\nwant %+v", got.UseInfo3, &in)
	}
	a.wipe()
	if p := windows.UTF16PtrToString(u.password); p != "" {
		t.Errorf("password not wiped: %d characters left", len(p))
	}
}

func TestTrustedMemory(t *testing.T) {
	b := []byte("0123456789")
	m := trusted{base: unsafe.Pointer(&b[4]), addr: uint64(uintptr(unsafe.Pointer(&b[4])))}
	if got, err := m.Bytes(m.addr-4, 3); err != nil || string(got) != "012" {
		t.Errorf("below base: %q %v", got, err)
	}
	if got, err := m.Bytes(m.addr+2, 4); err != nil || string(got) != "6789" {
		t.Errorf("above base: %q %v", got, err)
	}
	if _, err := m.Bytes(0, 1); !errors.Is(err, native.ErrBadPointer) {
		t.Errorf("NULL: %v", err)
	}
}

// skipUnavailable skips a live test when the local service it needs is not
// running or the account may not call it, as on some CI images.
func skipUnavailable(t *testing.T, err error) {
	t.Helper()
	for _, e := range []win32.Errno{win32.NERR_ServerNotStarted, win32.NERR_WkstaNotStarted, win32.ERROR_ACCESS_DENIED, win32.ERROR_SERVICE_NOT_ACTIVE} {
		if errors.Is(err, e) {
			t.Skipf("local service unavailable: %v", err)
		}
	}
}

func TestServerGetInfoLocal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, level := range []uint32{100, 101, 102} {
		u, err := NetServerGetInfo(ctx, "", level)
		skipUnavailable(t, err)
		if err != nil {
			t.Fatalf("level %d: %v", level, err)
		}
		if u.Level != level {
			t.Errorf("level %d: got level %d", level, u.Level)
		}
		switch level {
		case 100:
			if u.ServerInfo100 == nil || u.ServerInfo100.Name == "" || u.ServerInfo100.PlatformID != srvs.PLATFORM_ID_NT {
				t.Errorf("level 100: %+v", u.ServerInfo100)
			}
		case 101:
			if u.ServerInfo101 == nil || u.ServerInfo101.VersionMajor < 5 {
				t.Errorf("level 101: %+v", u.ServerInfo101)
			}
		}
	}
	if _, err := NetServerGetInfo(ctx, "", 7); !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
		t.Errorf("level 7: %v", err)
	}
}

func TestShareEnumLocalPaging(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	all, read, total, err := NetShareEnum(ctx, "", 1, srvs.MAX_PREFERRED_LENGTH, nil)
	skipUnavailable(t, err)
	if err != nil {
		t.Fatal(err)
	}
	if int(read) != all.Len() || total < read {
		t.Errorf("read %d, total %d, %d entries", read, total, all.Len())
	}
	var ipc bool
	for _, s := range all.Level1 {
		ipc = ipc || (s.NetName == "IPC$" && s.Type&srvs.STYPE_MASK == srvs.STYPE_IPC)
	}
	if !ipc {
		t.Errorf("no IPC$ in %+v", all.Level1)
	}
	// Page through with a small buffer: every page but the last is
	// ERROR_MORE_DATA with entries, and the pages add up to the whole.
	var resume uint32
	var paged []srvs.ShareInfo1
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("paging does not end")
		}
		page, _, _, err := NetShareEnum(ctx, "", 1, 64, &resume)
		paged = append(paged, page.Level1...)
		if errors.Is(err, win32.ERROR_MORE_DATA) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if len(paged) != all.Len() {
		t.Errorf("paged %d shares, one call %d", len(paged), all.Len())
	}
}

func TestEnumsLocal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, level := range []uint32{0, 1, 2} {
		e, read, _, err := NetUseEnum(ctx, "", level, srvs.MAX_PREFERRED_LENGTH, nil)
		skipUnavailable(t, err)
		if err != nil || int(read) != e.Len() || e.Level != level {
			t.Errorf("NetUseEnum level %d: %+v %d %v", level, e, read, err)
		}
	}
	for _, level := range []uint32{0, 1} {
		e, read, _, err := NetWkstaUserEnum(ctx, "", level, srvs.MAX_PREFERRED_LENGTH, nil)
		if errors.Is(err, win32.ERROR_ACCESS_DENIED) {
			continue
		}
		skipUnavailable(t, err)
		if err != nil || int(read) != e.Len() {
			t.Errorf("NetWkstaUserEnum level %d: %+v %d %v", level, e, read, err)
		}
	}
	for _, level := range []uint32{0, 10} {
		e, read, _, err := NetSessionEnum(ctx, "", "", "", level, srvs.MAX_PREFERRED_LENGTH, nil)
		if errors.Is(err, win32.ERROR_ACCESS_DENIED) {
			continue
		}
		skipUnavailable(t, err)
		if err != nil || int(read) != e.Len() {
			t.Errorf("NetSessionEnum level %d: %+v %d %v", level, e, read, err)
		}
	}
}

func TestUseErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const none = `\\127.0.0.1\lanman-no-such-share$`
	if _, err := NetUseGetInfo(ctx, "", none, 1); !errors.Is(err, win32.NERR_UseNotFound) {
		skipUnavailable(t, err)
		t.Errorf("NetUseGetInfo: %v", err)
	}
	if err := NetUseDel(ctx, "", none, wkst.USE_NOFORCE); !errors.Is(err, win32.NERR_UseNotFound) {
		skipUnavailable(t, err)
		t.Errorf("NetUseDel: %v", err)
	}
	if _, err := NetUseAdd(ctx, "", wkst.UseInfo{Level: 0}); !errors.Is(err, win32.ERROR_INVALID_LEVEL) {
		t.Errorf("NetUseAdd level 0: %v", err)
	}
	if _, err := NetUseAdd(ctx, "", wkst.UseInfo{Level: 2}); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
		t.Errorf("NetUseAdd without info: %v", err)
	}
	bad := wkst.UseInfo{Level: 1, UseInfo1: &wkst.UseInfo1{Remote: "\\\\a\\b\x00c"}}
	if _, err := NetUseAdd(ctx, "", bad); !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
		t.Errorf("NetUseAdd with NUL: %v", err)
	}
	secret := "hunter2\x00"
	pw := wkst.UseInfo{Level: 1, UseInfo1: &wkst.UseInfo1{Remote: `\\a\b`, Password: &secret}}
	_, err := NetUseAdd(ctx, "", pw)
	if !errors.Is(err, win32.ERROR_INVALID_PARAMETER) {
		t.Fatalf("NetUseAdd with NUL in password: %v", err)
	}
	if s := err.Error(); strings.Contains(s, "hunter2") {
		t.Errorf("error reveals the password: %q", s)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := NetShareEnum(ctx, "", 0, srvs.MAX_PREFERRED_LENGTH, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("NetShareEnum: %v", err)
	}
	if _, err := NetServerGetInfo(ctx, "", 100); !errors.Is(err, context.Canceled) {
		t.Errorf("NetServerGetInfo: %v", err)
	}
	if err := NetUseDel(ctx, "", "Z:", 0); !errors.Is(err, context.Canceled) {
		t.Errorf("NetUseDel: %v", err)
	}
	if _, err := NetUseAdd(ctx, "", wkst.UseInfo{Level: 1, UseInfo1: &wkst.UseInfo1{Remote: `\\a\b`}}); !errors.Is(err, context.Canceled) {
		t.Errorf("NetUseAdd: %v", err)
	}
}
