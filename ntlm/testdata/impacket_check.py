# Checks an AUTHENTICATE message made by the Go client against impacket's
# NTLMv2 computations, and prints what impacket derives so the Go test can
# compare keys and signatures.
# Usage: impacket_check.py USER PASSWORD DOMAIN NEGOTIATE CHALLENGE AUTHENTICATE (hex)
import binascii
import sys

from Cryptodome.Cipher import ARC4
from impacket import ntlm

user, password, domain = sys.argv[1:4]
neg, chal, auth = (binascii.unhexlify(a) for a in sys.argv[4:7])

challenge = ntlm.NTLMAuthChallenge(chal)
am = ntlm.NTLMAuthChallengeResponse()
am.fromString(auth)

ok = True
def check(name, cond):
    global ok
    if not cond:
        ok = False
        print("FAIL " + name)

check("user", am['user_name'].decode('utf-16le') == user)
check("domain", am['domain_name'].decode('utf-16le') == domain)

nt = am['ntlm']
proof, temp = nt[:16], nt[16:]
key = ntlm.NTOWFv2(user, password, domain)
check("NTProofStr", ntlm.hmac_md5(key, challenge['challenge'] + temp) == proof)
base = ntlm.hmac_md5(key, proof)
exported = ARC4.new(base).decrypt(am['session_key'])

# The MIC sits at offset 72 (after the 8-byte Version).
mic = auth[72:88]
zeroed = auth[:72] + b"\0" * 16 + auth[88:]
check("MIC", ntlm.hmac_md5(exported, neg + chal + zeroed) == mic)

pairs = ntlm.AV_PAIRS(temp[28:])
check("MsvAvFlags", pairs[ntlm.NTLMSSP_AV_FLAGS] is not None and pairs[ntlm.NTLMSSP_AV_FLAGS][1][0] & 2 == 2)
check("target name", pairs[ntlm.NTLMSSP_AV_TARGET_NAME][1].decode('utf-16le') == "cifs/lanman")
check("timestamp echoed", pairs[ntlm.NTLMSSP_AV_TIME][1] == ntlm.AV_PAIRS(challenge['TargetInfoFields'])[ntlm.NTLMSSP_AV_TIME][1])

flags = am['flags']
csign = ntlm.SIGNKEY(flags, exported, 'Client')
cseal = ntlm.SEALKEY(flags, exported, 'Client')
sig = ntlm.SIGN(flags, csign, b"hello from go", 0, ARC4.new(cseal).encrypt)
print("ok" if ok else "bad")
print(binascii.hexlify(exported).decode())
print(binascii.hexlify(sig.getData()).decode())
