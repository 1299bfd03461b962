#!/bin/sh
# End-to-end tests of issue 18 points 2, 6, 7 and 13: cpkit-list and
# cpkit-diag without PATH search the usual places (under the testing root
# CPKIT_DISCOVERY_ROOT) and say where, on stderr and in the bundle;
# --no-tokens; --progress of cpkit-carve and cpkit-diag into a file; cpkit-list --sort, the CSV's new columns,
# --csv-excel byte for byte; diag --jsonl without a bundle names no
# certs/N.cer. The token half of --no-tokens is in tests/e2e_token.sh.
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
gold=$top/tests/data/list
tmp=$(mktemp -d /tmp/cpkit-e2e-list.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"
# no token of another test's pcscd is read here
export PCSCLITE_CSOCK_NAME="$tmp/no-pcscd"

# ---- point 2: no PATH, the usual places ----
R=$tmp/root
me=$(id -un)
if [ "$(id -u)" -eq 0 ]; then keys=$R/var/opt/cprocsp/keys
else keys=$R/var/opt/cprocsp/keys/$me; fi
mkdir -p "$keys/$me" "$R/media/usb" "$tmp/home"
cp -r samples/flash/good2001.000 "$keys/$me/k.000"
cp -r samples/flash/good512.000 "$R/media/usb/"
cp -r samples/flash/two-keys.000 "$tmp/home/"
run "no PATH: list" 0 env CPKIT_DISCOVERY_ROOT="$R" HOME="$tmp/home" \
    "$bin/cpkit-list" --no-tokens --csv --sort name
[ "$(tail -n +2 "$tmp/out" | cut -d, -f3 | xargs)" = "good2001 good512 two-keys" ] &&
    ok || bad "no PATH: not the three containers: $(cat "$tmp/out")"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "no PATH: not one line on stderr"
has "no PATH: looked in" "$tmp/err" "looked in"
for p in "$keys" "$R/media" "$tmp/home"; do
	grep -qF "$p" "$tmp/err" && ok || bad "no PATH: $p not said"
done
has "no PATH: absent" "$tmp/err" "(absent)"
grep -qF "$R/mnt" "$tmp/err" && grep -qF "$R/run/media" "$tmp/err" &&
    ok || bad "no PATH: /mnt or /run/media not said"
run "no PATH: diag, same places" 0 env CPKIT_DISCOVERY_ROOT="$R" \
    HOME="$tmp/home" "$bin/cpkit-diag" --no-tokens --jsonl
[ "$(jq -r "select(.container) | .container.name" "$tmp/out" | sort | xargs)" = "good2001 good512 two-keys" ] &&
    ok || bad "no PATH: diag found other containers"
has "no PATH: diag says where" "$tmp/err" "looked in"
# the places go into the bundle too, as paths or, redacted, placeholders
run "no PATH: diag bundle" 0 env CPKIT_DISCOVERY_ROOT="$R" \
    HOME="$tmp/home" "$bin/cpkit-diag" --no-tokens -o "$tmp/np.zip"
[ "$(unzip -p "$tmp/np.zip" report.json | jq -sc '[.[0].facts.searched[] | [.path, .present, .readable]]')" = \
    "[[\"$keys\",true,true],[\"$R/media\",true,true],[\"$R/run/media\",false,false],[\"$R/mnt\",false,false],[\"$tmp/home\",true,true]]" ] &&
    ok || bad "no PATH: report.json facts.searched: $(unzip -p "$tmp/np.zip" report.json | jq -c .facts.searched)"
unzip -p "$tmp/np.zip" report.txt | grep -F "$R/media," | grep -qF "$R/mnt" &&
    ok || bad "no PATH: report.txt does not say where"
unzip -p "$tmp/np.zip" report.html | grep -qF "<td id=\"searched\">$keys, $R/media, $R/run/media" &&
    ok || bad "no PATH: report.html does not say where"
run "no PATH: diag bundle redacted" 0 env CPKIT_DISCOVERY_ROOT="$R" \
    HOME="$tmp/home" "$bin/cpkit-diag" --no-tokens --redact -o "$tmp/npr.zip"
[ "$(unzip -p "$tmp/npr.zip" report.json | jq -sr '[.[0].facts.searched[].path | test("^location-[0-9a-f]{16}$")] | join(" ")')" = \
    "true true true true true" ] && ok || bad "no PATH: redacted places are not placeholders"
unzip -p "$tmp/npr.zip" | grep -qaF "$tmp" && bad "no PATH: redacted bundle names $tmp" || ok
run "PATH: nothing searched" 0 "$bin/cpkit-diag" -q -o "$tmp/p.zip" \
    samples/flash/good2001.000
[ "$(unzip -p "$tmp/p.zip" report.json | jq -sc '.[0].facts.searched')" = "[]" ] &&
    ok || bad "PATH: facts.searched is not []"
run "no PATH: -q says nothing" 0 env CPKIT_DISCOVERY_ROOT="$R" \
    HOME="$tmp/home" "$bin/cpkit-list" -q --no-tokens
[ -s "$tmp/err" ] && bad "no PATH: -q wrote to stderr" || ok
run "no PATH: nothing there" 1 env CPKIT_DISCOVERY_ROOT="$tmp/void" \
    HOME="$tmp/void" "$bin/cpkit-list" --no-tokens
has "no PATH: nothing there" "$tmp/err" "no key containers found"
# --no-tokens with a token path: one line, exit 2, nothing read
run "no-tokens and pcsc:" 2 "$bin/cpkit-list" --no-tokens pcsc:
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "no-tokens and pcsc:: not one line"
has "no-tokens and pcsc:" "$tmp/err" "--no-tokens conflicts with the token path"
run "diag no-tokens and pcsc:" 2 "$bin/cpkit-diag" --no-tokens --jsonl pcsc:

# ---- point 13: --sort, stable and never in directory order ----
names() { tail -n +2 "$tmp/out" | awk -F'","' '{ print $3 }' | xargs; }
run "sort status" 1 "$bin/cpkit-list" --csv --sort status samples/flash
[ "$(names)" = "bad-header bad-masks bad-oids wrong-cert noname.000 no-header renewal expired-key no-primary no-cert good2012-256 good512 locked not-exportable two-keys Иванов ИИ 2045 good2001" ] &&
    ok || bad "sort status: $(names)"
run "sort expiry" 1 "$bin/cpkit-list" --csv --sort expiry samples/flash
[ "$(names)" = "renewal expired-key bad-header bad-masks bad-oids wrong-cert no-primary good2012-256 good512 locked not-exportable two-keys Иванов ИИ 2045 noname.000 no-cert good2001 no-header" ] &&
    ok || bad "sort expiry: $(names)"
# two containers of one name: the location decides, whatever the order
# of the paths
S=samples/flash
run "sort name, given order" 0 "$bin/cpkit-list" --csv --sort name \
    samples/duplicate/dup.001 samples/duplicate/dup.000
cut -d, -f2 "$tmp/out" >"$tmp/a"
run "sort name, reversed" 0 "$bin/cpkit-list" --csv --sort name \
    samples/duplicate/dup.000 samples/duplicate/dup.001
cut -d, -f2 "$tmp/out" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" && [ "$(sed -n 2p "$tmp/a")" = '"samples/duplicate/dup.000"' ] &&
    ok || bad "sort name: the paths' order shows through"
run "sort json" 0 "$bin/cpkit-list" --json --sort name $S/good512.000 $S/good2001.000
[ "$(jq -r '.[].name' "$tmp/out" | xargs)" = "good2001 good512" ] && ok ||
    bad "sort json: $(jq -r '.[].name' "$tmp/out" | xargs)"
run "sort bad word" 2 "$bin/cpkit-list" --sort size samples/flash
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "sort bad word: not one line"

# ---- point 13: the CSVs, byte for byte (checked by eye once) ----
run "csv" 1 "$bin/cpkit-list" --csv --sort name samples/flash
cmp -s "$tmp/out" "$gold/flash-name.csv" && ok || bad "csv differs from $gold/flash-name.csv"
run "csv-excel" 1 "$bin/cpkit-list" --csv-excel --sort name samples/flash
cmp -s "$tmp/out" "$gold/flash-name-excel.csv" && ok ||
    bad "csv-excel differs from $gold/flash-name-excel.csv"
[ "$(head -c 3 "$tmp/out" | od -An -tx1 | xargs)" = "ef bb bf" ] && ok ||
    bad "csv-excel: no UTF-8 BOM"
[ "$(grep -c "$(printf '\r')\$" "$tmp/out")" -eq 18 ] && ok ||
    bad "csv-excel: not 18 CR LF lines"
run "csv and csv-excel" 2 "$bin/cpkit-list" --csv --csv-excel samples/flash
# user and SID from a hive's ProfileList, issuer and finding ids
run "csv hive" 0 "$bin/cpkit-list" --csv --sort name samples/registry/SOFTWARE
grep -qF '"ok","","O=cpkit samples,CN=cpkit samples CA","ivanov","S-1-5-21-1111111111-2222222222-3333333333-1001"' \
    "$tmp/out" && ok || bad "csv hive: no issuer, user and SID"
grep -qF '"damaged","header-mac","O=cpkit samples,CN=cpkit samples CA","",""' \
    "$gold/flash-name.csv" && ok || bad "csv: finding id column"
# a name that is a formula and holds ESC: guarded and shown in the
# sheet, exact in the machine CSV
f=$(printf '=HYPERLINK(1)\033.000')
mkdir "$tmp/sheet" && cp -r $S/good2012.000 "$tmp/sheet/$f" && rm "$tmp/sheet/$f/name.key"
run "csv-excel formula" 1 "$bin/cpkit-list" --csv-excel "$tmp/sheet"
grep -qF "\"'=HYPERLINK(1)\\x1b.000\";" "$tmp/out" && ok ||
    bad "csv-excel: the formula is not guarded or ESC is raw"
run "csv formula exact" 1 "$bin/cpkit-list" --csv "$tmp/sheet"
grep -qF "\"$f\"," "$tmp/out" && ok || bad "csv: the name is not exact"

# ---- point 13: --jsonl without a bundle names no certs/N.cer ----
run "jsonl alone" 0 "$bin/cpkit-diag" -q --jsonl $S/good2001.000
[ "$(jq -r "select(.container) | .certificate_file" "$tmp/out")" = null ] && ok ||
    bad "jsonl alone: certificate_file $(jq -r .certificate_file "$tmp/out")"
run "jsonl with a bundle" 0 "$bin/cpkit-diag" -q --jsonl -o "$tmp/j.zip" $S/good2001.000
[ "$(jq -r "select(.container) | .certificate_file" "$tmp/out")" = certs/1.cer ] &&
    unzip -l "$tmp/j.zip" | grep -q ' certs/1.cer$' && ok ||
    bad "jsonl with a bundle: not certs/1.cer"

# ---- point 7: --progress with stderr in a file ----
img=$tmp/big.img
truncate -s 40M "$img"
dd if=samples/images/flash-deleted.img of="$img" conv=notrunc status=none
pct() { grep -cE '^ +[0-9]+[.,][0-9]%' "$tmp/err"; }
run "progress always" 1 env CPKIT_PROGRESS_INTERVAL_MS=0 \
    "$bin/cpkit-carve" --raw --progress=always -o "$tmp/c1" "$img"
[ "$(pct)" -eq 5 ] && ok || bad "progress always: $(pct) lines, want 5 (one per 8 MiB)"
grep -qE '^ +100[.,]0%' "$tmp/err" && ok || bad "progress always: no final line"
grep -q "$(printf '\r')" "$tmp/err" && bad "progress always: a CR in a file" || ok
run "progress always, 2 s" 0 "$bin/cpkit-carve" --progress=always \
    -o "$tmp/c2" samples/images/flash-deleted.img
[ "$(pct)" -eq 1 ] && grep -qE '^ +100[.,]0%' "$tmp/err" && ok ||
    bad "progress always: not the one final line of a short run"
run "progress never" 1 env CPKIT_PROGRESS_INTERVAL_MS=0 \
    "$bin/cpkit-carve" --raw --progress=never -o "$tmp/c3" "$img"
[ "$(pct)" -eq 0 ] && ok || bad "progress never: $(pct) lines"
run "progress auto, a file" 1 env CPKIT_PROGRESS_INTERVAL_MS=0 \
    "$bin/cpkit-carve" --raw -o "$tmp/c4" "$img"
[ "$(pct)" -eq 0 ] && ok || bad "progress auto into a file: $(pct) lines"
run "progress bad word" 2 "$bin/cpkit-carve" --progress=sometimes "$img"
has "progress bad word" "$tmp/err" "use auto, always or never"
# recover: the last state at the end, found at once among the defaults
run "recover progress always" 0 "$bin/cpkit-passwd" recover \
    $S/good2001.000 --defaults --progress=always --state "$tmp/st" \
    --output "$tmp/pw"
grep -qE '^ +[0-9]+/[0-9]+ +[0-9]+[.,][0-9]%' "$tmp/err" && ok ||
    bad "recover progress always: no line"
run "recover progress never" 0 "$bin/cpkit-passwd" recover \
    $S/good2001.000 --defaults --progress=never --state "$tmp/st2" \
    --output "$tmp/pw2"
grep -qE '^ +[0-9]+/[0-9]+ +[0-9]+[.,][0-9]%' "$tmp/err" &&
    bad "recover progress never: a line" || ok

# cpkit-diag: containers checked of those listed, from the scanning
# threads (two or more on 300 containers) through one callback at a time
mkdir "$tmp/big"
for i in $(seq 1 300); do
	mkdir "$tmp/big/d$i" && cp -r $S/good2001.000 "$tmp/big/d$i/"
done
# "12 of 300 containers checked", in either language: two numbers
nums() { grep -E '^[^0-9]*[0-9]+[^0-9]+[0-9]+[^0-9]*$' "$tmp/err" |
    sed -E 's/^[^0-9]*([0-9]+)[^0-9]+([0-9]+).*/\1 \2/'; }
run "diag progress always" 0 env CPKIT_PROGRESS_INTERVAL_MS=0 \
    "$bin/cpkit-diag" --progress=always -o "$tmp/d1.zip" "$tmp/big"
[ "$(nums | wc -l)" -ge 3 ] && ok || bad "diag progress always: $(nums | wc -l) lines"
[ "$(nums | tail -n 1)" = "300 300" ] && ok ||
    bad "diag progress always: the last line is not the total: $(tail -n 1 "$tmp/err")"
nums | awk '$1 < d || $2 < t { exit 1 } { d = $1; t = $2 }' && ok ||
    bad "diag progress always: the numbers go back"
grep -q "$(printf '\r')" "$tmp/err" && bad "diag progress always: a CR in a file" || ok
# the passwords' pass, one line per container at interval 0 (300), after
# the scan's lines (a thread that would wait for the callback skips its
# turn, so under load the scan gives fewer than one a container)
printf 'nope\n' >"$tmp/pwl"
run "diag progress passwords" 1 env CPKIT_PROGRESS_INTERVAL_MS=0 \
    "$bin/cpkit-diag" --progress=always --password-list "$tmp/pwl" \
    -o "$tmp/d2.zip" "$tmp/big"
[ "$(nums | grep -c ' 300$')" -ge 303 ] && [ "$(nums | tail -n 1)" = "300 300" ] &&
    ok || bad "diag progress passwords: $(nums | grep -c ' 300$') lines"
run "diag progress never" 0 env CPKIT_PROGRESS_INTERVAL_MS=0 \
    "$bin/cpkit-diag" --progress=never -o "$tmp/d3.zip" "$tmp/big"
[ -s "$tmp/err" ] && bad "diag progress never: $(head -n 1 "$tmp/err")" || ok
run "diag progress auto, a file" 0 env CPKIT_PROGRESS_INTERVAL_MS=0 \
    "$bin/cpkit-diag" -o "$tmp/d4.zip" "$tmp/big"
[ -s "$tmp/err" ] && bad "diag progress auto into a file: $(head -n 1 "$tmp/err")" || ok
run "diag progress bad word" 2 "$bin/cpkit-diag" --progress=often "$tmp/big"
has "diag progress bad word" "$tmp/err" "use auto, always or never"

e2e_done "e2e_list"
