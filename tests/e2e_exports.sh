#!/bin/sh
# The shared library exports what the public headers declare, and nothing
# else (issue 17 §2): a symbol no header declares is internal and must not
# become ABI by accident; a declared function the library lacks is a
# link error waiting for a user.
#   sh tests/e2e_exports.sh CC SOLIB HEADER...
cc=$1 so=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpkit-exports.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
sh scripts/exports.sh "$cc" "$@" >"$tmp/declared" || exit 1
nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' |
    sed 's/@.*//' | sort -u >"$tmp/exported"
n=$(wc -l <"$tmp/declared")
[ "$n" -gt 100 ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: only $n declared functions found"; }
extra=$(comm -23 "$tmp/exported" "$tmp/declared")
[ -z "$extra" ] && pass=$((pass + 1)) || { fail=$((fail + 1))
	echo "FAIL: exported but declared in no public header:" $extra; }
missing=$(comm -13 "$tmp/exported" "$tmp/declared")
[ -z "$missing" ] && pass=$((pass + 1)) || { fail=$((fail + 1))
	echo "FAIL: declared in a public header but not in $so:" $missing; }
echo "e2e-exports: $n functions; $pass passed, $fail failed"
[ "$fail" -eq 0 ]
