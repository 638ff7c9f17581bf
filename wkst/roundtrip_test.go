package wkst

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/ndr/ndrtest"
	"github.com/lanman/lanman/win32"
)

func TestRoundTripEdges(t *testing.T) {
	cases := []Message{
		&NetrUseEnumResponse{InfoStruct: UseEnum{Level: 2, Level2: []UseInfo2{}}},
		&NetrUseEnumResponse{InfoStruct: UseEnum{Level: 1, NoEntries: true}, Status: 5},
		&NetrUseEnumRequest{InfoStruct: UseEnum{Level: 3}},
		&NetrUseGetInfoResponse{InfoStruct: UseInfo{Level: 2}, Status: win32.NERR_UseNotFound},
		&NetrUseGetInfoResponse{InfoStruct: UseInfo{Level: 9}, Status: win32.ERROR_INVALID_LEVEL},
		&NetrUseAddRequest{InfoStruct: UseInfo{Level: 1, UseInfo1: &UseInfo1{Remote: `\\s\x`, Password: str("pw")}}},
		&NetrUseAddRequest{InfoStruct: UseInfo{Level: 2, UseInfo2: &UseInfo2{UserName: str(""), DomainName: str("D")}}},
		&NetrUseAddResponse{Status: 0},
		&NetrWkstaUserEnumRequest{UserInfo: WkstaUserEnum{Level: 7}},
		&NetrWkstaUserEnumResponse{UserInfo: WkstaUserEnum{Level: 0, NoEntries: true}, Status: 5},
		&NetrWkstaGetInfoResponse{WkstaInfo: WkstaInfo{Level: 102}, Status: 5},
		&NetrWkstaGetInfoResponse{WkstaInfo: WkstaInfo{Level: 1013}, Status: 124},
		&NetrWkstaGetInfoResponse{WkstaInfo: WkstaInfo{Level: 3}, Status: 124},
	}
	for i, m := range cases {
		t.Run(fmt.Sprintf("%d_%T", i, m), func(t *testing.T) {
			stub := Marshal(m)
			got := ndrtest.NewLike(m)
			if err := Unmarshal(stub, got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, m) {
				t.Fatalf("got %+v want %+v", got, m)
			}
			if !bytes.Equal(Marshal(got), stub) {
				t.Fatal("re-encoding differs")
			}
		})
	}
}

// TestNullVersusEmptyPassword: NetUseAdd tells NULL (default credentials)
// from "" (an empty password); the codec keeps them apart.
func TestNullVersusEmptyPassword(t *testing.T) {
	for _, pw := range []*string{nil, str(""), str("secret")} {
		req := &NetrUseAddRequest{InfoStruct: UseInfo{Level: 1, UseInfo1: &UseInfo1{Remote: `\\s\x`, Password: pw}}}
		var got NetrUseAddRequest
		if err := Unmarshal(Marshal(req), &got); err != nil {
			t.Fatal(err)
		}
		p := got.InfoStruct.UseInfo1.Password
		if (p == nil) != (pw == nil) || (p != nil && *p != *pw) {
			t.Errorf("password %v decoded as %v", pw, p)
		}
	}
}

func TestUseAddLevelMismatch(t *testing.T) {
	stub := Marshal(&NetrUseAddRequest{InfoStruct: UseInfo{Level: 0, UseInfo0: &UseInfo0{}}})
	stub[4] = 1 // Level 1, union discriminant still 0
	var got NetrUseAddRequest
	if err := Unmarshal(stub, &got); !errors.Is(err, ndr.ErrMalformed) {
		t.Fatalf("err = %v", err)
	}
}

func TestUnknownArmWithData(t *testing.T) {
	stub := []byte{0xf6, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0} // WKSTA_INFO level 502, non-NULL
	var resp NetrWkstaGetInfoResponse
	if err := Unmarshal(stub, &resp); !errors.Is(err, ErrInvalidLevel) {
		t.Fatalf("err = %v", err)
	}
}

func TestTruncated(t *testing.T) {
	golden := ndrtest.ReadGolden(t, goldenFile)
	cases := goldenCases()
	for name, stub := range golden {
		for n := 0; n < len(stub); n++ {
			if err := Unmarshal(stub[:n], ndrtest.NewLike(cases[name])); !errors.Is(err, ndr.ErrMalformed) {
				t.Fatalf("%s cut to %d of %d bytes: err = %v", name, n, len(stub), err)
			}
		}
	}
}

func TestJSONNames(t *testing.T) {
	keys := func(v any) string {
		b, _ := json.Marshal(v)
		var m map[string]any
		json.Unmarshal(b, &m)
		var k []string
		for s := range m {
			k = append(k, s)
		}
		sort.Strings(k)
		return strings.Join(k, " ")
	}
	for v, want := range map[any]string{
		WkstaInfo102{}:   "computername langroup lanroot logged_on_users platform_id ver_major ver_minor",
		WkstaUserInfo1{}: "logon_domain logon_server oth_domains username",
		UseInfo0{}:       "local remote",
		UseInfo3{UseInfo2: UseInfo2{UseInfo1: UseInfo1{Password: str("")}}}: "asg_type domainname flags local password refcount remote status usecount username",
	} {
		if got := keys(v); got != want {
			t.Errorf("%T: %s, want %s", v, got, want)
		}
	}
}

func TestBufferSize(t *testing.T) {
	u := UseInfo2{UseInfo1: UseInfo1{Local: "Z:", Remote: `\\s\d`}, UserName: str("al")}
	// 56-byte x64 USE_INFO_2 + "Z:" 6 + `\\s\d` 12 + "al" 6; NULLs count nothing.
	if got := u.BufferSize(); got != 56+6+12+6 {
		t.Errorf("UseInfo2.BufferSize = %d", got)
	}
}

// loopback is an in-process wkssvc peer decoding requests with this
// package's types.
type loopback func(opnum uint16, stub []byte) (Message, error)

func (l loopback) Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := l(opnum, stub)
	if err != nil {
		return nil, err
	}
	return Marshal(m), nil
}

func TestClient(t *testing.T) {
	cases := goldenCases()
	ctx := context.Background()
	type call struct {
		op        uint16
		req, resp string
		do        func(c *Client, r Message) (Message, error)
	}
	calls := []call{
		{OpNetrWkstaGetInfo, "NetrWkstaGetInfoRequest_102", "NetrWkstaGetInfoResponse_102", func(c *Client, r Message) (Message, error) {
			return c.NetrWkstaGetInfo(ctx, r.(*NetrWkstaGetInfoRequest))
		}},
		{OpNetrWkstaUserEnum, "NetrWkstaUserEnumRequest_1", "NetrWkstaUserEnumResponse_1", func(c *Client, r Message) (Message, error) {
			return c.NetrWkstaUserEnum(ctx, r.(*NetrWkstaUserEnumRequest))
		}},
		{OpNetrUseAdd, "NetrUseAddRequest_2", "NetrUseAddResponse", func(c *Client, r Message) (Message, error) {
			return c.NetrUseAdd(ctx, r.(*NetrUseAddRequest))
		}},
		{OpNetrUseGetInfo, "NetrUseGetInfoRequest_3", "NetrUseGetInfoResponse_3", func(c *Client, r Message) (Message, error) {
			return c.NetrUseGetInfo(ctx, r.(*NetrUseGetInfoRequest))
		}},
		{OpNetrUseDel, "NetrUseDelRequest", "NetrUseDelResponse", func(c *Client, r Message) (Message, error) {
			return c.NetrUseDel(ctx, r.(*NetrUseDelRequest))
		}},
		{OpNetrUseEnum, "NetrUseEnumRequest_2", "NetrUseEnumResponse_2", func(c *Client, r Message) (Message, error) {
			return c.NetrUseEnum(ctx, r.(*NetrUseEnumRequest))
		}},
	}
	for _, cl := range calls {
		t.Run(cl.req, func(t *testing.T) {
			c := NewClient(loopback(func(opnum uint16, stub []byte) (Message, error) {
				if opnum != cl.op {
					t.Errorf("opnum %d, want %d", opnum, cl.op)
				}
				got := ndrtest.NewLike(cases[cl.req])
				if err := Unmarshal(stub, got); err != nil {
					return nil, err
				}
				if !reflect.DeepEqual(got, cases[cl.req]) {
					t.Errorf("server decoded %+v", got)
				}
				return cases[cl.resp], nil
			}))
			got, err := cl.do(c, cases[cl.req])
			st := win32.Errno(reflect.ValueOf(cases[cl.resp]).Elem().FieldByName("Status").Uint())
			if st != 0 {
				if !errors.Is(err, st) {
					t.Fatalf("err = %v, want %v", err, st)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, cases[cl.resp]) {
				t.Errorf("client decoded %+v", got)
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	c := NewClient(loopback(func(uint16, []byte) (Message, error) { return &NetrUseDelResponse{}, nil }))
	if _, err := c.NetrUseDel(cancelled, &NetrUseDelRequest{UseName: "Z:"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	more := NewClient(loopback(func(uint16, []byte) (Message, error) {
		return &NetrUseEnumResponse{InfoStruct: UseEnum{Level: 0, Level0: []UseInfo0{{}}}, Status: win32.ERROR_MORE_DATA}, nil
	}))
	if resp, err := more.NetrUseEnum(ctx, &NetrUseEnumRequest{}); err != nil || resp.Status != win32.ERROR_MORE_DATA {
		t.Fatalf("more data: %v %v", resp, err)
	}
}
