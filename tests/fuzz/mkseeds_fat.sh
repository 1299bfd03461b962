#!/bin/sh
# tests/fuzz/mkseeds_fat.sh: the hostile FAT12 seeds of fuzz_fat (issue 14,
# as tests/hostile/50-bounds.sh plays them on FAT12/16/32): a 64 KiB
# image holding a live container, a 3-cluster key file and a deleted
# container, patched so that a directory chain or a file chain loops, or a
# live key file claims 0xFFFFFFF0 bytes on a self-loop. Run from the top
# folder; needs mkfs.vfat and mtools. Writes tests/fuzz/corpus/fat/fat12-*.
set -eu
S=samples/flash
out=tests/fuzz/corpus/fat
t=$(mktemp -d /tmp/cpkit-seeds.XXXXXX)
trap 'rm -rf "$t"' EXIT

u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
putle() {
	i=0
	while [ $i -lt "$3" ]; do
		# shellcheck disable=SC2059
		printf "\\$(printf %03o $((($4 >> (8 * i)) & 255)))"
		i=$((i + 1))
	done | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
setfat12() {
	off=$(($(u16 "$1" 14) * $(u16 "$1" 11) + $2 + $2 / 2))
	old=$(u16 "$1" $off)
	if [ $(($2 % 2)) -eq 1 ]; then
		putle "$1" $off 2 $(((old & 15) | ($3 << 4)))
	else
		putle "$1" $off 2 $(((old & 61440) | ($3 & 4095)))
	fi
}
clusters() {
	mshowfat -i "$1" "$2" | sed 's/^[^<]*//' | tr '<> ' '\n\n\n' |
	    awk -F- 'NF { for (c = $1; c <= (NF > 1 ? $2 : $1); c++) print c }'
}

mkdir -p "$t/big.000"
head -c 1500 /dev/zero | tr '\0' 'x' >"$t/big.000/header.key"
cp "$S/good2012.000/name.key" "$t/big.000/"
: >"$t/e"
base=$t/base.img
mkfs.vfat -C -F 12 -s 1 -i 12345678 "$base" 64 >/dev/null
mmd -i "$base" ::/k ::/d
mcopy -i "$base" -s "$S/good2012.000" "$t/big.000" ::/k/
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	mcopy -i "$base" "$t/e" ::/k/long-file-name-$i.txt
done
mcopy -i "$base" -s "$S/good2001.000" ::/d/
mdeltree -i "$base" ::/d/good2001.000
kf=$(clusters "$base" ::/k | head -1)
kl=$(clusters "$base" ::/k | tail -2 | head -1)
hf=$(clusters "$base" ::/k/big.000/header.key | head -1)
hl=$(clusters "$base" ::/k/big.000/header.key | tail -2 | head -1)
pc=$(clusters "$base" ::/k/good2012.000/primary.key | head -1)
pe=$(LC_ALL=C grep -obUa 'PRIMARY KEY' "$base" | head -1 | cut -d: -f1)
for v in dir-self dir-loop file-self file-loop huge; do
	cp "$base" "$out/fat12-$v.img"
	case $v in
	dir-self) setfat12 "$out/fat12-$v.img" "$kf" "$kf" ;;
	dir-loop) setfat12 "$out/fat12-$v.img" "$kl" "$kf" ;;
	file-self) setfat12 "$out/fat12-$v.img" "$hf" "$hf" ;;
	file-loop) setfat12 "$out/fat12-$v.img" "$hl" "$hf" ;;
	huge)	putle "$out/fat12-$v.img" $((pe + 28)) 4 4294967280
		setfat12 "$out/fat12-$v.img" "$pc" "$pc" ;;
	esac
done
