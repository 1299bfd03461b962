#!/bin/sh
# The live registry medium under wine (issue 21, docs/WINDOWS.md §5.4,
# REGISTRY.md §7): a .reg that the Linux cpkit-export writes, for two
# users' SIDs and one machine container, one with a Cyrillic name, is
# imported with `wine regedit /S`; then registry: lists exactly those
# containers, as the Linux build lists the .reg itself (names, SIDs,
# findings, sizes), and each unlocks with its password. Then the native
# (64-bit) view beside WOW6432Node, registry:KEY for one container, and a
# user's key nobody may read (an empty DACL, which wine enforces): a
# message naming it and an incomplete listing, never a silent one.
#
# The backend is run alone (regls.exe, tests/win/regls.c), and through
# cpkit-list.exe and cpkit-test.exe.
# Usage: tests/win/e2e_registry.sh [LINUX_BIN [WINDOWS_BIN]]
# Exit 0 pass, 1 fail, 77 no wine64 or nothing built for Windows. The
# WINEPREFIX is a throwaway one, created here and removed at the end.
set -u
top=$(pwd)
bin=$(cd "${1:-build/bin}" && pwd)
wbin=$(cd "${2:-build-win/bin}" 2>/dev/null && pwd) || {
	echo "e2e_registry: no ${2:-build-win/bin} (make windows): skipped"
	exit 77
}
WINE=${WINE:-/usr/lib/wine/wine64}
[ -x "$WINE" ] || WINE=$(command -v wine64 || command -v wine) || {
	echo "e2e_registry: no wine64: skipped"
	exit 77
}
# the backend alone: tests/win/regls.exe beside the build's bin/
regls=${REGLS:-${wbin%/*}/tests/win/regls.exe}
if [ ! -f "$regls" ] && [ ! -f "$wbin/cpkit-list.exe" ]; then
	echo "e2e_registry: neither regls.exe nor cpkit-list.exe built: skipped"
	exit 77
fi
tmp=$(mktemp -d /tmp/cpkit-e2e-winreg.XXXXXX)
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all \
    WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
# wine turns the Unix argv and environment into UTF-16 by the locale:
# UTF-8, so that a Cyrillic password arrives whole
export LC_ALL=C.UTF-8
cleanup() {
	[ -d "$WINEPREFIX" ] && "${WINE%/*}/wineserver" -k 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
. "$top/tests/e2e_lib.sh"
export LC_ALL=C.UTF-8	# e2e_lib's language set-up says C: keep UTF-8
# Z:\ is / under wine
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

S1=S-1-5-21-1111111111-2222222222-3333333333-1001
S2=S-1-5-21-1111111111-2222222222-3333333333-1002
WOW='HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Crypto Pro\Settings'
NAT='HKEY_LOCAL_MACHINE\SOFTWARE\Crypto Pro\Settings'

# --- the .reg, written and read by the Linux build --------------------------
run "export user 1" 0 "$bin/cpkit-export" --to reg "$tmp/u1.reg" --sid $S1 \
    samples/flash/good2001.000 samples/flash/good2012.000
run "export user 2" 0 "$bin/cpkit-export" --to reg "$tmp/u2.reg" --sid $S2 \
    samples/flash/5f3a9c1d.000
run "export machine" 0 "$bin/cpkit-export" --to reg "$tmp/m.reg" --machine \
    samples/flash/good512.000
run "export all" 0 "$bin/cpkit-export" --to reg "$tmp/all.reg" \
    "$tmp/u1.reg" "$tmp/u2.reg" "$tmp/m.reg"
head -c 2 "$tmp/all.reg" | od -An -tx1 | grep -q 'ff fe' && ok ||
    bad "all.reg: not UTF-16LE with a BOM"
run "linux list" 0 "$bin/cpkit-list" --json "$tmp/all.reg"
# a container is its key path (the location after FILE: or registry:)
norm='[.[] | .location |= (index(":HKEY_") as $i | .[$i + 1:])] |
    sort_by(.location)'
jq -S "$norm" "$tmp/out" >"$tmp/linux.json"
[ "$(jq length "$tmp/linux.json")" = 4 ] && ok || bad "linux: 4 containers"

# --- imported by wine's regedit ---------------------------------------------
run "regedit import" 0 "$WINE" regedit /S "$(winpath "$tmp/all.reg")"

# --- the backend alone -------------------------------------------------------
# regls NAME PASSWORD: its listing in $tmp/out; the container lines in
# $tmp/cont
regls() {
	run "$1" "$3" "$WINE" "$regls" "$2"
	tr -d '\r' <"$tmp/out" >"$tmp/regls"
	grep '^container: ' "$tmp/regls" | sed 's/^container: //' | sort \
	    >"$tmp/cont"
}
# unlocked NAME KEYPATH: the container at KEYPATH unlocked in $tmp/regls
unlocked() {
	awk -v k="container: registry:$2" '$0 == k { on = 1; next }
	    /^container: / { on = 0 } on && /unlock: CPK_OK/ { u = 1 }
	    on && /certificate.s key: CPK_OK/ { c = 1 }
	    END { exit !(u && c) }' "$tmp/regls" && ok || bad "$1: not unlocked"
}
if [ -f "$regls" ]; then
	regls "regls" 12345678 1
	has "regls" "$tmp/regls" "result: CPK_OK"
	has "regls" "$tmp/regls" "count: 4"
	printf '%s\n' "$WOW\\Keys\\good512" \
	    "$WOW\\Users\\$S1\\Keys\\good2001" \
	    "$WOW\\Users\\$S1\\Keys\\good2012-256" \
	    "$WOW\\Users\\$S2\\Keys\\Иванов ИИ 2045" |
	    sed 's/^/registry:/' | sort >"$tmp/want"
	cmp -s "$tmp/want" "$tmp/cont" && ok ||
	    { bad "regls: containers"; diff "$tmp/want" "$tmp/cont"; }
	# the same key paths as the Linux reading of the .reg
	jq -r '.[].location' "$tmp/linux.json" | sed 's/^/registry:/' | sort |
	    cmp -s - "$tmp/cont" && ok || bad "regls: not the .reg's key paths"
	grep -c "^  sid: $S1\$" "$tmp/regls" | grep -qx 2 && ok ||
	    bad "regls: two containers of $S1"
	grep -c "^  sid: $S2\$" "$tmp/regls" | grep -qx 1 && ok ||
	    bad "regls: one container of $S2"
	grep -c '^  scope: machine$' "$tmp/regls" | grep -qx 1 && ok ||
	    bad "regls: one machine container"
	has "regls" "$tmp/regls" "  name: Иванов ИИ 2045"
	has "regls" "$tmp/regls" '  fqcn: \\.\REGISTRY\Иванов ИИ 2045'
	for k in "Keys\\good512" "Users\\$S1\\Keys\\good2001" \
	    "Users\\$S1\\Keys\\good2012-256"; do
		unlocked "regls unlock $k" "$WOW\\$k"
	done
	regls "regls Cyrillic password" пароль 1
	unlocked "regls unlock Иванов" "$WOW\\Users\\$S2\\Keys\\Иванов ИИ 2045"
fi

# --- the tools, once they link ----------------------------------------------
tools=0
[ -f "$wbin/cpkit-list.exe" ] && [ -f "$wbin/cpkit-test.exe" ] && tools=1
if [ $tools = 1 ]; then
	run "list registry:" 0 "$WINE" "$wbin/cpkit-list.exe" --json registry:
	tr -d '\r' <"$tmp/out" | jq -S "$norm" >"$tmp/win.json" 2>"$tmp/jq" ||
	    bad "list registry: not JSON: $(head -3 "$tmp/out")"
	# everything the Linux build says of the .reg, to the byte
	cmp -s "$tmp/linux.json" "$tmp/win.json" && ok || {
		bad "registry: and the .reg differ"
		diff "$tmp/linux.json" "$tmp/win.json" | head -20
	}
	jq -r '.[] | "\(.name)|\(.sid)"' "$tmp/win.json" | sort >"$tmp/ns"
	printf '%s\n' "good2001|$S1" "good2012-256|$S1" "good512|null" \
	    "Иванов ИИ 2045|$S2" | sort | cmp -s - "$tmp/ns" && ok ||
	    bad "list registry: names and SIDs: $(tr '\n' ' ' <"$tmp/ns")"
	run "list registry: text" 0 "$WINE" "$wbin/cpkit-list.exe" registry:
	has "list registry: text" "$tmp/out" '\\.\REGISTRY\Иванов ИИ 2045'
	has "list registry: text" "$tmp/out" "registry:$WOW\\Keys\\good512"
	# each container unlocks, named by its location (registry:KEY)
	printf '12345678' >"$tmp/pw"
	printf 'пароль' >"$tmp/pw-ru"
	for k in "Keys\\good512" "Users\\$S1\\Keys\\good2001" \
	    "Users\\$S1\\Keys\\good2012-256"; do
		run "test $k" 0 "$WINE" "$wbin/cpkit-test.exe" --json \
		    --password-file "$(winpath "$tmp/pw")" "registry:$WOW\\$k"
		has "test $k" "$tmp/out" '"key-ok"'
	done
	run "test Иванов" 0 "$WINE" "$wbin/cpkit-test.exe" --json \
	    --password-file "$(winpath "$tmp/pw-ru")" \
	    "registry:$WOW\\Users\\$S2\\Keys\\Иванов ИИ 2045"
	has "test Иванов" "$tmp/out" '"key-ok"'
	# HKLM for HKEY_LOCAL_MACHINE, and a key that is not there
	run "registry:HKLM" 0 "$WINE" "$wbin/cpkit-list.exe" --json \
	    'registry:HKLM\SOFTWARE\WOW6432Node\Crypto Pro\Settings\Keys\good512'
	[ "$(tr -d '\r' <"$tmp/out" | jq length)" = 1 ] && ok ||
	    bad "registry:HKLM: one container"
	run "registry:KEY not there" 2 "$WINE" "$wbin/cpkit-list.exe" \
	    "registry:$WOW\\Keys\\nothere"
	# the live registry exported again is what the Linux build writes
	# from the .reg it came from, byte for byte (each container under
	# its own SID, the machine's apart; in the media's order), and one
	# container to a folder is the sample's folder
	run "export .reg (linux)" 0 "$bin/cpkit-export" --to reg \
	    "$tmp/again.reg" "$tmp/all.reg"
	run "export registry:" 0 "$WINE" "$wbin/cpkit-export.exe" --to reg \
	    "$(winpath "$tmp/back.reg")" registry:
	cmp -s "$tmp/again.reg" "$tmp/back.reg" && ok ||
	    bad "registry: exported differs from the .reg exported on Linux"
	run "export to folder" 0 "$WINE" "$wbin/cpkit-export.exe" --to folder \
	    "$(winpath "$tmp/dir")" "registry:$WOW\\Keys\\good512"
	same_dir "$tmp/dir/good512.000" samples/flash/good512.000 && ok ||
	    bad "registry: good512 to a folder differs from the sample"
	# without a PATH the registry is the first place searched (the
	# drives replaced by an empty folder, the profile has no keys)
	mkdir "$tmp/empty"
	run "no PATH" 0 env CPKIT_DISCOVERY_ROOT="$(winpath "$tmp/empty")" \
	    "$WINE" "$wbin/cpkit-list.exe" --json
	tr -d '\r' <"$tmp/out" | jq -S "$norm" | cmp -s - "$tmp/linux.json" &&
	    ok || bad "no PATH: not the registry's 4 containers"
	has "no PATH" "$tmp/err" "looked in registry:, "
fi

# --- the native (64-bit) view beside WOW6432Node ---------------------------
run "export native" 0 "$bin/cpkit-export" --to reg "$tmp/n.reg" --no-wow64 \
    --sid $S1 samples/flash/good2001.000
run "regedit native" 0 "$WINE" regedit /S "$(winpath "$tmp/n.reg")"
if [ -f "$regls" ]; then
	regls "regls two views" 12345678 1
	has "regls two views" "$tmp/regls" "count: 5"
	grep -qxF "registry:$NAT\\Users\\$S1\\Keys\\good2001" "$tmp/cont" &&
	    ok || bad "regls: no native-view container"
	unlocked "regls unlock native" "$NAT\\Users\\$S1\\Keys\\good2001"
fi
if [ $tools = 1 ]; then
	run "list two views" 0 "$WINE" "$wbin/cpkit-list.exe" --json registry:
	[ "$(tr -d '\r' <"$tmp/out" | jq length)" = 5 ] && ok ||
	    bad "two views: 5 containers"
fi

# --- a user's key this user may not read: never a silent list --------------
denied="registry:$WOW\\Users\\$S2: access denied: another user's containers are read only from an elevated prompt (Run as administrator)"
if [ -f "$regls" ]; then
	run "deny $S2" 0 "$WINE" "$regls" --deny \
	    "SOFTWARE\\Crypto Pro\\Settings\\Users\\$S2"
	regls "regls denied" 12345678 0
	has "regls denied" "$tmp/regls" "count: 4"
	has "regls denied" "$tmp/regls" "$denied"
	hasnt "regls denied" "$tmp/cont" "Иванов"
	if [ $tools = 1 ]; then
		run "list denied" 1 "$WINE" "$wbin/cpkit-list.exe" registry:
		has "list denied" "$tmp/err" "$denied"
		# in Russian too (the language of the Windows session, which
		# wine takes from the Unix locale)
		if locale -a 2>/dev/null | grep -qix 'ru_RU.utf-\{0,1\}8'; then
			run "list denied (ru)" 1 env LANG=ru_RU.UTF-8 \
			    LC_ALL=ru_RU.UTF-8 "$WINE" "$wbin/cpkit-list.exe" \
			    registry:
			has "list denied (ru)" "$tmp/err" "$WOW\\Users\\$S2: доступ запрещён: контейнеры другого пользователя читаются только из командной строки с правами администратора (Запуск от имени администратора)"
		fi
		run "list denied (json)" 1 "$WINE" "$wbin/cpkit-list.exe" --json \
		    registry:
		[ "$(tr -d '\r' <"$tmp/out" | jq length)" = 4 ] && ok ||
		    bad "list denied: the 4 readable containers"
		# one container named: the others' keys do not matter
		run "one readable, one denied" 0 "$WINE" "$wbin/cpkit-list.exe" \
		    "registry:$WOW\\Keys\\good512"
		# the one container named is behind the denied key: said so,
		# not "not found"
		run "the denied one named" 1 "$WINE" "$wbin/cpkit-list.exe" \
		    "registry:$WOW\\Users\\$S2\\Keys\\Иванов ИИ 2045"
		has "the denied one named" "$tmp/err" "$denied"
	fi
fi

# --- the user of a SID, from ProfileList (REGISTRY.md §4), as for a hive ---
# wine's own user has a profile: a container of that SID is labelled
S0=S-1-5-21-0-0-0-1000
pi=$("$WINE" reg query \
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\$S0" \
    /v ProfileImagePath 2>/dev/null | tr -d '\r' |
    sed -n 's/.*ProfileImagePath *REG_[A-Z_]*SZ *//p')
if [ -n "$pi" ]; then
	run "export wine user" 0 "$bin/cpkit-export" --to reg "$tmp/w.reg" \
	    --sid $S0 samples/flash/good2012.000
	run "regedit wine user" 0 "$WINE" regedit /S "$(winpath "$tmp/w.reg")"
	if [ -f "$regls" ]; then
		regls "regls user" 12345678 0
		grep -A4 -F "container: registry:$WOW\\Users\\$S0\\Keys\\good2012-256" \
		    "$tmp/regls" | grep -qxF "  user: ${pi##*\\}" && ok ||
		    bad "regls: $S0 is not ${pi##*\\}"
	fi
	if [ $tools = 1 ]; then
		run "list user" 1 "$WINE" "$wbin/cpkit-list.exe" --json registry:
		[ "$(tr -d '\r' <"$tmp/out" | jq -r ".[] | select(.sid == \"$S0\") | .user")" = "${pi##*\\}" ] &&
		    ok || bad "list: $S0 is not ${pi##*\\}"
	fi
else
	bad "wine has no profile for $S0"
fi

[ $tools = 1 ] || echo "e2e_registry: cpkit-list.exe/cpkit-test.exe not built: the backend alone was tested"
e2e_done e2e-registry-wine
