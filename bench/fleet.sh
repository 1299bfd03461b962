#!/bin/sh
# Issue 19's bench lines: merge (cpkit-diag --merge over 1,000 hosts x 50
# containers: containers/s and peak RSS; the ratio is the rate over the
# goal of 50,000 containers/s) and scanmem (peak RSS of cpkit-list
# --json and cpkit-diag --jsonl over 20,000 and 90,000 containers; the
# ratio is the 90,000 peak over the 64 MiB goal). Usage:
# bench/fleet.sh BUILD [merge|scanmem]...; bench/run.sh runs both.
set -eu
build=$1
shift
[ $# -gt 0 ] || set -- merge scanmem
tmp=${TMPDIR:-/tmp}/cpkit-bench
mkdir -p "$tmp"
# peak RSS in KiB, wall seconds, CPU seconds (user + system) of CMD,
# its output thrown away: on a shared machine the wall time says more of
# the neighbours than of cpkit, so the CPU rate is given too
measure() {
	/usr/bin/time -f '%M %e %U %S' "$@" 2>&1 >/dev/null | tail -1 |
	    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}
for what; do
	case $what in
	merge)
		sh bench/mkfleet.sh "$build/bin" "$tmp/fleet" 1000 50
		rm -f "$tmp/fleet.zip"
		# a warm cache, as for the scan line
		cat "$tmp"/fleet/*/cpkit.jsonl >/dev/null
		set -- $(measure "$build/bin/cpkit-diag" --merge -q \
		    -o "$tmp/fleet.zip" "$tmp/fleet")
		n=$(unzip -p "$tmp/fleet.zip" fleet.json | jq .summary.containers)
		awk -v m="$1" -v t="$2" -v c="$3" -v n="$n" 'BEGIN { printf "merge %.2f cpkit-diag --merge %.0f containers/s (%d containers, 1,000 hosts, %.2fs; %.0f/s of CPU time, %.2fs), peak RSS %.1f MiB (goals: 50,000/s, 100 MiB)\n", n / t / 50000, n / t, n, t, n / c, c, m / 1024 }'
		rm -rf "$tmp/fleet" "$tmp/fleet.zip"
		;;
	scanmem)
		line="scanmem"
		# 1,000 copies of the samples (bench/mktree.sh), then that
		# folder copied whole: one cp a thousand containers
		sh bench/mktree.sh "$tmp/scanmem.base" 6000 1000
		for n in 20000 90000; do
			rm -rf "$tmp/scanmem"
			mkdir -p "$tmp/scanmem"
			k=0
			while [ $k -lt $((n / 1000)) ]; do
				cp -r "$tmp/scanmem.base" "$tmp/scanmem/k$k"
				k=$((k + 1))
			done
			set -- $(measure "$build/bin/cpkit-list" -q --json \
			    "$tmp/scanmem")
			l=$1 lt=$2
			set -- $(measure "$build/bin/cpkit-diag" -q --no-tokens \
			    --jsonl "$tmp/scanmem")
			line="$line $n: list --json $(awk -v m="$l" 'BEGIN { printf "%.1f", m / 1024 }') MiB ${lt}s, diag --jsonl $(awk -v m="$1" 'BEGIN { printf "%.1f", m / 1024 }') MiB $2s;"
			last=$l
			[ "$1" -gt "$last" ] && last=$1
		done
		rm -rf "$tmp/scanmem" "$tmp/scanmem.base"
		awk -v m="$last" -v l="$line" 'BEGIN { sub(/^scanmem /, "", l); printf "scanmem %.2f %s peak RSS (goal 64 MiB at any count)\n", m / 1024 / 64, l }'
		;;
	*) echo "bench/fleet.sh: no bench line '$what'" >&2; exit 2 ;;
	esac
done
