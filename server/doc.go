// Package server is lanman's own SMB2/3 server: it hosts IPC$, with the
// srvsvc and wkssvc named pipes, and disk shares mapped to local
// directories, and keeps the live session, tree-connect and open tables
// that its Server service (MS-SRVS) reports from.
//
// The server speaks SMB 2.0.2 through 3.1.1 (no SMB1), authenticates with
// NTLMv2 inside SPNEGO against a Users database, signs every message of an
// established session and encrypts when the client or a share asks.
// File names are resolved through os.Root and refused if they could leave
// the share (this includes names Windows would trim to "." or "..", such
// as "..." and ".. ") or go through a symbolic link or Windows junction
// (see cleanPath and share.resolve). Resolution costs one lookup per
// component, however deep the name.
//
// Names are looked up without regard to case, as Windows clients expect
// (MS-SMB2 leaves this to the object store; Samba does the same by
// default): a component spelled exactly as on disk is always taken first;
// failing that, the directory is searched with strings.EqualFold, and if
// several names differ from the request only in case, the smallest in
// byte order is chosen, whatever the directory order. Such twins are
// reachable by their exact spellings; a new file is created with the
// spelling the client gave, inside the existing directories the lookup
// found. The search reads at most maxFoldScan entries per directory, so
// beyond that a name is found only by its exact spelling. The share
// still reports FILE_CASE_SENSITIVE_SEARCH and FILE_CASE_PRESERVED_NAMES,
// since both spellings of a twin remain distinct.
//
// Renames (FileRenameInformation) go through os.Root.Rename and follow
// NTFS rules; see share.rename.
package server
