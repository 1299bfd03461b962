#!/bin/sh
# Streaming (issue 19 part 4): cpkit-list --json/--csv/--csv-excel and
# cpkit-diag --jsonl without a sort write each container as soon as it is
# checked and keep none. The streamed output holds the same containers as
# the sorted path's (duplicate-name included), and the peak RSS over
# 6,000 containers stays far below what a decoded container each took
# (about 12 KB a container: 70 MB and more here before the change).
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-stream.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"

# 6,000 containers: 500 copies of the samples, copied whole 12 times,
# and the samples' two containers of one name
sh bench/mktree.sh "$tmp/base" 3000 500
mkdir "$tmp/t"
for k in 0 1 2 3 4 5 6 7 8 9 10 11; do cp -r "$tmp/base" "$tmp/t/k$k"; done
cp -r samples/duplicate "$tmp/t/dup"
n=6002

# the same containers, streamed and sorted
run "list json" 1 "$bin/cpkit-list" -q --json "$tmp/t"
jq -c 'sort_by(.location) | .[]' "$tmp/out" >"$tmp/stream"
run "list json sorted" 1 "$bin/cpkit-list" -q --json --sort name "$tmp/t"
jq -c 'sort_by(.location) | .[]' "$tmp/out" >"$tmp/sorted"
[ "$(wc -l <"$tmp/stream")" -eq "$n" ] && ok || bad "list json: not $n containers"
cmp -s "$tmp/stream" "$tmp/sorted" && ok || bad "list json: streamed and sorted differ"
[ "$(jq -r 'select(.location | test("/dup/")) | [.findings[].id] | index("duplicate-name") != null' "$tmp/stream" | sort -u)" = true ] && ok || bad "list json: duplicate-name lost"
run "list csv" 1 "$bin/cpkit-list" -q --csv "$tmp/t"
[ "$(wc -l <"$tmp/out")" -eq $((n + 1)) ] && ok || bad "list csv: not a head and $n rows"
head -1 "$tmp/out" | grep -q '^fqcn,location,name,' && ok || bad "list csv: head"
sort "$tmp/out" >"$tmp/cs"
run "list csv sorted" 1 "$bin/cpkit-list" -q --csv --sort name "$tmp/t"
sort "$tmp/out" >"$tmp/cs2"
cmp -s "$tmp/cs" "$tmp/cs2" && ok || bad "list csv: streamed and sorted differ"
run "list csv-excel" 1 "$bin/cpkit-list" -q --csv-excel samples/duplicate
head -c 3 "$tmp/out" | od -An -tx1 | grep -q 'ef bb bf' && ok || bad "csv-excel: no BOM"
# an empty medium: the head and tail alone, and the finding
mkdir "$tmp/empty"
run "list json empty" 1 "$bin/cpkit-list" -q --json "$tmp/empty"
[ "$(jq length "$tmp/out")" = 0 ] && ok || bad "list json empty: not []"
has "list json empty" "$tmp/err" "no key containers found"
run "list json missing" 2 "$bin/cpkit-list" -q --json "$tmp/nowhere"
[ -s "$tmp/out" ] && bad "list json missing: output before the refusal" || ok

# cpkit-diag --jsonl: the same lines as with a bundle (not streamed)
run "diag jsonl" 1 "$bin/cpkit-diag" -q --no-tokens --jsonl "$tmp/t"
jq -c 'select(.container) | del(.certificate_file)' "$tmp/out" | sort >"$tmp/dstream"
run "diag jsonl bundle" 1 "$bin/cpkit-diag" -q --no-tokens --jsonl -o "$tmp/b.zip" "$tmp/t"
jq -c 'select(.container) | del(.certificate_file)' "$tmp/out" | sort >"$tmp/dbundle"
[ "$(wc -l <"$tmp/dstream")" -eq "$n" ] && ok || bad "diag jsonl: not $n lines"
cmp -s "$tmp/dstream" "$tmp/dbundle" && ok || bad "diag jsonl: streamed and bundled lines differ"
run "diag jsonl missing" 2 "$bin/cpkit-diag" -q --jsonl "$tmp/nowhere"
[ -s "$tmp/out" ] && bad "diag jsonl missing: output before the refusal" || ok

# the peak RSS: far below a decoded container each. Not under ASan (make
# asan sets ASAN_OPTIONS): its shadow memory and quarantine, not cpkit,
# decide the peak there
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
if [ -n "${ASAN_OPTIONS:-}" ]; then
	echo "e2e-stream: peak RSS not measured under ASan"
else
	m=$(rss "$bin/cpkit-list" -q --json "$tmp/t")
	[ "$m" -lt 32768 ] && ok || bad "list json: peak RSS $m KiB over $n containers"
	m=$(rss "$bin/cpkit-diag" -q --no-tokens --jsonl "$tmp/t")
	[ "$m" -lt 32768 ] && ok || bad "diag jsonl: peak RSS $m KiB over $n containers"
fi

e2e_done e2e-stream
