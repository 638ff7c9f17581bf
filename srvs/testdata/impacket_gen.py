#!/usr/bin/python3
"""Builds MS-SRVS request and response stubs with impacket's srvs NDR classes
and prints them as "name hex" lines: the golden file impacket.golden.

Run with Debian's python3-impacket:  /usr/bin/python3 impacket_gen.py

The values mirror goldenCases in golden_test.go. impacket is made
deterministic by ndrdet (padding as zero octets, referent ids numbered
0x00020000, 0x00020004, ... in wire order, as Windows and Samba number them)
so that the Go codec must reproduce the stubs byte for byte.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ndr", "testdata"))
import ndrdet  # noqa: E402  (patches impacket before its users import it)

from impacket.dcerpc.v5 import srvs  # noqa: E402
from impacket.dcerpc.v5.ndr import NULL  # noqa: E402

out = ndrdet.Output()


def z(s):
    """impacket wants the terminating NUL spelled out."""
    return s + "\x00"


def setopt(st, field, s):
    if s:
        st[field] = z(s)
    else:
        st[field] = NULL


def setresume(st, v):
    if v is None:
        st["ResumeHandle"] = NULL
    else:
        st["ResumeHandle"] = v


# ---- data shared with golden_test.go ---------------------------------------

SESSIONS = [
    dict(cname="\\\\10.0.0.1", username="alice", num_opens=3, time=100, idle_time=7,
         user_flags=0, cltype_name="", transport="\\Device\\NetbiosSmb"),
    dict(cname="\\\\ws-jürgen", username="Jürgen 𝄞", num_opens=0, time=4000000000, idle_time=0,
         user_flags=1, cltype_name="Windows 10", transport="TCP"),
]

CONNECTIONS = [
    dict(id=1, type=0, num_opens=2, num_users=1, time=60, username="alice", netname="C$"),
    dict(id=2, type=3, num_opens=0, num_users=1, time=5, username="bob", netname="IPC$"),
]

FILES = [
    dict(id=77, permissions=0x3, num_locks=0, pathname="C:\\share\\a.txt", username="alice"),
    dict(id=4294967295, permissions=0x1, num_locks=2, pathname="\\PIPE\\srvsvc", username="bob"),
]

SD = bytes([1, 0, 4, 0x80, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])

SHARES = [
    dict(netname="IPC$", type=0x80000003, remark="Remote IPC", permissions=0, max_uses=0xFFFFFFFF,
         current_uses=1, path="", passwd="", sd=None),
    dict(netname="data", type=0, remark="", permissions=0x7F, max_uses=10,
         current_uses=0, path="C:\\data", passwd="", sd=SD),
]

SERVER = dict(platform_id=500, name="LANMAN", version_major=10, version_minor=0,
              type=0x00009003, comment="lanman server", users=0, disc=-1, hidden=0,
              announce=240, anndelta=3000, licenses=0, userpath="c:\\")


# impacket's spelling where it differs from MS-SRVS's
FIELD_ALIASES = {"fi3_pathname": "fi3_path_name"}


def fill(entry, prefix, d, strings, keys):
    for k in keys:
        name = FIELD_ALIASES.get(prefix + k, prefix + k)
        if k in strings:
            entry[name] = z(d[k])
        else:
            entry[name] = d[k]


SESS_KEYS = {
    0: ["cname"],
    1: ["cname", "username", "num_opens", "time", "idle_time", "user_flags"],
    2: ["cname", "username", "num_opens", "time", "idle_time", "user_flags", "cltype_name"],
    10: ["cname", "username", "time", "idle_time"],
    502: ["cname", "username", "num_opens", "time", "idle_time", "user_flags", "cltype_name", "transport"],
}
SESS_STR = {"cname", "username", "cltype_name", "transport"}

# ---- NetrSessionEnum --------------------------------------------------------

for level in (0, 1, 2, 10, 502):
    q = srvs.NetrSessionEnum()
    setopt(q, "ServerName", "\\\\srv")
    setopt(q, "ClientName", "\\\\10.0.0.1" if level == 1 else "")
    setopt(q, "UserName", "alice" if level == 2 else "")
    q["InfoStruct"]["Level"] = level
    q["InfoStruct"]["SessionInfo"]["tag"] = level
    q["InfoStruct"]["SessionInfo"]["Level%d" % level]["Buffer"] = NULL
    q["PreferedMaximumLength"] = 0xFFFFFFFF if level != 10 else 4096
    setresume(q, 7 if level == 502 else None)
    out.emit("NetrSessionEnumRequest_%d" % level, q)

    r = srvs.NetrSessionEnumResponse()
    r["InfoStruct"]["Level"] = level
    r["InfoStruct"]["SessionInfo"]["tag"] = level
    c = r["InfoStruct"]["SessionInfo"]["Level%d" % level]
    c["EntriesRead"] = len(SESSIONS)
    for d in SESSIONS:
        e = getattr(srvs, "SESSION_INFO_%d" % level)()
        fill(e, "sesi%d_" % level, d, SESS_STR, SESS_KEYS[level])
        c["Buffer"].append(e)
    r["TotalEntries"] = 5
    setresume(r, 2 if level == 502 else None)
    r["ErrorCode"] = 234 if level == 502 else 0
    out.emit("NetrSessionEnumResponse_%d" % level, r)

r = srvs.NetrSessionEnumResponse()
r["InfoStruct"]["Level"] = 10
r["InfoStruct"]["SessionInfo"]["tag"] = 10
r["InfoStruct"]["SessionInfo"]["Level10"]["EntriesRead"] = 0
r["InfoStruct"]["SessionInfo"]["Level10"]["Buffer"] = NULL
r["TotalEntries"] = 0
setresume(r, None)
r["ErrorCode"] = 5
out.emit("NetrSessionEnumResponse_denied", r)

# ---- NetrSessionDel ---------------------------------------------------------

q = srvs.NetrSessionDel()
setopt(q, "ServerName", "")
setopt(q, "ClientName", "\\\\10.0.0.1")
setopt(q, "UserName", "alice")
out.emit("NetrSessionDelRequest", q)
r = srvs.NetrSessionDelResponse()
r["ErrorCode"] = 2312  # NERR_ClientNameNotFound
out.emit("NetrSessionDelResponse", r)

# ---- NetrConnectionEnum -----------------------------------------------------

for level in (0, 1):
    q = srvs.NetrConnectionEnum()
    setopt(q, "ServerName", "\\\\srv")
    setopt(q, "Qualifier", "IPC$" if level == 0 else "\\\\10.0.0.1")
    q["InfoStruct"]["Level"] = level
    q["InfoStruct"]["ConnectInfo"]["tag"] = level
    q["InfoStruct"]["ConnectInfo"]["Level%d" % level]["Buffer"] = NULL
    q["PreferedMaximumLength"] = 0xFFFFFFFF
    setresume(q, 0)
    out.emit("NetrConnectionEnumRequest_%d" % level, q)

    r = srvs.NetrConnectionEnumResponse()
    r["InfoStruct"]["Level"] = level
    r["InfoStruct"]["ConnectInfo"]["tag"] = level
    c = r["InfoStruct"]["ConnectInfo"]["Level%d" % level]
    c["EntriesRead"] = len(CONNECTIONS)
    for d in CONNECTIONS:
        e = getattr(srvs, "CONNECTION_INFO_%d" % level)()
        keys = ["id"] if level == 0 else ["id", "type", "num_opens", "num_users", "time", "username", "netname"]
        fill(e, "coni%d_" % level, d, {"username", "netname"}, keys)
        c["Buffer"].append(e)
    r["TotalEntries"] = 2
    setresume(r, 0)
    r["ErrorCode"] = 0
    out.emit("NetrConnectionEnumResponse_%d" % level, r)

# ---- NetrFileEnum / GetInfo / Close -------------------------------------------

FILE_KEYS = {2: ["id"], 3: ["id", "permissions", "num_locks", "pathname", "username"]}
for level in (2, 3):
    q = srvs.NetrFileEnum()
    setopt(q, "ServerName", "\\\\srv")
    setopt(q, "BasePath", "C:\\share" if level == 3 else "")
    setopt(q, "UserName", "alice" if level == 3 else "")
    q["InfoStruct"]["Level"] = level
    q["InfoStruct"]["FileInfo"]["tag"] = level
    q["InfoStruct"]["FileInfo"]["Level%d" % level]["Buffer"] = NULL
    q["PreferedMaximumLength"] = 1024
    setresume(q, None)
    out.emit("NetrFileEnumRequest_%d" % level, q)

    r = srvs.NetrFileEnumResponse()
    r["InfoStruct"]["Level"] = level
    r["InfoStruct"]["FileInfo"]["tag"] = level
    c = r["InfoStruct"]["FileInfo"]["Level%d" % level]
    c["EntriesRead"] = len(FILES)
    for d in FILES:
        e = getattr(srvs, "FILE_INFO_%d" % level)()
        fill(e, "fi%d_" % level, d, {"pathname", "username"}, FILE_KEYS[level])
        c["Buffer"].append(e)
    r["TotalEntries"] = 2
    setresume(r, None)
    r["ErrorCode"] = 0
    out.emit("NetrFileEnumResponse_%d" % level, r)

    q = srvs.NetrFileGetInfo()
    setopt(q, "ServerName", "\\\\srv")
    q["FileId"] = 77
    q["Level"] = level
    out.emit("NetrFileGetInfoRequest_%d" % level, q)

    r = srvs.NetrFileGetInfoResponse()
    r["InfoStruct"]["tag"] = level
    fill(r["InfoStruct"]["FileInfo%d" % level], "fi%d_" % level, FILES[0], {"pathname", "username"}, FILE_KEYS[level])
    r["ErrorCode"] = 0
    out.emit("NetrFileGetInfoResponse_%d" % level, r)

q = srvs.NetrFileClose()
setopt(q, "ServerName", "\\\\srv")
q["FileId"] = 77
out.emit("NetrFileCloseRequest", q)
r = srvs.NetrFileCloseResponse()
r["ErrorCode"] = 2314  # NERR_FileIdNotFound
out.emit("NetrFileCloseResponse", r)

# ---- NetrShareEnum / GetInfo ----------------------------------------------------

SHARE_KEYS = {
    0: ["netname"],
    1: ["netname", "type", "remark"],
    2: ["netname", "type", "remark", "permissions", "max_uses", "current_uses", "path", "passwd"],
    502: ["netname", "type", "remark", "permissions", "max_uses", "current_uses", "path", "passwd"],
}
SHARE_STR = {"netname", "remark", "path", "passwd"}


def share_entry(level, d):
    e = getattr(srvs, "SHARE_INFO_%d" % level)()
    fill(e, "shi%d_" % level, d, SHARE_STR, SHARE_KEYS[level])
    if level == 502:
        if d["sd"] is None:
            e["shi502_reserved"] = 0
            e["shi502_security_descriptor"] = NULL
        else:
            e["shi502_reserved"] = len(d["sd"])
            e["shi502_security_descriptor"] = list(d["sd"])
    return e


for level in (0, 1, 2, 502):
    q = srvs.NetrShareEnum()
    setopt(q, "ServerName", "\\\\srv")
    q["InfoStruct"]["Level"] = level
    q["InfoStruct"]["ShareInfo"]["tag"] = level
    q["InfoStruct"]["ShareInfo"]["Level%d" % level]["Buffer"] = NULL
    q["PreferedMaximumLength"] = 0xFFFFFFFF
    setresume(q, 0)
    out.emit("NetrShareEnumRequest_%d" % level, q)

    r = srvs.NetrShareEnumResponse()
    r["InfoStruct"]["Level"] = level
    r["InfoStruct"]["ShareInfo"]["tag"] = level
    c = r["InfoStruct"]["ShareInfo"]["Level%d" % level]
    c["EntriesRead"] = len(SHARES)
    for d in SHARES:
        c["Buffer"].append(share_entry(level, d))
    r["TotalEntries"] = 2
    setresume(r, 0)
    r["ErrorCode"] = 0
    out.emit("NetrShareEnumResponse_%d" % level, r)

    q = srvs.NetrShareGetInfo()
    setopt(q, "ServerName", "\\\\srv")
    q["NetName"] = z("data")
    q["Level"] = level
    out.emit("NetrShareGetInfoRequest_%d" % level, q)

    r = srvs.NetrShareGetInfoResponse()
    r["InfoStruct"]["tag"] = level
    r["InfoStruct"]["ShareInfo%d" % level] = share_entry(level, SHARES[1])
    r["ErrorCode"] = 0
    out.emit("NetrShareGetInfoResponse_%d" % level, r)

# ---- NetrServerGetInfo ------------------------------------------------------------

SERVER_KEYS = {
    100: ["platform_id", "name"],
    101: ["platform_id", "name", "version_major", "version_minor", "type", "comment"],
    102: ["platform_id", "name", "version_major", "version_minor", "type", "comment", "users",
          "disc", "hidden", "announce", "anndelta", "licenses", "userpath"],
}
for level in (100, 101, 102):
    q = srvs.NetrServerGetInfo()
    setopt(q, "ServerName", "\\\\srv")
    q["Level"] = level
    out.emit("NetrServerGetInfoRequest_%d" % level, q)

    r = srvs.NetrServerGetInfoResponse()
    r["InfoStruct"]["tag"] = level
    d = dict(SERVER)
    d["disc"] = d["disc"] & 0xFFFFFFFF  # impacket declares sv102_disc a DWORD
    fill(r["InfoStruct"]["ServerInfo%d" % level], "sv%d_" % level, d, {"name", "comment", "userpath"},
         SERVER_KEYS[level])
    r["ErrorCode"] = 0
    out.emit("NetrServerGetInfoResponse_%d" % level, r)

out.write()
