#!/usr/bin/python3
"""Builds MS-WKST request and response stubs with impacket's wkst NDR classes
and prints them as "name hex" lines: the golden file impacket.golden.

Run with Debian's python3-impacket:  /usr/bin/python3 impacket_gen.py

The values mirror goldenCases in cases_test.go. ndrdet makes impacket's
output deterministic (see ndr/testdata/ndrdet.py).

Two impacket definitions are corrected here, each for a reason stated where
it is done; everything else is impacket's own.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ndr", "testdata"))
import ndrdet  # noqa: E402  (patches impacket before its users import it)

from impacket.dcerpc.v5 import wkst  # noqa: E402
from impacket.dcerpc.v5.dtypes import LPULONG, ULONG  # noqa: E402
from impacket.dcerpc.v5.ndr import (NDRCALL, NDRPOINTER, NDRSTRUCT, NDRUNION,  # noqa: E402
                                    NDRUniConformantArray, NULL)

out = ndrdet.Output()


def z(s):
    return s + "\x00"


def setopt(st, field, s):
    st[field] = z(s) if s else NULL


def setnullable(st, field, s):
    st[field] = NULL if s is None else z(s)


def setresume(st, v):
    st["ResumeHandle"] = NULL if v is None else v


# Correction 1: MS-WKST 2.2.5.26-28 print USE_INFO_n_CONTAINER.Buffer without
# size_is, and impacket follows the letter (a pointer to one structure). A
# container of one structure could not carry EntriesRead > 1; Windows and
# Samba (wkssvc.idl: [size_is(count)]) marshal a conformant array, and so
# does lanman.
def _use_container(info):
    arr = type("%s_ARRAY" % info.__name__, (NDRUniConformantArray,), {"item": info})
    parr = type("LP%s_ARRAY" % info.__name__, (NDRPOINTER,), {"referent": (("Data", arr),)})
    cont = type("%s_CONTAINER" % info.__name__, (NDRSTRUCT,),
                {"structure": (("EntriesRead", ULONG), ("Buffer", parr))})
    return type("LP%s_CONTAINER" % info.__name__, (NDRPOINTER,), {"referent": (("Data", cont),)})


class USE_ENUM_UNION(NDRUNION):
    commonHdr = (("tag", ULONG),)
    union = {
        0: ("Level0", _use_container(wkst.USE_INFO_0)),
        1: ("Level1", _use_container(wkst.USE_INFO_1)),
        2: ("Level2", _use_container(wkst.USE_INFO_2)),
    }


class USE_ENUM_STRUCT(NDRSTRUCT):
    structure = (("Level", ULONG), ("UseInfo", USE_ENUM_UNION))


class NetrUseEnum(NDRCALL):
    opnum = 11
    structure = (
        ("ServerName", wkst.LPWKSSVC_IMPERSONATE_HANDLE),
        ("InfoStruct", USE_ENUM_STRUCT),
        ("PreferredMaximumLength", ULONG),
        ("ResumeHandle", LPULONG),
    )


class NetrUseEnumResponse(NDRCALL):
    structure = (
        ("InfoStruct", USE_ENUM_STRUCT),
        ("TotalEntries", ULONG),
        ("ResumeHandle", LPULONG),
        ("ErrorCode", ULONG),
    )


# Correction 2: impacket declares NetrWkstaUserEnumResponse.ResumeHandle a
# plain ULONG; MS-WKST 3.2.4.3 has [in,out,unique] unsigned long*.
class NetrWkstaUserEnumResponse(NDRCALL):
    structure = (
        ("UserInfo", wkst.WKSTA_USER_ENUM_STRUCT),
        ("TotalEntries", ULONG),
        ("ResumeHandle", LPULONG),
        ("ErrorCode", ULONG),
    )


# ---- data shared with cases_test.go -----------------------------------------

WKSTA = dict(platform_id=500, computername="WS-01", langroup="WORKGROUP", ver_major=10,
             ver_minor=0, lanroot="C:\\Windows", logged_on_users=2)
WKSTA_KEYS = {
    100: ["platform_id", "computername", "langroup", "ver_major", "ver_minor"],
    101: ["platform_id", "computername", "langroup", "ver_major", "ver_minor", "lanroot"],
    102: ["platform_id", "computername", "langroup", "ver_major", "ver_minor", "lanroot", "logged_on_users"],
}
WKSTA_STR = {"computername", "langroup", "lanroot"}

USERS = [
    dict(username="alice", logon_domain="CORP", oth_domains="", logon_server="DC1"),
    dict(username="Zoë", logon_domain="WS-01", oth_domains="X Y", logon_server="WS-01"),
]

USES = [
    dict(local="Z:", remote="\\\\srv\\data", password=None, status=0, asg_type=0, refcount=1,
         usecount=1, username="alice", domainname="CORP"),
    dict(local="", remote="\\\\srv\\IPC$", password="", status=2, asg_type=3, refcount=0,
         usecount=2, username=None, domainname=None),
]


def fill_use(e, level, d):
    if level >= 2:
        fill_use(e["ui2_useinfo"], 1, d)
        setnullable(e, "ui2_username", d["username"])
        setnullable(e, "ui2_domainname", d["domainname"])
        return
    p = "ui%d_" % level
    e[p + "local"] = z(d["local"])
    e[p + "remote"] = z(d["remote"])
    if level == 1:
        setnullable(e, p + "password", d["password"])
        for k in ("status", "asg_type", "refcount", "usecount"):
            e[p + k] = d[k]


# ---- NetrWkstaGetInfo ---------------------------------------------------------

for level in (100, 101, 102):
    q = wkst.NetrWkstaGetInfo()
    setopt(q, "ServerName", "\\\\ws-01")
    q["Level"] = level
    out.emit("NetrWkstaGetInfoRequest_%d" % level, q)

    r = wkst.NetrWkstaGetInfoResponse()
    r["WkstaInfo"]["tag"] = level
    e = r["WkstaInfo"]["WkstaInfo%d" % level]
    for k in WKSTA_KEYS[level]:
        e["wki%d_%s" % (level, k)] = z(WKSTA[k]) if k in WKSTA_STR else WKSTA[k]
    r["ErrorCode"] = 0
    out.emit("NetrWkstaGetInfoResponse_%d" % level, r)

# ---- NetrWkstaUserEnum ---------------------------------------------------------

for level in (0, 1):
    q = wkst.NetrWkstaUserEnum()
    setopt(q, "ServerName", "")
    q["UserInfo"]["Level"] = level
    q["UserInfo"]["WkstaUserInfo"]["tag"] = level
    q["UserInfo"]["WkstaUserInfo"]["Level%d" % level]["Buffer"] = NULL
    q["PreferredMaximumLength"] = 0xFFFFFFFF
    setresume(q, 0 if level == 1 else None)
    out.emit("NetrWkstaUserEnumRequest_%d" % level, q)

    r = NetrWkstaUserEnumResponse()
    r["UserInfo"]["Level"] = level
    r["UserInfo"]["WkstaUserInfo"]["tag"] = level
    c = r["UserInfo"]["WkstaUserInfo"]["Level%d" % level]
    c["EntriesRead"] = len(USERS)
    for d in USERS:
        e = getattr(wkst, "WKSTA_USER_INFO_%d" % level)()
        keys = ["username"] if level == 0 else ["username", "logon_domain", "oth_domains", "logon_server"]
        for k in keys:
            e["wkui%d_%s" % (level, k)] = z(d[k])
        c["Buffer"].append(e)
    r["TotalEntries"] = 2
    setresume(r, 0 if level == 1 else None)
    r["ErrorCode"] = 0
    out.emit("NetrWkstaUserEnumResponse_%d" % level, r)

# ---- NetrUseAdd / GetInfo ---------------------------------------------------------

for level in (0, 1, 2, 3):
    q = wkst.NetrUseAdd()
    setopt(q, "ServerName", "")
    q["Level"] = level
    q["InfoStruct"]["tag"] = level
    e = q["InfoStruct"]["UseInfo%d" % level]
    if level == 3:
        fill_use(e["ui3_ui2"], 2, USES[0])
        e["ui3_flags"] = 0
    else:
        fill_use(e, level, USES[0])
    q["ErrorParameter"] = 0 if level == 1 else NULL
    out.emit("NetrUseAddRequest_%d" % level, q)

    q = wkst.NetrUseGetInfo()
    setopt(q, "ServerName", "")
    q["UseName"] = z("Z:")
    q["Level"] = level
    out.emit("NetrUseGetInfoRequest_%d" % level, q)

    r = wkst.NetrUseGetInfoResponse()
    r["InfoStruct"]["tag"] = level
    e = r["InfoStruct"]["UseInfo%d" % level]
    if level == 3:
        fill_use(e["ui3_ui2"], 2, USES[1])
        e["ui3_flags"] = 0
    else:
        fill_use(e, level, USES[1])
    r["ErrorCode"] = 0
    out.emit("NetrUseGetInfoResponse_%d" % level, r)

r = wkst.NetrUseAddResponse()
r["ErrorParameter"] = 3
r["ErrorCode"] = 87
out.emit("NetrUseAddResponse", r)

# ---- NetrUseDel ---------------------------------------------------------------------

q = wkst.NetrUseDel()
setopt(q, "ServerName", "")
q["UseName"] = z("\\\\srv\\IPC$")
q["ForceLevel"] = 2
out.emit("NetrUseDelRequest", q)
r = wkst.NetrUseDelResponse()
r["ErrorCode"] = 2250
out.emit("NetrUseDelResponse", r)

# ---- NetrUseEnum ----------------------------------------------------------------------

for level in (0, 1, 2):
    q = NetrUseEnum()
    setopt(q, "ServerName", "")
    q["InfoStruct"]["Level"] = level
    q["InfoStruct"]["UseInfo"]["tag"] = level
    q["InfoStruct"]["UseInfo"]["Level%d" % level]["Buffer"] = NULL
    q["PreferredMaximumLength"] = 0xFFFFFFFF
    setresume(q, 0)
    out.emit("NetrUseEnumRequest_%d" % level, q)

    r = NetrUseEnumResponse()
    r["InfoStruct"]["Level"] = level
    r["InfoStruct"]["UseInfo"]["tag"] = level
    c = r["InfoStruct"]["UseInfo"]["Level%d" % level]
    c["EntriesRead"] = len(USES)
    for d in USES:
        e = getattr(wkst, "USE_INFO_%d" % level)()
        fill_use(e, level, d)
        c["Buffer"].append(e)
    r["TotalEntries"] = 2
    setresume(r, 1)
    r["ErrorCode"] = 0
    out.emit("NetrUseEnumResponse_%d" % level, r)

out.write()
