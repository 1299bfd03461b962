# Issue 14, point 12: errors that mislead. A full disk is "no space left
# on device" and exit 3, leaving no partial output; a search cut short by
# a limit (100,000 folders, 32 levels, PATH_MAX) says so in the report and
# the exit status instead of listing what readdir() gave first. Sourced by
# tests/e2e_hostile.sh from $tmp.
mkdir -p errors && cd errors || exit 1

# --- a full disk: a 256 KiB tmpfs filled to its last block -------------
mkdir -p full
if mount -t tmpfs -o size=256k cpkit-e2e-full full 2>/dev/null; then
	dd if=/dev/zero of=full/fill bs=4k 2>/dev/null
	full_left() {	# nothing but the filler is left on the disk
		l=$(cd full && ls -A)
		if [ "$l" = fill ]; then ok
		else bad "$1: left on the full disk: $(echo $l | head -c 200)"; fi
	}
	run "full: export folder" 3 "$bin/cpkit-export" --to folder full/out \
	    "$flash/good2012.000"
	has "full: export folder" "$tmp/err" "full/out: "
	has "full: export folder says" "$tmp/err" "no space left on device"
	full_left "full: export folder"
	run "full: fix --out" 3 "$bin/cpkit-fix" --out full/fx \
	    "$flash/badmasks.000"
	has "full: fix" "$tmp/err" "full/fx: "
	has "full: fix says" "$tmp/err" "no space left on device"
	full_left "full: fix --out"
	run "full: carve" 3 "$bin/cpkit-carve" -q -o full/carved \
	    "$samples/images/flash-deleted.img"
	has "full: carve" "$tmp/err" "full/carved/"
	has "full: carve says" "$tmp/err" "no space left on device"
	full_left "full: carve"
	run "full: diag" 3 "$bin/cpkit-diag" -o full/b.zip "$flash/good2012.000"
	has "full: diag" "$tmp/err" "full/b.zip: "
	has "full: diag says" "$tmp/err" "no space left on device"
	full_left "full: diag"
	run "full: export reg" 3 "$bin/cpkit-export" --to reg full/o.reg \
	    --machine "$flash/good2012.000"
	has "full: export reg says" "$tmp/err" "no space left on device"
	full_left "full: export reg"
	umount full
else
	echo "12-errors: no tmpfs mount (not root?): the disk-full cases are skipped"
fi

# --- over the walk's limit of 100,000 folders ---------------------------
# a real tree; on a tmpfs when one can be mounted (making and removing
# 100,000 folders on a busy disk takes minutes, on a tmpfs a second)
mkdir -p big
big_mnt=
mount -t tmpfs -o size=16m,nr_inodes=200000 cpkit-e2e-big big 2>/dev/null &&
    big_mnt=1
mkdir -p big/t
t0=$(date +%s)
(cd big/t && seq -f 'd%06g' 1 100001 | xargs mkdir)
cp -r "$flash/good2012.000" big/t/d000001/
t1=$(date +%s)
[ $((t1 - t0)) -le 60 ] || echo "12-errors: 100,001 folders took $((t1 - t0)) s"
run "limit: list" 1 "$bin/cpkit-list" big
has "limit: list names the path" "$tmp/err" "big: "
has "limit: list names the limit" "$tmp/err" "100000"
run "limit: list -q" 1 "$bin/cpkit-list" -q big
run "limit: diag" 1 "$bin/cpkit-diag" -o big.zip big
unzip -p big.zip report.json >big.json
[ "$(jq .summary.complete big.json)" = false ] && ok ||
    bad "limit: report.json: summary.complete is not false"
jq -r '.problems[] | select(.id == "scan-incomplete") | .message' big.json \
    >big.msg
has "limit: report.json message" big.msg "big: "
has "limit: report.json limit" big.msg "100000"
unzip -p big.zip report.txt >big.txt
has "limit: report.txt" big.txt "scan-incomplete"
unzip -p big.zip report.html >big.html
has "limit: report.html" big.html "<code>scan-incomplete</code>"
# whatever --fail-on asks, an incomplete search is not "nothing to report"
run "limit: diag --fail-on expired" 1 "$bin/cpkit-diag" --fail-on expired \
    --jsonl big
if [ -n "$big_mnt" ]; then umount big; else rm -rf big; fi
# the same tree less one folder is searched whole; it holds no container,
# which is a finding (1) in every checking tool (STYLE.md §11)
mkdir -p small/t
(cd small/t && seq -f 'd%04g' 1 300 | xargs mkdir)
run "limit: small diag" 1 "$bin/cpkit-diag" -o small.zip small
[ "$(unzip -p small.zip report.json | jq .summary.complete)" = true ] && ok ||
    bad "limit: a whole search is not complete: true"

# --- a path longer than PATH_MAX: warned, never skipped in silence ------
long=$(printf '%0250d' 0)
mkdir -p deep/c
cp -r "$flash/good2012.000" deep/c/
(cd deep && i=0 && while [ $i -lt 17 ]; do
	mkdir "$long" && cd -P "$long" || exit 1
	i=$((i + 1))
done && cp -r "$flash/good2001.000" .)
run "path_max: list" 1 "$bin/cpkit-list" deep
has "path_max: the container above is listed" "$tmp/out" 'good2012'
has "path_max: warned" "$tmp/err" "4095"
has "path_max: names the folder" "$tmp/err" "deep/0000000000"
rm -rf deep
cd "$tmp" || exit 1
