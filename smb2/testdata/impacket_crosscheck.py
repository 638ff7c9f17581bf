# Cross-check of package smb2's cryptography against impacket and
# Cryptodome (the library impacket's SMB3 code encrypts with). Reads a JSON
# object of hex strings on stdin, writes one on stdout. Run by
# crypto_impacket_test.go.
import hashlib, hmac, json, sys

from impacket import crypto
from impacket.smb3structs import SMB2_TRANSFORM_HEADER
from Cryptodome.Cipher import AES

inp = {k: bytes.fromhex(v) if isinstance(v, str) else v for k, v in json.load(sys.stdin).items()}
out = {}

sk = inp["session_key"]
pre = inp["preauth"]
K = crypto.KDF_CounterMode
out["kdf30_sign"] = K(sk, b"SMB2AESCMAC\x00", b"SmbSign\x00", 128)
out["kdf30_in"] = K(sk, b"SMB2AESCCM\x00", b"ServerIn \x00", 128)
out["kdf30_out"] = K(sk, b"SMB2AESCCM\x00", b"ServerOut\x00", 128)
out["kdf30_app"] = K(sk, b"SMB2APP\x00", b"SmbRpc\x00", 128)
out["kdf311_sign"] = K(sk, b"SMBSigningKey\x00", pre, 128)
out["kdf311_c2s"] = K(sk, b"SMBC2SCipherKey\x00", pre, 128)
out["kdf311_s2c"] = K(sk, b"SMBS2CCipherKey\x00", pre, 128)
out["kdf311_app"] = K(sk, b"SMBAppKey\x00", pre, 128)
full = inp["full_key"]
out["kdf311_c2s_256"] = K(full, b"SMBC2SCipherKey\x00", pre, 256)
out["kdf311_s2c_256"] = K(full, b"SMBS2CCipherKey\x00", pre, 256)

msg = inp["msg"]  # a message with a zeroed signature field
out["cmac"] = crypto.AES_CMAC(inp["key16"], msg, len(msg))
out["hmac"] = hmac.new(inp["key16"], msg, hashlib.sha256).digest()[:16]
g = AES.new(inp["key16"], AES.MODE_GCM, nonce=inp["gmac_nonce"])
g.update(msg)
out["gmac"] = g.digest()

h = hashlib.sha512(bytes(64) + inp["neg_req"]).digest()
out["preauth"] = hashlib.sha512(h + inp["neg_resp"]).digest()

# Decrypt the frames Go encrypted, and encrypt the message for Go.
def aes(cid, key, nonce):
    mode = AES.MODE_CCM if cid in (1, 3) else AES.MODE_GCM
    return AES.new(key, mode, nonce=nonce[: 11 if cid in (1, 3) else 12])

for cid in (1, 2, 3, 4):
    key = inp["key16"] if cid in (1, 2) else inp["key32"]
    frame = inp["go_frame_%d" % cid]
    th = SMB2_TRANSFORM_HEADER(frame)
    c = aes(cid, key, th["Nonce"])
    c.update(frame[20:52])
    try:
        out["go_plain_%d" % cid] = c.decrypt_and_verify(frame[52:], th["Signature"])
    except ValueError:
        out["go_plain_%d" % cid] = b"tag mismatch"
    t = SMB2_TRANSFORM_HEADER()
    t["Nonce"] = bytes(range(0x30, 0x30 + (11 if cid in (1, 3) else 12))) + bytes(5 if cid in (1, 3) else 4)
    t["OriginalMessageSize"] = len(msg)
    t["EncryptionAlgorithm"] = 1
    t["SessionID"] = 0x1122334455667788
    c = aes(cid, key, t["Nonce"])
    c.update(t.getData()[20:])
    ct = c.encrypt(msg)
    t["Signature"] = c.digest()
    out["py_frame_%d" % cid] = t.getData() + ct

json.dump({k: v.hex() for k, v in out.items()}, sys.stdout)
