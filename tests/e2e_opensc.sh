#!/bin/sh
# OpenSC as a second opinion on the virtual Rutoken (issue 16). vtoken and
# cpkit were written from the same notes; OpenSC's drivers were written for
# real cards (card-rutoken.c for Rutoken S, card-rtecp.c for ECP/Lite). For
# each model (lite, ecp, s) Debian's opensc-tool and opensc-explorer, on our
# private pcscd, must see what cpkit sees:
#   - the serial number vtoken was given (opensc-tool --serial);
#   - the container's six files with the sizes cpkit-token reports, the
#     READ/UPDATE/DELETE conditions of tag 86 (TOKENS.md §5), name.key;
#   - primary.key refused before and read after OpenSC's own VERIFY CHV2,
#     its content byte-identical to the source fixture;
#   - after cpkit-token change-pin (raw on S, TLV on ECP/Lite), OpenSC's
#     VERIFY accepts the new PIN.
# A disagreement fails and shows the APDUs of the card's log that matter.
# Exit 77 when opensc-tool is missing; with a pcscd we did not start it
# says "skipped" and exits 0 (1 when $CI is set), like e2e_token.sh.
#   sh tests/e2e_opensc.sh BIN_DIR VTOKEN VTPROBE
set -u
if ! command -v opensc-tool >/dev/null 2>&1 ||
    ! command -v opensc-explorer >/dev/null 2>&1; then
	echo "e2e-opensc: skipped (opensc-tool is not installed)"
	exit 77
fi
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-opensc.XXXXXX)
. "$top/tests/e2e_lib.sh"
. "$top/tests/token_lib.sh"
trap 'token_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE
token_setup "${2:-build/tests/vtoken/vtoken}" "${3:-build/tests/vtoken/vtprobe}"
case $? in
0) ;;
77)	[ -n "${CI:-}" ] && { echo "e2e-opensc: cannot run in CI"; exit 1; }
	echo "e2e-opensc: skipped"; exit 0 ;;
*)	echo "e2e-opensc: the harness cannot start"; exit 1 ;;
esac

src=$top/samples/flash/good2001.000
export UPIN=12345678 NEWPIN=Kx7-pq2z9

# OpenSC reads only this config: the two Rutoken drivers and nothing else
# (no other driver probes the card), no file cache outside $tmp. Its own
# messages are English: it is run in the C locale whatever E2E_LANG says.
cat >"$tmp/opensc.conf" <<'EOF'
app default {
	card_drivers = rutoken, rutoken_ecp;
	enable_default_driver = no;
	framework pkcs15 {
		use_file_caching = no;
	}
}
EOF
osc() {
	env OPENSC_CONF="$tmp/opensc.conf" HOME="$tmp" XDG_CACHE_HOME="$tmp" \
	    LC_ALL=C LANGUAGE= timeout 60 "$@"
}
# apdus WHY RE: a failure names the APDUs; show the card's log lines for them
apdus() {
	echo "  $1; the card's log:"
	grep -E " apdu ($2)" "$TOK_LOG" | tail -n 8 | sed 's/^/    /'
}
# explore FILE CMDS: opensc-explorer reads the commands from stdin
explore() {
	printf '%s\n' "$2" | osc opensc-explorer >"$1" 2>&1
}
# fid NAME: the EF of NAME in the container DF $pre00 (TOKENS.md §2.2)
fid() {
	case $1 in
	masks.key) s=01 ;; primary.key) s=02 ;; header.key) s=03 ;;
	masks2.key) s=04 ;; primary2.key) s=05 ;; name.key) s=06 ;;
	esac
	printf '%s%s' "$pre" "$s"
}
# padded_copy GOT SRC PAD: GOT is SRC, then PAD bytes up to its size
padded_copy() {
	n=$(wc -c <"$2")
	head -c "$n" "$1" | cmp -s - "$2" || return 1
	[ -z "$(tail -c +$((n + 1)) "$1" | od -An -tx1 -v | tr -d " \n$3")" ]
}

for model in lite ecp s; do
	case $model in
	lite) serial=11223344 want_drv="Rutoken Lite" ;;
	ecp)  serial=5A6B7C8D want_drv="Rutoken ECP" ;;
	s)    serial=C0FFEE42 want_drv="Rutoken S" ;;
	esac
	if [ -z "$TOK_PCSCD_PID" ]; then
		token_start --model "$model" --serial "$serial" "$src"
	else
		token_restart --model "$model" --serial "$serial" "$src"
	fi || { bad "$model: the card does not start"; continue; }
	: >"$TOK_LOG"

	# the right OpenSC driver, and the serial (S: 4 bytes; ECP/Lite: 8,
	# the serial in the last 4)
	osc opensc-tool --name >"$tmp/name" 2>&1
	grep -q "^$want_drv" "$tmp/name" && ok ||
	    { bad "$model: OpenSC's driver: $(tail -n 1 "$tmp/name")"; continue; }
	osc opensc-tool --serial >"$tmp/serial" 2>&1
	# the hex pairs of the dump, not its ASCII column
	got=$(sed -n 's/^\(\([0-9A-Fa-f][0-9A-Fa-f] \)*[0-9A-Fa-f][0-9A-Fa-f]\).*/\1/p' \
	    "$tmp/serial" | head -n 1 | tr -d ' \n' | tr a-f A-F | tail -c 8)
	if [ "$got" = "$serial" ]; then ok
	else
		bad "$model: opensc-tool --serial says '$got', vtoken has $serial"
		apdus "GET DATA 01 81" "00CA0181"
	fi

	# cpkit's view: the container DF and the six sizes
	"$bin/cpkit-token" list --json >"$tmp/list.json" 2>"$tmp/err"
	df=$(jq -r '.readers[0].token.containers[0].df // empty' "$tmp/list.json")
	[ -n "$df" ] && ok || { bad "$model: cpkit-token sees no container"; continue; }
	"$bin/cpkit-token" list >"$tmp/list.txt" 2>"$tmp/err"
	pre=$(printf %s "${df##*/}" | cut -c1-2)
	cds=$(printf '%s\n' "$df" | tr / '\n' | sed 's/^/cd /')

	# OpenSC walks there, lists, shows the conditions and reads name.key
	explore "$tmp/ls" "$cds
ls
info $(fid name.key)
info $(fid primary.key)
get $(fid name.key) $tmp/name.$model
get $(fid primary.key) $tmp/locked.$model"
	mis=
	for f in masks.key primary.key header.key masks2.key primary2.key \
	    name.key; do
		want=$(awk -v f="$f" '$1 == f { print $2 }' "$tmp/list.txt")
		got=$(awk -v f="$(fid $f)" '$1 == f { print $3 }' "$tmp/ls")
		[ -n "$want" ] && [ "$got" = "$want" ] ||
		    mis="$mis $f: OpenSC '$got' cpkit '$want';"
	done
	if [ -z "$mis" ]; then ok
	else
		bad "$model: the six files' sizes differ:$mis"
		apdus "list first/next, SELECT" "00A4"
	fi
	# tag 86 as OpenSC reads it: READ at byte 1, UPDATE 2, DELETE 7
	acl=$(awk '/^ACL for (READ|UPDATE|DELETE):/ { printf "%s%s ", $3, $4 }' "$tmp/ls")
	want="READ:NONE UPDATE:CHV2 DELETE:CHV1 READ:CHV2 UPDATE:CHV2 DELETE:CHV1 "
	if [ "$acl" = "$want" ]; then ok
	else
		bad "$model: OpenSC reads the conditions of tag 86 as '$acl'," \
		    "vtoken meant '$want'"
		apdus "SELECT name.key, primary.key (FCP)" "00A4"
	fi
	if [ -s "$tmp/name.$model" ] && padded_copy "$tmp/name.$model" "$src/name.key" ff; then ok
	else
		bad "$model: name.key read by OpenSC differs from the fixture"
		apdus "READ BINARY" "00B0"
	fi
	if [ ! -s "$tmp/locked.$model" ] &&
	    grep -q " apdu 00B0.* 6982" "$TOK_LOG"; then ok
	else
		bad "$model: primary.key was not refused (69 82) before VERIFY"
		apdus "READ BINARY" "00B0"
	fi

	# after OpenSC's VERIFY CHV2, primary.key: the fixture, then padding
	explore "$tmp/verify" "$cds
verify CHV2 \"$UPIN\"
get $(fid primary.key) $tmp/primary.$model"
	grep -q "^Code correct" "$tmp/verify" && ok ||
	    { bad "$model: OpenSC's VERIFY CHV2 failed"; apdus "VERIFY" "0020"; }
	size=$(awk '$1 == "primary.key" { print $2 }' "$tmp/list.txt")
	if [ -s "$tmp/primary.$model" ] &&
	    [ "$(wc -c <"$tmp/primary.$model")" -eq "$size" ] &&
	    padded_copy "$tmp/primary.$model" "$src/primary.key" ff; then ok
	else
		bad "$model: primary.key read by OpenSC is not the fixture" \
		    "and ${size:-?} bytes in all"
		apdus "VERIFY, READ BINARY" "0020|00B0"
	fi

	# cpkit changes the PIN in the family's form; OpenSC must accept it
	mark=$(wc -l <"$TOK_LOG")
	run "$model: cpkit-token change-pin" 0 "$bin/cpkit-token" change-pin \
	    --accept-untested-format --pin-env UPIN --new-pin-env NEWPIN
	case $model in
	s) form="raw" re="0024010209" ;;	# Lc 9: the PIN itself
	*) form="TLV" re="002401020F" ;;	# 80 02 00 09 A5 09 PIN
	esac
	tail -n +$((mark + 1)) "$TOK_LOG" | grep -q " apdu $re\*\* 9000" && ok ||
	    { bad "$model: change-pin did not send the $form form"; apdus "CHANGE REFERENCE DATA" "0024"; }
	explore "$tmp/newpin" "verify CHV2 \"$NEWPIN\""
	if grep -q "^Code correct" "$tmp/newpin"; then ok
	else
		bad "$model: OpenSC's VERIFY refuses the PIN cpkit set" \
		    "($form form): $(grep -i 'code\|fail' "$tmp/newpin" | head -n 1)"
		apdus "CHANGE REFERENCE DATA, VERIFY" "0024|0020"
	fi
	for pin in 3132333435363738 4B78372D7071327A39; do
		grep -q "$pin" "$TOK_LOG" && bad "$model: PIN $pin in the log" || ok
	done
done

token_stop
e2e_done e2e-opensc
