package smb2

// TreeConnectRequest is the SMB2 TREE_CONNECT request (MS-SMB2 2.2.9).
type TreeConnectRequest struct {
	Flags uint16 // TreeConnectFlag*; 3.1.1 only
	Path  string // \\server\share
	// Contexts are the tree connect contexts of the 3.1.1 request
	// extension (2.2.9.1). When non-empty, Marshal sends the extension
	// and sets TreeConnectFlagExtensionPresent.
	Contexts []NegotiateContext
}

// Command returns CommandTreeConnect.
func (*TreeConnectRequest) Command() Command { return CommandTreeConnect }

// Marshal appends the body.
func (r *TreeConnectRequest) Marshal(b []byte) []byte {
	start := len(b)
	flags := r.Flags &^ TreeConnectFlagExtensionPresent
	if len(r.Contexts) > 0 {
		flags |= TreeConnectFlagExtensionPresent
	}
	b = le.AppendUint16(b, 9)
	b = le.AppendUint16(b, flags)
	pathAt := len(b)
	b = le.AppendUint32(b, 0) // PathOffset, PathLength: patched
	extAt := len(b)
	if len(r.Contexts) > 0 {
		// Extension: TreeConnectContextOffset (from the start of the
		// request), count, 10 reserved bytes, then the path.
		b = le.AppendUint32(b, 0)
		b = le.AppendUint16(b, uint16(len(r.Contexts)))
		b = append(b, make([]byte, 10)...)
	}
	p := len(b)
	b = appendUTF16(b, r.Path)
	le.PutUint16(b[pathAt:], uint16(bodyOffset(start, p)))
	le.PutUint16(b[pathAt+2:], uint16(len(b)-p))
	if len(r.Contexts) > 0 {
		b = pad8(b, start)
		le.PutUint32(b[extAt:], uint32(len(b)-start))
		b = appendNegotiateContexts(b, start, r.Contexts)
	} else if len(b)-p == 0 {
		b = append(b, 0)
	}
	return b
}

// Unmarshal decodes the body.
func (r *TreeConnectRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "TREE_CONNECT request", 9); err != nil {
		return err
	}
	r.Flags = le.Uint16(body[2:])
	path, err := field(body, "TREE_CONNECT path", uint32(le.Uint16(body[4:])), uint32(le.Uint16(body[6:])))
	if err != nil {
		return err
	}
	if r.Path, err = decodeUTF16(path, "TREE_CONNECT path"); err != nil {
		return err
	}
	r.Contexts = nil
	if r.Flags&TreeConnectFlagExtensionPresent == 0 {
		return nil
	}
	if len(body) < 8+16 {
		return malformed("TREE_CONNECT request: extension flag set but %d bytes", len(body))
	}
	off := le.Uint32(body[8:]) // from the start of the request body
	count := int(le.Uint16(body[12:]))
	if uint64(off)+HeaderSize > 0xFFFFFFFF {
		return malformed("TREE_CONNECT request: context offset %d", off)
	}
	r.Contexts, err = parseNegotiateContexts(body, "TREE_CONNECT request", off+HeaderSize, count)
	return err
}

// TreeConnectResponse is the SMB2 TREE_CONNECT response (MS-SMB2 2.2.10).
type TreeConnectResponse struct {
	ShareType     ShareType
	ShareFlags    ShareFlags
	Capabilities  ShareCapabilities
	MaximalAccess AccessMask
}

// Command returns CommandTreeConnect.
func (*TreeConnectResponse) Command() Command { return CommandTreeConnect }

// Marshal appends the body.
func (r *TreeConnectResponse) Marshal(b []byte) []byte {
	b = le.AppendUint16(b, 16)
	b = append(b, uint8(r.ShareType), 0)
	b = le.AppendUint32(b, uint32(r.ShareFlags))
	b = le.AppendUint32(b, uint32(r.Capabilities))
	return le.AppendUint32(b, uint32(r.MaximalAccess))
}

// Unmarshal decodes the body.
func (r *TreeConnectResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "TREE_CONNECT response", 16); err != nil {
		return err
	}
	r.ShareType = ShareType(body[2])
	r.ShareFlags = ShareFlags(le.Uint32(body[4:]))
	r.Capabilities = ShareCapabilities(le.Uint32(body[8:]))
	r.MaximalAccess = AccessMask(le.Uint32(body[12:]))
	return nil
}
