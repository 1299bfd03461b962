#!/bin/sh
# The library's layers hold (issue 17 §1, ARCHITECTURE.md "Layers"): each
# object file may call only into its own layer and the ones it may know,
# as the linker sees it (nm), and may include only their headers.
#   sh tests/layers.sh BUILD
# Layers, lowest first: container (codec, crypto), media (folders, .reg,
# hives), token (cards; its media backend uses the media core), diag,
# recovery. media/open.c, the registry of backends, is the one file of
# media/ that knows token/.
b=${1:-build}
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpkit-layers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# defs LAYER: the cpk_ functions its objects define
for l in container media token diag recovery; do
	nm --defined-only "$b/$l"/*.o | awk '$2 ~ /^[TDBR]$/ { print $3 }' |
	    sort -u >"$tmp/$l.defs"
done

# may OBJ LAYERS...: OBJ calls nothing of the library outside LAYERS
may() {
	o=$1
	shift
	for l in "$@"; do cat "$tmp/$l.defs"; done | sort -u >"$tmp/ok"
	nm --undefined-only "$o" | awk '{ print $2 }' | grep '^cpk_' |
	    sort -u >"$tmp/und"
	bad=$(comm -23 "$tmp/und" "$tmp/ok")
	if [ -z "$bad" ]; then pass=$((pass + 1))
	else fail=$((fail + 1)); echo "FAIL: $o calls outside $*:" $bad; fi
}
for o in "$b"/container/*.o; do may "$o" container; done
for o in "$b"/media/*.o; do
	case $o in
	*/open.o) may "$o" container media token ;;
	*) may "$o" container media ;;
	esac
done
for o in "$b"/token/*.o; do may "$o" container media token; done
for o in "$b"/diag/*.o; do may "$o" container media token diag; done
for o in "$b"/recovery/*.o; do may "$o" container media token diag recovery; done

# includes: the codec includes no media or token header, media no token
# header (but open.c), and no library file a tool's
hdr() {
	f=$1 pat=$2
	if grep -nE "^#include \"($pat)\"" "$f" >"$tmp/inc"; then
		fail=$((fail + 1)); echo "FAIL: $f includes:"; cat "$tmp/inc"
	else pass=$((pass + 1)); fi
}
for f in container/*.c container/*.h; do
	hdr "$f" "media_int.h|token_int.h|token_media.h|tokens.h|diag.h|recovery.h|cli.h"
done
for f in media/*.c media/*.h; do
	case $f in
	media/open.c) hdr "$f" "token_int.h|tokens.h|diag.h|recovery.h|cli.h" ;;
	*) hdr "$f" "token_int.h|token_media.h|tokens.h|diag.h|recovery.h|cli.h" ;;
	esac
done
for f in token/*.c token/*.h; do hdr "$f" "diag.h|recovery.h|cli.h"; done
# <winscard.h> in one library file only (the Windows-only files of
# media/win/ among them)
n=$(grep -rl --include='*.[ch]' '^#include <winscard.h>' container media token diag recovery |
    tr '\n' ' ')
[ "$n" = "token/pcsc.c " ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: <winscard.h> in: $n"; }
echo "layers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
