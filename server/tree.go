package server

import (
	"strings"
	"time"

	"github.com/lanman/lanman/ntstatus"
	"github.com/lanman/lanman/smb2"
)

// Maximal access reported at tree connect (MS-SMB2 2.2.10).
const (
	ipcMaxAccess = 0x001F00A9
)

// treeConnect handles TREE_CONNECT (MS-SMB2 3.3.5.7).
func (c *conn) treeConnect(r *request) response {
	var req smb2.TreeConnectRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	// The path is \\server\share; the server part is not checked, as
	// clients use names, addresses and aliases alike.
	p := strings.TrimPrefix(req.Path, `\\`)
	_, name, ok := strings.Cut(p, `\`)
	if !ok || name == "" || strings.Contains(name, `\`) {
		return errResp(ntstatus.STATUS_BAD_NETWORK_NAME)
	}
	sh, ok := c.srv.share(name)
	if !ok {
		return errResp(ntstatus.STATUS_BAD_NETWORK_NAME)
	}
	s := r.sess
	if s.anonymous && !sh.isIPC() {
		return errResp(ntstatus.STATUS_ACCESS_DENIED)
	}
	if sh.EncryptData && (!c.dialect.Is3x() || s.crypter == nil) {
		return errResp(ntstatus.STATUS_ACCESS_DENIED)
	}
	resp := &smb2.TreeConnectResponse{}
	t := &liveTree{id: newID(&c.srv.tables.nextTree), sess: s, share: sh, start: time.Now().UnixNano()}
	switch {
	case sh.isIPC():
		resp.ShareType = smb2.ShareTypePipe
		t.maxAccess = ipcMaxAccess
	case sh.ReadOnly:
		resp.ShareType = smb2.ShareTypeDisk
		t.maxAccess = readOnlyMax
	default:
		resp.ShareType = smb2.ShareTypeDisk
		t.maxAccess = fileAllAccess
	}
	if sh.EncryptData {
		resp.ShareFlags |= smb2.ShareFlagEncryptData
	}
	resp.MaximalAccess = smb2.AccessMask(t.maxAccess)
	s.mu.Lock()
	if s.treeID == nil {
		s.treeID = map[uint32]*liveTree{}
	}
	s.treeID[t.id] = t
	s.mu.Unlock()
	s.trees.Add(1)
	c.srv.tables.trees.add(t)
	r.hdr.TreeID = t.id
	r.tree = t
	c.srv.log.Debug("tree connect", "session", s.id, "share", sh.Name, "tree", t.id)
	return response{body: resp}
}

// treeDisconnect handles TREE_DISCONNECT (MS-SMB2 3.3.5.8).
func (c *conn) treeDisconnect(r *request) response {
	var req smb2.TreeDisconnectRequest
	if err := req.Unmarshal(r.body); err != nil {
		return errResp(ntstatus.STATUS_INVALID_PARAMETER)
	}
	c.disconnectTree(r.tree)
	return response{body: &smb2.TreeDisconnectResponse{}}
}
