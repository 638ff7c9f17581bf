# Generates the golden PDUs of golden_test.go with impacket's own DCE/RPC
# client code (impacket.dcerpc.v5.rpcrt.DCERPC_v5): the bytes it sends for
# a bind of srvsvc v3.0 and for a NetrShareEnum request (opnum 15). A
# capturing transport stands in for the network and answers the bind with
# a bind_ack that impacket itself builds. Output: one "name hex" per line.
import sys
from impacket.dcerpc.v5 import rpcrt, srvs, transport
from impacket.dcerpc.v5.dtypes import NULL
from impacket.uuid import uuidtup_to_bin


class Capture(transport.DCERPCTransport):
    def __init__(self):
        transport.DCERPCTransport.__init__(self, '127.0.0.1', 445)
        self.sent = []
        self.replies = []

    def connect(self):
        return 1

    def disconnect(self):
        return 1

    def send(self, data, forceWriteAndx=0, forceRecv=0):
        self.sent.append(bytes(data))

    def recv(self, forceRecv=0, count=0):
        return self.replies.pop(0)


def bind_ack(call_id):
    ack = rpcrt.MSRPCBindAck()
    ack['max_tfrag'] = 4280
    ack['max_rfrag'] = 4280
    ack['assoc_group'] = 0x1234
    ack['SecondaryAddrLen'] = 13
    ack['SecondaryAddr'] = b'\\PIPE\\srvsvc\x00'
    ack['Pad'] = b'\x00' * ((4 - (26 + 13) % 4) % 4)
    ack['ctx_num'] = 1
    res = rpcrt.CtxItemResult()
    res['Result'] = 0
    res['Reason'] = 0
    res['TransferSyntax'] = uuidtup_to_bin(('8a885d04-1ceb-11c9-9fe8-08002b104860', '2.0'))
    ack['ctx_items'] = res.getData()
    hdr = rpcrt.MSRPCHeader()
    hdr['type'] = rpcrt.MSRPC_BINDACK
    hdr['flags'] = rpcrt.PFC_FIRST_FRAG | rpcrt.PFC_LAST_FRAG
    hdr['call_id'] = call_id
    hdr['pduData'] = ack.getData()
    return hdr.get_packet()


def main():
    t = Capture()
    d = rpcrt.DCERPC_v5(t)
    t.replies.append(bind_ack(1))
    d.bind(srvs.MSRPC_UUID_SRVS)
    req = srvs.NetrShareEnum()
    req['ServerName'] = '\\\\127.0.0.1\x00'
    req['InfoStruct']['Level'] = 1
    req['InfoStruct']['ShareInfo']['tag'] = 1
    req['InfoStruct']['ShareInfo']['Level1']['Buffer'] = NULL
    req['PreferedMaximumLength'] = 0xFFFFFFFF
    req['ResumeHandle'] = NULL
    d.call(req.opnum, req)
    # An NTLM-authenticated bind at packet integrity: the bind carries the
    # NTLMSSP NEGOTIATE in its auth verifier. Processing the canned
    # bind_ack (which has no challenge) then fails; only the bind matters.
    t2 = Capture()
    d2 = rpcrt.DCERPC_v5(t2)
    d2.set_credentials('user', 'password', 'DOMAIN')
    d2.set_auth_type(rpcrt.RPC_C_AUTHN_WINNT)
    d2.set_auth_level(rpcrt.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)
    t2.replies.append(bind_ack(1))
    try:
        d2.bind(srvs.MSRPC_UUID_SRVS)
    except Exception:
        pass
    t.sent.append(t2.sent[0])
    names = ['bind', 'request', 'bind_auth']
    if len(t.sent) != 3:
        sys.exit('expected 3 PDUs, got %d' % len(t.sent))
    for name, b in zip(names, t.sent):
        print(name, b.hex())


main()
