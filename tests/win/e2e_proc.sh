#!/bin/sh
# `make test-windows` (issue 21): processes, the console's streams, the
# language and the system's side of the tools cross-built for Windows,
# under wine64, against the Linux build of the same tree:
#
# - the front command cpkit.exe runs cpkit-NAME.exe beside it, with its
#   arguments quoted for the Windows command line (spaces, Cyrillic, a
#   quote, a trailing backslash) and its exit status passed through;
# - the exit statuses of a usage error, a missing path, a wrong password
#   and damaged data are Linux's, and so are stdout and stderr, byte for
#   byte (binary streams: no CR before LF);
# - Russian with LANG=ru_RU.UTF-8, and with no variable at all from the
#   Windows display language, is Linux's Russian, from the catalog where
#   the zip has it (<exe dir>\locale\ru\LC_MESSAGES\cpkit.mo);
# - a password piped to --password-file /dev/stdin;
# - cpkit help NAME shows <exe dir>\man\cpkit-NAME.txt;
# - a reader that goes away (| head) is no error; an offline hive is
#   refused naming the file; --version names what this build runs on.
#
#   sh tests/win/e2e_proc.sh      (after make all and make windows)
#
# Exit 0 when every check passes, 1 otherwise, 77 without wine64.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. "$top/tests/win/wine_lib.sh"
lin=$top/build/bin
win=$top/build-win/bin
mo=$top/build/locale/ru/LC_MESSAGES/cpkit.mo
for t in cpkit cpkit-list cpkit-test; do
	[ -x "$lin/$t" ] && [ -f "$win/$t.exe" ] || {
		echo "e2e_proc: $t or $t.exe missing: make all windows" >&2
		exit 1
	}
done
[ -f "$mo" ] || { echo "e2e_proc: no $mo: make all" >&2; exit 1; }
flash=$top/samples/flash

# the zip's layout: the .exe files, locale\ and man\ beside them
zip=$wtmp/zip
mkdir -p "$zip/locale/ru/LC_MESSAGES" "$zip/man"
cp "$win/cpkit.exe" "$win/cpkit-list.exe" "$win/cpkit-test.exe" "$zip/"
cp "$mo" "$zip/locale/ru/LC_MESSAGES/"
printf 'CPKIT-LIST(1)\r\n\r\nNAME\r\n    cpkit-list - list key containers\r\n' \
    >"$zip/man/cpkit-list.txt"

# English, the verdicts at a fixed date; a UTF-8 Unix locale, so that wine
# hands Cyrillic arguments to the .exe as the characters they are
export CPKIT_NOW=2025-06-01 LC_ALL=C.UTF-8
unset LANG LANGUAGE CPKIT_LOCALEDIR
"$WINE" "$zip/cpkit.exe" --version >/dev/null 2>&1	# makes the prefix

# same NAME STDIN LINUX-PROGRAM WINDOWS-PROGRAM ARGS...: both run with the
# same arguments and stdin (a file, or /dev/null); the same exit status,
# stdout and stderr. WANT=N also asserts the status.
same() {
	name=$1 in=$2 lp=$3 wp=$4
	shift 4
	"$lp" "$@" <"$in" >"$wtmp/l.out" 2>"$wtmp/l.err"
	lrc=$?
	"$WINE" "$wp" "$@" <"$in" >"$wtmp/w.out" 2>"$wtmp/w.err"
	wrc=$?
	if wine_silent "$wrc"; then
		"$WINE" "$wp" "$@" <"$in" >"$wtmp/w.out" 2>"$wtmp/w.err"
		wrc=$?
	fi
	why=""
	[ -z "${WANT:-}" ] || [ "$wrc" = "$WANT" ] ||
		why="; exit $wrc, not $WANT"
	wine_verdict "$name" "$lrc" "$wrc" "$why"
}
# check NAME COND...: one assertion
check() {
	name=$1
	shift
	if "$@"; then
		wok
		echo "ok      $name"
	else
		wbad "$name"
	fi
}
has() { grep -qF -- "$2" "$1"; }

# --- the front command: cpkit NAME runs cpkit-NAME beside it
same front-list /dev/null "$lin/cpkit" "$zip/cpkit.exe" list "$flash"
check front-list-nonempty has "$wtmp/w.out" 'gost2012-256'
check front-no-cr sh -c "! grep -q \"\$(printf '\\r')\" '$wtmp/w.out'"
PW=12345678 WANT=0 same front-test /dev/null "$lin/cpkit" "$zip/cpkit.exe" \
    test --password-env PW "$flash/good2012.000"
WANT=2 same front-unknown /dev/null "$lin/cpkit" "$zip/cpkit.exe" nosuchcmd
# arguments that need quoting on the Windows command line come back
# whole: the name in the message is the one given
WANT=2 same front-quoting /dev/null "$lin/cpkit" "$zip/cpkit.exe" list \
    --container 'a "b" c\' "$flash/good2012.000"
WANT=2 same front-quoting2 /dev/null "$lin/cpkit" "$zip/cpkit.exe" list \
    --container 'Иванов \\"x\\' "$flash/good2012.000"
WANT=2 same front-empty-arg /dev/null "$lin/cpkit" "$zip/cpkit.exe" list \
    --container '' "$flash/good2012.000"
spaced="$wtmp/flash drive/Иванов"
mkdir -p "$spaced"
cp -r "$flash/good2012.000" "$spaced/"
same front-spaced-path /dev/null "$lin/cpkit" "$zip/cpkit.exe" list "$spaced"

# --- exit statuses: usage, a missing path, a wrong password, data
WANT=2 same usage-bad-option /dev/null "$lin/cpkit-list" "$zip/cpkit-list.exe" \
    --csv --json "$flash"
WANT=2 same missing-path /dev/null "$lin/cpkit-list" "$zip/cpkit-list.exe" \
    "$top/samples/no-such-folder"
WANT=2 same front-missing-path /dev/null "$lin/cpkit" "$zip/cpkit.exe" list \
    "$top/samples/no-such-folder"
PW=wrong same wrong-password /dev/null "$lin/cpkit-test" \
    "$zip/cpkit-test.exe" --password-env PW "$flash/good2012.000"
check wrong-password-not-0 test "$wrc" -ne 0
PW=wrong same front-wrong-password /dev/null "$lin/cpkit" "$zip/cpkit.exe" \
    test --password-env PW "$flash/good2012.000"
same damaged /dev/null "$lin/cpkit-test" "$zip/cpkit-test.exe" \
    --empty-password "$flash/badhead.000"
# a bad option's message is getopt's, whose words differ between glibc
# and mingw-w64: the status is what counts
"$WINE" "$zip/cpkit-list.exe" --bogus >/dev/null 2>&1
check bad-option-status test $? -eq 2

# --- a password on stdin, as on Linux (--password-file /dev/stdin)
printf '12345678\n' >"$wtmp/pw.in"
printf 'wrong\r\n' >"$wtmp/pwbad.in"
printf 'пароль\n' >"$wtmp/pwcyr.in"
# owner-only, or Linux warns that others may read stdin's file
chmod 600 "$wtmp/pw.in" "$wtmp/pwbad.in" "$wtmp/pwcyr.in"
WANT=0 same stdin-password "$wtmp/pw.in" "$lin/cpkit-test" \
    "$zip/cpkit-test.exe" --password-file /dev/stdin "$flash/good2012.000"
same stdin-wrong-password "$wtmp/pwbad.in" "$lin/cpkit-test" \
    "$zip/cpkit-test.exe" --password-file /dev/stdin "$flash/good2012.000"
WANT=0 same stdin-cyrillic "$wtmp/pwcyr.in" "$lin/cpkit-test" \
    "$zip/cpkit-test.exe" --password-file /dev/stdin "$flash/5f3a9c1d.000"
WANT=0 same front-stdin-password "$wtmp/pw.in" "$lin/cpkit" "$zip/cpkit.exe" \
    test --password-file /dev/stdin "$flash/good2012.000"
# --ask without a console: the same refusal as without a terminal
"$WINE" "$zip/cpkit-test.exe" --ask "$flash/good2012.000" </dev/null \
    >/dev/null 2>"$wtmp/w.err"
check ask-no-console test $? -eq 2
check ask-no-console-text has "$wtmp/w.err" '--ask needs a terminal'

# --- Russian: LANG as on Linux, from the zip's catalog
(
	export LANG=ru_RU.UTF-8 LC_ALL=ru_RU.UTF-8 LANGUAGE=ru
	CPKIT_LOCALEDIR=$top/build/locale
	# only the Linux side reads CPKIT_LOCALEDIR; the .exe finds its own
	lp() { CPKIT_LOCALEDIR=$CPKIT_LOCALEDIR "$lin/$@"; }
	lcpkit() { lp cpkit "$@"; }
	lcpkit_list() { lp cpkit-list "$@"; }
	lcpkit_test() { lp cpkit-test "$@"; }
	same ru-list /dev/null lcpkit "$zip/cpkit.exe" list "$flash"
	check ru-is-russian has "$wtmp/w.out" 'СОСТОЯНИЕ'
	same ru-missing /dev/null lcpkit_list "$zip/cpkit-list.exe" \
	    "$top/samples/no-such-folder"
	PW=wrong same ru-wrong-password /dev/null lcpkit_test \
	    "$zip/cpkit-test.exe" --password-env PW "$flash/good2012.000"
	echo "$wpass $wfail" >"$wtmp/counts"
)
read p f <"$wtmp/counts"
wpass=$p wfail=$f
# no variable at all: libintl takes the Windows display language, which
# wine takes from the Unix LC_MESSAGES; cmd clears the variables the
# process would otherwise inherit
wlist=$(echo "Z:$zip/cpkit-list.exe" | tr / '\\')
env -u LC_ALL -u LANG -u LANGUAGE LC_CTYPE=C.UTF-8 LC_MESSAGES=ru_RU.UTF-8 \
    "$WINE" cmd /c "set LC_MESSAGES=&& set LC_ALL=&& set LC_CTYPE=&& \
set LANG=&& set LANGUAGE=&& $wlist Z:\\no-such-folder" \
    >/dev/null 2>"$wtmp/w.err"
check ui-language-russian has "$wtmp/w.err" 'нет такого файла или каталога'

# --- no PATH: the places of Windows (registry:, the removable drives, for
# which CPKIT_DISCOVERY_ROOT stands, the profile); what they hold is what
# the folder given by itself lists
"$WINE" "$zip/cpkit-list.exe" "$flash" >"$wtmp/given.out" 2>/dev/null
CPKIT_DISCOVERY_ROOT=$flash "$WINE" "$zip/cpkit-list.exe" >"$wtmp/w.out" \
    2>"$wtmp/w.err"
check discover-places has "$wtmp/w.err" "looked in registry:, $flash, C:"
check discover-finds cmp -s "$wtmp/given.out" "$wtmp/w.out"

# --- help: the text page beside the .exe, byte for byte
"$WINE" "$zip/cpkit.exe" help list >"$wtmp/w.out" 2>/dev/null
check help-page-status test $? -eq 0
check help-page-bytes cmp -s "$wtmp/w.out" "$zip/man/cpkit-list.txt"
"$WINE" "$zip/cpkit.exe" help test >/dev/null 2>"$wtmp/w.err"
check help-no-page-status test $? -eq 3
check help-no-page-text has "$wtmp/w.err" 'no manual page cpkit-test shown'

# --- a reader that goes away is no error (Linux: EPIPE; Windows: EINVAL)
"$WINE" "$zip/cpkit.exe" list "$flash" 2>"$wtmp/w.err" | head -1 >/dev/null
check pipe-closed-quiet test ! -s "$wtmp/w.err"

# --- an offline hive: refused, the file named, the rest still listed
"$WINE" "$zip/cpkit-list.exe" "$top/samples/registry/SOFTWARE" \
    >/dev/null 2>"$wtmp/w.err"
check hive-refused has "$wtmp/w.err" \
    'SOFTWARE: offline registry hives need hivex'

# --- --version: what this build runs on
"$WINE" "$zip/cpkit.exe" --version >"$wtmp/w.out" 2>&1
check version-hivex has "$wtmp/w.out" 'hivex          not available'
check version-pcsc has "$wtmp/w.out" 'PC/SC          winscard.dll'
check version-crt has "$wtmp/w.out" 'C runtime      '
"$WINE" "$zip/cpkit.exe" --version --json >"$wtmp/w.out" 2>&1
check version-json-program has "$wtmp/w.out" '\\zip\\cpkit.exe"'
check version-json-locale has "$wtmp/w.out" '\\zip\\locale"'

wine_done e2e_proc
