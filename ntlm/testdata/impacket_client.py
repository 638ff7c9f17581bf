# Acts as an NTLM client with impacket against a Go acceptor. Tokens travel
# as hex lines: this script writes to stdout and reads from stdin.
# Usage: impacket_client.py USER PASSWORD DOMAIN [NTHASH]
import binascii
import sys

from Cryptodome.Cipher import ARC4
from impacket import ntlm


def send(b):
    sys.stdout.write(binascii.hexlify(b).decode() + "\n")
    sys.stdout.flush()


def recv():
    return binascii.unhexlify(sys.stdin.readline().strip())


user, password, domain = sys.argv[1:4]
nthash = binascii.unhexlify(sys.argv[4]) if len(sys.argv) > 4 else ''

t1 = ntlm.getNTLMSSPType1('IMPKT', '', signingRequired=True)
send(t1.getData())
t2 = recv()
t3, key = ntlm.getNTLMSSPType3(t1, t2, user, password, domain, nthash=nthash)
send(t3.getData())
send(key)

flags = t3['flags']
csign = ntlm.SIGNKEY(flags, key, 'Client')
cseal = ntlm.SEALKEY(flags, key, 'Client')
ssign = ntlm.SIGNKEY(flags, key, 'Server')
sseal = ntlm.SEALKEY(flags, key, 'Server')
chandle = ARC4.new(cseal).encrypt
shandle = ARC4.new(sseal).encrypt

# Client to server: a signed message (seq 0), then a sealed one (seq 1).
msg = b"signed by impacket"
send(msg)
send(ntlm.SIGN(flags, csign, msg, 0, chandle).getData())
plain = b"sealed by impacket"
sealed, sig = ntlm.SEAL(flags, csign, cseal, plain, plain, 1, chandle)
send(sealed)
send(sig.getData())

# Server to client: check the Go server's signature (seq 0) and unseal its
# sealed reply (seq 1).
reply, rsig = recv(), recv()
ok1 = ntlm.SIGN(flags, ssign, reply, 0, shandle).getData() == rsig
sealed_reply, rsig2 = recv(), recv()
clear = shandle(sealed_reply)
ok2 = ntlm.SIGN(flags, ssign, clear, 1, shandle).getData() == rsig2
send(b"ok" if ok1 and ok2 else b"bad")
send(clear)
