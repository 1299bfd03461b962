#!/bin/sh
# Cross-builds cpkit's dependencies for Windows (x86_64-w64-mingw32) from
# Debian source packages pinned below, as static libraries, into a cache
# outside the clone keyed by the pins and the toolchain, then links the
# cache into build-win/deps. A package already in the cache is not rebuilt,
# so only a fresh machine pays for the builds (docs/WINDOWS.md has the
# figures).
#
#   sh scripts/win-deps.sh [PACKAGE...]      (default: all of them)
#
# CPKIT_WIN_DEPS_CACHE  cache root (default /var/cache/cpkit-win-deps, FHS)
# CPKIT_WIN_DEPS_OUT    the link made to the prefix (default build-win/deps)
# CPKIT_WIN_JOBS        make -j (default 2)
#
# The machine's apt sources carry no deb-src line and must not change: a
# private apt configuration (its own sources.list, lists and cache in a temp
# folder) gets deb-src lines for the same Debian mirror as the system's.
set -eu

HOST=x86_64-w64-mingw32
# posix threads model: cpkit's scanners use pthreads, which the posix
# flavour provides (winpthreads, linked statically); the win32 one has none.
CC_W="$HOST-gcc-posix"
AR_W="$HOST-ar"
RANLIB_W="$HOST-ranlib"

# package=Debian version. The point-release versions (pool/main), not the
# security pool's, which moves more often. A version the mirror no longer
# has fails with a clear message: bump it here (the cache key follows).
PINS="zlib=1:1.2.13.dfsg-1
openssl=3.0.20-1~deb12u2
libengine-gost-openssl=3.0.1-2
libzip=1.7.3-1
gettext=0.21-12
libgpg-error=1.46-1
libgcrypt20=1.10.1-3+deb12u1
hivex=1.3.23-1"
ALL="zlib openssl libengine-gost-openssl libzip gettext libgpg-error libgcrypt20"
# hivex is left out of ALL: docs/WINDOWS.md says why; `win-deps.sh hivex`
# tries it.
# Bumped when a recipe below changes, so that the key changes with it.
RECIPES=1

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${CPKIT_WIN_JOBS:-2}
CACHE_ROOT=${CPKIT_WIN_DEPS_CACHE:-/var/cache/cpkit-win-deps}
OUT=${CPKIT_WIN_DEPS_OUT:-$ROOT/build-win/deps}

die() { echo "win-deps: $*" >&2; exit 1; }
command -v "$CC_W" >/dev/null ||
	die "$CC_W missing: run sh scripts/setup.sh --windows"

toolchain=$("$CC_W" -dumpfullversion 2>/dev/null || "$CC_W" -dumpversion)
KEY=$(printf '%s\n%s\n%s\n' "$PINS" "$toolchain" "$RECIPES" |
	sha256sum | cut -c1-16)
KEY="$HOST-gcc$toolchain-$KEY"
CACHE="$CACHE_ROOT/$KEY"
PREFIX="$CACHE/prefix"
mkdir -p "$PREFIX/lib" "$PREFIX/include" "$CACHE/stamps" "$CACHE/src"

pin() { printf '%s\n' "$PINS" | sed -n "s/^$1=//p"; }
upstream() { pin "$1" | sed 's/^[0-9]*://; s/-[^-]*$//'; }

# --- the private apt configuration ---------------------------------------
APT=""
apt_setup() {
	[ -n "$APT" ] && return 0
	d=$(mktemp -d "${TMPDIR:-/tmp}/cpkit-apt.XXXXXX")
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	apt_srclines >"$d/sources.list"
	[ -s "$d/sources.list" ] || die "no Debian mirror in /etc/apt/sources.list(.d)"
	APT="-o Dir::Etc::SourceList=$d/sources.list -o Dir::Etc::SourceParts=$d/parts"
	APT="$APT -o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache"
	APT_TMP=$d
	trap 'rm -rf "$APT_TMP"' EXIT
	trap 'exit 1' INT TERM
	# shellcheck disable=SC2086
	apt-get -q $APT update >"$d/update.log" 2>&1 ||
		{ cat "$d/update.log" >&2; die "apt-get update (private sources) failed"; }
}

# deb-src lines for the Debian archives the system already uses (one-line
# and deb822 formats); other vendors' repositories carry no sources.
apt_srclines() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]*\/debian\(-security\)\{0,1\}\/\{0,1\}\)[[:space:]]\+\(.*\)$/deb-src \1\2 \4/p' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && uris ~ /\/debian(-security)?\/?$/ && enabled != "no") {
				n = split(suites, s, " ")
				for (i = 1; i <= n; i++)
					printf "deb-src %s%s %s %s\n", sb, uris, s[i], comps
			}
			types = uris = suites = comps = sb = ""; enabled = ""
		}
		/^[[:space:]]*$/ { flush(); next }
		/^#/ { next }
		/^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
		/^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
		/^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
		/^Components:/ { sub(/^Components:[[:space:]]*/, ""); comps = $0 }
		/^Enabled:/ { sub(/^Enabled:[[:space:]]*/, ""); enabled = $0 }
		/^Signed-By:/ { sub(/^Signed-By:[[:space:]]*/, ""); sb = "[signed-by=" $0 "] " }
		END { flush() }' "$f"
	done
}

# Unpacks source package $1 at its pinned version into $CACHE/src and
# prints the folder. apt-get checks every file against the signed Sources
# index. When the mirror lacks the Debian part (.debian.tar.xz) but the
# verified upstream tarball came, the upstream tree is used and the build
# log says the Debian patches are missing.
fetch() {
	p=$1
	v=$(pin "$p")
	[ -n "$v" ] || die "no pin for $p"
	dir="$CACHE/src/$p-$(upstream "$p")"
	if [ -d "$dir" ]; then echo "$dir"; return 0; fi
	apt_setup
	work=$(mktemp -d "$CACHE/src/dl.XXXXXX")
	# shellcheck disable=SC2086
	if (cd "$work" && apt-get -q $APT source "$p=$v" >"$work/.log" 2>&1); then
		mv "$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)" "$dir"
	else
		orig=$(find "$work" -maxdepth 1 -name "*.orig.tar.*" ! -name '*.asc' | head -1)
		if [ -z "$orig" ]; then
			cat "$work/.log" >&2
			rm -rf "$work"
			die "apt-get source $p=$v failed (see above)"
		fi
		echo "win-deps: $p: the mirror lacks the Debian part; building upstream $(basename "$orig") without Debian's patches" >&2
		mkdir -p "$work/x"
		tar -xf "$orig" -C "$work/x"
		mv "$(find "$work/x" -mindepth 1 -maxdepth 1 -type d | head -1)" "$dir"
		echo "upstream only: $(basename "$orig")" >"$dir/.cpkit-unpatched"
	fi
	rm -rf "$work"
	echo "$dir"
}

# CMake's cross file, written once per cache
cmake_toolchain() {
	t="$CACHE/toolchain.cmake"
	[ -f "$t" ] || cat >"$t" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER $CC_W)
set(CMAKE_RC_COMPILER $HOST-windres)
set(CMAKE_FIND_ROOT_PATH $PREFIX /usr/$HOST)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF
	echo "$t"
}

# --- one recipe per package: $1 the source tree, installs into $PREFIX ---
build_zlib() {
	# Debian's dfsg tarball drops win32/Makefile.gcc: the library's
	# fifteen files are compiled directly (zconf.h needs no configuring).
	cd "$1"
	rm -f ./*.o libz.a
	for c in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite \
	    infback inffast inflate inftrees trees uncompr zutil; do
		"$CC_W" -O2 -D_LARGEFILE64_SOURCE=1 -c "$c.c" -o "$c.o"
	done
	"$AR_W" rcs libz.a ./*.o
	cp libz.a "$PREFIX/lib/"
	cp zlib.h zconf.h "$PREFIX/include/"
	printf 'prefix=%s\nName: zlib\nDescription: zlib\nVersion: %s\nLibs: -L${prefix}/lib -lz\nCflags: -I${prefix}/include\n' \
		"$PREFIX" "$(upstream zlib)" >"$PREFIX/lib/pkgconfig/zlib.pc"
}

build_openssl() {
	cd "$1"
	# no-shared: one static libcrypto; the engines folder compiled in is
	# never used (gost-engine is linked in and registered by cpkit).
	./Configure mingw64 --cross-compile-prefix="$HOST-" CC=gcc-posix \
		--prefix="$PREFIX" --libdir=lib no-shared no-tests no-module \
		no-dso
	make -j"$JOBS" build_libs
	make install_dev
}

build_libengine_gost_openssl() {
	cd "$1"
	rm -rf build && mkdir build && cd build
	# its two check_c_source_runs cannot run a Windows program here:
	# their answers for x86_64 are given (_addcarry_u64 works, unaligned
	# reads are allowed)
	cmake -G "Unix Makefiles" -DCMAKE_TOOLCHAIN_FILE="$(cmake_toolchain)" \
		-DCMAKE_BUILD_TYPE=Release -DOPENSSL_ROOT_DIR="$PREFIX" \
		-DOPENSSL_USE_STATIC_LIBS=TRUE \
		-DADDCARRY_U64_EXITCODE=0 -DADDCARRY_U64_EXITCODE__TRYRUN_OUTPUT= \
		-DRELAXED_ALIGNMENT_EXITCODE=0 \
		-DRELAXED_ALIGNMENT_EXITCODE__TRYRUN_OUTPUT= .. >cmake.log
	make -j"$JOBS" gost_core gost_err libprov
	# Both of gost-engine's front ends in library form, as its CMake builds
	# lib_gost_engine and lib_gost_prov, but static and in one archive:
	# - the engine: gost_eng.c with BUILDING_ENGINE_AS_LIBRARY exports
	#   ENGINE_load_gost() in place of the dynamic bind_engine;
	# - the provider (gostprov): gost_prov*.c and its own gost_eng.c with
	#   BUILDING_PROVIDER_AS_LIBRARY export GOST_provider_init() for
	#   OSSL_PROVIDER_add_builtin. That gost_eng.c defines the same
	#   global symbols as the engine's (populate_gost_engine and three
	#   tables), and gost_prov.c its own ERR_GOST_error: renamed for the
	#   provider, so both link into one program (the shared core reports
	#   its errors the engine's way, into the error queue).
	fl="-O2 -Wno-deprecated-declarations -I$PREFIX/include -I.. -I../libprov/include"
	rm -rf objs && mkdir objs
	# shellcheck disable=SC2086
	"$CC_W" $fl -DBUILDING_ENGINE_AS_LIBRARY -c ../gost_eng.c -o objs/gost_eng.o
	pv="-DBUILDING_GOST_PROVIDER -DBUILDING_PROVIDER_AS_LIBRARY"
	pv="$pv -DOPENSSL_NO_DYNAMIC_ENGINE"
	for sym in populate_gost_engine gost_cmds gost_digest_array \
	    gost_cipher_array ERR_GOST_error; do
		pv="$pv -D$sym=gostprov_$sym"
	done
	for c in gost_prov gost_prov_cipher gost_prov_digest gost_prov_mac gost_eng; do
		# shellcheck disable=SC2086
		"$CC_W" $fl $pv -c "../$c.c" -o "objs/prov_$c.o"
	done
	(cd objs && "$AR_W" x ../libgost_core.a && "$AR_W" x ../libgost_err.a &&
		"$AR_W" x ../libprov/libprov.a)
	rm -f libgost.a
	"$AR_W" rcs libgost.a objs/*	# CMake names its objects *.c.obj
	cp libgost.a "$PREFIX/lib/"
	cp ../gost-engine.h "$PREFIX/include/"
}

build_libzip() {
	cd "$1"
	rm -rf build && mkdir build && cd build
	# no encryption, bzip2, lzma or zstd: cpkit reads and writes plain
	# deflate archives (media/zipmed.c)
	cmake -G "Unix Makefiles" -DCMAKE_TOOLCHAIN_FILE="$(cmake_toolchain)" \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" \
		-DBUILD_SHARED_LIBS=OFF -DBUILD_TOOLS=OFF -DBUILD_REGRESS=OFF \
		-DBUILD_EXAMPLES=OFF -DBUILD_DOC=OFF -DENABLE_COMMONCRYPTO=OFF \
		-DENABLE_GNUTLS=OFF -DENABLE_MBEDTLS=OFF -DENABLE_OPENSSL=OFF \
		-DENABLE_WINDOWS_CRYPTO=OFF -DENABLE_BZIP2=OFF -DENABLE_LZMA=OFF \
		-DENABLE_ZSTD=OFF -DZLIB_LIBRARY="$PREFIX/lib/libz.a" \
		-DZLIB_INCLUDE_DIR="$PREFIX/include" .. >cmake.log
	make -j"$JOBS" zip
	make install/fast >/dev/null 2>&1 || make install >/dev/null
}

# autotools packages: configure for the cross prefix, static only, with
# the package's own options; then make and install the named subfolders
cross_configure() {
	./configure --host="$HOST" CC="$CC_W" --prefix="$PREFIX" \
		--enable-static --disable-shared -q "$@" >/dev/null
}
make_install() {
	for d in "$@"; do make -j"$JOBS" -C "$d"; done
	make -C "$d" install >/dev/null
}

build_gettext() {
	# gettext-runtime's libintl only (no tools, no libasprintf, no iconv:
	# the catalogs are UTF-8 and cpkit writes UTF-8, docs/WINDOWS.md §5.5)
	cd "$1/gettext-runtime"
	cross_configure --disable-libasprintf --disable-java --disable-csharp \
		--disable-openmp --disable-c++ --disable-curses \
		--without-libiconv-prefix --without-libintl-prefix \
		--enable-threads=posix
	make_install intl
}

build_libgpg_error() {
	cd "$1"
	cross_configure --disable-doc --disable-tests --disable-languages \
		--disable-nls --enable-threads=windows \
		--enable-install-gpg-error-config
	make_install src
}

build_libgcrypt20() {
	# configure finds libgpg-error through the gpg-error-config that
	# build_libgpg_error installs (gpgrt-config alone is not found in a
	# cross prefix)
	cd "$1"
	cross_configure --disable-doc --with-libgpg-error-prefix="$PREFIX"
	make_install cipher random mpi compat src
}

build_hivex() {
	cd "$1"
	cross_configure --disable-ocaml --disable-perl --disable-python \
		--disable-ruby
	make_install lib
}

# --- main -----------------------------------------------------------------
mkdir -p "$PREFIX/lib/pkgconfig"
[ $# -gt 0 ] || set -- $ALL
for p in "$@"; do
	stamp="$CACHE/stamps/$p"
	if [ -f "$stamp" ]; then
		echo "win-deps: $p $(pin "$p"): cached ($(cat "$stamp"))"
		continue
	fi
	# the apt configuration is made here, not in fetch's subshell, so
	# that one serves every package and the EXIT trap removes it
	[ -d "$CACHE/src/$p-$(upstream "$p")" ] || apt_setup
	src=$(fetch "$p")
	log="$CACHE/build-$p.log"
	echo "win-deps: building $p $(pin "$p") (log: $log)"
	t0=$(date +%s)
	fn=build_$(echo "$p" | tr - _)
	# a background job, not an `if`: set -e stays in force in the recipe
	(set -e; "$fn" "$src") >"$log" 2>&1 &
	if ! wait $!; then
		tail -30 "$log" >&2
		die "$p failed (full log: $log)"
	fi
	t=$(( $(date +%s) - t0 ))
	# the sources and objects go (most of the cache's size); removing
	# the stamp fetches and builds the package again
	rm -rf "$src"
	echo "${t}s" >"$stamp"
	printf '%s\t%s\t%ss\n' "$p" "$(pin "$p")" "$t" >>"$CACHE/times.tsv"
	echo "win-deps: $p built in ${t}s"
done

# build-win/deps points at the cache's prefix; a copy when the link cannot
# be made (CPKIT_WIN_DEPS_COPY=1 forces one)
mkdir -p "$(dirname "$OUT")"
if [ -L "$OUT" ] || [ ! -e "$OUT" ]; then
	rm -f "$OUT"
	if [ "${CPKIT_WIN_DEPS_COPY:-0}" = 1 ] || ! ln -s "$PREFIX" "$OUT"; then
		cp -a "$PREFIX" "$OUT"
	fi
fi
echo "win-deps: $OUT -> $PREFIX ($(du -sh "$CACHE" | cut -f1) in the cache)"
