package srvs

import (
	"context"
	"fmt"

	"github.com/lanman/lanman/ndr"
	"github.com/lanman/lanman/win32"
)

// Caller performs one DCE/RPC call on a bound srvsvc association: it sends
// stub as the request for opnum and returns the response stub. The dcerpc
// package's client implements it; a fault comes back as its error.
type Caller = ndr.Caller

// Client calls MS-SRVS operations through a Caller. Its methods are safe
// for concurrent use if the Caller's Call is.
//
// Every method returns the decoded response. A NET_API_STATUS other than
// NERR_Success is also returned as the error, wrapping the win32.Errno so
// errors.Is(err, win32.ERROR_ACCESS_DENIED) works, except ERROR_MORE_DATA:
// that is a successful partial result, reported with a nil error and
// Status == win32.ERROR_MORE_DATA, so that callers page with ResumeHandle
// as netapi32's callers do.
type Client struct {
	c Caller
}

// NewClient returns a Client over c.
func NewClient(c Caller) *Client { return &Client{c: c} }

// call performs opnum with req and decodes the reply into resp, whose
// Status is *status. The error is the transport's or the decoder's (resp is
// then nil), else the status's, as the Client documentation says.
func call[R Message](ctx context.Context, c *Client, name string, opnum uint16, req Message, resp R, status *win32.Errno) (R, error) {
	if err := ndr.Call(ctx, c.c, "srvs", name, opnum, req, resp); err != nil {
		var none R
		return none, err
	}
	if st := *status; st != win32.NERR_Success && st != win32.ERROR_MORE_DATA {
		return resp, fmt.Errorf("srvs: %s: %w", name, st)
	}
	return resp, nil
}

// NetrConnectionEnum calls opnum 8.
func (c *Client) NetrConnectionEnum(ctx context.Context, req *NetrConnectionEnumRequest) (*NetrConnectionEnumResponse, error) {
	resp := new(NetrConnectionEnumResponse)
	return call(ctx, c, "NetrConnectionEnum", OpNetrConnectionEnum, req, resp, &resp.Status)
}

// NetrFileEnum calls opnum 9.
func (c *Client) NetrFileEnum(ctx context.Context, req *NetrFileEnumRequest) (*NetrFileEnumResponse, error) {
	resp := new(NetrFileEnumResponse)
	return call(ctx, c, "NetrFileEnum", OpNetrFileEnum, req, resp, &resp.Status)
}

// NetrFileGetInfo calls opnum 10.
func (c *Client) NetrFileGetInfo(ctx context.Context, req *NetrFileGetInfoRequest) (*NetrFileGetInfoResponse, error) {
	resp := new(NetrFileGetInfoResponse)
	return call(ctx, c, "NetrFileGetInfo", OpNetrFileGetInfo, req, resp, &resp.Status)
}

// NetrFileClose calls opnum 11.
func (c *Client) NetrFileClose(ctx context.Context, req *NetrFileCloseRequest) (*NetrFileCloseResponse, error) {
	resp := new(NetrFileCloseResponse)
	return call(ctx, c, "NetrFileClose", OpNetrFileClose, req, resp, &resp.Status)
}

// NetrSessionEnum calls opnum 12.
func (c *Client) NetrSessionEnum(ctx context.Context, req *NetrSessionEnumRequest) (*NetrSessionEnumResponse, error) {
	resp := new(NetrSessionEnumResponse)
	return call(ctx, c, "NetrSessionEnum", OpNetrSessionEnum, req, resp, &resp.Status)
}

// NetrSessionDel calls opnum 13.
func (c *Client) NetrSessionDel(ctx context.Context, req *NetrSessionDelRequest) (*NetrSessionDelResponse, error) {
	resp := new(NetrSessionDelResponse)
	return call(ctx, c, "NetrSessionDel", OpNetrSessionDel, req, resp, &resp.Status)
}

// NetrShareEnum calls opnum 15.
func (c *Client) NetrShareEnum(ctx context.Context, req *NetrShareEnumRequest) (*NetrShareEnumResponse, error) {
	resp := new(NetrShareEnumResponse)
	return call(ctx, c, "NetrShareEnum", OpNetrShareEnum, req, resp, &resp.Status)
}

// NetrShareGetInfo calls opnum 16.
func (c *Client) NetrShareGetInfo(ctx context.Context, req *NetrShareGetInfoRequest) (*NetrShareGetInfoResponse, error) {
	resp := new(NetrShareGetInfoResponse)
	return call(ctx, c, "NetrShareGetInfo", OpNetrShareGetInfo, req, resp, &resp.Status)
}

// NetrServerGetInfo calls opnum 21.
func (c *Client) NetrServerGetInfo(ctx context.Context, req *NetrServerGetInfoRequest) (*NetrServerGetInfoResponse, error) {
	resp := new(NetrServerGetInfoResponse)
	return call(ctx, c, "NetrServerGetInfo", OpNetrServerGetInfo, req, resp, &resp.Status)
}
