package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/smb2"
	"github.com/lanman/lanman/spnego"
)

// testClient is lanman's own SMB2 client logged on to a test server: a
// real peer, in process.
type testClient struct {
	conn *smb2.Conn
	sess *smb2.Session
	// keep holds opens and trees so that they stay in the tables.
	keep []any
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func dialTestClientOpts(t testing.TB, addr, user, pw string, opts *smb2.Options) (*testClient, error) {
	ctx := testCtx(t)
	c, err := smb2.Dial(ctx, addr, opts)
	if err != nil {
		return nil, err
	}
	mech, err := ntlm.NewClient(ntlm.ClientConfig{User: user, Password: pw, Workstation: "TESTWS"})
	if err != nil {
		c.Close()
		return nil, err
	}
	s, err := c.SessionSetup(ctx, spnego.NewInitiator(mech))
	if err != nil {
		c.Close()
		return nil, err
	}
	return &testClient{conn: c, sess: s}, nil
}

func dialTestClient(t testing.TB, addr, user, pw string) *testClient {
	t.Helper()
	c, err := dialTestClientOpts(t, addr, user, pw, nil)
	if err != nil {
		t.Fatalf("logon %s: %v", user, err)
	}
	return c
}

func (c *testClient) close() { c.conn.Close() }

func (c *testClient) tree(t testing.TB, share string) *smb2.Tree {
	t.Helper()
	tr, err := c.sess.TreeConnect(testCtx(t), share)
	if err != nil {
		t.Fatalf("tree connect %s: %v", share, err)
	}
	c.keep = append(c.keep, tr)
	return tr
}

func (c *testClient) openFile(t testing.TB, share, name string) *smb2.File {
	t.Helper()
	f, err := c.tree(t, share).Open(testCtx(t), name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	c.keep = append(c.keep, f)
	return f
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
