#!/bin/sh
# The first command a new user types (issue 18 points 1, 3, 5): the tools
# speak the user's language and show their man pages straight from the
# build tree; every tool gives the same exit status for the same
# situation (docs/STYLE.md §11, the table in cpkit(1)); a command line
# that cannot run gets one line saying what is wrong and where --help is.
# Usage: e2e_first.sh BIN_DIR. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
flash=$top/samples/flash
tmp=$(mktemp -d /tmp/cpkit-e2e-first.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"
export PW=12345678

# --- 1. catalog and man pages beside the binary ---------------------------
# no CPKIT_LOCALEDIR: the catalog is found at <bin>/../locale
run "ru without CPKIT_LOCALEDIR" 0 env -u CPKIT_LOCALEDIR -u LANGUAGE \
    LC_ALL=ru_RU.UTF-8 LANG=ru_RU.UTF-8 "$bin/cpkit-list" "$flash/good2012.000"
grep -q 'СОСТОЯНИЕ' "$tmp/out" && ok ||
    bad "ru without CPKIT_LOCALEDIR: the table is not in Russian"
grep -q 'в порядке' "$tmp/out" && ok ||
    bad "ru without CPKIT_LOCALEDIR: the status is not in Russian"
# the page of the source tree beside build/, by man -l
run "help fix" 0 env -u CPKIT_LOCALEDIR MANPAGER=cat MANWIDTH=80 \
    "$bin/cpkit" help fix
grep -q 'CPKIT-FIX(1)' "$tmp/out" && ok || bad "help fix: no page shown"
grep -q 'cpkit-fix' "$tmp/out" && ok || bad "help fix: not cpkit-fix's page"
run "help (cpkit itself)" 0 env MANPAGER=cat MANWIDTH=80 "$bin/cpkit" help cpkit
grep -q 'CPKIT(1)' "$tmp/out" && ok || bad "help cpkit: no page shown"
# a copy of the binaries alone: no catalog beside it, English, no crash
# (unless a catalog is installed where the build says: then that one)
mkdir -p "$tmp/copy/bin"
cp "$bin"/cpkit "$bin"/cpkit-* "$tmp/copy/bin/"
run "copy without catalog" 0 env -u CPKIT_LOCALEDIR -u LANGUAGE \
    LC_ALL=ru_RU.UTF-8 LANG=ru_RU.UTF-8 "$tmp/copy/bin/cpkit-list" \
    "$flash/good2012.000"
installed=$(cut -d' ' -f1 "$bin/../localedir" 2>/dev/null)
if [ -f "$installed/ru/LC_MESSAGES/cpkit.mo" ]; then
	echo "e2e_first: a catalog is installed in $installed: copy test in English skipped"
else
	grep -q 'STATUS' "$tmp/out" && ok ||
	    bad "copy without catalog: not English"
fi
run "copy: cpkit runs its own tools" 0 "$tmp/copy/bin/cpkit" list \
    "$flash/good2012.000"

# --- 4. what users trip on, in cpkit-export(1) --------------------------
# the rendered page (man -l), as a user reads it
# (sentences joined: man hyphenates and breaks them at its width;
# export_page=FILE checks another page, e.g. the one before this change)
MANWIDTH=200 man -l "${export_page:-$top/man/cpkit-export.1}" 2>/dev/null |
    sed -e ':a' -e '/[‐-]$/{N' -e 's/[‐-]\n *//' -e 'ba' -e '}' |
    tr '\n' ' ' | sed 's/  */ /g' >"$tmp/export.flat"
MANWIDTH=200 man -l "${export_page:-$top/man/cpkit-export.1}" 2>/dev/null \
    >"$tmp/export.man"
grep -qF 'WOW6432Node\Crypto Pro' "$tmp/export.flat" && ok ||
    bad "export(1): WOW6432Node\\Crypto Pro is not rendered with its space"
grep -qF 'WOW6432Node\CryptoPro' "$tmp/export.flat" &&
    bad "export(1): the CryptoPro typo" || ok
grep -q 'code page of the Windows that imports it' "$tmp/export.flat" && ok ||
    bad "export(1): REGEDIT4's code page is not explained"
grep -q 'Version 5.00.*UTF-16LE, has no such limit' "$tmp/export.flat" && ok ||
    bad "export(1): 5.00 (UTF-16) is not said to have no such limit"
sed -n '/^EXIT STATUS/,/^EXAMPLES/p' "$tmp/export.man" | grep -q -- ' -q ' &&
    bad "export(1): -q under EXIT STATUS" || ok

# --- 5. one line for a command line that cannot run -----------------------
# usage_line NAME CMD...: exit 2, exactly one line on stderr, naming the
# program's --help; the caller then checks what the line says
usage_line() {
	name=$1
	shift
	run "$name" 2 "$@"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] && ok ||
	    bad "$name: $(wc -l <"$tmp/err") lines on stderr, want 1"
	grep -q -- "cpkit[-a-z]* --help" "$tmp/err" && ok ||
	    bad "$name: no pointer to --help"
	grep -q -- "usage" "$tmp/err" && bad "$name: the usage text" || ok
}
# both option names, as typed, and the words between them
conflict() {
	grep -qF -- "$2" "$tmp/err" && grep -qF -- "$3" "$tmp/err" && ok ||
	    bad "$1: $2 and $3 not named"
	has "$1" "$tmp/err" "cannot be used together"
}
usage_line "test: two password sources" "$bin/cpkit-test" \
    --password-file /dev/null --empty-password "$flash/good2012.000"
conflict "test: two password sources" --password-file --empty-password
usage_line "test: no PATH" "$bin/cpkit-test"
grep -qF "PATH" "$tmp/err" && ok || bad "test: no PATH: PATH not named"
usage_line "test: two PATHs" "$bin/cpkit-test" "$flash/good2012.000" extra
grep -q "extra" "$tmp/err" && ok || bad "test: two PATHs: extra not named"
# getopt names an unknown option itself; the pointer follows it
run "test: unknown option" 2 "$bin/cpkit-test" --frobnicate x
[ "$(wc -l <"$tmp/err")" -eq 2 ] && ok ||
    bad "test: unknown option: $(wc -l <"$tmp/err") lines, want 2"
grep -q -- "--frobnicate" "$tmp/err" && ok || bad "test: --frobnicate not named"
grep -q -- "cpkit-test --help" "$tmp/err" && ok || bad "test: no pointer"
usage_line "list: --json --csv" "$bin/cpkit-list" --json --csv "$flash"
conflict "list: --json --csv" --json --csv
usage_line "list: --cert --csv" "$bin/cpkit-list" --cert "$flash/nocert.cer" \
    --csv "$flash"
conflict "list: --cert --csv" --cert --csv
usage_line "fix: --in-place --out" "$bin/cpkit-fix" --in-place --out \
    "$tmp/f" "$flash/good2012.000"
conflict "fix: --in-place --out" --in-place --out
usage_line "fix: --alg" "$bin/cpkit-fix" --alg rsa "$flash/good2012.000"
grep -q -- "--alg: rsa" "$tmp/err" && ok || bad "fix: --alg not named"
usage_line "export: --sid --machine" "$bin/cpkit-export" --to reg \
    "$tmp/e.reg" --sid S-1-5-21-1-2-3-1001 --machine "$flash/good2012.000"
conflict "export: --sid --machine" --sid --machine
usage_line "export: two PFX passwords" "$bin/cpkit-export" --to pfx \
    "$tmp/e.pfx" --password-env PW --pfx-password-env PW \
    --pfx-password-file /dev/null "$flash/good2012.000"
conflict "export: two PFX passwords" --pfx-password-file --pfx-password-env
usage_line "export: --to twice" "$bin/cpkit-export" --to folder "$tmp/a" \
    --to folder "$tmp/b" "$flash/good2012.000"
grep -qF -- "--to" "$tmp/err" && ok || bad "export: --to twice: not named"
usage_line "export: unknown kind" "$bin/cpkit-export" --to zip "$tmp/z" \
    "$flash/good2012.000"
grep -qF -- "--to zip" "$tmp/err" && ok || bad "export: --to zip not named"
usage_line "import: --sid --machine" "$bin/cpkit-import" k.pem --to reg \
    "$tmp/i.reg" --sid S-1-5-21-1-2-3-1001 --machine --password-env PW
conflict "import: --sid --machine" --sid --machine
usage_line "import: no --to" "$bin/cpkit-import" k.pem --password-env PW
grep -qF -- "--to" "$tmp/err" && ok || bad "import: no --to: not named"
usage_line "passwd: two new passwords" "$bin/cpkit-passwd" change \
    --out "$tmp/p" --password-env PW --new-password-env PW \
    --new-empty-password "$flash/good2012.000"
conflict "passwd: two new passwords" --new-password-env --new-empty-password
usage_line "passwd: no --out" "$bin/cpkit-passwd" change --password-env PW \
    --new-password-env PW "$flash/good2012.000"
grep -qF -- "--out" "$tmp/err" && ok || bad "passwd: --out not named"
usage_line "passwd: no command" "$bin/cpkit-passwd"
usage_line "carve: two password sources" "$bin/cpkit-carve" -o "$tmp/c" \
    --password-env PW --ask "$tmp/none.img"
conflict "carve: two password sources" --password-env --ask
usage_line "carve: no IMAGE" "$bin/cpkit-carve" -o "$tmp/c"
grep -qF "IMAGE" "$tmp/err" && ok || bad "carve: no IMAGE: IMAGE not named"
usage_line "diag: two password sources" "$bin/cpkit-diag" -o "$tmp/d.zip" \
    --password-env PW --empty-password "$flash"
conflict "diag: two password sources" --password-env --empty-password
usage_line "diag: --redact --include-containers" "$bin/cpkit-diag" \
    --redact --include-containers -o "$tmp/d.zip" "$flash"
grep -qF -- "--include-containers" "$tmp/err" && ok ||
    bad "diag: --include-containers not named"
usage_line "token: --user --admin" "$bin/cpkit-token" pin-status --user \
    --admin
conflict "token: --user --admin" --user --admin
usage_line "token: no command" "$bin/cpkit-token"
usage_line "token: unknown command" "$bin/cpkit-token" frobnicate
grep -qF -- "frobnicate" "$tmp/err" && ok ||
    bad "token: unknown command not named"
# the front door: its own mistakes in one line too; bare `cpkit` still
# lists the commands (exit 2), as git does
usage_line "cpkit: --help --json" "$bin/cpkit" --help --json
conflict "cpkit: --help --json" --help --json
usage_line "cpkit: --json alone" "$bin/cpkit" --json
grep -qF -- "--version" "$tmp/err" && ok || bad "cpkit: --json: --version not named"
usage_line "cpkit: help a b" "$bin/cpkit" help list test
grep -q "test" "$tmp/err" && ok || bad "cpkit: help a b: the extra not named"
run "cpkit: no command" 2 "$bin/cpkit"
has "cpkit: no command" "$tmp/err" "usage: cpkit "
[ ! -e "$tmp/d.zip" ] && [ ! -e "$tmp/c" ] && [ ! -e "$tmp/f" ] && ok ||
    bad "a refused command line wrote something"

# --- 3. one exit status per situation, tool by tool -----------------------
# The table of cpkit(1) "EXIT STATUS": a missing PATH is the command's
# fault (2) everywhere; a PATH that holds no container is a finding (1) in
# the checking tools (list, test, diag) and no output (4) in the tools
# that exist to write (fix, export, passwd, carve).
mkdir "$tmp/empty" "$tmp/o"
head -c 200000 /dev/urandom >"$tmp/noise.img"
printf 'not a key\n' >"$tmp/o/junk.pfx"
nowhere=$tmp/nowhere
while read -r tool want sit args; do
	[ -n "$tool" ] || continue
	# shellcheck disable=SC2086 # the arguments are words by design
	run "table: $tool, $sit" "$want" "$bin/cpkit-$tool" $args
done <<EOF
list 0 sound $flash/good2012.000
list 1 damaged $flash/badhead.000
list 1 nothing-found $tmp/empty
list 2 missing-path $nowhere
test 0 sound --password-env PW $flash/good2012.000
test 1 damaged $flash/badhead.000
test 1 wrong-password --empty-password $flash/good2012.000
test 1 nothing-found $tmp/empty
test 2 missing-path $nowhere
diag 0 sound -q -o $tmp/o/d0.zip $flash/good2012.000
diag 1 damaged -q -o $tmp/o/d1.zip $flash/badhead.000
diag 1 nothing-found -q -o $tmp/o/d2.zip $tmp/empty
diag 2 missing-path -q -o $tmp/o/d3.zip $nowhere
fix 0 sound -o $tmp/o/f0 $flash/good2012.000
fix 4 nothing-found -o $tmp/o/f1 $tmp/empty
fix 2 missing-path -o $tmp/o/f2 $nowhere
export 0 sound --to folder $tmp/o/e0 $flash/good2012.000
export 4 wrong-password --empty-password --to pem $tmp/o/e1 $flash/good2012.000
export 4 nothing-found --to folder $tmp/o/e2 $tmp/empty
export 2 missing-path --to folder $tmp/o/e3 $nowhere
passwd 0 sound change --password-env PW --new-password-env PW --out $tmp/o/p0 $flash/good2012.000
passwd 4 wrong-password change --empty-password --new-password-env PW --out $tmp/o/p1 $flash/good2012.000
passwd 4 nothing-found change --password-env PW --new-password-env PW --out $tmp/o/p2 $tmp/empty
passwd 2 missing-path change --password-env PW --new-password-env PW --out $tmp/o/p3 $nowhere
carve 4 nothing-found -q -o $tmp/o/c1 $tmp/noise.img
carve 2 missing-path -q -o $tmp/o/c2 $nowhere
import 2 missing-path --to folder $tmp/o/i2 --password-env PW $nowhere
import 4 not-a-key --to folder $tmp/o/i1 --password-env PW --pfx-password-env PW $tmp/o/junk.pfx
EOF
# nothing-found says so, in one line naming nothing it did not see
run "list: nothing found says so" 1 "$bin/cpkit-list" "$tmp/empty"
has "list: nothing found says so" "$tmp/err" "no key containers found"
run "diag: nothing found says so" 1 "$bin/cpkit-diag" -q -o "$tmp/o/d9.zip" \
    "$tmp/empty"
has "diag: nothing found says so" "$tmp/err" "no key containers found"
[ -f "$tmp/o/d9.zip" ] && ok || bad "diag: nothing found: no bundle written"
# the environment (3): a bundle that cannot be written
run "table: diag, environment" 3 "$bin/cpkit-diag" -q -o /proc/cpkit.zip \
    "$flash/good2012.000"

e2e_done e2e-first
