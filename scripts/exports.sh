#!/bin/sh
# The functions the public headers declare, one per line, as the compiler
# itself reads them (gcc -aux-info): the shared library's version script
# is made from this list, and tests/e2e_exports.sh holds the library to it.
#   scripts/exports.sh CC HEADER...         the names
#   scripts/exports.sh --map CC HEADER...   a version script exporting them
set -eu
map=0
[ "${1:-}" = --map ] && { map=1; shift; }
cc=$1
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpkit-exports.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
top=$(pwd)
for h in "$@"; do printf '#include "%s/%s"\n' "$top" "$h"; done >"$tmp/all.c"
# absolute -I folders: a header that another one includes is named by its
# full path in the output too
$cc -std=c11 -D_DEFAULT_SOURCE -I"$top/container" -I"$top/media" \
    -I"$top/token" -I"$top/diag" -I"$top/recovery" -I"$top/include" \
    -fsyntax-only \
    -aux-info "$tmp/aux" "$tmp/all.c"
# "/* /top/diag/diag.h:52:NC */ extern enum cpk_sev cpk_findings_worst (...);"
# -> cpk_findings_worst; prototypes from system headers are left out
grep -F "/* $top/" "$tmp/aux" | sed 's/ *(.*//; s/.*[ *]//' | sort -u \
    >"$tmp/names"
if [ "$map" -eq 0 ]; then
	cat "$tmp/names"
	exit 0
fi
echo "/* made by scripts/exports.sh from the public headers: do not edit */"
echo "{"
echo "global:"
sed 's/.*/	&;/' "$tmp/names"
echo "local:"
echo "	*;"
echo "};"
