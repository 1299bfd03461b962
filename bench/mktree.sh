#!/bin/sh
# A tree of FILES files holding CONTAINERS container folders (copies of the
# samples) among ordinary files, for the scan and audit benchmarks.
set -eu
dir=$1 files=$2 containers=$3
rm -rf "$dir"
mkdir -p "$dir"
i=0
set -- samples/flash/good2001.000 samples/flash/good2012.000 \
    samples/flash/good512.000 samples/flash/expired.000
while [ $i -lt "$containers" ]; do
	d="$dir/u$((i % 50))/c$i.000"
	mkdir -p "$d"
	eval src=\${$((i % 4 + 1))}
	cp "$src"/*.key "$d/"
	i=$((i + 1))
done
n=$((containers * 6))
j=0
while [ $n -lt "$files" ]; do
	sub="$dir/data$((j % 100))/x$((j % 7))"
	[ -d "$sub" ] || mkdir -p "$sub"
	: > "$sub/f$j.txt"
	n=$((n + 1))
	j=$((j + 1))
done
