#!/bin/sh
# The Windows port's smoke test, run by hand (not by `make test`; issue 21,
# docs/WINDOWS.md): cpkit-smoke.exe, cross-built by `make windows`, runs
# under Debian's wine64 in a throwaway WINEPREFIX, prints its version, and
# decodes and unlocks containers from samples/ and the real fixtures with
# exactly the output of the same program built for Linux.
#
#   sh tests/win_smoke.sh          (after `make windows`; needs wine64)
#
# Exit 0 when every case matches, 1 otherwise, 77 without wine64.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
exe=build-win/bin/cpkit-smoke.exe
[ -x "$WINE" ] || { echo "win_smoke: no wine64 (sh scripts/setup.sh --windows)" >&2; exit 77; }
[ -f "$exe" ] || { echo "win_smoke: $exe missing: run make windows" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpkit-winsmoke.XXXXXX")
# the prefix is made by the first wine run and removed with its server
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
	WINEPREFIX="$tmp/prefix" wineserver -k 2>/dev/null ||
		/usr/lib/wine/wineserver -k 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# the same program for Linux, on the Linux build's container/ layer
make -s -j2 build/libcpkit.a >/dev/null || exit 1
# shellcheck disable=SC2046
cc -std=c11 -D_DEFAULT_SOURCE -O2 -Icontainer -Imedia -Itoken -Idiag \
	-Irecovery -Iinclude tests/win/smoke.c build/libcpkit.a \
	$(pkg-config --libs libgcrypt 2>/dev/null) -lcrypto -lzip -pthread \
	-o "$tmp/cpkit-smoke" || exit 1

fail=0
# runs one case both ways: a label, then the program's arguments
case_() {
	label=$1; shift
	"$tmp/cpkit-smoke" "$@" >"$tmp/linux.out" 2>/dev/null
	lrc=$?
	"$WINE" "$exe" "$@" >"$tmp/win.raw" 2>"$tmp/wine.err"
	wrc=$?
	# the C runtime writes \r\n in text mode; the Linux output has \n
	tr -d '\r' <"$tmp/win.raw" >"$tmp/win.out"
	if cmp -s "$tmp/linux.out" "$tmp/win.out" && [ "$lrc" = "$wrc" ]; then
		echo "same    $label (exit $lrc)"
	else
		echo "DIFFERS $label (exit $lrc on Linux, $wrc under wine)"
		diff "$tmp/linux.out" "$tmp/win.out" | sed 's/^/        /' | head -20
		fail=1
	fi
}

# the version: the Windows build names other libraries (no hivex or
# pcsc-lite, mingw-w64's CRT for glibc); shown, not compared
echo "--- cpkit-smoke.exe --version under $("$WINE" --version 2>/dev/null)"
"$WINE" "$exe" --version 2>/dev/null | tr -d '\r' | sed 's/^/    /'
"$WINE" "$exe" --version >/dev/null 2>&1 || { echo "win_smoke: the .exe does not run" >&2; exit 1; }

for s in good2001 good2012 good512 two-keys locked badmasks noprimar; do
	[ -d "samples/flash/$s.000" ] || continue
	case_ "samples/flash/$s.000" "samples/flash/$s.000" 12345678
done
case_ "samples/flash/locked.000 (right password)" samples/flash/locked.000 87654321
# a Cyrillic password through the Windows command line (docs/WINDOWS.md:
# argv is in the ANSI code page until wmain or a UTF-8 manifest)
case_ "samples/flash/5f3a9c1d.000 (Cyrillic name and password)" \
	samples/flash/5f3a9c1d.000 "пароль"
if [ -d "$fixtures" ]; then
	for d in g2001 g2012256 g2012512; do
		case_ "real/cpcert-samples/$d.000" "$fixtures/cpcert-samples/$d.000" 1
	done
	case_ "real/srv-emptypw.000" "$fixtures/srv-emptypw.000" ""
else
	echo "win_smoke: no real fixtures at $fixtures" >&2
	fail=1
fi
exit $fail
