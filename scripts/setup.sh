#!/bin/sh
# Installs the Debian packages cpkit needs to build and test, when missing.
# Run by `make demo` and `make test` before anything else. As root it
# installs them; otherwise it prints the exact command and stops.
set -eu

PKGS="build-essential pkg-config libssl-dev openssl libengine-gost-openssl
libcriterion-dev clang jq libhivex-dev dosfstools mtools libzip-dev
unzip chromium"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

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
