package netapi32

// The netapi32.dll entry points, as lmshare.h, lmserver.h, lmwksta.h,
// lmuse.h and lmapibuf.h declare them. Every one returns a NET_API_STATUS
// rather than setting the thread's last error, so they are declared with a
// plain uint32 result. Each output buffer is allocated by netapi32 and must
// go back through NetApiBufferFree, whatever the status.
//
// zsyscall_windows.go is generated from these lines:
//
//go:generate go run golang.org/x/sys/windows/mkwinsyscall -output zsyscall_windows.go syscall_windows.go

//sys	netSessionEnum(serverName *uint16, clientName *uint16, userName *uint16, level uint32, buf **byte, prefMaxLen uint32, entriesRead *uint32, totalEntries *uint32, resumeHandle *uint32) (status uint32) = netapi32.NetSessionEnum
//sys	netSessionDel(serverName *uint16, clientName *uint16, userName *uint16) (status uint32) = netapi32.NetSessionDel
//sys	netConnectionEnum(serverName *uint16, qualifier *uint16, level uint32, buf **byte, prefMaxLen uint32, entriesRead *uint32, totalEntries *uint32, resumeHandle *uint32) (status uint32) = netapi32.NetConnectionEnum
//sys	netFileEnum(serverName *uint16, basePath *uint16, userName *uint16, level uint32, buf **byte, prefMaxLen uint32, entriesRead *uint32, totalEntries *uint32, resumeHandle *uintptr) (status uint32) = netapi32.NetFileEnum
//sys	netFileClose(serverName *uint16, fileID uint32) (status uint32) = netapi32.NetFileClose
//sys	netShareEnum(serverName *uint16, level uint32, buf **byte, prefMaxLen uint32, entriesRead *uint32, totalEntries *uint32, resumeHandle *uint32) (status uint32) = netapi32.NetShareEnum
//sys	netServerGetInfo(serverName *uint16, level uint32, buf **byte) (status uint32) = netapi32.NetServerGetInfo
//sys	netWkstaUserEnum(serverName *uint16, level uint32, buf **byte, prefMaxLen uint32, entriesRead *uint32, totalEntries *uint32, resumeHandle *uint32) (status uint32) = netapi32.NetWkstaUserEnum
//sys	netUseAdd(serverName *uint16, level uint32, buf *byte, parmErr *uint32) (status uint32) = netapi32.NetUseAdd
//sys	netUseEnum(serverName *uint16, level uint32, buf **byte, prefMaxLen uint32, entriesRead *uint32, totalEntries *uint32, resumeHandle *uint32) (status uint32) = netapi32.NetUseEnum
//sys	netUseGetInfo(serverName *uint16, useName *uint16, level uint32, buf **byte) (status uint32) = netapi32.NetUseGetInfo
//sys	netUseDel(serverName *uint16, useName *uint16, forceLevel uint32) (status uint32) = netapi32.NetUseDel
//sys	netApiBufferFree(buf *byte) (status uint32) = netapi32.NetApiBufferFree
//sys	netApiBufferSize(buf *byte, byteCount *uint32) (status uint32) = netapi32.NetApiBufferSize
