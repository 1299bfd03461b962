#!/bin/sh
# End-to-end test of the Debian package, on this machine: `make deb`
# builds cpkit, libcpkit2 and libcpkit-dev; lintian passes on them; apt-get
# installs them; the installed /usr/bin tools run on the real fixtures and
# report the installed paths, a program builds against the installed
# library; apt-get purge then leaves no file of theirs behind.
# The machine ends as it started. The test refuses (exit 77, skipped)
# rather than touch a cpkit someone installed: when one of the three
# packages is known to dpkg, or a cpkit is in /usr/bin or /usr/lib, before
# it starts; and when it is not root (apt-get needs root). A dependency
# apt-get would have to add is a failure (scripts/setup.sh installs them
# all), so that the purge alone undoes the install.
# Usage: tests/e2e_deb.sh BIN_DIR (BUILD/bin: the package goes to BUILD/deb).
set -u
bin=${1:-build/bin}
build=$(dirname "$bin")
top=$(pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-deb.XXXXXX)
installed=
# a failure half-way still purges what this test installed
cleanup() {
	if [ -n "$installed" ]; then
		apt-get -o DPkg::Lock::Timeout=600 purge -y -q $pkgs \
		    >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$top/tests/e2e_lib.sh"

version=$(sed -n 's/^VERSION\t= //p' Makefile)
pkgs="cpkit libcpkit2 libcpkit-dev"
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
skip() { echo "e2e_deb: skipped: $*"; exit 77; }

# ---- refuse rather than change someone's machine ----
[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	case $st in
	'' | not-installed) ;;
	*) skip "package $p is already on this machine ($st)" ;;
	esac
done
for f in /usr/bin/cpkit /usr/bin/cpkit-list /usr/include/cpkit \
    /usr/lib/libcpkit.so.2 "/usr/lib/$arch/libcpkit.so.2"; do
	[ -e "$f" ] && skip "$f exists (a cpkit installed by hand?)"
done

# ---- build: make deb into BUILD/deb ----
start=$(date +%s)
run "make deb" 0 ${MAKE:-make} --no-print-directory BUILD="$build" deb
debdir=$(cd "$build/deb" 2>/dev/null && pwd)
debs=
for p in $pkgs; do
	d=$debdir/${p}_${version}_amd64.deb
	if [ -f "$d" ]; then ok; debs="$debs $d"; else bad "no $d"; fi
done
[ "$fail" -eq 0 ] || { e2e_done e2e_deb; exit 1; }
# the declared dependencies: the shlibs-found libraries and the engine
dpkg-deb -f "$debdir/cpkit_${version}_amd64.deb" Depends Recommends \
    >"$tmp/deps"
for d in libengine-gost-openssl libssl3 libgcrypt20 libzip4 libhivex0 \
    libpcsclite1 'Recommends: pcscd'; do
	has "cpkit depends on $d" "$tmp/deps" "$d"
done

# ---- lintian: no error, no warning (overrides in debian/) ----
run "lintian" 0 lintian --fail-on error,warning \
    "$debdir/cpkit_${version}_amd64.changes"
hasnt "lintian errors" "$tmp/out" "E: "
hasnt "lintian warnings" "$tmp/out" "W: "

# ---- install: exactly our three packages, no dependency to add ----
apt-get -s install $debs >"$tmp/sim" 2>&1
sed -n 's/^Inst \([^ ]*\) .*/\1/p' "$tmp/sim" | sort >"$tmp/inst"
printf '%s\n' $pkgs | sort >"$tmp/want"
if cmp -s "$tmp/inst" "$tmp/want"; then ok; else
	bad "apt-get would install more than cpkit's packages:" \
	    "$(comm -13 "$tmp/want" "$tmp/inst" | tr '\n' ' ')(scripts/setup.sh)"
	e2e_done e2e_deb
	exit 1
fi
installed=yes
run "apt-get install" 0 env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y -q $debs
for p in $pkgs; do
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$p")" = installed ] &&
	    ok || bad "$p not installed"
done
for p in $pkgs; do dpkg -L "$p"; done | sort -u >"$tmp/files"

# ---- the installed tools, with the installed catalog ----
inst="env -u CPKIT_LOCALEDIR PATH=/usr/bin:/bin"
run "--version" 0 $inst cpkit --version
has "--version" "$tmp/out" "cpkit $version"
run "--version --json" 0 $inst cpkit --version --json
jq -e --arg v "$version" '.cpkit == $v and
    .paths.program == "/usr/bin/cpkit" and
    .paths.localedir == "/usr/share/locale" and
    .paths.mandir == "/usr/share/man" and
    .libraries["gost-engine"].available' "$tmp/out" >/dev/null && ok ||
    bad "--version --json: $(cat "$tmp/out")"
# the real containers: all four found, read and judged (warning: exit 1)
run "cpkit-list real" 1 $inst cpkit-list "$fixtures"
for n in g2001 g2012256 g2012512 srv; do
	has "cpkit-list $n" "$tmp/out" "\\\\.\\FLASH\\$n "
done
cp "$tmp/out" "$tmp/list"
run "cpkit list real" 1 $inst cpkit list "$fixtures"
cmp -s "$tmp/out" "$tmp/list" && ok || bad "cpkit list differs"
run "cpkit-list --json real" 1 $inst cpkit-list --json "$fixtures"
[ "$(jq length "$tmp/out")" = 4 ] && ok ||
    bad "cpkit-list --json: $(head -c 300 "$tmp/out")"
# the message catalog under /usr/share/locale (Russian in the ru pass)
run "cpkit-list --help" 0 $inst cpkit-list --help
has "catalog" "$tmp/out" "usage: cpkit-list"
run "man page" 0 man -w cpkit-list
has "man page" "$tmp/out" "/usr/share/man/man1/cpkit-list.1"

# ---- libcpkit-dev: a program against the installed library ----
cat >"$tmp/t.c" <<'EOF'
#include <stdio.h>
#include "container.h"

int
main(void)
{
	cpk_version_info v;

	cpk_version_get(&v);
	printf("cpkit %s\n", v.cpkit);
	return 0;
}
EOF
# shellcheck disable=SC2046	# the flags are words
run "cc against the package" 0 cc -std=c11 -Wall -Werror -o "$tmp/t" \
    "$tmp/t.c" $(pkg-config --cflags --libs cpkit)
run "run against the package" 0 "$tmp/t"
has "library version" "$tmp/out" "cpkit $version"
# (ldd may name it by /lib, the merged-/usr link)
so=$(ldd "$tmp/t" | sed -n 's/.*libcpkit\.so\.2 => \([^ ]*\).*/\1/p')
[ -n "$so" ] &&
    [ "$(readlink -f "$so")" = "/usr/lib/$arch/libcpkit.so.2.0.0" ] &&
    ok || bad "linked to $so, not the installed library"

# ---- purge: nothing left ----
run "apt-get purge" 0 env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 purge -y -q $pkgs
installed=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	case $st in
	'' | not-installed) ok ;;
	*) bad "$p still known to dpkg: $st" ;;
	esac
done
# every file the packages held is gone; their own folders too (the
# shared ones, /usr/bin, /usr/share/man..., belong to other packages)
while IFS= read -r f; do
	if [ -d "$f" ] && [ ! -L "$f" ]; then continue; fi
	if [ -e "$f" ] || [ -L "$f" ]; then bad "left after purge: $f"; else ok; fi
done <"$tmp/files"
for d in /usr/share/doc/cpkit /usr/share/doc/libcpkit2 \
    /usr/share/doc/libcpkit-dev /usr/include/cpkit; do
	if [ -e "$d" ]; then bad "left after purge: $d"; else ok; fi
done
left=$(ls -d /usr/lib/libcpkit* /usr/lib/*/libcpkit* \
    /usr/lib/*/pkgconfig/cpkit.pc /var/lib/dpkg/info/cpkit.* \
    /var/lib/dpkg/info/libcpkit* 2>/dev/null)
[ -z "$left" ] && ok || bad "left after purge:" $left
echo "e2e_deb: $(($(date +%s) - start)) s"
e2e_done e2e_deb
