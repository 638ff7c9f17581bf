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
type Caller interface {
	Call(ctx context.Context, opnum uint16, stub []byte) ([]byte, error)
}

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

func (c *Client) call(ctx context.Context, name string, opnum uint16, req, resp Message) error {
	var w ndr.Writer
	req.MarshalStub(&w)
	out, err := c.c.Call(ctx, opnum, w.Bytes())
	if err != nil {
		return fmt.Errorf("wkst: %s: %w", name, err)
	}
	return Unmarshal(out, resp)
}

func statusError(name string, st win32.Errno) error {
	if st == win32.NERR_Success || st == win32.ERROR_MORE_DATA {
		return nil
	}
	return fmt.Errorf("wkst: %s: %w", name, st)
}

// NetrWkstaGetInfo calls opnum 0.
func (c *Client) NetrWkstaGetInfo(ctx context.Context, req *NetrWkstaGetInfoRequest) (*NetrWkstaGetInfoResponse, error) {
	resp := new(NetrWkstaGetInfoResponse)
	if err := c.call(ctx, "NetrWkstaGetInfo", OpNetrWkstaGetInfo, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrWkstaGetInfo", resp.Status)
}

// NetrWkstaUserEnum calls opnum 2.
func (c *Client) NetrWkstaUserEnum(ctx context.Context, req *NetrWkstaUserEnumRequest) (*NetrWkstaUserEnumResponse, error) {
	resp := new(NetrWkstaUserEnumResponse)
	if err := c.call(ctx, "NetrWkstaUserEnum", OpNetrWkstaUserEnum, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrWkstaUserEnum", resp.Status)
}

// NetrUseAdd calls opnum 8.
func (c *Client) NetrUseAdd(ctx context.Context, req *NetrUseAddRequest) (*NetrUseAddResponse, error) {
	resp := new(NetrUseAddResponse)
	if err := c.call(ctx, "NetrUseAdd", OpNetrUseAdd, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrUseAdd", resp.Status)
}

// NetrUseGetInfo calls opnum 9.
func (c *Client) NetrUseGetInfo(ctx context.Context, req *NetrUseGetInfoRequest) (*NetrUseGetInfoResponse, error) {
	resp := new(NetrUseGetInfoResponse)
	if err := c.call(ctx, "NetrUseGetInfo", OpNetrUseGetInfo, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrUseGetInfo", resp.Status)
}

// NetrUseDel calls opnum 10.
func (c *Client) NetrUseDel(ctx context.Context, req *NetrUseDelRequest) (*NetrUseDelResponse, error) {
	resp := new(NetrUseDelResponse)
	if err := c.call(ctx, "NetrUseDel", OpNetrUseDel, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrUseDel", resp.Status)
}

// NetrUseEnum calls opnum 11.
func (c *Client) NetrUseEnum(ctx context.Context, req *NetrUseEnumRequest) (*NetrUseEnumResponse, error) {
	resp := new(NetrUseEnumResponse)
	if err := c.call(ctx, "NetrUseEnum", OpNetrUseEnum, req, resp); err != nil {
		return nil, err
	}
	return resp, statusError("NetrUseEnum", resp.Status)
}
