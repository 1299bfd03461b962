#!/bin/sh
# `make test-windows`: every Windows e2e script under wine64, after `make
# all` and `make windows`. Here a script that skips (77: no wine64) is a
# failure, since `make test-windows` installs wine64 first.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
rc=0
for t in tests/win_smoke.sh tests/win/e2e_*.sh; do
	[ -f "$t" ] || continue
	echo "=== $t"
	start=$(date +%s)
	sh "$t"
	r=$?
	echo "=== $t: exit $r, $(($(date +%s) - start)) s"
	[ "$r" -eq 0 ] || rc=1
done
[ "$rc" -eq 0 ] && echo "test-windows: all passed" || echo "test-windows: FAILED"
exit $rc
