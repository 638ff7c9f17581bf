package wkst

import (
	"context"
	"fmt"

	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// Caller performs one DCE/RPC call on a bound wkssvc association (or
// lanman's local workstation endpoint): it sends stub as the request for
// opnum and returns the response stub.
type Caller = ndr.Caller

// Client calls MS-WKST operations through a Caller.
//
// Every method returns the decoded response. A status other than
// NERR_Success is also returned as the error, wrapping the win32.Errno
// (errors.Is(err, win32.NERR_UseNotFound) works), except ERROR_MORE_DATA,
// which is a successful partial result reported with a nil error so that
// callers page with ResumeHandle.
type Client struct {
	c Caller
}

// NewClient returns a Client over c.
func NewClient(c Caller) *Client { return &Client{c: c} }

// call performs opnum with req and decodes the reply into resp, whose
// Status is *status. The error is the transport's or the decoder's (resp is
// then nil), else the status's, as the Client documentation says.
func call[R Message](ctx context.Context, c *Client, name string, opnum uint16, req Message, resp R, status *win32.Errno) (R, error) {
	if err := ndr.Call(ctx, c.c, "wkst", name, opnum, req, resp); err != nil {
		var none R
		return none, err
	}
	if st := *status; st != win32.NERR_Success && st != win32.ERROR_MORE_DATA {
		return resp, fmt.Errorf("wkst: %s: %w", name, st)
	}
	return resp, nil
}

// NetrWkstaGetInfo calls opnum 0.
func (c *Client) NetrWkstaGetInfo(ctx context.Context, req *NetrWkstaGetInfoRequest) (*NetrWkstaGetInfoResponse, error) {
	resp := new(NetrWkstaGetInfoResponse)
	return call(ctx, c, "NetrWkstaGetInfo", OpNetrWkstaGetInfo, req, resp, &resp.Status)
}

// NetrWkstaUserEnum calls opnum 2.
func (c *Client) NetrWkstaUserEnum(ctx context.Context, req *NetrWkstaUserEnumRequest) (*NetrWkstaUserEnumResponse, error) {
	resp := new(NetrWkstaUserEnumResponse)
	return call(ctx, c, "NetrWkstaUserEnum", OpNetrWkstaUserEnum, req, resp, &resp.Status)
}

// NetrUseAdd calls opnum 8.
func (c *Client) NetrUseAdd(ctx context.Context, req *NetrUseAddRequest) (*NetrUseAddResponse, error) {
	resp := new(NetrUseAddResponse)
	return call(ctx, c, "NetrUseAdd", OpNetrUseAdd, req, resp, &resp.Status)
}

// NetrUseGetInfo calls opnum 9.
func (c *Client) NetrUseGetInfo(ctx context.Context, req *NetrUseGetInfoRequest) (*NetrUseGetInfoResponse, error) {
	resp := new(NetrUseGetInfoResponse)
	return call(ctx, c, "NetrUseGetInfo", OpNetrUseGetInfo, req, resp, &resp.Status)
}

// NetrUseDel calls opnum 10.
func (c *Client) NetrUseDel(ctx context.Context, req *NetrUseDelRequest) (*NetrUseDelResponse, error) {
	resp := new(NetrUseDelResponse)
	return call(ctx, c, "NetrUseDel", OpNetrUseDel, req, resp, &resp.Status)
}

// NetrUseEnum calls opnum 11.
func (c *Client) NetrUseEnum(ctx context.Context, req *NetrUseEnumRequest) (*NetrUseEnumResponse, error) {
	resp := new(NetrUseEnumResponse)
	return call(ctx, c, "NetrUseEnum", OpNetrUseEnum, req, resp, &resp.Status)
}
