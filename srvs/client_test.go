package srvs

import (
	"context"
	"errors"
	"testing"

	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/ndr/ndrtest"
	"github.com/lanman/lanman/win32"
)

// loopback is an in-process srvsvc peer: it decodes each request with this
// package's types, as lanman's server does, and answers from handler.
type loopback struct {
	handle func(ctx context.Context, opnum uint16, stub []byte) (Message, error)
}

func (l loopback) Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error) {
	resp, err := l.handle(ctx, opnum, stub)
	if err != nil {
		return nil, err
	}
	return Marshal(resp), nil
}

func TestClientStatuses(t *testing.T) {
	var status win32.Errno
	var gotReq NetrSessionEnumRequest
	c := NewClient(loopback{func(ctx context.Context, opnum uint16, stub []byte) (Message, error) {
		if opnum != OpNetrSessionEnum {
			t.Errorf("opnum %d", opnum)
		}
		if err := Unmarshal(stub, &gotReq); err != nil {
			return nil, err
		}
		resp := &NetrSessionEnumResponse{
			InfoStruct:   SessionEnum{Level: 10, Level10: []SessionInfo10{{ClientName: `\\c`, UserName: "u"}}},
			TotalEntries: 3,
			Status:       status,
		}
		if gotReq.ResumeHandle != nil {
			resp.ResumeHandle = new(uint32)
			*resp.ResumeHandle = *gotReq.ResumeHandle + 1
		}
		return resp, nil
	}})
	ctx := context.Background()
	resume := uint32(0)
	req := &NetrSessionEnumRequest{UserName: "u", InfoStruct: SessionEnum{Level: 10}, PreferedMaximumLength: 100, ResumeHandle: &resume}

	// ERROR_MORE_DATA: partial result, nil error, resume handle returned.
	status = win32.ERROR_MORE_DATA
	resp, err := c.NetrSessionEnum(ctx, req)
	if err != nil || resp.Status != win32.ERROR_MORE_DATA || resp.ResumeHandle == nil || *resp.ResumeHandle != 1 ||
		len(resp.InfoStruct.Level10) != 1 || resp.TotalEntries != 3 {
		t.Fatalf("more data: %+v, %v", resp, err)
	}
	if gotReq.UserName != "u" || gotReq.PreferedMaximumLength != 100 || gotReq.InfoStruct.Level != 10 {
		t.Fatalf("server saw %+v", gotReq)
	}

	// A failure: the response and an error that errors.Is the code.
	status = win32.ERROR_ACCESS_DENIED
	resp, err = c.NetrSessionEnum(ctx, req)
	if !errors.Is(err, win32.ERROR_ACCESS_DENIED) || resp == nil || resp.Status != win32.ERROR_ACCESS_DENIED {
		t.Fatalf("denied: %+v, %v", resp, err)
	}

	status = win32.NERR_Success
	if _, err := c.NetrSessionEnum(ctx, req); err != nil {
		t.Fatal(err)
	}
}

func TestClientTransportAndDecodeErrors(t *testing.T) {
	errTransport := errors.New("pipe broken")
	c := NewClient(loopback{func(ctx context.Context, opnum uint16, stub []byte) (Message, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, errTransport
	}})
	if _, err := c.NetrShareEnum(context.Background(), &NetrShareEnumRequest{}); !errors.Is(err, errTransport) {
		t.Fatalf("transport error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.NetrServerGetInfo(ctx, &NetrServerGetInfoRequest{Level: 101}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}

	short := NewClient(callerFunc(func(context.Context, uint16, []byte) ([]byte, error) { return []byte{1, 2}, nil }))
	if _, err := short.NetrFileClose(context.Background(), &NetrFileCloseRequest{}); !errors.Is(err, ndr.ErrMalformed) {
		t.Fatalf("short response: %v", err)
	}
}

type callerFunc func(context.Context, uint16, []byte) ([]byte, error)

func (f callerFunc) Call(ctx context.Context, op uint16, stub []byte) ([]byte, error) {
	return f(ctx, op, stub)
}

// TestClientEveryMethod calls each method once through the loopback peer,
// checking the opnum and that request and response survive the trip.
func TestClientEveryMethod(t *testing.T) {
	cases := goldenCases()
	type call struct {
		op   uint16
		req  string
		resp string
		do   func(c *Client, req Message) (Message, error)
	}
	ctx := context.Background()
	calls := []call{
		{OpNetrConnectionEnum, "NetrConnectionEnumRequest_1", "NetrConnectionEnumResponse_1", func(c *Client, r Message) (Message, error) {
			return c.NetrConnectionEnum(ctx, r.(*NetrConnectionEnumRequest))
		}},
		{OpNetrFileEnum, "NetrFileEnumRequest_3", "NetrFileEnumResponse_3", func(c *Client, r Message) (Message, error) {
			return c.NetrFileEnum(ctx, r.(*NetrFileEnumRequest))
		}},
		{OpNetrFileGetInfo, "NetrFileGetInfoRequest_3", "NetrFileGetInfoResponse_3", func(c *Client, r Message) (Message, error) {
			return c.NetrFileGetInfo(ctx, r.(*NetrFileGetInfoRequest))
		}},
		{OpNetrFileClose, "NetrFileCloseRequest", "NetrFileCloseResponse", func(c *Client, r Message) (Message, error) {
			return c.NetrFileClose(ctx, r.(*NetrFileCloseRequest))
		}},
		{OpNetrSessionEnum, "NetrSessionEnumRequest_502", "NetrSessionEnumResponse_502", func(c *Client, r Message) (Message, error) {
			return c.NetrSessionEnum(ctx, r.(*NetrSessionEnumRequest))
		}},
		{OpNetrSessionDel, "NetrSessionDelRequest", "NetrSessionDelResponse", func(c *Client, r Message) (Message, error) {
			return c.NetrSessionDel(ctx, r.(*NetrSessionDelRequest))
		}},
		{OpNetrShareEnum, "NetrShareEnumRequest_502", "NetrShareEnumResponse_502", func(c *Client, r Message) (Message, error) {
			return c.NetrShareEnum(ctx, r.(*NetrShareEnumRequest))
		}},
		{OpNetrShareGetInfo, "NetrShareGetInfoRequest_2", "NetrShareGetInfoResponse_2", func(c *Client, r Message) (Message, error) {
			return c.NetrShareGetInfo(ctx, r.(*NetrShareGetInfoRequest))
		}},
		{OpNetrServerGetInfo, "NetrServerGetInfoRequest_102", "NetrServerGetInfoResponse_102", func(c *Client, r Message) (Message, error) {
			return c.NetrServerGetInfo(ctx, r.(*NetrServerGetInfoRequest))
		}},
	}
	for _, cl := range calls {
		t.Run(cl.req, func(t *testing.T) {
			want := cases[cl.req]
			c := NewClient(loopback{func(_ context.Context, opnum uint16, stub []byte) (Message, error) {
				if opnum != cl.op {
					t.Errorf("opnum %d, want %d", opnum, cl.op)
				}
				got := ndrtest.NewLike(want)
				if err := Unmarshal(stub, got); err != nil {
					return nil, err
				}
				if !equalMessages(got, want) {
					t.Errorf("server decoded %+v, want %+v", got, want)
				}
				return cases[cl.resp], nil
			}})
			got, err := cl.do(c, want)
			st := statusOf(cases[cl.resp])
			if st != 0 && st != win32.ERROR_MORE_DATA {
				if !errors.Is(err, st) {
					t.Fatalf("err = %v, want %v", err, st)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !equalMessages(got, cases[cl.resp]) {
				t.Errorf("client decoded %+v, want %+v", got, cases[cl.resp])
			}
		})
	}
}
