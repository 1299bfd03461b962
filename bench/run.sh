#!/bin/sh
# CPKDF benchmark against its physical bound on this machine
# (../shared/docs/PERFORMANCE.md): openssl speed with gostprov gives hashes
# per second; one CPKDF is 2002 hashes, so bound = hashes/s / 2002.
set -eu
bin=${1:-build/bench/kdf}
secs=${2:-3}
ref() {	# ref DIGEST BYTES -> hashes per second
	openssl speed -provider gostprov -provider default -seconds "$secs" \
	    -bytes "$2" -evp "$1" 2>/dev/null | awk -v b="$2" '
	    /^'"$1"'/ { v = $NF; sub(/k$/, "", v); print v * 1000 / b }'
}
h94=$(ref md_gost94 128)
s256=$(ref md_gost12_256 192)
"$bin" "$secs" | while read -r prof rate rest; do
	case $prof in
	gost2001) bound=$(awk -v h="$h94" 'BEGIN { print h / 2002 }') ;;
	*) bound=$(awk -v h="$s256" 'BEGIN { print h / 2002 }') ;;
	esac
	awk -v p="$prof" -v r="$rate" -v b="$bound" 'BEGIN {
	    printf "%-13s cpkit %8.1f /s   bound %8.1f /s   %5.1f%% of bound\n",
	    p, r, b, 100 * r / b }'
done
