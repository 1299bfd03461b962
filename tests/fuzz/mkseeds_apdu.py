#!/usr/bin/env python3
"""Seed inputs for fuzz_apdu: scripted token answers, in the order cpkit
asks (serial, SELECT MF, 1000/1003, the walk, name.key, every file, then
the PIN gate), carrying a real fixture container as the token's EFs.

Usage: mkseeds_apdu.py FIXTURE_DIR OUT_DIR
The input format is fuzz_apdu.c's: a model byte (0 Lite, 1 Rutoken S),
then per answer a length byte and that many bytes, SW last."""
import os
import sys

SLOTS = {1: "masks.key", 2: "primary.key", 3: "header.key",
         4: "masks2.key", 5: "primary2.key", 6: "name.key"}


def rec(b):
    assert len(b) <= 255
    return bytes([len(b)]) + b


def fcp(fid, size, df, cond, swapped=False):
    def two(v):
        return bytes([v & 0xff, v >> 8]) if swapped else bytes([v >> 8, v & 0xff])
    body = b"\x80\x02" + two(size) + b"\x81\x02" + two(size)
    body += b"\x82\x02" + (b"\x38\x00" if df else b"\x01\x00")
    body += b"\x83\x02" + two(fid) + b"\x8a\x01\x05"
    if swapped:
        sec = bytes([1, 0 if cond == 0 else 1]) + bytes(6) + bytes([cond]) + bytes(31)
    else:
        sec = bytes([0x43, cond, 2, 1]) + bytes(11)
    body += bytes([0x86, len(sec)]) + sec
    return bytes([0x62, len(body)]) + body


def seed(model, files, pin_sw):
    ok = b"\x90\x00"
    swapped = model == 1
    out = bytes([model])
    out += rec((bytes(4) + b"\x1a\x2b\x3c\x4d" if not swapped else b"\x4d\x3c\x2b\x1a") + ok)
    out += rec(ok)                       # SELECT MF
    if not swapped:
        out += rec(ok)                   # 1000/1003
    out += rec(fcp(0x0a00, 0, True, 0, swapped) + ok)      # list first: DF
    present = sorted(files)
    for i, s in enumerate(present):      # the DF's EFs
        cond = 0 if s in (3, 6) else 2
        out += rec(fcp(0x0a00 | s, len(files[s]), False, cond, swapped) + ok)
    out += rec(b"\x6a\x82")              # end of the DF
    out += rec(fcp(0x1003, 0, True, 0, swapped) + ok)      # parent
    out += rec(b"\x6a\x82")              # no next container
    reads = []
    if 6 in files:
        reads.append(6)
    # cpk_token_read goes in cpk_file_id order: header, name, masks,
    # primary, masks2, primary2
    reads += [x for x in (3, 6, 1, 2, 4, 5) if x in files]
    for s in reads:
        out += rec(fcp(0x0a00 | s, len(files[s]), False, 0, swapped) + ok)
        data = files[s]
        for off in range(0, len(data), 0xf0):
            out += rec(data[off:off + 0xf0] + ok)
    out += rec(ok)                       # 80 40 00 00
    out += rec(pin_sw)                   # empty VERIFY
    out += rec(ok)                       # VERIFY
    return out


def main():
    fix, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    files = {}
    for s, name in SLOTS.items():
        p = os.path.join(fix, name)
        if os.path.exists(p):
            files[s] = open(p, "rb").read() + b"\xff" * 8
    cases = {
        "lite-full": seed(0, files, b"\x63\xca"),
        "s-full": seed(1, files, b"\x63\xca"),
        "lite-low-tries": seed(0, files, b"\x63\xc2"),
        "lite-blocked": seed(0, {k: v for k, v in files.items() if k in (3, 6)},
                             b"\x69\x83"),
        "lite-empty": bytes([0]) + rec(bytes(4) + b"\x00\x00\x00\x01\x90\x00")
        + rec(b"\x90\x00") + rec(b"\x90\x00") + rec(b"\x6a\x82"),
    }
    for name, data in cases.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
