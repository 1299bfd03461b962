#!/bin/sh
# samples/images/flash-deleted.img: a 1.44 MB FAT12 flash image (made with
# mkfs.vfat and mtools) holding good2012.000, with good2001.000 and the
# Cyrillic-named container deleted - what cpkit-carve brings back.
set -eu
out=samples/images/flash-deleted.img
mkdir -p samples/images
rm -f "$out"
mkfs.vfat -C -F 12 -n KEYS -i 12345678 "$out" 1440 >/dev/null
mcopy -i "$out" -s samples/flash/good2012.000 samples/flash/good2001.000 \
    samples/flash/5f3a9c1d.000 ::/
mdeltree -i "$out" ::/good2001.000 ::/5f3a9c1d.000
