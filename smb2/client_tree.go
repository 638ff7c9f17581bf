package smb2

import (
	"context"
	"fmt"
	"strings"
)

// Tree is a tree connect: a session's connection to one share.
type Tree struct {
	sess        *Session
	id          uint32
	path        string
	shareType   ShareType
	shareFlags  ShareFlags
	caps        ShareCapabilities
	access      AccessMask
	encryptData bool
}

// SharePath returns `\\server\share` for a share name on c's server.
func (c *Conn) SharePath(share string) string { return `\\` + c.serverName + `\` + share }

// TreeConnect connects to a share. path is `\\server\share`, or a bare
// share name, which is completed with the connection's server name.
// For 3.0 and 3.0.2 the first tree connect of a session validates the
// negotiation (MS-SMB2 3.2.5.5, FSCTL_VALIDATE_NEGOTIATE_INFO).
func (s *Session) TreeConnect(ctx context.Context, path string) (*Tree, error) {
	path = s.normalizeSharePath(path)
	var resp TreeConnectResponse
	r, err := s.conn.roundTrip(ctx, s.req(&TreeConnectRequest{Path: path}, 0, false), &resp)
	if err != nil {
		return nil, fmt.Errorf("smb2: tree connect %s: %w", path, err)
	}
	return s.newTree(ctx, path, r.hdr.TreeID, &resp)
}

// normalizeSharePath turns "share" into `\\server\share`.
func (s *Session) normalizeSharePath(path string) string {
	if !strings.HasPrefix(path, `\\`) {
		path = s.conn.SharePath(strings.TrimLeft(path, `\/`))
	}
	return path
}

// newTree records a successful TREE_CONNECT response (MS-SMB2 3.2.5.5)
// and validates the negotiation when the dialect calls for it.
func (s *Session) newTree(ctx context.Context, path string, id uint32, resp *TreeConnectResponse) (*Tree, error) {
	t := &Tree{
		sess:       s,
		id:         id,
		path:       path,
		shareType:  resp.ShareType,
		shareFlags: resp.ShareFlags,
		caps:       resp.Capabilities,
		access:     resp.MaximalAccess,
	}
	c := s.conn
	if resp.ShareFlags&ShareFlagEncryptData != 0 && c.dialect.Is3x() {
		t.encryptData = true
		if !s.encryptData && !c.supportsEncryption() {
			// The server demands encryption we cannot give: leave
			// the tree rather than send it plaintext.
			t.Disconnect(ctx)
			return nil, fmt.Errorf("smb2: tree connect %s: share requires encryption: %w", path, ErrEncryptionUnavailable)
		}
	}
	if (c.dialect == Dialect300 || c.dialect == Dialect302) && s.signing && !s.encryptData && !t.encryptData {
		if err := t.validateNegotiate(ctx); err != nil {
			t.Disconnect(ctx)
			return nil, fmt.Errorf("smb2: tree connect %s: %w", path, err)
		}
	}
	return t, nil
}

// validateNegotiate sends FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2
// 3.2.5.14.12 and 3.3.5.15.12): a signed restatement of the negotiation
// that defeats a downgrade by a man in the middle. Encrypted sessions
// skip it (the encryption already authenticates).
func (t *Tree) validateNegotiate(ctx context.Context) error {
	c := t.sess.conn
	in := (&ValidateNegotiateInfoRequest{
		Capabilities: c.negotiateRequest().Capabilities,
		GUID:         c.clientGUID,
		SecurityMode: clientSecurityMode,
		Dialects:     c.opts.Dialects,
	}).Marshal(nil)
	out, err := t.ioctl(ctx, FsctlValidateNegotiateInfo, FileIDAll, in, 24, nil)
	if err != nil {
		return fmt.Errorf("validate negotiate: %w", err)
	}
	var v ValidateNegotiateInfoResponse
	if err := v.Unmarshal(out); err != nil {
		return fmt.Errorf("validate negotiate: %w", err)
	}
	if v.Dialect != c.dialect || v.GUID != c.serverGUID || v.SecurityMode != c.serverSecMode || v.Capabilities != c.serverCaps {
		return fmt.Errorf("validate negotiate: %w: server's restatement differs from the negotiation (possible downgrade)", ErrProtocol)
	}
	return nil
}

// ioctl runs one FSCTL on the tree and returns its output. ok lists
// statuses that return data without error (STATUS_BUFFER_OVERFLOW for
// pipes).
func (t *Tree) ioctl(ctx context.Context, code uint32, fid FileID, in []byte, maxOut uint32, r *IoctlResponse) ([]byte, error) {
	if r == nil {
		r = new(IoctlResponse)
	}
	req := t.req(&IoctlRequest{
		CtlCode:           code,
		FileID:            fid,
		MaxOutputResponse: maxOut,
		Flags:             IoctlFlagIsFsctl,
		Input:             in,
	})
	req.charge = t.sess.conn.charge(max(len(in), int(maxOut)))
	if _, err := t.sess.conn.roundTrip(ctx, req, r); err != nil {
		return nil, err
	}
	return r.Output, nil
}

// req builds a request on the tree.
func (t *Tree) req(body Message) *request {
	return t.sess.req(body, t.id, t.encryptData)
}

// ID is the TreeId.
func (t *Tree) ID() uint32 { return t.id }

// Path is `\\server\share`.
func (t *Tree) Path() string { return t.path }

// ShareType is disk, pipe or print.
func (t *Tree) ShareType() ShareType { return t.shareType }

// ShareFlags are the share's flags.
func (t *Tree) ShareFlags() ShareFlags { return t.shareFlags }

// MaximalAccess is the access the user has to the share.
func (t *Tree) MaximalAccess() AccessMask { return t.access }

// Encrypted reports whether the tree's traffic is encrypted.
func (t *Tree) Encrypted() bool { return t.encryptData || t.sess.encryptData }

// Session is the session the tree belongs to.
func (t *Tree) Session() *Session { return t.sess }

// Disconnect ends the tree connect (MS-SMB2 3.2.4.22).
func (t *Tree) Disconnect(ctx context.Context) error {
	if _, err := t.sess.conn.roundTrip(ctx, t.req(&TreeDisconnectRequest{}), &TreeDisconnectResponse{}); err != nil {
		return fmt.Errorf("smb2: tree disconnect %s: %w", t.path, err)
	}
	s := t.sess
	s.ipcMu.Lock()
	if s.ipc == t {
		s.ipc = nil
	}
	s.ipcMu.Unlock()
	return nil
}

// charge is the CreditCharge for a payload of n bytes (MS-SMB2 3.1.5.2):
// one credit per 64 KiB, at least one.
func (c *Conn) charge(n int) int {
	if !c.multiCredit {
		return 1
	}
	return max(1, (n-1)/65536+1)
}

// cleanPath converts a slash-separated path relative to the share into
// the backslash form SMB2 names use, without a leading separator.
func cleanPath(name string) string {
	if strings.IndexByte(name, '/') >= 0 {
		name = strings.ReplaceAll(name, "/", `\`)
	}
	name = strings.TrimLeft(name, `\`)
	if name == "." {
		return ""
	}
	return name
}
