# An SPNEGO/NTLM client built from impacket's token classes, run against a
# Go acceptor: tokens travel as hex lines (stdout out, stdin in).
# Usage: impacket_spnego.py USER PASSWORD DOMAIN [krb-first]
import binascii
import sys

from impacket import ntlm
from impacket.spnego import SPNEGO_NegTokenInit, SPNEGO_NegTokenResp, TypesMech


def send(b):
    sys.stdout.write(binascii.hexlify(b).decode() + "\n")
    sys.stdout.flush()


def recv():
    return binascii.unhexlify(sys.stdin.readline().strip())


user, password, domain = sys.argv[1:4]
krb_first = len(sys.argv) > 4

NTLMSSP = TypesMech['NTLMSSP - Microsoft NTLM Security Support Provider']
t1 = ntlm.getNTLMSSPType1('IMPKT', '', signingRequired=True)
init = SPNEGO_NegTokenInit()
if krb_first:
    init['MechTypes'] = [TypesMech['MS KRB5 - Microsoft Kerberos 5'], NTLMSSP]
else:
    init['MechTypes'] = [NTLMSSP]
    init['MechToken'] = t1.getData()
send(init.getData())

if krb_first:
    # The acceptor picks NTLMSSP without a token; send NEGOTIATE now.
    recv()  # request-mic with supportedMech NTLMSSP; impacket cannot parse a token-less reply
    nxt = SPNEGO_NegTokenResp()
    nxt['ResponseToken'] = t1.getData()
    send(nxt.getData())

resp = SPNEGO_NegTokenResp(recv())
assert resp['NegState'] == b'\x01', resp['NegState']
if not krb_first:
    assert resp['SupportedMech'] == NTLMSSP, resp['SupportedMech']
t3, key = ntlm.getNTLMSSPType3(t1, resp['ResponseToken'], user, password, domain)
final = SPNEGO_NegTokenResp()
final['ResponseToken'] = t3.getData()
send(final.getData())
send(key)
