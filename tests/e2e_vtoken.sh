#!/bin/sh
# Self-test of the virtual Rutoken (tests/vtoken) through a real pcscd and
# vpcd, with vtprobe only: ATRs, the file tree and its FCPs, READ BINARY
# with padding, read conditions, PIN counters (empty VERIFY, wrong, right,
# blocked, unblock, change), Rutoken S byte order, its answers behind
# Aktiv's driver and its bare T=0 framing (--raw-t0),
# --count-empty, --busy, pull-out, and malformed APDUs. Every check
# compares exact bytes. When a pcscd we did not start runs, it says
# "skipped" and exits 0 (1 when $CI is set).
#   sh tests/e2e_vtoken.sh VTOKEN VTPROBE
set -u
top=$(pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-vtoken.XXXXXX)
. "$top/tests/e2e_lib.sh"
. "$top/tests/token_lib.sh"
trap 'token_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
token_setup "${1:-build/tests/vtoken/vtoken}" \
    "${2:-build/tests/vtoken/vtprobe}"
case $? in
0) ;;
77)	# a machine whose pcscd is in use may skip; CI must run it
	[ -n "${CI:-}" ] && { echo "e2e-vtoken: cannot run in CI"; exit 1; }
	echo "e2e-vtoken: skipped"; exit 0 ;;
*)	echo "e2e-vtoken: the harness cannot start"; exit 1 ;;
esac
vt=$TOK_VTOKEN
probe=$TOK_VTPROBE
G=$top/samples/flash/good2001.000	# all six files
N=$top/samples/flash/noprimar.000	# five: no primary.key

# hexof FILE: the file as upper-case hex; rep N XX: XX N times
hexof() { od -An -tx1 -v "$1" | tr -d ' \n' | tr a-f A-F; }
rep() {
	r= i=0
	while [ "$i" -lt "$1" ]; do r=$r$2; i=$((i + 1)); done
	printf %s "$r"
}
# fcp FID SIZE TYPE READ: a Lite/ECP FCP (TOKENS.md §5); in tag 86 mode k
# sits at byte 1 + k: READ, UPDATE 02 (user), DELETE at byte 7 01 (admin)
fcp() {
	printf '62248002%s8102%s8202%s008302%s8A0105860F43%s02%s01%s' \
	    "$2" "$2" "$3" "$1" "$4" "$(rep 4 00)" "$(rep 7 00)"
}
# fcp_s FID SIZE TYPE METHOD KEYREF: Rutoken S, little-endian, 40-byte 86
fcp_s() {
	printf '623D8002%s8102%s8202%s008302%s8A0105862843%s01%s01%s%s02%s01%s' \
	    "$2" "$2" "$3" "$1" "$4" "$(rep 4 00)" "$5" "$(rep 3 00)" \
	    "$(rep 19 00)" "$(rep 7 00)"
}

# expect NAME WANT APDU...: vtprobe's output is exactly WANT (lines)
expect() {
	name=$1 want=$2
	shift 2
	got=$(timeout 30 "$probe" "$@" 2>"$tmp/err")
	if [ "$got" = "$want" ]; then
		ok
	else
		bad "$name"
		printf '  want: %s\n  got:  %s\n' "$want" "$got"
		head -3 "$tmp/err"
	fi
}
lines() { printf '%s\n' "$@"; }
# state NAME KEY VALUE: the card's state file says KEY=VALUE
state() {
	got=$(token_state "$2")
	[ "$got" = "$3" ] && ok || bad "$1: $2=$got, want $3"
}
# inlog NAME RE / notinlog NAME RE: the card's log has (not) a match
inlog() { grep -q -- "$2" "$TOK_LOG" && ok || bad "log: $1"; }
notinlog() { grep -q -- "$2" "$TOK_LOG" && bad "log: $1" || ok; }
# up CMD...: token_start or token_restart, or stop here with the summary
up() { "$@" || { bad "$*"; e2e_done e2e-vtoken; exit 1; }; }
# fails NAME CODE CMD...: exit status CODE
fails() {
	name=$1 want=$2
	shift 2
	timeout 30 "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] && ok || bad "$name: exit $got, want $want"
}

PIN=00200002083132333435363738		# user 12345678
ADMIN=00200001083837363534333231	# admin 87654321
WRONG=002000020431313131		# user 1111
SEL_NAME=00A4080408100010030A000A06
NAMEHEX=$(hexof "$G/name.key")
MASKHEX=$(hexof "$G/masks.key")
HSZ_G=$(printf %04X $(($(wc -c <"$G/header.key") + 16)))
HSZ_N=$(printf %04X $(($(wc -c <"$N/header.key") + 16)))

# --- bad command lines end before any connection
fails "usage: model" 2 "$vt" --model x "$G"
fails "usage: pad" 2 "$vt" --pad 11 "$G"
fails "usage: cond" 2 "$vt" --cond keys=free "$G"
fails "usage: serial" 2 "$vt" --serial 1A2B3C "$G"
fails "usage: nine containers" 2 "$vt" "$G" "$G" "$G" "$G" "$G" "$G" "$G" \
    "$G" "$G"
fails "usage: no-1003 with a container" 2 "$vt" --no-1003 "$G"
fails "usage: left above max" 2 "$vt" --tries 3 --user-left 4 "$G"

# --- Rutoken Lite: two containers, the second without primary.key
up token_start "$G" "$N"
expect "lite ATR" "3B8B015275746F6B656E6C697465C2 T=1" --atr
expect "select MF" "$(fcp 3F00 0000 38 00) 9000" 00A40000023F00
expect "walk 1003" "$(lines \
    "$(fcp 1003 0000 38 00) 9000" \
    "$(fcp 0A00 0000 38 00) 9000" \
    "$(fcp 0A01 003C 01 02) 9000" \
    "$(fcp 0A02 0046 01 02) 9000" \
    "$(fcp 0A03 $HSZ_G 01 00) 9000" \
    "$(fcp 0A04 003C 01 02) 9000" \
    "$(fcp 0A05 0046 01 02) 9000" \
    "$(fcp 0A06 0040 01 00) 9000" \
    6A82 \
    "$(fcp 1003 0000 38 00) 9000" \
    "$(fcp 0B00 0000 38 00) 9000" \
    "$(fcp 0B01 003C 01 02) 9000" \
    "$(fcp 0B03 $HSZ_N 01 00) 9000" \
    "$(fcp 1003 0000 38 00) 9000" \
    6A82)" \
    00A408040410001003 00A4000000 00A4000000 00A40002020A01 \
    00A40002020A02 00A40002020A03 00A40002020A04 00A40002020A05 \
    00A40002020A06 00A4030000 00A40002020A00 00A4000000 00A40002020B01 \
    00A4030000 00A40002020B00
expect "name.key FCP, literal" \
    "622480020040810200408202010083020A068A0105860F430002000000000100000000000000 9000" \
    $SEL_NAME
expect "read name.key, padded with FF" "$(lines 9000 \
    "$NAMEHEX$(rep 52 FF) 9000" "$NAMEHEX$(rep 52 FF) 6282" \
    "3031$(rep 6 FF) 9000" 6282 6B00)" \
    00A4080C08100010030A000A06 00B0000040 00B0000000 00B0000A08 \
    00B0004001 00B0004101
expect "extended Le" "$(lines 9000 "$NAMEHEX$(rep 52 FF) 9000")" \
    00A4080C08100010030A000A06 00B00000000040
expect "masks.key needs the PIN" "$(lines 9000 6982)" \
    00A4080C08100010030A000A01 00B000003C
expect "no EF selected" "$(lines 9000 6986)" 00A4000C023F00 00B0000010
expect "GET DATA" "$(lines "000000001A2B3C4D 9000" \
    "020902000001000000000A0A 9000" 6C08 6A88)" \
    00CA018100 00CA018900 00CA018104 00CA010100
expect "empty VERIFY" 63CA 00200002
state "empty VERIFY" user_tries 10
state "empty VERIFY" verify_empty 1
state "empty VERIFY" verify_data 0
expect "wrong PIN" 6300 "$WRONG"
state "wrong PIN" user_tries 9
state "wrong PIN" verify_data 1
expect "empty VERIFY after a wrong PIN" 63C9 00200002
expect "right PIN, read, 6F86, logout" "$(lines 9000 9000 9000 \
    "$MASKHEX$(rep 4 FF) 9000" 6F86 9000 9000 63CA)" \
    80400000 "$PIN" 00A4080C08100010030A000A01 00B000003C "$PIN" \
    00200002 80400000 00200002
state "right PIN" user_tries 10
state "logout" logged none
expect "UPDATE BINARY" "$(lines 9000 6982 9000 9000 \
    "0102$(printf %s "$MASKHEX" | cut -c5-16) 9000" 9000)" \
    00A4080C08100010030A000A01 00D60000020102 "$PIN" 00D60000020102 \
    00B0000008 80400000
state "UPDATE BINARY" updates 2
inlog "VERIFY" "apdu 0020000208\*\* 9000"
notinlog "PIN bytes" 3132333435363738
notinlog "wrong PIN bytes" 31313131
expect "malformed APDUs" "$(lines 6700 6700 6700 6E00 6D00 6D00 6A86 \
    6A87 6A87 6A87 6A82 6A88 6A86 "000000001A2B3C4D 9000")" \
    00A40000033F00 002000020531 002000020000FF31 01A4000000 00FF000000 \
    00C0000000 00A4050000 00A400000100 00A4080403100010 00A4000202 \
    00A4080408100010018001000000 0020000300 00A4080204 00CA018108
expect "short APDUs" "$(lines 6700 6700 6700 6700)" 00A4 03 00A400 002000
notinlog "bad VERIFY in clear" "apdu 002000020531 6700 bad-length"
inlog "bad VERIFY" "apdu 00200002\*\* 6700 bad-length"
inlog "unknown" "apdu 00FF000000 6D00 unknown-ins"
inlog "control" "ctrl 04 get-atr"

# --- blocking, admin unblock, change PIN
up token_restart --tries 3 "$G"
expect "block" "$(lines 6300 6300 6983 6983 6983)" \
    "$WRONG" "$WRONG" "$WRONG" "$PIN" 00200002
state "block" user_tries 0
state "block" verify_data 4
expect "unblock needs admin" 6982 002C0302
expect "admin unblock" "$(lines 9000 9000 9000 9000)" \
    "$ADMIN" 002C0302 80400000 "$PIN"
state "unblock" user_tries 3
state "unblock" admin_tries 3
expect "change needs a login" "$(lines 9000 6982)" 80400000 \
    002401020A80020004A50431323334
expect "change PIN" "$(lines 9000 6A80 6A80 6982 9000 9000 6300 9000 9000)" \
    "$PIN" 002401020A80020005A50431323334 002401020680020000A500 \
    002401010A80020004A50431323334 002401020A80020004A50431323334 \
    80400000 "$PIN" 002000020431323334 80400000
state "change PIN" user_tries 3
notinlog "new PIN bytes" 31323334

# --- padding 00, a read condition, serial and ATR from the command line
up token_restart --pad 00 --cond name=user --serial 0A0B0C0D \
    --atr 3BDC18FF8111FE8073C82113660106013080018D "$G"
expect "ATR override" "3BDC18FF8111FE8073C82113660106013080018D T=1" --atr
expect "name.key needs the PIN" "$(lines "$(fcp 0A06 0040 01 02) 9000" \
    6982 9000 "$NAMEHEX$(rep 52 00) 9000" "000000000A0B0C0D 9000")" \
    $SEL_NAME 00B0000040 "$PIN" 00B0000040 00CA018108

# --- Rutoken ECP: no 1003, decoys in 1000
up token_restart --model ecp --no-1003 --decoy --tries 5 --user-left 2
expect "ecp ATR" "3B8B015275746F6B656E20445320C1 T=1" --atr
expect "tries left from the command line" "$(lines 63C2 63C5)" 00200002 \
    00200001
state "tries left" user_tries 2
state "tries left" user_max 5
state "tries left" admin_tries 5
D1000="$(fcp 1000 0000 38 00) 9000"
expect "ecp without 1003" "$(lines 6A82 "$D1000" "$D1000" "$D1000" \
    "$(fcp 1001 0000 38 00) 9000" "$D1000" "$(fcp 1002 0000 38 00) 9000" \
    "$D1000" "$(fcp 1004 0000 38 00) 9000" "$D1000" \
    "$(fcp 5000 0000 38 00) 9000" "$D1000" "$(fcp 5100 0000 38 00) 9000" \
    "$D1000" 6A82 "011702000002000000000A0A 9000")" \
    00A408040410001003 00A40804021000 00A4000000 00A4030000 \
    00A40002021000 00A4030000 00A40002021001 00A4030000 00A40002021002 \
    00A4030000 00A40002021004 00A4030000 00A40002025000 00A4030000 \
    00A40002025100 00CA018900
up token_restart --model ecp --decoy "$G"
expect "decoys before the container" "$(lines 9000 \
    "$(fcp 5000 0000 38 00) 9000" "$(fcp 5011 0020 01 00) 9000" \
    "$(fcp 5012 0010 01 00) 9000" 6A82 "$(fcp 1003 0000 38 00) 9000" \
    "$(fcp 5100 0000 38 00) 9000" 6A82 "$(fcp 1003 0000 38 00) 9000" \
    "$(fcp 0A00 0000 38 00) 9000" 9000 \
    "6E6F7420612043727970746F50726F2066696C65$(rep 12 00) 9000")" \
    00A4080C0410001003 00A4000000 00A4000000 00A40002025011 \
    00A40002025012 00A4030000 00A40002025000 00A4000000 00A4030000 \
    00A40002025100 00A4080C081000100350005011 00B0000020

# --- Rutoken S behind Aktiv's driver (the default): data and 90 00 in one
# answer whatever Le says, no 61 xx, no 6C xx, and no GET RESPONSE
up token_restart --model s "$G"
S_MF=623D8002000081020000820238008302003F8A01058628
S_MF=${S_MF}43000100000000010000000002000000000000000000000000000000000000000100000000000000
expect "S driver: MF, GET RESPONSE unknown" "$(lines "$S_MF 9000" 6D00)" \
    00A4000002003F 00C0000000
expect "S driver: serial whatever Le" "$(lines "4D3C2B1A 9000" \
    "4D3C2B1A 9000" "4D3C2B1A 9000")" 00CA018100 00CA018104 00CA018108
expect "S driver: READ BINARY" "$(lines 9000 "$NAMEHEX$(rep 52 FF) 9000" \
    "3031 9000" "$(fcp_s 010A 3C00 01 01 02) 9000")" \
    00A4080C0A000000000200000A060A 00B0000040 00B0000A02 00A4000000
fails "usage: raw-t0 without model s" 2 "$vt" --raw-t0 "$G"

# --- Rutoken S as a bare T=0 chip (--raw-t0): swapped IDs, 61 xx / 6C xx /
# GET RESPONSE
up token_restart --model s --raw-t0 "$G"
expect "S ATR" "3B6F00FF00567275546F6B6E73302000009000 T=0" --atr
expect "S MF, literal" "$(lines 6A82 613F "$S_MF 9000")" \
    00A40000023F00 00A4000002003F 00C000003F
[ "$S_MF" = "$(fcp_s 003F 0000 38 00 00)" ] && ok || bad "fcp_s helper"
expect "S GET RESPONSE lengths" "$(lines 613F 6C3F "$S_MF 9000" 6985)" \
    00A4000002003F 00C0000010 00C0000000 00C0000000
expect "S path" "$(lines 613F "$(fcp_s 000A 0000 38 00 00) 9000" 6A82)" \
    00A4080008000000000200000A 00C0000000 00A408040410001003
expect "S container files" "$(lines 613F \
    "$(fcp_s 060A 4000 01 00 00) 9000" 613F \
    "$(fcp_s 010A 3C00 01 01 02) 9000" 613F \
    "$(fcp_s 030A E901 01 00 00) 9000")" \
    00A408000A000000000200000A060A 00C000003F 00A4000002010A 00C000003F \
    00A4000002030A 00C0000000
expect "S READ BINARY" "$(lines 9000 6C40 6140 "$NAMEHEX$(rep 52 FF) 9000" \
    6140 "$NAMEHEX$(rep 52 FF) 9000" 6C02 6102 "3031 9000")" \
    00A4080C0A000000000200000A060A 00B0000080 00B0000040 00C0000040 \
    00B0000000 00C0000000 00B0003E10 00B0000A02 00C0000002
expect "S GET DATA" "$(lines 6104 "4D3C2B1A 9000" 6C04 6108)" \
    00CA018100 00C0000004 00CA018108 00CA018900
expect "S list first" "$(lines 9000 613F \
    "$(fcp_s 0000 0000 38 00 00) 9000")" 00A4000C02003F 00A4000000 \
    00C0000000
expect "S PIN" "$(lines 63CA 63C9 63C9 6700)" 00200002 "$WRONG" 00200002 \
    00B00000000040
state "S PIN" user_tries 9
expect "S right PIN, read masks" "$(lines 9000 9000 613C \
    "$MASKHEX$(rep 4 FF) 9000" 9000)" \
    "$PIN" 00A4080C0A000000000200000A010A 00B0000000 00C000003C 80400000

# --- a card that counts the empty VERIFY; a busy card
up token_restart --count-empty --busy 2 "$G"
expect "count-empty" "$(lines 63C9 63C8)" 00200002 00200002
state "count-empty" user_tries 8
state "count-empty" verify_empty 2
expect "busy" "$(lines 9000 6F84 6F84 "$NAMEHEX$(rep 52 FF) 9000")" \
    00A4080C08100010030A000A06 00B0000040 00B0000040 00B0000040

# --- pull-out and reinsertion
token_pull && ok || bad "pull"
fails "pulled: no card" 3 "$probe" 00CA018108
inlog "pulled" "event pulled"
token_insert && ok || bad "insert"
expect "inserted again" "000000001A2B3C4D 9000" 00CA018108
state "session survives reinsertion" user_tries 8

# --- pulled by the card itself after the second READ BINARY
up token_restart --pull-after-reads 2 "$G"
fails "pull after reads" 3 "$probe" $SEL_NAME 00B0000002 \
    00B0000202 00B0000402
[ "$(cat "$tmp/out")" = "$(lines "$(fcp 0A06 0040 01 00) 9000" \
    "300A 9000" "1608 9000")" ] && ok || bad "pull after reads: output"
"$probe" --wait-gone 10 && ok || bad "pull after reads: card still there"
wait "$TOK_VTOKEN_PID"
[ $? -eq 0 ] && ok || bad "pull after reads: exit status"
TOK_VTOKEN_PID=
state "pull after reads" reads 2

# --- issue 16: a firmware that wants to return the file info (6A 86 to
# P2 0C), and one that refuses listing
up token_restart --refuse-0c "$G"
expect "refuse-0c" "$(lines 6A86 "$(fcp 3F00 0000 38 00) 9000" 6A86 \
    "$(fcp 1003 0000 38 00) 9000")" \
    00A4000C023F00 00A40000023F00 00A4080C08100010030A000A06 \
    00A408040410001003
up token_restart --no-listing "$G"
expect "no-listing" "$(lines "$(fcp 3F00 0000 38 00) 9000" 6A86 \
    "$(fcp 1003 0000 38 00) 9000" 6A86)" \
    00A40000023F00 00A4000000 00A408040410001003 00A40002020A00

# --- SIGTERM: exit 0
up token_restart "$G"
kill -TERM "$TOK_VTOKEN_PID"
wait "$TOK_VTOKEN_PID"
[ $? -eq 0 ] && ok || bad "SIGTERM: exit status"
TOK_VTOKEN_PID=

for pin in 3132333435363738 3837363534333231 31313131 31323334; do
	notinlog "PIN $pin anywhere in the run" "$pin"
done
token_stop
e2e_done e2e-vtoken
