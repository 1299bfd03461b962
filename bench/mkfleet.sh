#!/bin/sh
# A results folder as the Ansible role writes it (issue 19): HOSTS host
# folders, each a status.json and a cpkit.jsonl of CONTAINERS containers.
# The lines come from one real cpkit-diag --jsonl run over copies of the
# samples; each host's certificate fingerprints are made distinct (the
# worst case for the merge's memory: one entry a container), but for
# the first line's, which every host shares (one certificate on all).
set -eu
bin=$1 dir=$2 hosts=$3 containers=$4
rm -rf "$dir"
mkdir -p "$dir"
sh bench/mktree.sh "$dir.tree" $((containers * 6)) "$containers"
"$bin/cpkit-diag" -q --no-tokens --jsonl "$dir.tree" >"$dir.jsonl" 2>/dev/null || true
rm -rf "$dir.tree"
# the folders in one command, not one process a host
seq -f "$dir/host%05g" 1 "$hosts" | xargs mkdir -p
awk -v dir="$dir" -v hosts="$hosts" '
	{ line[NR] = $0 }
	END {
		for (h = 1; h <= hosts; h++) {
			d = sprintf("%s/host%05d", dir, h)
			f = d "/cpkit.jsonl"
			for (i = 1; i <= NR; i++) {
				l = line[i]
				if (i > 2)
					sub(/"sha256:/, "\"sha256:h" h "-" i "-", l)
				print l > f
			}
			close(f)
			s = d "/status.json"
			printf "{\"schema\":\"cpkit.fleet-host/1\",\"host\":\"host%05d\",\"state\":\"ok\",\"reason\":null,\"rc\":1}\n", h > s
			close(s)
		}
	}' "$dir.jsonl"
rm -f "$dir.jsonl"
