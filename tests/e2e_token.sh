#!/bin/sh
# End-to-end tests of tokens: cpkit-list, cpkit-test, cpkit-export and
# cpkit-token against a real pcscd whose reader is vsmartcard's vpcd and
# whose card is the virtual Rutoken (tests/vtoken). The card's state file
# counts what it was sent, so the tests assert the PIN rules on the card
# side: no PIN during enumeration, never one that could take the counter
# below --min-tries, never a write.
# Usage: e2e_token.sh BIN_DIR VTOKEN VTPROBE. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
tmp=$(mktemp -d /tmp/cpkit-e2e-token.XXXXXX)
. "$top/tests/e2e_lib.sh"
. "$top/tests/token_lib.sh"
trap 'token_stop; rm -rf "$tmp"' EXIT INT TERM HUP PIPE
token_setup "${2:-build/tests/vtoken/vtoken}" "${3:-build/tests/vtoken/vtprobe}"
case $? in
0) ;;
77)	# a machine whose pcscd is in use may skip; CI must run them
	[ -n "${CI:-}" ] && { echo "e2e-token: cannot run in CI"; exit 1; }
	echo "e2e-token: skipped"; exit 0 ;;
*) echo "e2e-token: the harness cannot start"; exit 1 ;;
esac

reader="Virtual PCD 00 00"
flash=$top/samples/flash
real=$fixtures/srv-emptypw.000
[ -d "$real" ] || real=$flash/good2012.000
printf '12345678\n' > "$tmp/pin.ok"
printf '11111111\n' > "$tmp/pin.bad"
export UPIN=12345678 APIN=87654321 BADPIN=00000000 PW=12345678

# eq NAME GOT WANT
eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi; }
st() { token_state "$1"; }
# log_since MARK: vtoken's log lines after line MARK (the log outlives restarts)
log_since() { tail -n +$(($1 + 1)) "$TOK_LOG"; }

# --- a Rutoken Lite with a real container and three samples ---------------
token_start --model lite "$real" "$flash/good2001.000" \
    "$flash/noprimar.000" "$flash/5f3a9c1d.000" || { bad "start"; e2e_done e2e-token; exit 1; }

run "token list" 0 "$bin/cpkit-token" list
has "token list model" "$tmp/out" "Rutoken Lite"
has "token list serial" "$tmp/out" "1A2B3C4D (439041101)"
has "token list user tries" "$tmp/out" "10 tries left"
has "token list df" "$tmp/out" "container 1000/1003/0A00"
has "token list second df" "$tmp/out" "container 1000/1003/0B00  good2001"
has "token list read cond" "$tmp/out" "read: user-pin"
has "token list exportable" "$tmp/out" "files 6 of 6, exportable"
has "token list incomplete" "$tmp/out" "files 5 of 6, exportable"
run "token list json" 0 "$bin/cpkit-token" list --json
jq -se '.[0] | .readers[0].token.containers | length == 4' "$tmp/out" >/dev/null && ok || bad "json: 4 containers"
jq -se '.[0] | .readers[0].token.pins.user.tries_left == 10' "$tmp/out" >/dev/null && ok || bad "json: user tries"
jq -se '.[0] | .readers[0].token.containers[1].read["masks.key"] == "user-pin"' "$tmp/out" >/dev/null && ok || bad "json: read cond"
eq "no PIN while listing" "$(st verify_data)" 0

# cpkit-list sees the containers without a PIN; the locked files are an
# info finding, not damage (exit 1: noprimar's primary.key is missing)
run "list pcsc:" 1 "$bin/cpkit-list" pcsc:
has "list fqcn" "$tmp/out" "\\\\.\\$reader\\good2001"
has "list cyrillic name" "$tmp/out" "Иванов ИИ 2045"
run "list pcsc: json" 1 "$bin/cpkit-list" --json "pcsc:$reader"
jq -se '.[0] | length == 4 and (map(.media) | unique == ["TOKEN"])' "$tmp/out" >/dev/null && ok || bad "list json media"
eq "still no PIN" "$(st verify_data)" 0
run "test without PIN" 1 "$bin/cpkit-test" --json pcsc:
jq -s -e 'map(.findings[].id) | index("token-pin-needed") != null' "$tmp/out" >/dev/null && ok || bad "token-pin-needed finding"

# issue 17 §3: a reader name that matches two readers, or none, has its
# own code and message (vpcd makes "Virtual PCD 00 00" and "... 00 01")
run "reader ambiguous" 2 "$bin/cpkit-list" "pcsc:Virtual PCD"
has "reader ambiguous" "$tmp/err" "the reader name matches several readers; give more of it (cpkit-token list shows them)"
run "reader unknown" 3 "$bin/cpkit-list" "pcsc:nosuch"
has "reader unknown" "$tmp/err" "no reader has that name"
run "reader ambiguous: token" 2 "$bin/cpkit-token" info --reader "Virtual PCD"
has "reader ambiguous: token" "$tmp/err" "the reader name matches several readers; give more of it (cpkit-token list shows them)"
run "diag pcsc:" 1 "$bin/cpkit-diag" -o "$tmp/diag.zip" pcsc:
unzip -p "$tmp/diag.zip" report.json > "$tmp/report.json"
jq -se '.[0] | .facts.readers[0].model == "Rutoken Lite" and .facts.readers[0].serial == "1A2B3C4D"' "$tmp/report.json" >/dev/null && ok || bad "diag: reader facts"
jq -se '.[0] | .facts.readers[0].user_pin.tries_left == 10 and .facts.readers[0].admin_pin.tries_left == null and .facts.readers[0].admin_pin.read == false' "$tmp/report.json" >/dev/null && ok || bad "diag: PIN tries"
jq -se '.[0] | [.containers[].container | select(.media == "TOKEN")] | length == 4' "$tmp/report.json" >/dev/null && ok || bad "diag: token containers"
unzip -p "$tmp/diag.zip" report.html > "$tmp/report.html"
has "diag html tokens table" "$tmp/report.html" 'id="readers"'
run "diag redacted" 1 "$bin/cpkit-diag" --redact -o "$tmp/diag2.zip" pcsc:
unzip -p "$tmp/diag2.zip" report.json report.txt report.html > "$tmp/all"
hasnt "diag redacts the serial" "$tmp/all" "1A2B3C4D"
eq "diag sent no PIN" "$(st verify_data)" 0

# --- issue 16 point 5: the admin PIN's tries only when asked ---------------
# (the card's log: an empty VERIFY for the admin PIN is "00200001")
admin_q() { grep -c ' apdu 00200001 ' "$TOK_LOG"; }
user_q() { grep -c ' apdu 00200002 ' "$TOK_LOG"; }
: > "$TOK_LOG"
run "list: no admin VERIFY" 0 "$bin/cpkit-token" list
has "list: admin not read" "$tmp/out" "not read (only --admin reads it)"
run "list json: no admin VERIFY" 0 "$bin/cpkit-token" list --json
jq -se '.[0] | .readers[0].token.pins.admin.read == false and .readers[0].token.pins.admin.tries_left == null and .readers[0].token.pins.user.tries_left == 10' "$tmp/out" >/dev/null && ok || bad "list json: admin read false"
run "info: no admin VERIFY" 0 "$bin/cpkit-token" info
run "pin-status: no admin VERIFY" 0 "$bin/cpkit-token" pin-status
run "test: no admin VERIFY" 1 "$bin/cpkit-test" pcsc:
run "plain diag: no admin VERIFY" 1 "$bin/cpkit-diag" -o "$tmp/diag3.zip" pcsc:
eq "no admin VERIFY in list/info/pin-status/test/diag" "$(admin_q)" 0
[ "$(user_q)" -ge 5 ] && ok || bad "the user PIN's tries were read: $(user_q)"
: > "$TOK_LOG"
run "pin-status --admin" 0 "$bin/cpkit-token" pin-status --admin --json
jq -se '.[0] | .token.pins.admin.tries_left == 10 and .token.pins.admin.known == true' "$tmp/out" >/dev/null && ok || bad "pin-status --admin json"
eq "pin-status --admin: one admin VERIFY" "$(admin_q)" 1
run "info --admin" 0 "$bin/cpkit-token" info --admin
eq "info --admin: one more" "$(admin_q)" 2
run "diag --admin-tries" 1 "$bin/cpkit-diag" --admin-tries -o "$tmp/diag4.zip" pcsc:
unzip -p "$tmp/diag4.zip" report.json > "$tmp/report4.json"
jq -se '.[0] | .facts.readers[0].admin_pin.tries_left == 10 and .facts.readers[0].admin_pin.blocked == false' "$tmp/report4.json" >/dev/null && ok || bad "diag --admin-tries: admin tries"
eq "diag --admin-tries: one more" "$(admin_q)" 3
eq "admin tries intact" "$(st admin_tries)" 10

# --- issue 18 points 2 and 6: no PATH finds the token; --no-tokens sends
# it nothing (the file-system places are an empty testing root). Only APDU
# lines count: pcscd powers an idle card off and on by itself (vpcd's
# control messages, logged as "ctrl"), more so on a slow or loaded run --
void="$tmp/void"
apdus() { grep ' apdu ' "$TOK_LOG" | head -2 | tr '\n' ' '; }
run "no PATH: the token" 1 env CPKIT_DISCOVERY_ROOT="$void" HOME="$void" \
    "$bin/cpkit-list" --csv
grep -qF '"good2001","gost2001"' "$tmp/out" && ok || bad "no PATH: no token container"
grep -qF "pcsc:" "$tmp/err" && ok || bad "no PATH: pcsc: not said"
: > "$TOK_LOG"
run "no PATH --no-tokens" 1 env CPKIT_DISCOVERY_ROOT="$void" HOME="$void" \
    "$bin/cpkit-list" --no-tokens
[ -n "$(apdus)" ] && bad "list --no-tokens: APDUs reached the card: $(apdus)" || ok
hasnt "no PATH --no-tokens: pcsc: not said" "$tmp/err" "pcsc:"
# exit 1: nothing found is a finding in diag (STYLE.md §11)
run "diag --no-tokens" 1 env CPKIT_DISCOVERY_ROOT="$void" HOME="$void" \
    "$bin/cpkit-diag" --no-tokens -o "$tmp/diag-notok.zip"
[ -n "$(apdus)" ] && bad "diag --no-tokens: APDUs reached the card: $(apdus)" || ok
unzip -p "$tmp/diag-notok.zip" report.json > "$tmp/report5.json"
jq -se '.[0] | .facts.readers | length == 0' "$tmp/report5.json" >/dev/null && ok ||
    bad "diag --no-tokens: readers in the facts"
run "diag, tokens" 1 env CPKIT_DISCOVERY_ROOT="$void" HOME="$void" \
    "$bin/cpkit-diag" -o "$tmp/diag-tok.zip"
[ -n "$(apdus)" ] && ok || bad "diag without --no-tokens: no APDU (the control)"
# the bundle says where it looked: the token last, the places before it
unzip -p "$tmp/diag-tok.zip" report.json > "$tmp/report6.json"
[ "$(jq -sc '.[0].facts.searched[-1]' "$tmp/report6.json")" = \
    '{"path":"pcsc:","present":true,"readable":true}' ] && ok ||
    bad "diag, tokens: pcsc: not the last place searched: $(jq -c .facts.searched "$tmp/report6.json")"
[ "$(jq -sc '[.[0].facts.searched[].path] | index("pcsc:")' "$tmp/report5.json")" = null ] &&
    [ "$(jq -s '.[0].facts.searched | length' "$tmp/report5.json")" -ge 4 ] && ok ||
    bad "diag --no-tokens: searched $(jq -c .facts.searched "$tmp/report5.json")"

# --- issue 16 point 2: a firmware that refuses SELECT with P2 0C ----------
token_restart --model ecp --refuse-0c "$flash/good2001.000"
: > "$TOK_LOG"
run "refuse-0c: list" 0 "$bin/cpkit-token" list
has "refuse-0c: container" "$tmp/out" "container 1000/1003/0A00  good2001"
hasnt "refuse-0c: nothing refused" "$TOK_LOG" " 6A86"
grep -q ' apdu 00A4000002 ' "$TOK_LOG" && bad "a SELECT with no room for the FCP" || ok
grep -Eq ' apdu 00A4..0C' "$TOK_LOG" && bad "a SELECT with P2 0C" || ok
run "refuse-0c: cpkit-list" 0 "$bin/cpkit-list" pcsc:
run "refuse-0c: verify" 0 "$bin/cpkit-token" verify --pin-env UPIN
grep -Eq ' apdu 00A4..0C' "$TOK_LOG" && bad "a SELECT with P2 0C (verify)" || ok
for m in lite s; do
	token_restart --model $m --refuse-0c "$flash/good2001.000"
	run "refuse-0c $m: list" 0 "$bin/cpkit-token" list
	has "refuse-0c $m: container" "$tmp/out" "good2001"
done

# --- issue 16 point 3: an ECP that refuses listing: found by probing ------
token_restart --model ecp --no-listing "$flash/good2001.000" "$flash/noprimar.000"
mark=$(wc -l < "$TOK_LOG")
run "no-listing: list" 0 "$bin/cpkit-token" list
has "no-listing: first" "$tmp/out" "1000/1003/0A00  good2001"
has "no-listing: second" "$tmp/out" "1000/1003/0B00  no-primary"
has "no-listing: said so" "$tmp/out" "the token refused listing (SW 6A86)"
# CSP's probe: 0A00, 0B00, then 0C00 answers 6A82 and ends it
log_since "$mark" | grep -q " apdu 00A4080406100010030C0000 6A82" && ok || bad "no-listing: no probe of 0C00"
log_since "$mark" | grep -q " apdu 00A4080408100010030B000B0200 6A82" && ok || bad "no-listing: no probe of 0B02"
run "no-listing: info json" 0 "$bin/cpkit-token" info --json
jq -s -e '.[0].token.found_by == "probing" and .[0].token.listing_sw == "6A86" and (.[0].token.containers | length) == 2 and .[0].token.containers[1].files == 5 and .[0].token.containers[0].name == "good2001"' "$tmp/out" >/dev/null && ok || bad "no-listing: json found_by"
# exit 1: no-primary's primary.key is missing, as on a listing token
run "no-listing: cpkit-list reads them" 1 "$bin/cpkit-list" pcsc:
has "no-listing: cpkit-list" "$tmp/out" "pcsc:Virtual PCD 00 00/1000/1003/0B00"
run "no-listing: diag" 1 "$bin/cpkit-diag" -o "$tmp/diag5.zip" pcsc:
unzip -p "$tmp/diag5.zip" report.json > "$tmp/report.json"
jq -s -e '.[0].facts.readers[0].containers_found_by == "probing" and .[0].facts.readers[0].listing_sw == "6A86" and .[0].facts.readers[0].skipped_folders == []' "$tmp/report.json" >/dev/null && ok || bad "no-listing: diag facts found_by"
eq "no-listing: no PIN" "$(st verify_data)" 0

# a container list that cannot be read is still exit 3 with the reason:
# listing refused and no 1000/1003 to probe, or a Rutoken S (not probed)
token_restart --model ecp --no-listing --no-1003
run "no-listing no 1003: list" 3 "$bin/cpkit-token" list
[ -s "$tmp/err" ] && ok || bad "no-listing no 1003: no reason on stderr"
run "no-listing no 1003: info json" 3 "$bin/cpkit-token" info --json
jq -se '.[0] | .token.containers == null and (.token.containers_error | length > 0)' "$tmp/out" >/dev/null && ok || bad "no-listing no 1003: containers_error"
run "no-listing no 1003: pin-status still 0" 0 "$bin/cpkit-token" pin-status
# issue 17 §3: the error says which command failed where, with the SW
where='list-first 3F00: SW 6A86 (incorrect parameters P1-P2)'
run "where: token info" 3 "$bin/cpkit-token" info --json
has "where: token error line" "$tmp/err" "the containers could not be read: the token answered with an unexpected status [$where]"
jq -se '.[0].token.containers_sw == "6A86" and (.[0].token.containers_where | startswith("list-first 3F00: SW 6A86 ("))' "$tmp/out" >/dev/null && ok || bad "where: token json"
run "where: token -v" 3 "$bin/cpkit-token" list -v
has "where: -v line" "$tmp/err" "cpkit-token: token: $where"
run "where: cpkit-list" 4 "$bin/cpkit-list" pcsc:
has "where: cpkit-list" "$tmp/err" "pcsc: the token stopped at $where"
run "where: diag" 0 "$bin/cpkit-diag" -o "$tmp/diag-where.zip" "$flash/good2001.000"
unzip -p "$tmp/diag-where.zip" report.json > "$tmp/report.json"
jq -se '.[0].facts.readers[0].walk_failed_sw == "6A86" and (.[0].facts.readers[0].walk_failed_at | startswith("list-first 3F00: SW 6A86 ("))' "$tmp/report.json" >/dev/null && ok || bad "where: diag facts json"
unzip -p "$tmp/diag-where.zip" report.txt > "$tmp/report.txt"
has "where: diag text" "$tmp/report.txt" "containers could not be listed: $where"
token_restart --model s --no-listing "$flash/good2001.000"
run "no-listing S: list" 3 "$bin/cpkit-token" list
[ -s "$tmp/err" ] && ok || bad "no-listing S: no reason on stderr"

# --- issue 16 point 9: folders closed to listing are skipped and shown -----
token_restart --model s --protect-sys "$flash/good2001.000"
run "protect-sys S: list" 0 "$bin/cpkit-token" list
has "protect-sys S: container" "$tmp/out" "good2001"
has "protect-sys S: skipped 1001" "$tmp/out" "folder 1000/1001: the token would not list it without a PIN (SW 6982)"
run "protect-sys S: json" 0 "$bin/cpkit-token" list --json
jq -s -e '.[0].readers[0].token.found_by == "listing" and .[0].readers[0].token.skipped_folders == [{"df":"1000/1000","sw":"6982"},{"df":"1000/1001","sw":"6982"}] and (.[0].readers[0].token.containers | length) == 1' "$tmp/out" >/dev/null && ok || bad "protect-sys S: json skipped_folders"
run "protect-sys S: cpkit-list" 0 "$bin/cpkit-list" pcsc:
has "protect-sys S: cpkit-list" "$tmp/out" "good2001"
run "protect-sys S: diag" 0 "$bin/cpkit-diag" -o "$tmp/diag6.zip" pcsc:
unzip -p "$tmp/diag6.zip" report.json > "$tmp/report.json"
jq -s -e '.[0].facts.readers[0].containers_found_by == "listing" and .[0].facts.readers[0].skipped_folders == [{"df":"1000/1000","sw":"6982"},{"df":"1000/1001","sw":"6982"}]' "$tmp/report.json" >/dev/null && ok || bad "protect-sys S: diag facts skipped_folders"
unzip -p "$tmp/diag6.zip" report.txt > "$tmp/report.txt"
has "protect-sys S: diag text" "$tmp/report.txt" "folder 1000/1001 skipped: the token would not list it without a PIN (SW 6982)"
unzip -p "$tmp/diag6.zip" report.html > "$tmp/report.html"
has "protect-sys S: diag html" "$tmp/report.html" "folder 1000/1001 skipped: the token would not list it without a PIN (SW 6982)"
token_restart --model lite --protect-sys --no-1003
run "protect-sys lite: list" 0 "$bin/cpkit-token" list
has "protect-sys lite: none" "$tmp/out" "no CryptoPro containers"
run "protect-sys lite: json" 0 "$bin/cpkit-token" info --json
jq -s -e '.[0].token.skipped_folders == [{"df":"1000/1000","sw":"6982"},{"df":"1000/1001","sw":"6982"}] and .[0].token.containers == []' "$tmp/out" >/dev/null && ok || bad "protect-sys lite: json skipped_folders"

# --- issue 16 point 7: the S logout in the MF -------------------------------
token_restart --model s "$flash/good2001.000"
: > "$TOK_LOG"
run "S verify" 0 "$bin/cpkit-token" verify --pin-env UPIN
# every 80 40 00 00 right after a SELECT MF (S: FID 3F00 little-endian)
awk '$2 == "apdu" && $3 !~ /^00C0/ { if ($3 == "80400000" && prev != "00A4000002003F") bad = 1; prev = $3 }
    END { exit bad }' "$TOK_LOG" && ok || bad "S: a logout outside the MF: $(grep -B1 ' 80400000' "$TOK_LOG" | tr '\n' ' ')"
grep -q ' apdu 80400000 ' "$TOK_LOG" && ok || bad "S: no logout"
token_restart --model lite "$real" "$flash/good2001.000" \
    "$flash/noprimar.000" "$flash/5f3a9c1d.000"

# with the PIN: the files decrypt exactly as the same folders do
run "test with PIN" 1 "$bin/cpkit-test" --pin-env UPIN --password-env PW pcsc:
eq "one PIN sent" "$(st verify_data)" 1
eq "tries reset" "$(st user_tries)" 10
eq "logged out after" "$(st logged)" none
for c in good2001 5f3a9c1d; do
	pw=12345678
	[ $c = 5f3a9c1d ] && pw=пароль
	PW=$pw "$bin/cpkit-test" --json --password-env PW "$flash/$c.000" > "$tmp/folder.json"
	PW=$pw "$bin/cpkit-test" --json --pin-env UPIN --password-env PW pcsc: > "$tmp/all.json"
	name=$(jq -r .name "$tmp/folder.json")
	jq -c --arg n "$name" 'select(.name == $n) | [.status, (.findings | map(.id))]' "$tmp/all.json" > "$tmp/a"
	jq -c '[.status, (.findings | map(.id))]' "$tmp/folder.json" > "$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" && ok || bad "$c: token and folder differ: $(cat "$tmp/a") vs $(cat "$tmp/b")"
	has "$c key-ok" "$tmp/a" "key-ok"
done
if [ -d "$fixtures/srv-emptypw.000" ]; then
	# exit 1: its certificate and key have expired (2024, 2025)
	run "real fixture via token" 1 "$bin/cpkit-test" --json --pin-env UPIN --empty-password "pcsc:$reader"
	has "real fixture unlocks" "$tmp/out" "key-ok"
fi

# a token container named by its location exactly as cpkit-list prints
# it (pcsc:READER/DF...), and by --container: the same one container
"$bin/cpkit-list" --json --pin-env UPIN "pcsc:$reader" > "$tmp/tl.json" 2>/dev/null
loc=$(jq -r '.[] | select(.name == "good2001") | .location' "$tmp/tl.json")
case $loc in pcsc:*/*) ok ;; *) bad "token location: '$loc'" ;; esac
run "token location" 0 env PW=12345678 "$bin/cpkit-test" --json --pin-env UPIN --password-env PW "$loc"
eq "token location: one container" "$(jq -s 'length' "$tmp/out")" 1
has "token location" "$tmp/out" '"name":"good2001"'
has "token location" "$tmp/out" "key-ok"
run "token --container" 0 env PW=12345678 "$bin/cpkit-test" --json --pin-env UPIN --password-env PW --container good2001 "pcsc:$reader"
eq "token --container: one container" "$(jq -s 'length' "$tmp/out")" 1

# export: the same bytes as the source folders, padding trimmed
# exit 1: the token holds no-primary, exported as it is with a warning
# naming what is missing (issue 15, point 11)
run "export token" 1 "$bin/cpkit-export" --to folder "$tmp/exp" --pin-file "$tmp/pin.ok" pcsc:
has "export token" "$tmp/err" "exported incomplete, without primary.key"
n=0
for d in "$tmp"/exp/*; do
	for src in "$real" "$flash/good2001.000" "$flash/noprimar.000" "$flash/5f3a9c1d.000"; do
		same_dir "$d" "$src" && n=$((n + 1)) && break
	done
done
eq "export: folders identical to their sources" "$n" 4
same_dir "$tmp/exp/good2001.000" "$flash/good2001.000" && ok || bad "export good2001 bytes"
eq "no write to the token" "$(st updates)" 0
run "export without PIN" 4 "$bin/cpkit-export" --to folder "$tmp/exp2" pcsc:
has "export without PIN says why" "$tmp/err" "protected by the token's user PIN"
[ ! -e "$tmp/exp2/good2001.000" ] && ok || bad "export without PIN wrote a folder"

# the PIN never appears in anything cpkit prints, even with -v
"$bin/cpkit-list" -v -v --pin-env UPIN pcsc: > "$tmp/o" 2>&1
"$bin/cpkit-token" list -v -v >> "$tmp/o" 2>&1
hasnt "no PIN in output" "$tmp/o" "$UPIN"

# --- wrong PINs: the counter never goes below --min-tries ---------------
for cmd in list test export verify change unblock; do
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		case $cmd in
		list) "$bin/cpkit-list" --pin-env BADPIN pcsc: ;;
		test) "$bin/cpkit-test" --pin-env BADPIN pcsc: ;;
		export) "$bin/cpkit-export" --to folder "$tmp/x" --pin-env BADPIN pcsc: ;;
		verify) "$bin/cpkit-token" verify --pin-env BADPIN ;;
		change) "$bin/cpkit-token" change-pin --accept-untested-format --pin-env BADPIN --new-pin-env APIN ;;
		unblock) "$bin/cpkit-token" unblock --accept-untested-format --pin-env BADPIN ;;
		esac >/dev/null 2>"$tmp/err"
		u=$(st user_tries) a=$(st admin_tries)
		[ "$u" -ge 3 ] && [ "$a" -ge 3 ] || bad "$cmd: counter below 3 (user $u, admin $a)"
	done
	has "$cmd: refuses at 3 tries" "$tmp/err" "tries left"
	# a right PIN resets the counters for the next command
	"$bin/cpkit-token" verify --pin-env UPIN --min-tries 1 >/dev/null 2>&1
	"$bin/cpkit-token" verify --admin --pin-env APIN --min-tries 1 >/dev/null 2>&1
done
ok
eq "tries back to 10" "$(st user_tries)" 10
run "verify right" 0 "$bin/cpkit-token" verify --pin-env UPIN
has "verify says correct" "$tmp/out" "user PIN is correct"
run "verify wrong" 4 "$bin/cpkit-token" verify --pin-env BADPIN
has "verify wrong tries" "$tmp/err" "9 tries left"
run "min-tries 9 refuses" 4 "$bin/cpkit-token" verify --pin-env UPIN --min-tries 9
eq "refused means not sent" "$(st user_tries)" 9
run "pin on argv is not an option" 2 "$bin/cpkit-token" verify --pin 12345678

# --- blocked, unblock, change, defaults ---------------------------------
for i in 1 2 3 4 5 6 7 8 9; do
	"$TOK_VTPROBE" 00200002083030303030303030 >/dev/null	# another program
done
eq "blocked by others" "$(st user_tries)" 0
run "pin-status blocked" 1 "$bin/cpkit-token" pin-status
has "pin-status says blocked" "$tmp/out" "BLOCKED"
run "list with blocked PIN" 4 "$bin/cpkit-list" --pin-env UPIN pcsc:
has "remedy for blocked" "$tmp/err" "cpkit-token unblock"
run "unblock untested format refused" 2 "$bin/cpkit-token" unblock --pin-env APIN
has "unblock refusal says why" "$tmp/err" "nobody can type"
eq "refused unblock sent nothing" "$(st user_tries)" 0
run "unblock" 0 "$bin/cpkit-token" unblock --accept-untested-format --pin-env APIN
has "unblocked" "$tmp/out" "user PIN unblocked, 10 tries"
eq "user tries after unblock" "$(st user_tries)" 10
run "defaults still set" 1 "$bin/cpkit-token" check-defaults
has "defaults message" "$tmp/out" "factory user PIN is still set"
run "weak PIN refused" 4 env NEWPIN=1111 "$bin/cpkit-token" change-pin --accept-untested-format --pin-env UPIN --new-pin-env NEWPIN PPONESYMBOLPIN=1 PPBADPINBEHAVIOR=2
has "policy forbids" "$tmp/err" "forbids"
mark=$(wc -l < "$TOK_LOG")
run "change-pin" 0 env NEWPIN=Kx7-pq2z9 "$bin/cpkit-token" change-pin --accept-untested-format --pin-env UPIN --new-pin-env NEWPIN
log_since "$mark" | grep -q "apdu 002401020F\*\* 9000" && ok || bad "Lite change-pin: not the TLV form (Lc 0F)"
has "changed" "$tmp/out" "user PIN changed"
run "new PIN works" 0 env NEWPIN=Kx7-pq2z9 "$bin/cpkit-token" verify --pin-env NEWPIN
run "defaults no longer" 0 "$bin/cpkit-token" check-defaults
has "defaults cost one try" "$tmp/out" "the check cost one try: 9 left"
run "change by admin" 0 "$bin/cpkit-token" change-pin --user --by-admin --accept-untested-format --pin-env APIN --new-pin-env UPIN
run "old PIN back" 0 "$bin/cpkit-token" verify --pin-env UPIN
eq "no writes at all" "$(st updates)" 0

# --- a busy token restarts the pass; a pulled one writes nothing ---------
token_restart --model lite --busy 2 "$flash/good2001.000"
run "busy token" 0 "$bin/cpkit-export" --to folder "$tmp/busy" --pin-env UPIN pcsc:
same_dir "$tmp/busy/good2001.000" "$flash/good2001.000" && ok || bad "busy export bytes"
token_restart --model lite --pull-after-reads 4 "$flash/good2001.000"
run "pulled mid-read" 3 "$bin/cpkit-export" --to folder "$tmp/pulled" --pin-env UPIN pcsc:
has "pulled message" "$tmp/err" "removed"
[ ! -e "$tmp/pulled/good2001.000" ] && ok || bad "pulled: partial output"
token_restart --model lite "$flash/good2001.000"

# --- Rutoken S: swapped IDs found by probing, T=0 answers ----------------
token_restart --model s --decoy "$flash/good2001.000" "$flash/good512.000"
run "S list" 0 "$bin/cpkit-token" list
has "S model" "$tmp/out" "Rutoken S"
has "S walk finds the odd path" "$tmp/out" "container 0000/0000/0002/0A00  good2001"
has "S serial" "$tmp/out" "1A2B3C4D"
run "S test" 0 "$bin/cpkit-test" --json --pin-env UPIN --password-env PW pcsc:
[ "$(jq -s 'map(select(.findings | map(.id) | index("key-ok"))) | length' "$tmp/out")" = 2 ] && ok || bad "S: both keys unlock"

# --- issue 16 point 4: Rutoken S behind Aktiv's driver (vtoken's default:
# data + 90 00 at once) and as a bare T=0 chip (--raw-t0: 61 xx, 6C xx).
# cpkit lists, reads and exports the same in both; only raw mode may see a
# GET RESPONSE (00 C0) in the card's log.
for mode in driver raw-t0; do
	extra=
	[ $mode = raw-t0 ] && extra=--raw-t0
	token_restart --model s $extra --serial 0BADF00D "$flash/good2001.000"
	mark=$(wc -l < "$TOK_LOG")
	run "S $mode: list" 0 "$bin/cpkit-token" list
	has "S $mode: serial" "$tmp/out" "0BADF00D (195948557)"
	has "S $mode: container" "$tmp/out" "container 0000/0000/0002/0A00  good2001"
	run "S $mode: export" 0 "$bin/cpkit-export" --to folder "$tmp/s-$mode" --pin-env UPIN pcsc:
	same_dir "$tmp/s-$mode/good2001.000" "$flash/good2001.000" && ok || bad "S $mode: export bytes"
	gr=$(log_since "$mark" | grep -c ' apdu 00C0')
	if [ $mode = raw-t0 ]; then
		[ "$gr" -gt 0 ] && ok || bad "S raw-t0: no GET RESPONSE in the log"
	else
		eq "S driver: no GET RESPONSE" "$gr" 0
	fi
done

# --- Rutoken S: CHANGE REFERENCE DATA with the raw PIN (issue 16) ----------
v=$(st verify_data) mark=$(wc -l < "$TOK_LOG")
run "S change-pin untested refused" 2 env NEWPIN=Kx7-pq2z9 "$bin/cpkit-token" change-pin --pin-env UPIN --new-pin-env NEWPIN
has "S refusal: a PIN nobody can type" "$tmp/err" "nobody can type"
has "S refusal: no way back" "$tmp/err" "lost for good"
has "S refusal: the option" "$tmp/err" "--accept-untested-format"
eq "S refusal sent no PIN" "$(st verify_data)" "$v"
run "S change-pin" 0 env NEWPIN=Kx7-pq2z9 "$bin/cpkit-token" change-pin --accept-untested-format --pin-env UPIN --new-pin-env NEWPIN
log_since "$mark" | grep -q "apdu 0024010209\*\* 9000" && ok || bad "S change-pin: not the raw form (Lc 09)"
log_since "$mark" | grep -q "apdu 002401020F" && bad "S change-pin: the ECP TLV was sent" || ok
run "S new PIN verifies" 0 env NEWPIN=Kx7-pq2z9 "$bin/cpkit-token" verify --pin-env NEWPIN
run "S PIN back" 0 env NEWPIN=Kx7-pq2z9 "$bin/cpkit-token" change-pin --accept-untested-format --pin-env NEWPIN --new-pin-env UPIN
"$TOK_VTPROBE" 80400000 00200002083132333435363738 002401020E80020008A5083131313131313131 > "$tmp/out"
eq "S answers 6A80 to the ECP TLV" "$(sed -n 3p "$tmp/out" | awk '{print $NF}')" 6A80
run "S old PIN kept after 6A80" 0 "$bin/cpkit-token" verify --pin-env UPIN

# --- Rutoken S holding the 14-byte TLV an old cpkit stored -----------------
token_restart --model s --user-pin-hex 80020008A5083132333435363738 "$flash/good2001.000"
mark=$(wc -l < "$TOK_LOG")
run "legacy S: plain PIN wrong" 4 "$bin/cpkit-token" verify --pin-env UPIN
run "legacy S: --legacy-tlv" 0 "$bin/cpkit-token" verify --legacy-tlv --pin-env UPIN
has "legacy S: correct" "$tmp/out" "user PIN is correct"
log_since "$mark" | grep -q "apdu 002000020E\*\* 9000" && ok || bad "legacy S: not one 14-byte VERIFY"
run "legacy S: min-tries" 4 "$bin/cpkit-token" verify --legacy-tlv --min-tries 10 --pin-env UPIN
has "legacy S: min-tries message" "$tmp/err" "tries left"
run "legacy S: change-pin --legacy-tlv" 0 "$bin/cpkit-token" change-pin --legacy-tlv --accept-untested-format --pin-env UPIN --new-pin-env UPIN
log_since "$mark" | grep -q "apdu 0024010208\*\* 9000" && ok || bad "legacy S: new PIN not raw"
run "legacy S: the PIN can be typed again" 0 "$bin/cpkit-token" verify --pin-env UPIN

# --- ECP without 1003, with decoy folders: the whole tree is walked -------
token_restart --model ecp --no-1003 --decoy
run "ECP list" 0 "$bin/cpkit-token" list
has "ECP model" "$tmp/out" "Rutoken ECP"
has "ECP walk finds nothing" "$tmp/out" "no CryptoPro containers"
run "ECP list pcsc:" 1 "$bin/cpkit-list" pcsc:
has "ECP none found" "$tmp/err" "no key containers found"
mark=$(wc -l < "$TOK_LOG")
run "ECP change-pin untested refused" 2 "$bin/cpkit-token" change-pin --pin-env UPIN --new-pin-env APIN
run "ECP change-pin TLV" 0 "$bin/cpkit-token" change-pin --accept-untested-format --pin-env UPIN --new-pin-env APIN
log_since "$mark" | grep -q "apdu 002401020E\*\* 9000" && ok || bad "ECP change-pin: not the TLV form (Lc 0E)"
run "ECP new PIN verifies" 0 "$bin/cpkit-token" verify --pin-env APIN
run "ECP --legacy-tlv is S only" 2 "$bin/cpkit-token" verify --legacy-tlv --pin-env APIN

# --- issue 16 point 10: non-ASCII PINs (PINENCODING) -----------------------
# The vtoken log masks PIN data (STYLE.md §8), so the bytes are proved by the
# card itself: it holds the exact bytes of --user-pin-hex and answers 9000 to
# those only; the log adds the length (Lc) of what was sent.
# "пароль" as octal UTF-8, whatever the locale: CP1251 EF E0 F0 EE EB FC
CYR=$(printf '\320\277\320\260\321\200\320\276\320\273\321\214')
# "ключ12": CP1251 EA EB FE F7 31 32; and one emoji, not in CP1251
NEWCYR=$(printf '\320\272\320\273\321\216\321\20712')
EMOJI=$(printf 'pin\360\237\230\200')
export CYR NEWCYR EMOJI
token_restart --model lite --user-pin-hex EFE0F0EEEBFC "$flash/good2001.000"
mark=$(wc -l < "$TOK_LOG")
run "cyr: no encoding, refused" 2 "$bin/cpkit-token" verify --pin-env CYR
has "cyr: names the option" "$tmp/err" "--pin-encoding cp1251"
has "cyr: names PINENCODING" "$tmp/err" "PINENCODING"
hasnt "cyr: PIN not shown" "$tmp/err" "$CYR"
run "cyr: list without encoding refused" 2 "$bin/cpkit-list" --pin-env CYR pcsc:
run "cyr: unblock without encoding refused" 2 "$bin/cpkit-token" unblock --accept-untested-format --pin-env CYR
eq "cyr: refusals sent no PIN" "$(st verify_data)" 0
eq "cyr: tries intact" "$(st user_tries)" 10
log_since "$mark" | grep -q ' apdu 00\(20\|24\|2C\)....[0-9A-F][0-9A-F]\*\*' && bad "cyr: a PIN APDU after a refusal" || ok
run "cyr: utf8 refused on a Lite" 2 "$bin/cpkit-token" verify --pin-encoding utf8 --pin-env CYR
has "cyr: utf8 is ECP only" "$tmp/err" "Rutoken ECP only"
run "cyr: utf8 refused on a Lite (list)" 2 "$bin/cpkit-list" --pin-encoding utf8 --pin-env CYR pcsc:
eq "cyr: utf8 refusals sent no PIN" "$(st verify_data)" 0
run "cyr: emoji refused in cp1251" 2 "$bin/cpkit-token" verify --pin-encoding cp1251 --pin-env EMOJI
has "cyr: emoji not in CP1251" "$tmp/err" "CP1251 does not have"
run "cyr: bad --pin-encoding" 2 "$bin/cpkit-token" verify --pin-encoding koi8 --pin-env CYR
eq "cyr: still no PIN" "$(st verify_data)" 0
run "cyr: cp1251 verifies" 0 "$bin/cpkit-token" verify --pin-encoding cp1251 --pin-env CYR
log_since "$mark" | grep -q ' apdu 0020000206\*\* 9000' && ok || bad "cyr: not one 6-byte CP1251 VERIFY"
run "cyr: cpkit-list cp1251" 0 "$bin/cpkit-list" --pin-encoding cp1251 --pin-env CYR pcsc:
has "cyr: list read the container" "$tmp/out" "good2001"
mark=$(wc -l < "$TOK_LOG")
run "cyr: PINENCODING and --pin-encoding disagree" 2 "$bin/cpkit-token" change-pin --accept-untested-format --pin-encoding cp1251 --pin-env CYR --new-pin-env NEWCYR PINENCODING=UTF8
run "cyr: change-pin PINENCODING=ANSI" 0 "$bin/cpkit-token" change-pin --accept-untested-format --pin-env CYR --new-pin-env NEWCYR PINENCODING=ANSI
# Lite: 80 02 00 06 A5 06 <6 CP1251 bytes>, Lc 0C
log_since "$mark" | grep -q ' apdu 002401020C\*\* 9000' && ok || bad "cyr: change-pin: not the 6-byte CP1251 PIN in the TLV (Lc 0C)"
run "cyr: new CP1251 PIN verifies" 0 "$bin/cpkit-token" verify --pin-encoding cp1251 --pin-env NEWCYR
run "cyr: the old one does not" 4 "$bin/cpkit-token" verify --pin-encoding cp1251 --pin-env CYR
has "cyr: tries left" "$tmp/err" "9 tries left"

# --- the same word held as UTF-8 on an ECP (PINENCODING=UTF8) --------------
token_restart --model ecp --user-pin-hex D0BFD0B0D180D0BED0BBD18C "$flash/good2001.000"
mark=$(wc -l < "$TOK_LOG")
run "utf8 ECP: no encoding, refused" 2 "$bin/cpkit-token" verify --pin-env CYR
eq "utf8 ECP: no PIN sent" "$(st verify_data)" 0
run "utf8 ECP: the wrong guess costs a try" 4 "$bin/cpkit-token" verify --pin-encoding cp1251 --pin-env CYR
has "utf8 ECP: wrong guess tries left" "$tmp/err" "9 tries left"
eq "utf8 ECP: one try spent" "$(st user_tries)" 9
run "utf8 ECP: utf8 verifies" 0 "$bin/cpkit-token" verify --pin-encoding utf8 --pin-env CYR
log_since "$mark" | grep -q ' apdu 0020000206\*\* 63' && ok || bad "utf8 ECP: the CP1251 try was not 6 bytes: $(log_since "$mark" | grep ' apdu 002000' | tr '\n' ' ')"
log_since "$mark" | grep -q ' apdu 002000020C\*\* 9000' && ok || bad "utf8 ECP: not one 12-byte UTF-8 VERIFY"
run "utf8 ECP: pin-quality UTF8 too long" 1 env P='абвгдежзи' "$bin/cpkit-token" pin-quality --pin-env P PINENCODING=UTF8
has "utf8 ECP: too-long" "$tmp/out" "too-long"
run "utf8 ECP: change-pin refuses 18 UTF-8 bytes" 4 env P='абвгдежзи' "$bin/cpkit-token" change-pin --accept-untested-format --pin-encoding utf8 --pin-env CYR --new-pin-env P
has "utf8 ECP: 16 bytes" "$tmp/err" "a token PIN has at most 16 bytes; nothing changed"
run "utf8 ECP: change-pin PINENCODING=UTF8" 0 "$bin/cpkit-token" change-pin --accept-untested-format --pin-env CYR --new-pin-env NEWCYR PINENCODING=UTF8
# ECP: 80 02 00 0A A5 0A <10 UTF-8 bytes>, Lc 10
log_since "$mark" | grep -q ' apdu 0024010210\*\* 9000' && ok || bad "utf8 ECP: change-pin: not the 10-byte UTF-8 PIN (Lc 10)"
run "utf8 ECP: new PIN verifies" 0 "$bin/cpkit-token" verify --pin-encoding utf8 --pin-env NEWCYR

# --- a JaCarta that counts the empty VERIFY: never sent --------------------
token_restart --model lite --count-empty \
    --atr 3BDC18FF8191FE1FC38073C821136601061159000128 "$flash/good2001.000"
run "jacarta pin-status" 0 "$bin/cpkit-token" pin-status
has "jacarta unknown" "$tmp/out" "no safe way"
run "jacarta verify refused" 4 "$bin/cpkit-token" verify --pin-env UPIN
eq "jacarta: no empty VERIFY" "$(st verify_empty)" 0
eq "jacarta: no PIN" "$(st verify_data)" 0
eq "jacarta: tries intact" "$(st user_tries)" 10
run "jacarta list" 1 "$bin/cpkit-list" pcsc:
has "jacarta not read" "$tmp/err" "does not read containers"

# --- no pcscd --------------------------------------------------------------
token_stop
run "no pcscd" 3 "$bin/cpkit-list" pcsc:
has "no pcscd message" "$tmp/err" "pcscd"

e2e_done e2e-token
