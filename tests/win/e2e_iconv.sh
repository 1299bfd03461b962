#!/bin/sh
# `make test-windows`: compat/win/iconv.c (over the Win32 code pages)
# converts as glibc's iconv does, for every conversion cpkit asks for:
# tests/win/iconv_check.c built both ways, its output compared line by
# line. Exit 0 same, 1 differs, 77 without wine64.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. "$top/tests/win/wine_lib.sh"
exe=build-win/tests/win/iconv_check.exe
[ -f "$exe" ] || { echo "e2e_iconv: $exe missing: make windows" >&2; exit 1; }
cc -std=c11 -O2 tests/win/iconv_check.c -o "$wtmp/iconv_check" || exit 1
"$wtmp/iconv_check" >"$wtmp/linux.out"
# the line ends aside (this program writes in text mode)
"$WINE" "$exe" 2>/dev/null | tr -d '\r' >"$wtmp/win.out"
lines=$(wc -l <"$wtmp/linux.out")
if [ "$lines" -eq 144 ] && cmp -s "$wtmp/linux.out" "$wtmp/win.out"; then
	wok
	echo "same    $lines conversions (CP1251 0x98 refused both ways)"
else
	wbad "iconv: the Windows conversions differ from glibc's"
	diff "$wtmp/linux.out" "$wtmp/win.out" | head -20
fi
wine_done e2e_iconv
