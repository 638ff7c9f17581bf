package smb2

// NewRequest returns a zero request body for cmd, ready to Unmarshal, or
// nil for an unknown command. A server dispatches with it. For
// CommandOplockBreak it returns the oplock form; a lease break
// acknowledgment (StructureSize 36) is a *LeaseBreakAck (see
// OplockBreakKind).
func NewRequest(cmd Command) Message {
	switch cmd {
	case CommandNegotiate:
		return new(NegotiateRequest)
	case CommandSessionSetup:
		return new(SessionSetupRequest)
	case CommandLogoff:
		return new(LogoffRequest)
	case CommandTreeConnect:
		return new(TreeConnectRequest)
	case CommandTreeDisconnect:
		return new(TreeDisconnectRequest)
	case CommandCreate:
		return new(CreateRequest)
	case CommandClose:
		return new(CloseRequest)
	case CommandFlush:
		return new(FlushRequest)
	case CommandRead:
		return new(ReadRequest)
	case CommandWrite:
		return new(WriteRequest)
	case CommandLock:
		return new(LockRequest)
	case CommandIoctl:
		return new(IoctlRequest)
	case CommandCancel:
		return new(CancelRequest)
	case CommandEcho:
		return new(EchoRequest)
	case CommandQueryDirectory:
		return new(QueryDirectoryRequest)
	case CommandChangeNotify:
		return new(ChangeNotifyRequest)
	case CommandQueryInfo:
		return new(QueryInfoRequest)
	case CommandSetInfo:
		return new(SetInfoRequest)
	case CommandOplockBreak:
		return new(OplockBreak)
	}
	return nil
}

// NewResponse returns a zero success-response body for cmd, or nil for
// an unknown command or CANCEL (which has no response). A response whose
// header Status is an error (other than the few statuses that still carry
// the command's body: STATUS_MORE_PROCESSING_REQUIRED for SESSION_SETUP,
// STATUS_BUFFER_OVERFLOW for READ, IOCTL and QUERY_INFO, and so on) has an
// *ErrorResponse body instead; see IsErrorResponse.
func NewResponse(cmd Command) Message {
	switch cmd {
	case CommandNegotiate:
		return new(NegotiateResponse)
	case CommandSessionSetup:
		return new(SessionSetupResponse)
	case CommandLogoff:
		return new(LogoffResponse)
	case CommandTreeConnect:
		return new(TreeConnectResponse)
	case CommandTreeDisconnect:
		return new(TreeDisconnectResponse)
	case CommandCreate:
		return new(CreateResponse)
	case CommandClose:
		return new(CloseResponse)
	case CommandFlush:
		return new(FlushResponse)
	case CommandRead:
		return new(ReadResponse)
	case CommandWrite:
		return new(WriteResponse)
	case CommandLock:
		return new(LockResponse)
	case CommandIoctl:
		return new(IoctlResponse)
	case CommandEcho:
		return new(EchoResponse)
	case CommandQueryDirectory:
		return new(QueryDirectoryResponse)
	case CommandChangeNotify:
		return new(ChangeNotifyResponse)
	case CommandQueryInfo:
		return new(QueryInfoResponse)
	case CommandSetInfo:
		return new(SetInfoResponse)
	case CommandOplockBreak:
		return new(OplockBreak)
	}
	return nil
}

// IsErrorResponse reports whether a response body is an ERROR response
// rather than the command's own: StructureSize 9 where the command's
// success body has another size, or any body when the status is an error
// other than those MS-SMB2 3.2.5.1.x lets carry the command's body.
// Responses that share StructureSize 9 (SESSION_SETUP, QUERY_DIRECTORY,
// CHANGE_NOTIFY, QUERY_INFO) are told apart by status alone.
func IsErrorResponse(h *Header, body []byte) bool {
	st := h.Status
	if uint32(st) == 0x00000103 { // STATUS_PENDING: the interim response (3.3.4.2)
		return true
	}
	if !st.IsError() && !st.IsWarning() {
		return false
	}
	switch h.Command {
	case CommandSessionSetup:
		if uint32(st) == 0xC0000016 { // STATUS_MORE_PROCESSING_REQUIRED
			return false
		}
	case CommandQueryInfo, CommandQueryDirectory, CommandChangeNotify:
		if uint32(st) == 0x80000005 { // STATUS_BUFFER_OVERFLOW: partial data
			return false
		}
	case CommandRead, CommandIoctl:
		// STATUS_BUFFER_OVERFLOW with the command's own body (its
		// StructureSize is 17 or 49, not the ERROR response's 9).
		if uint32(st) == 0x80000005 {
			return len(body) < 2 || le.Uint16(body) == 9
		}
	}
	if h.Command == CommandIoctl && (uint32(st) == 0xC000000D || uint32(st) == 0xC0000023) {
		// STATUS_INVALID_PARAMETER / STATUS_BUFFER_TOO_SMALL may come
		// with an IOCTL body for FSCTL_SRV_COPYCHUNK (3.3.5.15.6).
		return !(len(body) >= 2 && le.Uint16(body) == 49)
	}
	return true
}
