package smb2

// SessionSetupRequest is the SMB2 SESSION_SETUP request (MS-SMB2 2.2.5).
type SessionSetupRequest struct {
	Flags             uint8 // SessionSetupFlagBinding
	SecurityMode      uint8 // low byte of SecurityMode
	Capabilities      Capabilities
	Channel           uint32
	PreviousSessionID uint64
	SecurityBuffer    []byte // GSS token; aliases the input
}

// Command returns CommandSessionSetup.
func (*SessionSetupRequest) Command() Command { return CommandSessionSetup }

// Marshal appends the body.
func (r *SessionSetupRequest) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 25)
	b = append(b, r.Flags, r.SecurityMode)
	b = le.AppendUint32(b, uint32(r.Capabilities))
	b = le.AppendUint32(b, r.Channel)
	b = le.AppendUint16(b, uint16(bodyOffset(start, start+24)))
	b = le.AppendUint16(b, uint16(len(r.SecurityBuffer)))
	b = le.AppendUint64(b, r.PreviousSessionID)
	return appendBuffer(b, r.SecurityBuffer)
}

// Unmarshal decodes the body.
func (r *SessionSetupRequest) Unmarshal(body []byte) error {
	if err := fixedBody(body, "SESSION_SETUP request", 25); err != nil {
		return err
	}
	r.Flags, r.SecurityMode = body[2], body[3]
	r.Capabilities = Capabilities(le.Uint32(body[4:]))
	r.Channel = le.Uint32(body[8:])
	r.PreviousSessionID = le.Uint64(body[16:])
	var err error
	r.SecurityBuffer, err = field(body, "SESSION_SETUP request security buffer", uint32(le.Uint16(body[12:])), uint32(le.Uint16(body[14:])))
	return err
}

// SessionSetupResponse is the SMB2 SESSION_SETUP response (MS-SMB2 2.2.6).
type SessionSetupResponse struct {
	SessionFlags   SessionFlags
	SecurityBuffer []byte // GSS token; aliases the input
}

// Command returns CommandSessionSetup.
func (*SessionSetupResponse) Command() Command { return CommandSessionSetup }

// Marshal appends the body.
func (r *SessionSetupResponse) Marshal(b []byte) []byte {
	start := len(b)
	b = le.AppendUint16(b, 9)
	b = le.AppendUint16(b, uint16(r.SessionFlags))
	b = le.AppendUint16(b, uint16(bodyOffset(start, start+8)))
	b = le.AppendUint16(b, uint16(len(r.SecurityBuffer)))
	return appendBuffer(b, r.SecurityBuffer)
}

// Unmarshal decodes the body.
func (r *SessionSetupResponse) Unmarshal(body []byte) error {
	if err := fixedBody(body, "SESSION_SETUP response", 9); err != nil {
		return err
	}
	r.SessionFlags = SessionFlags(le.Uint16(body[2:]))
	var err error
	r.SecurityBuffer, err = field(body, "SESSION_SETUP response security buffer", uint32(le.Uint16(body[4:])), uint32(le.Uint16(body[6:])))
	return err
}

// appendBuffer appends the variable part of a structure whose odd
// StructureSize counts one byte of it: the buffer, or one zero byte when
// the buffer is empty, as Windows sends.
func appendBuffer(b, buf []byte) []byte {
	if len(buf) == 0 {
		return append(b, 0)
	}
	return append(b, buf...)
}

// simple is the 4-byte body (StructureSize 4, Reserved) of LOGOFF,
// TREE_DISCONNECT, ECHO, CANCEL and several responses.
func marshalSimple(b []byte) []byte { return append(b, 4, 0, 0, 0) }

func unmarshalSimple(body []byte, name string) error { return fixedBody(body, name, 4) }

// LogoffRequest is the SMB2 LOGOFF request (MS-SMB2 2.2.7).
type LogoffRequest struct{}

// LogoffResponse is the SMB2 LOGOFF response (MS-SMB2 2.2.8).
type LogoffResponse struct{}

// TreeDisconnectRequest is the SMB2 TREE_DISCONNECT request (2.2.11).
type TreeDisconnectRequest struct{}

// TreeDisconnectResponse is the SMB2 TREE_DISCONNECT response (2.2.12).
type TreeDisconnectResponse struct{}

// EchoRequest is the SMB2 ECHO request (MS-SMB2 2.2.28).
type EchoRequest struct{}

// EchoResponse is the SMB2 ECHO response (MS-SMB2 2.2.29).
type EchoResponse struct{}

// CancelRequest is the SMB2 CANCEL request (MS-SMB2 2.2.30). It has no
// response.
type CancelRequest struct{}

// FlushResponse is the SMB2 FLUSH response (MS-SMB2 2.2.18).
type FlushResponse struct{}

// LockResponse is the SMB2 LOCK response (MS-SMB2 2.2.27).
type LockResponse struct{}

// Command returns CommandLogoff.
func (*LogoffRequest) Command() Command { return CommandLogoff }

// Command returns CommandLogoff.
func (*LogoffResponse) Command() Command { return CommandLogoff }

// Command returns CommandTreeDisconnect.
func (*TreeDisconnectRequest) Command() Command { return CommandTreeDisconnect }

// Command returns CommandTreeDisconnect.
func (*TreeDisconnectResponse) Command() Command { return CommandTreeDisconnect }

// Command returns CommandEcho.
func (*EchoRequest) Command() Command { return CommandEcho }

// Command returns CommandEcho.
func (*EchoResponse) Command() Command { return CommandEcho }

// Command returns CommandCancel.
func (*CancelRequest) Command() Command { return CommandCancel }

// Command returns CommandFlush.
func (*FlushResponse) Command() Command { return CommandFlush }

// Command returns CommandLock.
func (*LockResponse) Command() Command { return CommandLock }

// Marshal appends the body.
func (*LogoffRequest) Marshal(b []byte) []byte { return marshalSimple(b) }

// Marshal appends the body.
func (*LogoffResponse) Marshal(b []byte) []byte { return marshalSimple(b) }

// Marshal appends the body.
func (*TreeDisconnectRequest) Marshal(b []byte) []byte { return marshalSimple(b) }

// Marshal appends the body.
func (*TreeDisconnectResponse) Marshal(b []byte) []byte { return marshalSimple(b) }

// Marshal appends the body.
func (*EchoRequest) Marshal(b []byte) []byte { return marshalSimple(b) }

// Marshal appends the body.
func (*EchoResponse) Marshal(b []byte) []byte { return marshalSimple(b) }

// Marshal appends the body.
func (*CancelRequest) Marshal(b []byte) []byte { return marshalSimple(b) }

// Marshal appends the body.
func (*FlushResponse) Marshal(b []byte) []byte { return marshalSimple(b) }

// Marshal appends the body.
func (*LockResponse) Marshal(b []byte) []byte { return marshalSimple(b) }

// Unmarshal decodes the body.
func (*LogoffRequest) Unmarshal(body []byte) error { return unmarshalSimple(body, "LOGOFF request") }

// Unmarshal decodes the body.
func (*LogoffResponse) Unmarshal(body []byte) error {
	return unmarshalSimple(body, "LOGOFF response")
}

// Unmarshal decodes the body.
func (*TreeDisconnectRequest) Unmarshal(body []byte) error {
	return unmarshalSimple(body, "TREE_DISCONNECT request")
}

// Unmarshal decodes the body.
func (*TreeDisconnectResponse) Unmarshal(body []byte) error {
	return unmarshalSimple(body, "TREE_DISCONNECT response")
}

// Unmarshal decodes the body.
func (*EchoRequest) Unmarshal(body []byte) error { return unmarshalSimple(body, "ECHO request") }

// Unmarshal decodes the body.
func (*EchoResponse) Unmarshal(body []byte) error { return unmarshalSimple(body, "ECHO response") }

// Unmarshal decodes the body.
func (*CancelRequest) Unmarshal(body []byte) error { return unmarshalSimple(body, "CANCEL request") }

// Unmarshal decodes the body.
func (*FlushResponse) Unmarshal(body []byte) error { return unmarshalSimple(body, "FLUSH response") }

// Unmarshal decodes the body.
func (*LockResponse) Unmarshal(body []byte) error { return unmarshalSimple(body, "LOCK response") }
