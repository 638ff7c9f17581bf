#!/usr/bin/python3
"""NetrSessionEnum with impacket, as a whole process, for bench/run.

usage: impacket_netsessenum.py HOST PORT DOMAIN USER LEVEL

The password comes from the environment variable LANMAN_PASSWORD, never
from the command line. The call is impacket's own helper,
impacket.dcerpc.v5.srvs.hNetrSessionEnum, over its SMB transport to
\\PIPE\\srvsvc, with no client or user qualifier; the script prints the
number of entries received.
"""
import os
import sys

from impacket.dcerpc.v5 import srvs, transport
from impacket.dcerpc.v5.dtypes import NULL


def main():
    host, port, domain, user, level = sys.argv[1:6]
    level = int(level)
    rpc = transport.DCERPCTransportFactory(r"ncacn_np:%s[\pipe\srvsvc]" % host)
    rpc.set_dport(int(port))
    rpc.set_credentials(user, os.environ["LANMAN_PASSWORD"], domain)
    dce = rpc.get_dce_rpc()
    dce.connect()
    dce.bind(srvs.MSRPC_UUID_SRVS)
    resp = srvs.hNetrSessionEnum(dce, NULL, NULL, level)
    entries = resp["InfoStruct"]["SessionInfo"]["Level%d" % level]["Buffer"]
    print("entries %d" % len(entries))
    dce.disconnect()


if __name__ == "__main__":
    main()
