#!/bin/sh
# `make test-windows` (issue 21): the files-and-folders port layer
# (compat/win/fs_*.c) under wine64, against the Linux build.
#
#   1. fs_probe.exe: each POSIX call media/ and recovery/ use, with the
#      outcome Linux gives (tests/win/fs_probe.c), and the reparse-point
#      decisions as pure functions;
#   2. cpkit-list and cpkit-test over samples/flash and the real
#      containers: the same stdout, byte for byte, and the same exit;
#   3. what is not a regular file in place of a key file (a folder, a
#      FIFO) gives file-not-regular as on Linux; reparse points: wine 8
#      can make none (mklink does nothing, FSCTL_SET_REPARSE_POINT is
#      ERROR_NOT_SUPPORTED) and shows a Unix symbolic link as the file it
#      points to; the script tries mklink /J and checks the refusal when
#      a wine that can make one runs it, and says SKIP otherwise;
#   4. cpkit-fix --in-place: the repaired folder byte-identical to
#      Linux's, one backup archive holding the original, no staging
#      folder left, nothing else beside it;
#   5. cpkit-diag --merge over a results tree: the same three reports;
#   6. a run killed between the two renames of the swap (Windows has no
#      RENAME_EXCHANGE): the next run brings the original back; and
#      killed after each step as tests/e2e_fix.sh does on Linux.
#
#   sh tests/win/e2e_fs.sh      (after make all, make windows and
#                                make build-win/tests/win/fs_probe.exe)
#
# Exit 0 when every check passes, 1 otherwise, 77 without wine64.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
. "$top/tests/win/wine_lib.sh"
lin=$top/build/bin
win=$top/build-win/bin
probe=$top/build-win/tests/win/fs_probe.exe
for t in list test fix diag; do
	[ -x "$lin/cpkit-$t" ] && [ -f "$win/cpkit-$t.exe" ] || {
		echo "e2e_fs: cpkit-$t or cpkit-$t.exe missing: make all windows" >&2
		exit 1
	}
done
[ -f "$probe" ] || {
	echo "e2e_fs: $probe missing: make $probe" >&2
	exit 1
}
export CPKIT_NOW=2025-06-01 LC_ALL=C.UTF-8
unset LANG LANGUAGE
"$WINE" "$win/cpkit-list.exe" --version >/dev/null 2>&1

# --- 1. the port layer alone ---------------------------------------------
mkdir -p "$wtmp/probe"
"$WINE" "$probe" "$wtmp/probe" >"$wtmp/probe.out" 2>&1
rc=$?
n=$(grep -c '^ok ' "$wtmp/probe.out")
if [ "$rc" -eq 0 ] && [ "$n" -ge 50 ]; then
	wok
else
	wbad "fs_probe: exit $rc, $n checks passed"
	grep -v '^ok ' "$wtmp/probe.out" | head -10 | sed 's/^/        /'
fi

# --- 2. the same output as Linux -------------------------------------------
# same NAME TOOL ARGS...: exit status and stdout, byte for byte
same() {
	name=$1 tool=$2
	shift 2
	"$lin/$tool" "$@" >"$wtmp/l.out" 2>/dev/null
	lrc=$?
	"$WINE" "$win/$tool.exe" "$@" >"$wtmp/w.out" 2>/dev/null
	wrc=$?
	rm -f "$wtmp/l.err" "$wtmp/w.err"
	wine_verdict "$name" "$lrc" "$wrc"
}
same list-flash cpkit-list "$top/samples/flash"
same test-flash cpkit-test "$top/samples/flash"
if [ -d "$fixtures" ]; then
	same list-real cpkit-list "$fixtures"
	same test-real cpkit-test "$fixtures"
else
	echo "SKIP: $fixtures missing"
fi

# a folder and a container with Cyrillic names: UTF-8 to UTF-16 and back
mkdir -p "$wtmp/ключи"
cp -r "$top/samples/flash/good2001.000" "$wtmp/ключи/контейнер.000"
same list-cyrillic cpkit-list "$wtmp/ключи"
same test-cyrillic cpkit-test "$wtmp/ключи/контейнер.000"

# --- 3. no regular file in place of a key file -----------------------------
# finding NAME FOLDER: cpkit-test gives file-not-regular on both
finding() {
	name=$1 dir=$2
	"$lin/cpkit-test" --json "$dir" >"$wtmp/l.out" 2>/dev/null
	"$WINE" "$win/cpkit-test.exe" --json "$dir" >"$wtmp/w.out" 2>/dev/null
	if grep -q file-not-regular "$wtmp/l.out" &&
	    grep -q file-not-regular "$wtmp/w.out"; then
		wok
	else
		wbad "$name: file-not-regular: Linux $(grep -c file-not-regular \
		    "$wtmp/l.out"), wine $(grep -c file-not-regular "$wtmp/w.out")"
	fi
}
c=$wtmp/odd/dirhead.000
mkdir -p "$c"
cp "$top/samples/flash/good2001.000"/* "$c/"
rm "$c/header.key"
mkdir "$c/header.key"
finding folder-as-key "$c"
same folder-as-key-list cpkit-list "$c"
c=$wtmp/odd/fifo.000
mkdir -p "$c"
cp "$top/samples/flash/good2001.000"/* "$c/"
rm "$c/masks.key"
if mkfifo "$c/masks.key" 2>/dev/null; then
	finding fifo-as-key "$c"
fi
# a junction made by wine's own mklink, if this wine can make one
c=$wtmp/odd/junction
mkdir -p "$c" "$wtmp/odd/target"
cp -r "$top/samples/flash/good2001.000" "$wtmp/odd/target/"
wc=$("$WINE" winepath -w "$c" 2>/dev/null | tr -d '\r')
wt=$("$WINE" winepath -w "$wtmp/odd/target" 2>/dev/null | tr -d '\r')
"$WINE" cmd /c mklink /J "$wc\\inner" "$wt" >/dev/null 2>&1
if [ -e "$c/inner" ] && "$WINE" "$probe" "$c" inner 2>&1 |
    grep -q '^ok link-lstat'; then
	# the walk does not enter a link: the container behind it is not
	# listed, as on Linux for a symbolic link to a folder
	"$WINE" "$win/cpkit-list.exe" "$c" >"$wtmp/w.out" 2>/dev/null
	grep -q good2001 "$wtmp/w.out" && wbad "junction followed by the walk" ||
	    wok
else
	echo "SKIP: this wine makes no reparse point (mklink /J); the" \
	    "decisions on reparse attributes are fs_probe's pure checks"
fi

# --- 4. cpkit-fix --in-place -----------------------------------------------
for side in lin win; do
	mkdir -p "$wtmp/fix/$side"
	cp -r "$top/samples/flash/nocert.000" "$top/samples/flash/nocert.cer" \
	    "$wtmp/fix/$side/"
done
(cd "$wtmp/fix/lin" && "$lin/cpkit-fix" --cert nocert.cer --in-place \
    nocert.000 >/dev/null 2>&1)
lrc=$?
(cd "$wtmp/fix/win" && "$WINE" "$win/cpkit-fix.exe" --cert nocert.cer \
    --in-place nocert.000 >"$wtmp/fix.out" 2>&1)
wrc=$?
[ "$lrc" = 0 ] && [ "$wrc" = 0 ] && wok ||
    { wbad "fix in place: exit $lrc on Linux, $wrc under wine"; sed 's/^/        /' "$wtmp/fix.out" | head -5; }
if diff -r "$wtmp/fix/lin/nocert.000" "$wtmp/fix/win/nocert.000" >/dev/null; then
	wok
else
	wbad "fix in place: the repaired folder differs from Linux's"
fi
cmp -s "$top/samples/flash/nocert.000/header.key" \
    "$wtmp/fix/win/nocert.000/header.key" &&
    wbad "fix in place: header.key unchanged" || wok
set -- "$wtmp/fix/win"/nocert.000.cpkit-backup-*.zip
if [ -f "$1" ] && [ $# -eq 1 ]; then
	wok
	# every file of the original in the archive, nothing else
	ok=1
	for f in "$top/samples/flash/nocert.000"/*; do
		unzip -p "$1" "${f##*/}" 2>/dev/null | cmp -s - "$f" || ok=0
	done
	[ "$(unzip -Z1 "$1" | wc -l)" -eq \
	    "$(find "$top/samples/flash/nocert.000" -maxdepth 1 -type f | wc -l)" ] || ok=0
	[ $ok = 1 ] && wok || wbad "fix in place: the backup is not the original"
else
	wbad "fix in place: $# backup archives"
fi
# the container, the certificate and the archive: no staging folder
[ "$(ls -A "$wtmp/fix/win" | wc -l)" -eq 3 ] && wok ||
    wbad "fix in place: stray entries: $(ls -A "$wtmp/fix/win")"
# a second run repairs nothing and leaves one more archive at most
(cd "$wtmp/fix/win" && "$WINE" "$win/cpkit-test.exe" nocert.000 >/dev/null 2>&1)
[ $? -eq 0 ] && wok || wbad "cpkit-test.exe of the repaired container"

# the same, the container named as Windows users type it: Z:\...\nocert.000
mkdir -p "$wtmp/fix/bs"
cp -r "$top/samples/flash/nocert.000" "$top/samples/flash/nocert.cer" "$wtmp/fix/bs/"
wb=$("$WINE" winepath -w "$wtmp/fix/bs" 2>/dev/null | tr -d '\r')
"$WINE" "$win/cpkit-fix.exe" --cert "$wb\\nocert.cer" --in-place \
    "$wb\\nocert.000" >/dev/null 2>&1
wrc=$?
set -- "$wtmp/fix/bs"/nocert.000.cpkit-backup-*.zip
[ "$wrc" = 0 ] && [ -f "$1" ] && [ "$(ls -A "$wtmp/fix/bs" | wc -l)" -eq 3 ] &&
    diff -r "$wtmp/fix/lin/nocert.000" "$wtmp/fix/bs/nocert.000" >/dev/null &&
    wok || wbad "fix in place by a backslash path ($wb): exit $wrc"

# --- 5. cpkit-diag --merge: a results tree walked, the same fleet report
m=$wtmp/merge
mkdir -p "$m/R/h1" "$m/R/h2" "$m/R/.ansible_tmp"
"$lin/cpkit-diag" -q --no-tokens --jsonl "$top/samples/flash" >"$m/R/h1/cpkit.jsonl" 2>/dev/null
"$lin/cpkit-diag" -q --no-tokens --jsonl "$top/samples/flash/good512.000" \
    >"$m/R/h2/cpkit.jsonl" 2>/dev/null
for h in h1 h2; do
	printf '{"schema":"cpkit.fleet-host/1","host":"%s","state":"ok","reason":null,"rc":0}\n' \
	    "$h" >"$m/R/$h/status.json"
done
(cd "$m" && "$lin/cpkit-diag" --merge -o l.zip R >/dev/null 2>&1)
lrc=$?
(cd "$m" && "$WINE" "$win/cpkit-diag.exe" --merge -o w.zip R >/dev/null 2>&1)
wrc=$?
ok=1
for f in fleet.json report.txt report.html; do
	unzip -p "$m/l.zip" "$f" >"$m/l.$f" 2>/dev/null
	unzip -p "$m/w.zip" "$f" >"$m/w.$f" 2>/dev/null
	[ -s "$m/l.$f" ] && cmp -s "$m/l.$f" "$m/w.$f" || ok=0
done
[ "$lrc" = "$wrc" ] && [ $ok = 1 ] && wok ||
    wbad "merge: exit $lrc on Linux, $wrc under wine, or the reports differ"

# --- 6. a run killed between the two renames of the swap ------------------
# The original moved aside into the staging folder, the repaired one not
# yet in its place: the next run brings the original back, then repairs.
k=$wtmp/kill
s=$k/.cpkit-staging-abc123
mkdir -p "$s/nocert.000"
cp "$top/samples/flash/nocert.cer" "$k/"
cp -r "$top/samples/flash/nocert.000" "$s/orig.nocert.000"
cp "$top/samples/flash/nocert.000/name.key" "$s/nocert.000/"
printf 'cpkit staging folder: a repair or a write in progress; if no cpkit runs, delete it\n' \
    >"$s/.cpkit-staging"
(cd "$k" && "$WINE" "$win/cpkit-fix.exe" --cert nocert.cer --in-place \
    nocert.000 >"$wtmp/kill.out" 2>&1)
wrc=$?
grep -q "left by an interrupted cpkit run" "$wtmp/kill.out" && [ "$wrc" = 0 ] &&
    wok || wbad "restore after a kill: exit $wrc, not reported"
[ ! -e "$s" ] && wok || wbad "restore after a kill: staging folder left"
diff -r "$k/nocert.000" "$wtmp/fix/lin/nocert.000" >/dev/null && wok ||
    wbad "restore after a kill: not the repaired container"

# killed after every step (CPKIT_TEST_KILL_AT, TerminateProcess with 137):
# the old container or the new one, never a mix; the backup is the
# original; the next run removes the staging folder and repairs
same_zip() {	# same_zip ZIP DIR
	for f in "$2"/*; do
		unzip -p "$1" "${f##*/}" 2>/dev/null | cmp -s - "$f" || return 1
	done
	[ "$(unzip -Z1 "$1" | wc -l)" -eq "$(find "$2" -maxdepth 1 -type f | wc -l)" ]
}
orig=$top/samples/flash/nocert.000
for step in backup staged swapped; do
	k=$wtmp/kill-$step
	mkdir -p "$k"
	cp -r "$orig" "$top/samples/flash/nocert.cer" "$k/"
	(cd "$k" && CPKIT_TEST_KILL_AT=$step "$WINE" "$win/cpkit-fix.exe" \
	    --cert nocert.cer --in-place nocert.000 >/dev/null 2>&1)
	code=$?
	[ "$code" -eq 137 ] && wok || wbad "kill at $step: exit $code, not killed"
	if diff -r "$k/nocert.000" "$orig" >/dev/null; then
		state=old
	elif diff -r "$k/nocert.000" "$wtmp/fix/lin/nocert.000" >/dev/null; then
		state=new
	else
		state=mix
	fi
	case $step:$state in
	backup:old | staged:old | swapped:new) wok ;;
	*) wbad "kill at $step left the $state container" ;;
	esac
	set -- "$k"/nocert.000.cpkit-backup-*.zip
	[ -f "$1" ] && [ $# -eq 1 ] && same_zip "$1" "$orig" && wok ||
	    wbad "kill at $step: no backup archive, or not the original"
	ls -d "$k"/.cpkit-staging-* >/dev/null 2>&1 && wok ||
	    wbad "kill at $step: no staging folder"
	(cd "$k" && "$WINE" "$win/cpkit-fix.exe" --cert nocert.cer --in-place \
	    nocert.000 >"$wtmp/rerun.out" 2>&1)
	code=$?
	[ "$code" -eq 0 ] && grep -q "left by an interrupted cpkit run" \
	    "$wtmp/rerun.out" && wok || wbad "rerun after kill at $step: exit $code"
	ls -d "$k"/.cpkit-staging-* >/dev/null 2>&1 &&
	    wbad "rerun after kill at $step: staging folder left" || wok
	diff -r "$k/nocert.000" "$wtmp/fix/lin/nocert.000" >/dev/null && wok ||
	    wbad "rerun after kill at $step: not the repaired container"
done

wine_done e2e_fs
