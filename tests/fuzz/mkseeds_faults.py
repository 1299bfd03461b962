#!/usr/bin/env python3
"""Seeds for fuzz_faults: sample containers in its input format (2 bytes N,
then header, name, masks, primary, masks2, primary2 as 2-byte length and
bytes), each with the allocation to fail. Run from the top folder."""
import os
import struct

FILES = ["header.key", "name.key", "masks.key", "primary.key",
         "masks2.key", "primary2.key"]
SAMPLES = ["good2001.000", "good2012.000", "two-keys.000", "badhead.000",
           "nohead.000", "renewal.000"]
OUT = "tests/fuzz/corpus/faults"

for s in SAMPLES:
    body = b""
    for f in FILES:
        p = os.path.join("samples/flash", s, f)
        data = open(p, "rb").read() if os.path.exists(p) else b""
        body += struct.pack(">H", len(data)) + data
    for n in (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377):
        with open(os.path.join(OUT, "%s-%d" % (s[:-4], n)), "wb") as o:
            o.write(struct.pack(">H", n) + body)
