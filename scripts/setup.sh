#!/bin/sh
# Installs the Debian packages cpkit needs to build and test, when missing,
# and makes the ru_RU.UTF-8 locale the Russian test pass runs in. Run by
# `make demo` and `make test` before anything else. As root it installs
# them; otherwise it prints the exact command and stops.
set -eu

# `setup.sh --windows`: the Windows cross build's own packages (make
# windows, docs/WINDOWS.md), kept apart so that the Linux set-up does not
# grow. The posix threads flavour of gcc (winpthreads); wine64 runs the
# .exe files; cmake, autotools and perl build the dependencies from
# Debian's sources (scripts/win-deps.sh), dpkg-dev unpacks them.
WIN_PKGS="gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64
mingw-w64-x86-64-dev wine64 cmake autoconf automake libtool pkg-config
make perl dpkg-dev xz-utils bzip2 zip groff-base"

PKGS="build-essential pkg-config libssl-dev openssl libengine-gost-openssl
libgcrypt20-dev
libcriterion-dev clang jq libhivex-dev dosfstools mtools libzip-dev
unzip chromium pcscd libpcsclite-dev vsmartcard-vpcd gettext locales
time opensc debhelper dpkg-dev lintian man-db
ansible-core ansible-lint openssh-server parallel slurm-wlm munge"

if [ "${1:-}" = --windows ]; then
	PKGS=$WIN_PKGS
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "cpkit needs these Debian packages:$missing" >&2
		echo "run as root: apt-get update && apt-get install -y$missing" >&2
		exit 3
	fi
	echo "setup: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi

# the Windows set is complete here: no locale is needed for it
[ "${1:-}" != --windows ] || exit 0

# The Russian pass of `make test` (E2E_LANG=ru) needs ru_RU.UTF-8. It goes
# into /etc/locale.gen too, so that a later locale-gen (a locales upgrade)
# keeps it; --keep-existing builds only what is missing.
locale -a 2>/dev/null | grep -qix 'ru_RU.utf-\{0,1\}8' && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "cpkit's tests need the ru_RU.UTF-8 locale" >&2
	echo "run as root: echo 'ru_RU.UTF-8 UTF-8' >>/etc/locale.gen &&" \
	    "locale-gen --keep-existing" >&2
	exit 3
fi
echo "setup: generating the ru_RU.UTF-8 locale"
if grep -q '^# *ru_RU.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
	sed -i 's/^# *\(ru_RU.UTF-8 UTF-8\)/\1/' /etc/locale.gen
elif ! grep -q '^ru_RU.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
	echo 'ru_RU.UTF-8 UTF-8' >>/etc/locale.gen
fi
locale-gen --keep-existing >/dev/null
