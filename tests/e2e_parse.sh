#!/bin/sh
# End-to-end tests of reading what other software writes (issue 15 points
# 1 and 2b): key validity times in every GeneralizedTime form, a header
# extension that does not parse (a warning, not damage: the container is
# still listed, tested, exported, re-passworded and repaired with the
# extension's bytes kept), and .reg exports as editors leave them
# (UTF-16LE without BOM, UTF-16BE with and without, CR CR LF line ends):
# the same containers and file hashes as the original, and a warning.
# The containers are samples/forms (tests/gen_samples.c, write_forms).
# Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-parse.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. tests/e2e_lib.sh
export PW=12345678 NEWPW=87654321
cp -r samples/forms "$tmp/f"
cp -r samples/registry "$tmp/reg"

# ids NAME "id id ...": the findings of the cpkit-test --json in $tmp/out
# are exactly these (sorted), in the run's language or any other
ids() {
	got=$(jq -r '[.findings[].id] | sort | join(" ")' "$tmp/out")
	want=$(printf '%s\n' $2 | sort | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] && ok || bad "$1: findings '$got', want '$want'"
}
# jqis NAME FILTER VALUE: jq -r FILTER of $tmp/out is VALUE
jqis() {
	got=$(jq -r "$2" "$tmp/out")
	[ "$got" = "$3" ] && ok || bad "$1: $2 is '$got', want '$3'"
}

# --- cpkit-list: every form read, none damaged ------------------------------
run "list forms" 1 "$bin/cpkit-list" --json "$tmp/f"
jqis "list forms" 'length' 4
jqis "list fraction" '.[] | select(.name=="fraction-seconds") | .status' ok
jqis "list fraction" '.[] | select(.name=="fraction-seconds") | .key_not_after' 2028-03-07T00:46:51Z
jqis "list offset" '.[] | select(.name=="local-offset") | .status' warning
jqis "list offset" '.[] | select(.name=="local-offset") | .key_not_after' 2028-03-07T00:46:51Z
jqis "list local" '.[] | select(.name=="local-time") | .status' warning
jqis "list local" '.[] | select(.name=="local-time") | .key_not_after' 2028-03-07T00:46:00Z
jqis "list badext" '.[] | select(.name=="bad-extension") | .status' warning
jqis "list badext" '.[] | select(.name=="bad-extension") | .key_not_after' null
jqis "list badext" '.[] | select(.name=="bad-extension") | .certificate.subject' "O=cpkit samples,CN=bad-extension"
jqis "list none damaged" '[.[] | select(.status=="damaged")] | length' 0
run "list forms text" 1 "$bin/cpkit-list" "$tmp/f"
hasnt "list forms text" "$tmp/out" "damaged"

# --- cpkit-test: unlocked and tested with the password -----------------------
run "test fraction" 0 "$bin/cpkit-test" --json --password-env PW "$tmp/f/fraction.000"
ids "test fraction" "key-ok"
jqis "test fraction" '.status' ok
run "test offset" 1 "$bin/cpkit-test" --json --password-env PW "$tmp/f/localtz.000"
ids "test offset" "header-time-local key-ok"
jqis "test offset" '.status' warning
run "test offset text" 1 "$bin/cpkit-test" --password-env PW "$tmp/f/localtz.000"
has "test offset text" "$tmp/out" "is local time with an offset: read with its offset"
has "test offset text" "$tmp/out" "2028-03-07 00:46:51 UTC"
run "test local" 1 "$bin/cpkit-test" --json --password-env PW "$tmp/f/localtim.000"
ids "test local" "header-time-local key-ok"
run "test local text" 1 "$bin/cpkit-test" --password-env PW "$tmp/f/localtim.000"
has "test local text" "$tmp/out" "is local time without a time zone: read as UTC"
run "test badext" 1 "$bin/cpkit-test" --json --password-env PW "$tmp/f/badext.000"
ids "test badext" "header-field-unreadable key-ok"
jqis "test badext" '.status' warning
jqis "test badext" '.findings[] | select(.id=="header-field-unreadable") | .severity' warning
run "test badext text" 1 "$bin/cpkit-test" --password-env PW "$tmp/f/badext.000"
has "test badext text" "$tmp/out" "extension 1.2.643.2.2.37.3.10"
has "test badext text" "$tmp/out" "the rest of the header was read"
hasnt "test badext text" "$tmp/out" "file-damaged"
run "test badext offline" 1 "$bin/cpkit-test" --json "$tmp/f/badext.000"
ids "test badext offline" "header-field-unreadable"
run "test badext wrong password" 1 env PW=wrong "$bin/cpkit-test" --json --password-env PW "$tmp/f/badext.000"
ids "test badext wrong password" "header-field-unreadable password-wrong"

# --- cpkit-export: the key comes out; a folder copy keeps the header -------
for c in fraction badext; do
	run "export pem $c" 0 "$bin/cpkit-export" --to pem "$tmp/$c.pem" --password-env PW "$tmp/f/$c.000"
	grep -q "BEGIN PRIVATE KEY" "$tmp/$c.pem" && ok || bad "export pem $c: no private key"
	grep -q "BEGIN CERTIFICATE" "$tmp/$c.pem" && ok || bad "export pem $c: no certificate"
done
run "export folder badext" 0 "$bin/cpkit-export" --to folder "$tmp/out-folder" "$tmp/f/badext.000"
cmp -s "$tmp/out-folder/bad-exte.000/header.key" "$tmp/f/badext.000/header.key" && ok || bad "export folder badext: header.key changed"

# --- cpkit-passwd change: the old password works, the header is kept -------
for c in fraction badext; do
	run "passwd change $c" 0 "$bin/cpkit-passwd" change "$tmp/f/$c.000" --out "$tmp/pw-$c" --password-env PW --new-password-env NEWPW
	hasnt "passwd change $c" "$tmp/err" "password is wrong"
	run "test changed $c" "$([ $c = fraction ] && echo 0 || echo 1)" env PW="$NEWPW" "$bin/cpkit-test" --json --password-env PW "$tmp/pw-$c"
	jqis "test changed $c" '[.findings[] | select(.id=="key-ok")] | length' 1
done
grep -qa '20280307004651.216Z' "$tmp/pw-fraction/header.key" && ok || bad "passwd change: the fractional time is gone"
grep -qa '2028-03-07T00:46:51Z' "$tmp/pw-badext/header.key" && ok || bad "passwd change: the unreadable extension is gone"

# --- cpkit-fix: the header MAC damaged and recomputed; every other byte
# of the header (the unreadable extension too) kept as it was --------------
for c in fraction badext; do
	rm -rf "$tmp/d" && cp -r "$tmp/f/$c.000" "$tmp/d"
	n=$(wc -c < "$tmp/d/header.key")
	printf '\377' | dd of="$tmp/d/header.key" bs=1 seek=$((n - 1)) conv=notrunc 2>/dev/null
	run "test damaged $c" 1 "$bin/cpkit-test" --json "$tmp/d"
	jqis "test damaged $c" '[.findings[] | select(.id=="header-mac")] | length' 1
	# exit 1 for badext: the repaired container still has its warning
	run "fix $c" "$([ $c = fraction ] && echo 0 || echo 1)" "$bin/cpkit-fix" --password-env PW "$tmp/d"
	has "fix $c" "$tmp/out" "the stored header MAC"
	[ $c = badext ] && has "fix $c" "$tmp/out" "extension 1.2.643.2.2.37.3.10"
	hasnt "fix $c" "$tmp/out" "header.key was unreadable"
	cmp -s "$tmp/d-fixed/header.key" "$tmp/f/$c.000/header.key" && ok || bad "fix $c: header.key is not the original"
	run "test fixed $c" "$([ $c = fraction ] && echo 0 || echo 1)" "$bin/cpkit-test" --json --password-env PW "$tmp/d-fixed"
	jqis "test fixed $c" '[.findings[] | select(.id=="key-ok")] | length' 1
	rm -rf "$tmp/d-fixed"
done

# --- .reg exports as editors leave them --------------------------------------
o5=$tmp/reg/export-5.00.reg o4=$tmp/reg/export-regedit4.reg
v=$tmp/variants
mkdir "$v"
tail -c +3 "$o5" > "$v/le-nobom.reg"
iconv -f UTF-16LE -t UTF-16BE "$o5" > "$v/be-bom.reg"
tail -c +3 "$v/be-bom.reg" > "$v/be-nobom.reg"
{ printf '\377\376'; tail -c +3 "$o5" | iconv -f UTF-16LE -t UTF-8 |
    sed 's/\r$/\r\r/' | iconv -f UTF-8 -t UTF-16LE; } > "$v/crcr-5.00.reg"
sed 's/\r$/\r\r/' "$o4" > "$v/crcr-regedit4.reg"
# the variants really are what they claim
[ "$(head -c 2 "$v/be-bom.reg" | od -An -tx1 | tr -d ' ')" = feff ] && ok || bad "be-bom: no BOM"
[ "$(head -c 2 "$v/be-nobom.reg" | od -An -tx1 | tr -d ' ')" = 0057 ] && ok || bad "be-nobom: not BE"
[ "$(head -c 2 "$v/le-nobom.reg" | od -An -tx1 | tr -d ' ')" = 5700 ] && ok || bad "le-nobom: not LE"
grep -qc "$(printf '\r\r')" "$v/crcr-regedit4.reg" && ok || bad "crcr-regedit4: no CR CR"

# reference: what the original gives (containers, files, hashes)
summary() {	# summary FILE: names, sizes and sha256 of every container
	"$bin/cpkit-list" --json "$1" 2>/dev/null |
	    jq -c 'sort_by(.fqcn) | [.[] | {fqcn, name, files, status, key_not_after}]'
	rm -rf "$tmp/bundle"
	mkdir "$tmp/bundle"
	"$bin/cpkit-diag" -q -o "$tmp/bundle/b.zip" "$1" >/dev/null 2>&1
	(cd "$tmp/bundle" && unzip -q b.zip report.json) &&
	    jq -c '[.containers[] | .sha256] | sort_by(.["header.key"])' "$tmp/bundle/report.json"
}
summary "$o5" > "$tmp/ref5"
summary "$o4" > "$tmp/ref4"
[ "$(head -1 "$tmp/ref5" | jq length)" = 2 ] && ok || bad "reference 5.00: not 2 containers"
grep -q '"header.key":"[0-9a-f]\{64\}"' "$tmp/ref5" && ok || bad "reference 5.00: no hashes"
form() {	# form FILE REF TEXT: same containers and hashes, warned about
	run "list $1" 0 "$bin/cpkit-list" --json "$v/$1"
	has "list $1" "$tmp/err" "$v/$1"
	has "list $1" "$tmp/err" "$3"
	summary "$v/$1" > "$tmp/got"
	cmp -s "$tmp/got" "$tmp/$2" && ok || bad "$1: containers or hashes differ from the original"
}
form le-nobom.reg ref5 "UTF-16LE without a byte order mark"
form be-bom.reg ref5 "UTF-16BE (regedit writes UTF-16LE): read"
form be-nobom.reg ref5 "UTF-16BE without a byte order mark"
form crcr-5.00.reg ref5 "CR CR LF (an editor doubled the CR)"
form crcr-regedit4.reg ref4 "CR CR LF (an editor doubled the CR)"
# the originals are not warned about
run "list original" 0 "$bin/cpkit-list" --json "$o5" "$o4"
[ ! -s "$tmp/err" ] && ok || bad "list original: warnings: $(head -2 "$tmp/err")"
# they unlock: the same keys
for f in be-nobom le-nobom crcr-5.00; do
	run "test $f" 1 "$bin/cpkit-test" --json --password-env PW "$v/$f.reg"
	got=$(jq -rs '[.[] | select(.name=="good2012-256") | .findings[].id] | join(" ")' "$tmp/out")
	[ "$got" = key-ok ] && ok || bad "test $f: good2012-256 findings '$got'"
done
run "test crcr-regedit4" 0 "$bin/cpkit-test" --json --password-env PW "$v/crcr-regedit4.reg"
ids "test crcr-regedit4" "key-ok"
# a UTF-16 file that is not a .reg stays "not a key container"
printf 'hello world, no registry here' | iconv -f UTF-8 -t UTF-16BE > "$v/other.txt"
run "list not a reg" 2 "$bin/cpkit-list" --json "$v/other.txt"
has "list not a reg" "$tmp/err" "not a key container"

e2e_done e2e_parse
