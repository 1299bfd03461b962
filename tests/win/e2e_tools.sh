#!/bin/sh
# `make test-windows` (issue 21): the tools cross-built for Windows, run
# under wine64, against the Linux build of the same tree. Each case runs
# the Linux tool and the .exe with the same arguments, each in an empty
# folder of its own (so a relative output path names the same file), and
# asserts the same exit status, the same stdout and stderr, and the same
# files written, byte for byte: list, test, fix, export, diag and carve
# over samples/ and the real containers.
#
#   sh tests/win/e2e_tools.sh      (after make all and make windows)
#
# Exit 0 when every case matches, 1 otherwise, 77 without wine64.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
. "$top/tests/win/wine_lib.sh"
lin=$top/build/bin
win=$top/build-win/bin
for t in list test fix export diag carve; do
	[ -x "$lin/cpkit-$t" ] && [ -f "$win/cpkit-$t.exe" ] || {
		echo "e2e_tools: cpkit-$t or cpkit-$t.exe missing: make all windows" >&2
		exit 1
	}
done
# the verdicts at a fixed date (tests/e2e_lib.sh), in English; a UTF-8
# Unix locale, so that wine hands Cyrillic arguments and variables to the
# .exe as the characters they are
export CPKIT_NOW=2025-06-01 LC_ALL=C.UTF-8
unset LANG LANGUAGE
# the prefix is made here, once, not inside the first case
"$WINE" "$win/cpkit-list.exe" --version >/dev/null 2>&1

# same NAME TOOL ARGS...: one case, both ways. SKIP_LINES=N leaves out
# the first N lines of stdout (the host's own facts); NO_FILES=1 leaves
# the files written to the caller.
same() {
	name=$1 tool=$2
	shift 2
	l=$wtmp/lin/$name w=$wtmp/win/$name
	mkdir -p "$l" "$w"
	(cd "$l" && timeout 300 "$lin/$tool" "$@" >"$wtmp/l.out" 2>"$wtmp/l.err")
	lrc=$?
	(cd "$w" && timeout 300 "$WINE" "$win/$tool.exe" "$@" >"$wtmp/w.out" \
	    2>"$wtmp/w.err")
	wrc=$?
	if wine_silent "$wrc"; then
		(cd "$w" && timeout 300 "$WINE" "$win/$tool.exe" "$@" \
		    >"$wtmp/w.out" 2>"$wtmp/w.err")
		wrc=$?
	fi
	n=$((${SKIP_LINES:-0} + 1))
	tail -n +$n "$wtmp/l.out" >"$wtmp/l.cmp" && mv "$wtmp/l.cmp" "$wtmp/l.out"
	tail -n +$n "$wtmp/w.out" >"$wtmp/w.cmp" && mv "$wtmp/w.cmp" "$wtmp/w.out"
	why=""
	# a zip holds times and the host's facts: its contents are compared
	# by the caller (NO_FILES=1)
	[ -n "${NO_FILES:-}" ] ||
		diff -r "$l" "$w" >"$wtmp/files.diff" 2>&1 || why="; files differ"
	wine_verdict "$name" "$lrc" "$wrc" "$why" ||
		head -5 "$wtmp/files.diff" 2>/dev/null | sed 's/^/        /'
	rm -f "$wtmp/files.diff"
}

flash=$top/samples/flash
# --- list: a flash drive, JSON, CSV, the real containers, .reg exports
same list-flash cpkit-list "$flash"
same list-json cpkit-list --json "$flash"
same list-csv cpkit-list --csv "$flash"
same list-real cpkit-list "$fixtures"
same list-reg cpkit-list "$top/samples/registry/export-5.00.reg"
same list-regedit4 cpkit-list --json "$top/samples/registry/export-regedit4.reg"
same list-missing cpkit-list "$top/samples/no-such-folder"

# --- test: every sample with its password (the Cyrillic one too), the
# real containers, a wrong password
for c in "$flash"/*.000; do
	n=$(basename "$c" .000)
	case $n in
	5f3a9c1d) pw=пароль ;;
	*) pw=12345678 ;;
	esac
	PW=$pw same "test-$n" cpkit-test --password-env PW "$c"
done
for c in g2001 g2012256 g2012512; do
	PW=1 same "test-real-$c" cpkit-test --json --password-env PW \
	    "$fixtures/cpcert-samples/$c.000"
done
same test-real-emptypw cpkit-test --empty-password "$fixtures/srv-emptypw.000"
PW=wrong same test-wrong-password cpkit-test --password-env PW "$flash/good2012.000"
PW=пароль same test-cyrillic-wrong cpkit-test --password-env PW "$flash/good512.000"

# --- fix: masks rebuilt from the reserve copy; a lost header.key rebuilt
# from the certificate, proven by the password
same fix-masks cpkit-fix --out fixed "$flash/badmasks.000"
PW=12345678 same fix-header cpkit-fix --cert "$flash/nohead.cer" \
    --password-env PW --out fixed "$flash/nohead.000"
same fix-nothing cpkit-fix --out fixed "$flash/good2001.000"

# --- export: a folder, a .reg for one user and for the machine, PEM
same export-folder cpkit-export --to folder flash "$flash/good2001.000" \
    "$flash/good512.000"
same export-reg cpkit-export --to reg user.reg --sid S-1-5-21-1-2-3-1001 \
    "$flash/good2001.000" "$flash/5f3a9c1d.000"
same export-reg-machine cpkit-export --to reg machine.reg --machine \
    "$flash/good2012.000"
PW=12345678 same export-pem cpkit-export --to pem key.pem --password-env PW \
    "$flash/good2001.000"
PW=1 same export-pem-real cpkit-export --to pem key.pem --password-env PW \
    "$fixtures/cpcert-samples/g2012512.000"

# --- diag: one JSON line a container (the first line is the host's)
SKIP_LINES=1 same diag-jsonl cpkit-diag --jsonl "$flash"
PW=12345678 SKIP_LINES=1 same diag-jsonl-pw cpkit-diag --jsonl \
    --password-env PW "$flash"

# the bundle: the same members, certificates byte for byte, and
# report.json the same but for the host's own facts and its time
PW=12345678 SKIP_LINES=0 NO_FILES=1 same diag-bundle cpkit-diag -q \
    -o b.zip --password-env PW "$flash"
for side in lin win; do
	z=$wtmp/$side/diag-bundle/b.zip
	unzip -Z1 "$z" 2>/dev/null | LC_ALL=C sort >"$wtmp/$side.members"
	unzip -p "$z" report.json 2>/dev/null |
		jq -S 'del(.facts, .generated)' >"$wtmp/$side.report" 2>/dev/null
	mkdir -p "$wtmp/$side.certs"
	(cd "$wtmp/$side.certs" && unzip -q -o "$z" 'certs/*' 2>/dev/null)
done
if [ -s "$wtmp/lin.members" ] && [ -s "$wtmp/lin.report" ] &&
    cmp -s "$wtmp/lin.members" "$wtmp/win.members" &&
    cmp -s "$wtmp/lin.report" "$wtmp/win.report" &&
    diff -r "$wtmp/lin.certs" "$wtmp/win.certs" >/dev/null; then
	wok
	echo "same    diag-bundle contents ($(wc -l <"$wtmp/lin.members") members; report.json but the host's facts)"
else
	wbad "diag-bundle: the bundles' members, report.json or certificates differ"
	diff "$wtmp/lin.members" "$wtmp/win.members" | head -5
	diff "$wtmp/lin.report" "$wtmp/win.report" | head -10
fi

# --- carve: the deleted container of a FAT12 image, by its entries
same carve cpkit-carve -q --json -o carved "$top/samples/images/flash-deleted.img"
PW=12345678 same carve-raw cpkit-carve -q --raw --json -o carved \
    --password-env PW "$top/samples/images/flash-deleted.img"

wine_done e2e_tools
