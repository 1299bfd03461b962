#!/bin/sh
# End-to-end test of make install and uninstall, as a packager runs them:
# into a temporary DESTDIR under a PREFIX. Every file is checked, nothing
# else may appear; a program built against the installed headers, .pc and
# library (shared, then static) reads and unlocks a sample container; the
# installed cpkit dispatches to its tools; the bash completion answers
# with the real options of each tool; uninstall leaves only empty folders.
# Usage: tests/e2e_install.sh BUILD_DIR (the make BUILD= tree).
set -u
build=${1:-build}
top=$(pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"

version=0.9.0
soname=libcpkit.so.2		# SONAME in the Makefile
sofile=$soname.0.0
prefix=/opt/cpkit-e2e
dest=$tmp/dest
D=$dest$prefix
# the tools whose main exists (cpkit-token may still be in the works)
tools=$(cd tools && ls cpkit-*.c | sed 's/\.c$//' | tr '\n' ' ')
set -- ${MAKE:-make} --no-print-directory BUILD="$build" PREFIX="$prefix" \
    DESTDIR="$dest" TOOLS="$tools"

# ---- install: exactly the expected files ----
run "install" 0 "$@" install
{
	for t in cpkit $tools; do echo "bin/$t"; done
	for m in man/*.1; do echo "share/man/man1/${m#man/}"; done
	echo share/bash-completion/completions/cpkit
	for t in $tools; do echo "share/bash-completion/completions/$t"; done
	for f in libcpkit.a libcpkit.so $soname $sofile \
	    pkgconfig/cpkit.pc; do echo "lib/$f"; done
	for h in cpkit.h err.h blob.h display.h json.h container.h key.h \
	    media.h tokens.h diag.h pinq.h recovery.h; do
		echo "include/cpkit/$h"
	done
	echo share/locale/ru/LC_MESSAGES/cpkit.mo
} | sort >"$tmp/want"
(cd "$D" && find . ! -type d | sed 's|^\./||' | sort) >"$tmp/got"
if cmp -s "$tmp/want" "$tmp/got"; then ok; else
	bad "installed files differ from the list"
	diff "$tmp/want" "$tmp/got" | head -20
fi
for t in cpkit $tools; do
	[ -x "$D/bin/$t" ] && cmp -s "$D/bin/$t" "$build/bin/$t" && ok ||
	    bad "bin/$t"
done
for m in man/*.1; do
	cmp -s "$m" "$D/share/man/man1/${m#man/}" && ok || bad "$m"
done
for h in include/cpkit.h container/err.h container/blob.h \
    container/display.h container/json.h container/container.h \
    container/key.h media/media.h token/tokens.h diag/diag.h diag/pinq.h \
    recovery/recovery.h; do
	cmp -s "$h" "$D/include/cpkit/${h#*/}" && ok || bad "$h"
done
cmp -s completion/cpkit.bash "$D/share/bash-completion/completions/cpkit" &&
    ok || bad "completion file"
for t in $tools; do
	[ "$(readlink "$D/share/bash-completion/completions/$t")" = cpkit ] &&
	    ok || bad "completion link $t"
done
L=$D/lib
[ -f "$L/$sofile" ] && [ ! -L "$L/$sofile" ] && ok ||
    bad "$sofile is not a file"
[ "$(readlink "$L/$soname")" = "$sofile" ] && ok || bad "$soname link"
[ "$(readlink "$L/libcpkit.so")" = "$soname" ] && ok ||
    bad "libcpkit.so link"
readelf -d "$L/$sofile" >"$tmp/dyn"
has "soname" "$tmp/dyn" "Library soname: [$soname]"
hasnt "no text relocations" "$tmp/dyn" "TEXTREL"
has "pc prefix" "$L/pkgconfig/cpkit.pc" "prefix=$prefix"
has "pc version" "$L/pkgconfig/cpkit.pc" "Version: $version"

# ---- a program against the installed .pc, headers and library ----
# The sysroot puts the DESTDIR in front of the .pc's -I and -L paths.
pc() {
	PKG_CONFIG_PATH=$L/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest \
	    pkg-config "$@" cpkit
}
[ "$(pc --modversion)" = "$version" ] && ok || bad "pkg-config version"
case " $(pc --cflags) " in
*" -I$D/include/cpkit "*) ok ;;
*) bad "pkg-config --cflags: $(pc --cflags)" ;;
esac
cat >"$tmp/t.c" <<'EOF'
#include <stdio.h>

#include <cpkit.h>

int
main(int argc, char **argv)
{
	cpk_version_info v;
	cpk_files *f = NULL;
	cpk_container *c = NULL;
	cpk_key *k = NULL;
	cpk_err r;

	if (argc != 2)
		return 2;
	cpk_version_get(&v);
	printf("cpkit %s\n", v.cpkit);
	if ((r = cpk_files_read_dir(argv[1], &f)) != CPK_OK ||
	    (r = cpk_container_decode(f, &c)) != CPK_OK ||
	    (r = cpk_container_unlock(c, "12345678", &k)) != CPK_OK) {
		printf("error %s\n", cpk_err_name(r));
		return 1;
	}
	printf("name %s\nprofile %s\nunlocked %s\n", cpk_container_name(c),
	    cpk_profile_name(cpk_container_profile(c)),
	    cpk_profile_name(cpk_key_profile(k)));
	cpk_key_free(&k);
	cpk_container_free(&c);
	cpk_files_free(&f);
	return 0;
}
EOF
printf 'cpkit %s\nname good2012-256\nprofile gost2012-256\nunlocked gost2012-256\n' \
    "$version" >"$tmp/t.want"
# shellcheck disable=SC2046	# the flags are words
run "cc shared" 0 cc -std=c11 -Wall -Wextra -Werror -pedantic -o "$tmp/t" \
    "$tmp/t.c" $(pc --cflags --libs)
run "run shared" 0 env LD_LIBRARY_PATH="$L" "$tmp/t" \
    "$top/samples/flash/good2012.000"
cmp -s "$tmp/out" "$tmp/t.want" && ok || bad "shared: $(cat "$tmp/out")"
readelf -d "$tmp/t" >"$tmp/dyn"
has "linked to the shared library" "$tmp/dyn" "[$soname]"
# static: the archive plus Requires.private / Libs.private
run "cc static" 0 cc -std=c11 -o "$tmp/ts" "$tmp/t.c" $(pc --cflags) \
    "$L/libcpkit.a" $(pc --static --libs | sed 's/-lcpkit//')
run "run static" 0 "$tmp/ts" "$top/samples/flash/good2012.000"
cmp -s "$tmp/out" "$tmp/t.want" && ok || bad "static: $(cat "$tmp/out")"
readelf -d "$tmp/ts" >"$tmp/dyn"
hasnt "static: no libcpkit.so" "$tmp/dyn" "libcpkit"

# ---- the installed dispatcher ----
cpkit=$D/bin/cpkit
bare="env PATH=/usr/bin:/bin"	# no cpkit-* in PATH: found beside cpkit
run "--version" 0 $bare "$cpkit" --version
has "--version" "$tmp/out" "cpkit $version"
for l in OpenSSL "GOST provider" "GOST engine" libgcrypt libzip hivex pcsc-lite \
    glibc "KDF 2001" "KDF 2012_256" "KDF 2012_512"
do
	has "--version $l" "$tmp/out" "$l"
done
run "--version --json" 0 $bare "$cpkit" --version --json
cp "$tmp/out" "$tmp/v.json"
jq -se --arg v "$version" \
    --arg ossl "$(openssl version | awk '{print $2}')" \
    --arg zip "$(pkg-config --modversion libzip)" \
    --arg hivex "$(pkg-config --modversion hivex)" \
    --arg pcsc "$(pkg-config --modversion libpcsclite)" \
    --arg glibc "$(getconf GNU_LIBC_VERSION | awk '{print $2}')" \
    --arg gcry "$(pkg-config --modversion libgcrypt)" '.[0] |
    .schema == "cpkit.version/1" and .cpkit == $v and
    .libraries.openssl.version == $ossl and
    .libraries.openssl.source == "runtime" and
    .libraries.libzip.version == $zip and
    .libraries.hivex.version == $hivex and
    .libraries.hivex.source == "build" and
    .libraries["pcsc-lite"].version == $pcsc and
    .libraries.glibc.version == $glibc and
    .libraries["gost-provider"].available and
    .libraries["gost-engine"].available and
    .libraries.libgcrypt.version == $gcry and
    (.libraries | keys | length) == 8 and
    .kdf["2001"] == "libgcrypt \($gcry) GOSTR3411_CP" and
    .kdf["2012_256"] == "libgcrypt \($gcry) STRIBOG256" and
    .kdf["2012_512"] == .kdf["2012_256"]' "$tmp/v.json" >/dev/null && ok ||
    bad "--version --json: $(cat "$tmp/v.json")"
run "version --json" 0 $bare "$cpkit" version --json
cmp -s "$tmp/out" "$tmp/v.json" && ok || bad "version --json differs"
run "list --help" 0 $bare "$cpkit" list --help
has "list --help" "$tmp/out" "usage: cpkit-list"
# the installed catalog: the binaries look in PREFIX/share/locale, here
# under DESTDIR, which CPKIT_LOCALEDIR stands in for
cmp -s "$build/locale/ru/LC_MESSAGES/cpkit.mo" \
    "$D/share/locale/ru/LC_MESSAGES/cpkit.mo" && ok || bad "cpkit.mo"
grep -qaF "$prefix/share/locale" "$D/bin/cpkit-list" && ok ||
    bad "cpkit-list does not look in $prefix/share/locale"
run "list --help in Russian" 0 env LC_ALL=ru_RU.UTF-8 \
    CPKIT_LOCALEDIR="$D/share/locale" $bare "$cpkit" list --help
grep -q '^Использование: cpkit-list' "$tmp/out" && ok ||
    bad "installed catalog not used: $(head -1 "$tmp/out")"
run "list samples" 1 $bare "$cpkit" list "$top/samples/flash"
has "list samples" "$tmp/out" "good2012-256"
run "nosuch" 2 $bare "$cpkit" nosuch
has "nosuch" "$tmp/err" "'nosuch' is not a cpkit command; see cpkit --help"
run "no command" 2 $bare "$cpkit"
has "no command" "$tmp/err" "usage: cpkit COMMAND"
run "--help" 0 $bare "$cpkit" --help
for c in list test fix export import passwd carve diag token; do
	has "--help $c" "$tmp/out" "  $c "
done
run "help" 0 $bare "$cpkit" help
run "bad option" 2 $bare "$cpkit" --bogus
run "--version extra" 2 $bare "$cpkit" --version list
if command -v man >/dev/null; then
	run "help list" 0 env MANPATH="$D/share/man" MANPAGER=cat PAGER=cat \
	    "$cpkit" help list
	has "help list" "$tmp/out" "cpkit-list"
	run "help nosuch" 2 "$cpkit" help nosuch
fi
# alone in a folder: the tools come from PATH; plug-ins too
mkdir "$tmp/solo" "$tmp/plug"
cp "$cpkit" "$tmp/solo/"
printf '#!/bin/sh\necho "hello $*"\nexit 4\n' >"$tmp/plug/cpkit-hello"
chmod +x "$tmp/plug/cpkit-hello"
run "PATH lookup" 0 env PATH="$tmp/plug:$D/bin:/usr/bin:/bin" \
    "$tmp/solo/cpkit" test --help
has "PATH lookup" "$tmp/out" "usage: cpkit-test"
run "plug-in" 4 env PATH="$tmp/plug:/usr/bin:/bin" "$tmp/solo/cpkit" \
    hello a "b c"
has "plug-in" "$tmp/out" "hello a b c"
run "known, not installed" 3 env PATH=/usr/bin:/bin "$tmp/solo/cpkit" list
run "cwd not searched" 2 sh -c "cd '$tmp/plug' && PATH=:/usr/bin:/bin \
    '$tmp/solo/cpkit' hello"

# ---- bash completion, sourced from the installed file ----
# Each line: the expected words (sorted), then the command line, whose
# last word is the one being completed.
mkdir -p "$tmp/c/flash/good.000" "$tmp/c/keys"
: >"$tmp/c/pw.txt"
cat >"$tmp/cases" <<EOF
list|cpkit li
test token|cpkit t
--json|cpkit list --j
--cert --container --csv --csv-excel|cpkit-list --c
gost2001 gost2012-256 gost2012-512|cpkit-fix --alg ''
gost2012-256 gost2012-512|cpkit fix --alg = gost2012
folder pem pfx reg|cpkit-export --to ''
folder reg|cpkit import --to ''
$tmp/c/flash/|cpkit-export --to folder $tmp/c/fl
change recover|cpkit passwd ''
--wordlist|cpkit passwd recover --w
--new-empty-password --new-password-env --new-password-file|cpkit-passwd change --new
change-pin check-defaults|cpkit token ch
pin-quality pin-status|cpkit-token pin-
--help -h|cpkit-token -
--pin-encoding --pin-env --pin-file|cpkit token pin-status --pin-
--accept-untested-format --admin --ask --ask-pin|cpkit-token unblock --a
--factory|cpkit token pin-quality --fa
esmart etoken|cpkit-token pin-quality --factory e
--ppminpinlength|cpkit token pin-quality --ppmin
cp1251 utf8|cpkit-token verify --pin-encoding ''
UTF8|cpkit token pin-quality --pinencoding U
fix|cpkit help f
--json|cpkit version --
--help --json --version|cpkit --
$tmp/c/pw.txt|cpkit-test --password-file $tmp/c/pw
$tmp/c/flash/|cpkit list $tmp/c/f
$tmp/c/flash/ $tmp/c/keys/|cpkit-fix --out $tmp/c/
$tmp/c/flash/ $tmp/c/keys/|cpkit-carve -o $tmp/c/
damaged|cpkit diag --fail-on d
|cpkit-token verify --min-tries ''
expiry|cpkit-list --sort e
always auto|cpkit carve --progress = a
--no-tokens|cpkit diag --no
EOF
cat >"$tmp/comp.bash" <<'EOF'
export LC_ALL=C
. "$1"
while IFS='|' read -r want line; do
	eval "words=($line)"
	func=$(complete -p "${words[0]}" | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$((${#words[@]} - 1))
	COMPREPLY=()
	"$func"
	# a folder gets its slash from -o filenames in a real shell (the
	# cases name folders by absolute path: a command such as "token" is
	# no folder, though the source tree has one of that name)
	got=$(for w in "${COMPREPLY[@]}"; do
		case $w in /*) [ -d "$w" ] && w=$w/ ;; esac
		echo "$w"; done | sort | xargs)
	if [ "$got" = "$want" ]; then echo ok
	else echo "FAIL: completion of '$line': got '$got', want '$want'"; fi
done <"$2"
# options from the getopt tables: tools/cpkit-T.c, tools/T_*.c, and the
# CLI_*_OPTIONS macros of tools/cli.h they use; pin-quality adds one per
# policy parameter of diag/pinq_policy.c at run time
macro() {
	sed -n "/^#define $1 /,/[^\\\\]\$/p" tools/cli.h |
	    grep -o '{ "[a-z0-9-]*"' | sed 's/{ "\(.*\)"/--\1/'
}
for src in tools/cpkit-*.c; do
	t=${src#tools/cpkit-}; t=${t%.c}
	files=$(ls "$src" tools/"$t"_*.c 2>/dev/null)
	real=$({ grep -ho '{ "[a-z0-9-]*", *[a-z_]*argument' $files |
	    sed 's/{ "\([^"]*\)".*/--\1/'
	    for m in $(grep -ho 'CLI_[A-Z]*_OPTIONS' $files | sort -u); do
		macro "$m"; done
	    [ "$t" = token ] && grep -o '{ "P[A-Z]*"' diag/pinq_policy.c |
		sed 's/{ "\(.*\)"/--\1/' | tr A-Z a-z; } | sort -u | xargs)
	comp=$(_cpkit_opts "$t")
	for s in $(_cpkit_subs "$t"); do comp="$comp $(_cpkit_opts "$t-$s")"; done
	comp=$(printf '%s\n' $comp | grep -- '^--' | sort -u | xargs)
	if [ "$real" = "$comp" ]; then echo ok
	else echo "FAIL: cpkit-$t: getopt has '$real', completion '$comp'"; fi
done
EOF
(cd "$top" && bash "$tmp/comp.bash" \
    "$D/share/bash-completion/completions/cpkit" "$tmp/cases") \
    >"$tmp/comp.out" 2>&1
while read -r line; do
	case $line in
	ok) ok ;;
	*) bad "${line#FAIL: }" ;;
	esac
done <"$tmp/comp.out"

# ---- uninstall: what install put there, nothing else ----
: >"$D/bin/not-ours"
run "uninstall" 0 "$@" uninstall
[ -f "$D/bin/not-ours" ] && ok || bad "uninstall removed a foreign file"
rm -f "$D/bin/not-ours"
left=$(find "$dest" ! -type d)
[ -z "$left" ] && ok || bad "left after uninstall: $left"
[ ! -e "$D/include/cpkit" ] && ok || bad "include/cpkit left"
run "uninstall twice" 0 "$@" uninstall

e2e_done e2e-install
