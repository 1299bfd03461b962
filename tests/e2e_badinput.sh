#!/bin/sh
# Every binary on every input of the fuzz corpora (tests/fuzz/corpus/):
# bad and odd container files, certificates, .reg files, hives, disk
# images. Whatever the input, each run must end with an exit status from
# 0 to 4 (never a signal or a sanitizer's status), an error must be one
# line naming the input, a failed run must write nothing, and the input
# must be unchanged.
# Usage: e2e_badinput.sh BIN_DIR. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
corpus=$top/tests/fuzz/corpus
flash=$top/samples/flash
tmp=$(mktemp -d /tmp/cpkit-e2e-bad.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM HUP PIPE
. "$top/tests/e2e_lib.sh"
export PW=12345678 PFX=pfx-secret
# the words that mark warnings, progress and a finished search, in the
# language of this run (E2E_LANG)
case ${E2E_LANG:-} in
ru)	warn='предупреждение: ' progress=' вариантов для перебора: '
	notfound='Не найден: ' ;;
*)	warn='warning: ' progress=' candidates to try on '
	notfound='Not found: all ' ;;
esac

# check NAME NEEDLE OUTPUT CMD...: runs CMD in an empty folder; OUTPUT is
# the path it may create (or "-"). Exit 0-4; with 2-4, stderr holds one
# error line and it names NEEDLE (or one of "A|B") (warnings before it name it too, and a
# password search's one "candidates to try" line is progress), and
# neither OUTPUT nor anything in the folder was written.
check() {
	name=$1 needle=$2 out=$3
	shift 3
	rm -rf "$tmp/work" && mkdir "$tmp/work"
	(cd "$tmp/work" && timeout 120 "$@" >"$tmp/o" 2>"$tmp/e" </dev/null)
	rc=$?
	if [ "$rc" -gt 4 ]; then
		bad "$name: exit $rc"
		head -3 "$tmp/e"
		return
	fi
	ok
	[ "$rc" -ge 2 ] || return
	# a search that tried everything reports "Not found" as its result
	if [ "$rc" -eq 4 ] && grep -q "^$notfound" "$tmp/o" &&
	    ! grep -v "$progress" "$tmp/e" | grep -q .; then
		ok
		return
	fi
	grep -v -e ": $warn" -e "$progress" "$tmp/e" >"$tmp/e1"
	printf '%s\n' "$needle" | tr '|' '\n' >"$tmp/needles"
	lines=$(wc -l <"$tmp/e1")
	if [ "$lines" -ne 1 ] || ! grep -qFf "$tmp/needles" "$tmp/e1" ||
	    grep -e ": $warn" "$tmp/e" | grep -qvFf "$tmp/needles"; then
		bad "$name: exit $rc, error is not one line naming $needle:"
		head -3 "$tmp/e"
	else
		ok
	fi
	if [ "$out" != - ] && [ -e "$out" ]; then
		bad "$name: exit $rc but $out was written"
	elif [ -n "$(ls -A "$tmp/work")" ]; then
		bad "$name: exit $rc but it wrote $(ls -A "$tmp/work")"
	else
		ok
	fi
}

# The slot a codec input goes into: its name says which file it is.
slot_of() {
	case $1 in
	*masks2*) echo masks2.key ;;
	*masks*|*mask31*) echo masks.key ;;
	*primary2*) echo primary2.key ;;
	*primary*|*key33*) echo primary.key ;;
	*name*) echo name.key ;;
	*) echo header.key ;;
	esac
}

# --- container files: each in a copy of a good container ------------------
for f in "$corpus"/codec/*; do
	n=$(basename "$f")
	c=$tmp/c/$n.000
	rm -rf "$tmp/c" && mkdir -p "$c"
	cp "$flash"/good2012.000/*.key "$c"/
	cp "$f" "$c/$(slot_of "$n")"
	(cd "$c" && sha256sum ./*.key) >"$tmp/before"
	check "list $n" "$c" - "$bin/cpkit-list" "$c"
	check "test $n" "$c" - "$bin/cpkit-test" --password-env PW "$c"
	check "fix $n" "$c" "$tmp/fixed" "$bin/cpkit-fix" --password-env PW --out "$tmp/fixed" "$c"
	rm -rf "$tmp/fixed"
	check "export $n" "$c" "$tmp/exp" "$bin/cpkit-export" --to pem "$tmp/exp" --password-env PW "$c"
	rm -rf "$tmp/exp"
	check "export folder $n" "$c" - "$bin/cpkit-export" --to folder "$tmp/expd" "$c"
	rm -rf "$tmp/expd"
	check "passwd $n" "$c" "$tmp/pw" "$bin/cpkit-passwd" change "$c" --out "$tmp/pw" --password-env PW --new-password-env PFX
	rm -rf "$tmp/pw"
	(cd "$c" && sha256sum -c --quiet "$tmp/before") >/dev/null 2>&1 && ok || bad "$n: the input changed"
done

# --- certificates: as the one to put back, and to import with ------------
nc=$tmp/nocert/nocert.000
mkdir -p "$tmp/nocert"
cp -r "$flash/nocert.000" "$tmp/nocert/"
for f in "$corpus"/cert/*; do
	n=$(basename "$f")
	check "fix --cert $n" "$n|$nc" "$tmp/fixed" "$bin/cpkit-fix" --cert "$f" --out "$tmp/fixed" "$nc"
	rm -rf "$tmp/fixed"
	check "import $n" "$n" "$tmp/imp" "$bin/cpkit-import" "$f" --to folder "$tmp/imp" --password-env PW
	rm -rf "$tmp/imp"
done

# --- .reg files and hives: media ------------------------------------------
for f in "$corpus"/reg/* "$corpus"/hive/*; do
	n=$(basename "$f")
	sum=$(sha256sum <"$f")
	check "list $n" "$n" - "$bin/cpkit-list" "$f"
	check "test $n" "$n" - "$bin/cpkit-test" "$f"
	check "export $n" "$n" "$tmp/exp" "$bin/cpkit-export" --to folder "$tmp/exp" "$f"
	rm -rf "$tmp/exp"
	check "diag $n" "$n" "$tmp/d.zip" "$bin/cpkit-diag" -o "$tmp/d.zip" "$f"
	rm -f "$tmp/d.zip"
	[ "$(sha256sum <"$f")" = "$sum" ] && ok || bad "$n: the input changed"
done

# --- disk images: carving ------------------------------------------------
for f in "$corpus"/fat/*; do
	n=$(basename "$f")
	check "carve $n" "$n" "$tmp/carved" "$bin/cpkit-carve" -o "$tmp/carved" "$f"
	rm -rf "$tmp/carved"
done

# --- word lists and masks ------------------------------------------------
for f in "$corpus"/space/*; do
	n=$(basename "$f")
	check "recover $n" "$n" - "$bin/cpkit-passwd" recover "$flash/good2001.000" --wordlist "$f" --state "$tmp/state" --output pw
	rm -f "$tmp/state"
done

e2e_done e2e-badinput
