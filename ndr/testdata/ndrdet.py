"""Makes impacket's NDR output deterministic, for golden files.

impacket fills alignment gaps with marker octets (0xAA, 0xCC, ...) and draws
pointer referent ids at random. NDR leaves padding unspecified and only
requires non-NULL ids to be non-zero, but a golden file has to be
reproducible byte for byte, so this module, imported before any impacket
interface module:

  * rewrites impacket.dcerpc.v5.ndr so that every gap is zero octets, and
  * numbers referent ids 0x00020000, 0x00020004, ... in the order they are
    written, which is how Windows and Samba number them.

Nothing else about impacket's encoding is changed.
"""
import binascii
import re
import sys

import impacket.dcerpc.v5.ndr as _ndr

_src = open(_ndr.__file__, encoding="utf-8").read()
_src, _n = re.subn(r"b'\\x[0-9a-fA-F]{2}'\*(pad0?)", r"b'\\x00'*\1", _src)
if _n == 0:
    raise SystemExit("ndrdet: impacket's padding code changed; update the pattern")
exec(compile(_src, _ndr.__file__, "exec"), _ndr.__dict__)

_counter = [0]
_get_data = _ndr.NDRPOINTER.getData


def _numbered_get_data(self, soFar=0):
    if self.fields["ReferentID"] != 0:
        self.fields["ReferentID"] = 0x00020000 + 4 * _counter[0]
        _counter[0] += 1
    return _get_data(self, soFar)


_ndr.NDRPOINTER.getData = _numbered_get_data


def stub(msg):
    """The NDR stub of an impacket NDRCALL, with ids numbered from the start."""
    _counter[0] = 0
    return msg.getData()


class Output:
    """Collects "name hex" lines and writes them to stdout."""

    def __init__(self):
        self.lines = []
        self.names = set()

    def emit(self, name, msg):
        if name in self.names:
            raise SystemExit("duplicate golden name " + name)
        self.names.add(name)
        self.lines.append("%s %s" % (name, binascii.hexlify(stub(msg)).decode()))

    def write(self):
        sys.stdout.write("\n".join(self.lines) + "\n")
