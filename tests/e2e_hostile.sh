#!/bin/sh
# Hostile media (issue 14): each attack a stranger's flash drive, .reg
# export, hive or image can play on cpkit, played for real, with the
# assertions on bytes: no local file leaks into an output, nothing outside
# the target is changed, no name becomes a .reg line or a terminal escape,
# each container keeps its user, and time and memory stay bounded.
# The attacks live in tests/hostile/NN-topic.sh, sourced in order; each
# works in its own folder under $tmp and uses the e2e_lib.sh assertions.
# Usage: e2e_hostile.sh BIN_DIR. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
flash=$top/samples/flash
samples=$top/samples
tmp=$(mktemp -d /tmp/cpkit-e2e-hostile.XXXXXX)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM HUP PIPE
. "$top/tests/e2e_lib.sh"
export PW=12345678

# A secret of the engineer's own that a hostile medium points at; its
# bytes must appear in no output of any attack.
secret=$tmp/engineer-secret
printf 'ENGINEER-PRIVATE-%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' ')" \
    >"$secret"
chmod 600 "$secret"
secret_word=$(cat "$secret")

# leaks NAME PATH...: the secret's bytes are in none of the files (zip
# bundles are listed and unpacked first)
leaks() {
	l_name=$1
	shift
	l_found=
	for l_p in "$@"; do
		[ -e "$l_p" ] || continue
		if grep -rqaF -- "$secret_word" "$l_p" 2>/dev/null; then
			l_found="$l_found $l_p"
		fi
		for l_z in $(find "$l_p" -name '*.zip' 2>/dev/null); do
			l_d=$(mktemp -d "$tmp/unzip.XXXXXX")
			(cd "$l_d" && unzip -qq -o "$l_z" >/dev/null 2>&1)
			grep -rqaF -- "$secret_word" "$l_d" && l_found="$l_found $l_z"
			rm -rf "$l_d"
		done
	done
	if [ -n "$l_found" ]; then bad "$l_name: the secret leaked into$l_found"
	else ok; fi
}

# raw_ctl NAME FILE: FILE holds no raw C0 control (but TAB, LF, CR), no
# DEL, no C1 control (U+0080-U+009F as UTF-8) and no bidi control
# (U+202A-U+202E, U+2066-U+2069)
raw_ctl() {
	if LC_ALL=C grep -qaP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$2"; then
		bad "$1: raw control or bidi character in $2"
		LC_ALL=C grep -naP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$2" | cat -v | head -3
	else
		ok
	fi
}

for part in "$top"/tests/hostile/[0-9]*.sh; do
	[ -f "$part" ] || continue
	cd "$tmp" || exit 1
	. "$part"
done
cd "$top" || exit 1

e2e_done e2e-hostile
