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
type Caller interface {
	Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error)
}

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

// call marshals req, performs the call and unmarshals resp.
func (c *Client) call(ctx context.Context, name string, opnum uint16, req, resp Message) error {
	var w ndr.Writer
	req.MarshalStub(&w)
	out, err := c.c.Call(ctx, opnum, w.Bytes())
	if err != nil {
		return fmt.Errorf("srvs: %s: %w", name, err)
	}
	return Unmarshal(out, resp)
}

// statusError turns a NET_API_STATUS into the method's error.
func statusError(name string, st win32.Errno) error {
	if st == win32.NERR_Success || st == win32.ERROR_MORE_DATA {
		return nil
	}
	return fmt.Errorf("srvs: %s: %w", name, st)
}

// NetrConnectionEnum calls opnum 8.
func (c *Client) NetrConnectionEnum(ctx context.Context, req *NetrConnectionEnumRequest) (*NetrConnectionEnumResponse, error) {
	resp := new(NetrConnectionEnumResponse)
	if err := c.call(ctx, "NetrConnectionEnum", OpNetrConnectionEnum, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrConnectionEnum", resp.Status)
}

// NetrFileEnum calls opnum 9.
func (c *Client) NetrFileEnum(ctx context.Context, req *NetrFileEnumRequest) (*NetrFileEnumResponse, error) {
	resp := new(NetrFileEnumResponse)
	if err := c.call(ctx, "NetrFileEnum", OpNetrFileEnum, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrFileEnum", resp.Status)
}

// NetrFileGetInfo calls opnum 10.
func (c *Client) NetrFileGetInfo(ctx context.Context, req *NetrFileGetInfoRequest) (*NetrFileGetInfoResponse, error) {
	resp := new(NetrFileGetInfoResponse)
	if err := c.call(ctx, "NetrFileGetInfo", OpNetrFileGetInfo, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrFileGetInfo", resp.Status)
}

// NetrFileClose calls opnum 11.
func (c *Client) NetrFileClose(ctx context.Context, req *NetrFileCloseRequest) (*NetrFileCloseResponse, error) {
	resp := new(NetrFileCloseResponse)
	if err := c.call(ctx, "NetrFileClose", OpNetrFileClose, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrFileClose", resp.Status)
}

// NetrSessionEnum calls opnum 12.
func (c *Client) NetrSessionEnum(ctx context.Context, req *NetrSessionEnumRequest) (*NetrSessionEnumResponse, error) {
	resp := new(NetrSessionEnumResponse)
	if err := c.call(ctx, "NetrSessionEnum", OpNetrSessionEnum, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrSessionEnum", resp.Status)
}

// NetrSessionDel calls opnum 13.
func (c *Client) NetrSessionDel(ctx context.Context, req *NetrSessionDelRequest) (*NetrSessionDelResponse, error) {
	resp := new(NetrSessionDelResponse)
	if err := c.call(ctx, "NetrSessionDel", OpNetrSessionDel, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrSessionDel", resp.Status)
}

// NetrShareEnum calls opnum 15.
func (c *Client) NetrShareEnum(ctx context.Context, req *NetrShareEnumRequest) (*NetrShareEnumResponse, error) {
	resp := new(NetrShareEnumResponse)
	if err := c.call(ctx, "NetrShareEnum", OpNetrShareEnum, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrShareEnum", resp.Status)
}

// NetrShareGetInfo calls opnum 16.
func (c *Client) NetrShareGetInfo(ctx context.Context, req *NetrShareGetInfoRequest) (*NetrShareGetInfoResponse, error) {
	resp := new(NetrShareGetInfoResponse)
	if err := c.call(ctx, "NetrShareGetInfo", OpNetrShareGetInfo, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrShareGetInfo", resp.Status)
}

// NetrServerGetInfo calls opnum 21.
func (c *Client) NetrServerGetInfo(ctx context.Context, req *NetrServerGetInfoRequest) (*NetrServerGetInfoResponse, error) {
	resp := new(NetrServerGetInfoResponse)
	if err := c.call(ctx, "NetrServerGetInfo", OpNetrServerGetInfo, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrServerGetInfo", resp.Status)
}
