// Package server is lanman's own SMB2/3 server: it hosts IPC$, with the
// srvsvc and wkssvc named pipes, and disk shares mapped to local
// directories, and keeps the live session, tree-connect and open tables
// that its Server service (MS-SRVS) reports from.
//
// The server speaks SMB 2.0.2 through 3.1.1 (no SMB1), authenticates with
// NTLMv2 inside SPNEGO against a Users database, signs every message of an
// established session and encrypts when the client or a share asks.
// File names are resolved through os.Root and refused if they could leave
// the share (see cleanPath and share.checkNoLinks).
package server
