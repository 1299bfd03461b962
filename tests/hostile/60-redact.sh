# cpkit-diag --redact (issue 14, point 9): a bundle made to be sent
# outside the company holds no identifying value of its input. The input
# carries them all: certificates with a CN, an e-mail, a SNILS, a
# telephone number, a multi-valued RDN (O=x+CN=Person), an attribute
# known only by its OID, a chosen serial; a container folder and a home
# path with a user name; a .reg of one user's SID and a hive with a
# ProfileList user. Every member and every member name of the redacted
# bundle (and the --jsonl lines) is searched for every one of them, and
# for the bytes of the fleet key. Placeholders are HMAC-SHA-256 under the
# key: the same key gives the same placeholders, no key gives new ones.
rx=$tmp/redact
mkdir -p "$rx/home/ivanov/flash" "$rx/reg"
rx_sid=S-1-5-21-4242424242-1717171717-2323232323-1107

# two GOST keys, two certificates full of personal data (gost engine);
# an attribute cpkit knows only by its OID, printed as #hex of its DER
printf 'oid_section = oids\n[oids]\nrxAttr = 1.3.6.1.4.1.99999.1\n[req]\ndistinguished_name = dn\n[dn]\n' \
    >"$rx/oid.cnf"
rx_cert() {	# rx_cert N SUBJECT SERIAL
	openssl genpkey -engine gost -algorithm gost2012_256 \
	    -pkeyopt paramset:A -out "$rx/k$1.pem" >/dev/null 2>&1
	openssl req -engine gost -config "$rx/oid.cnf" -new -x509 \
	    -key "$rx/k$1.pem" -md_gost12_256 \
	    -days 3650 -utf8 -multivalue-rdn -set_serial "$3" -subj "$2" \
	    -out "$rx/c$1.pem" >/dev/null 2>&1
}
rx_cert 1 "/C=RU/O=Roga i Kopyta+CN=Petrov Petr Petrovich/CN=Ivanov Ivan Ivanovich/emailAddress=ivanov.ii@example.ru/SNILS=11223344595/telephoneNumber=84951234567/rxAttr=HIDDENVALUE7707" 0x5A17C0DE12345678
rx_cert 2 "/C=RU/O=OOO Vector/CN=Сидорова Анна Павловна/emailAddress=sidorova@vector.example/SNILS=98765432100/street=Lesnaya 12" 0x3C0FFEE7ABCD
if [ -s "$rx/c1.pem" ] && [ -s "$rx/c2.pem" ]; then ok; else
	bad "redact: openssl could not make the GOST certificates"; fi
run "redact: import into a folder" 0 "$bin/cpkit-import" "$rx/k1.pem" \
    --cert "$rx/c1.pem" --to folder "$rx/home/ivanov/flash" \
    --name "Ivanov Ivan Ivanovich" --password-env PW
run "redact: import into a .reg of one SID" 0 "$bin/cpkit-import" \
    "$rx/k2.pem" --cert "$rx/c2.pem" --to reg "$rx/reg/sidorova.reg" \
    --sid "$rx_sid" --name "Sidorova AP 2026" --password-env PW
# a container named by its folder (name.key gone): the folder name is
# the only name it has, and a finding speaks of it
cp -r "$flash/noname.000" "$rx/home/ivanov/flash/Kuznets.000"
cp "$samples/registry/SOFTWARE" "$rx/reg/SOFTWARE"

# what identifies the input: everything the unredacted scan shows (names,
# folders, locations, SIDs, users, every RDN value, serials in hex and
# decimal), and the strings put in by hand
run "redact: the plain scan" 1 "$bin/cpkit-diag" -q --jsonl \
    "$rx/home/ivanov/flash" "$rx/reg"
cp "$tmp/out" "$rx/plain.jsonl"
{
	jq -r 'select(.container) | .container | .name, .fqcn, .location, .sid // empty,
	    .user // empty, (.certificate // {} | .serial // empty),
	    (.certificate // {} | .subject, .issuer // empty |
	    split(",")[] | split("+")[] | sub("^[^=]*="; ""))' \
	    "$rx/plain.jsonl"
	jq -r 'select(.container) | .container.location | split("/") |
	    last' "$rx/plain.jsonl"
	jq -r 'select(.container) | .container.certificate // {} |
	    .serial // empty' \
	    "$rx/plain.jsonl" | while read -r rx_s; do
		[ ${#rx_s} -le 15 ] && printf '%d\n' "0x$rx_s"
	done
	printf '%s\n' ivanov Ivanov "Petrov Petr" Petrovich "Roga i Kopyta" \
	    ivanov.ii@example.ru 11223344595 84951234567 HIDDENVALUE7707 \
	    "$(printf HIDDENVALUE7707 | od -An -tx1 | tr -d ' \n')" \
	    5A17C0DE12345678 6491869447898551928 Сидорова sidorova \
	    "OOO Vector" 98765432100 "Lesnaya 12" 3C0FFEE7ABCD 66039398771661 \
	    "$rx_sid" S-1-5-21-1111111111-2222222222-3333333333-1001 \
	    Kuznets Ivanov-I "Иванов ИИ 2045" "$rx" "$(hostname)"
} | awk 'length($0) >= 4' | sort -u >"$rx/ident"
# the values of the input are really in the plain scan (the test can fail)
for rx_w in "Petrov Petr Petrovich" 11223344595 84951234567 "$rx_sid" \
    5A17C0DE12345678 Kuznets.000 ivanov 1.3.6.1.4.1.99999.1=#0C0F4849 \
    "+O=Roga i Kopyta"; do
	grep -qiF -- "$rx_w" "$rx/plain.jsonl" && ok ||
	    bad "redact: '$rx_w' is not even in the plain scan"
done
[ "$(wc -l <"$rx/ident")" -ge 40 ] && ok ||
    bad "redact: only $(wc -l <"$rx/ident") identifying strings"

# rx_clean NAME PATH: no identifying string in the file, or in any file
# or file name under the folder
rx_clean() {
	rx_hits=
	while IFS= read -r rx_w; do
		if grep -rqiF -- "$rx_w" "$2" || { [ -d "$2" ] &&
		    (cd "$2" && find . | grep -qiF -- "$rx_w"); }; then
			rx_hits="$rx_hits '$rx_w'"
		fi
	done <"$rx/ident"
	if [ -n "$rx_hits" ]; then bad "$1: left in the bundle:$rx_hits"
	else ok; fi
}

openssl rand -hex 32 >"$rx/fleet.key"
chmod 600 "$rx/fleet.key"
for rx_k in none key; do
	rx_opt=--redact
	[ $rx_k = key ] && rx_opt="--redact-key-file=$rx/fleet.key"
	run "redact ($rx_k)" 1 env HOME="$rx/home/ivanov" USER=ivanov \
	    "$bin/cpkit-diag" -q -o "$rx/$rx_k.zip" "$rx_opt" \
	    "$rx/home/ivanov/flash" "$rx/reg"
	[ ! -s "$tmp/err" ] && ok || bad "redact ($rx_k): $(head -1 "$tmp/err")"
	mkdir "$rx/$rx_k" && (cd "$rx/$rx_k" && unzip -qq "../$rx_k.zip")
	rx_clean "redact ($rx_k)" "$rx/$rx_k"
	unzip -Z1 "$rx/$rx_k.zip" >"$rx/$rx_k.names"
	rx_clean "redact ($rx_k): member names" "$rx/$rx_k.names"
	grep -rqF -- "$(cat "$rx/fleet.key")" "$rx/$rx_k" &&
	    bad "redact ($rx_k): the key's bytes are in the bundle" || ok
	leaks "redact ($rx_k)" "$rx/$rx_k.zip"
	# no certificate: not as a member, not in the manifest
	[ "$(sort "$rx/$rx_k.names" | tr '\n' ' ')" = \
	    "manifest.txt report.html report.json report.txt " ] && ok ||
	    bad "redact ($rx_k): members $(tr '\n' ' ' <"$rx/$rx_k.names")"
	grep -q 'cer' "$rx/$rx_k/manifest.txt" &&
	    bad "redact ($rx_k): the manifest lists a certificate" || ok
	(cd "$rx/$rx_k" && sha256sum -c --quiet manifest.txt) && ok ||
	    bad "redact ($rx_k): manifest sums"
	rx_j=$rx/$rx_k/report.json
	[ "$(jq '[.containers[] | select(.certificate_file != null)] |
	    length' "$rx_j")" = 0 ] && ok ||
	    bad "redact ($rx_k): a certificate_file is named"
	[ "$(jq .redacted "$rx_j")" = true ] && ok || bad "redact: not marked"
	# the summaries stay, redacted: every RDN value a 64-bit placeholder
	[ "$(jq '[.containers[].container.certificate // empty] | length' \
	    "$rx_j")" -ge 5 ] && ok || bad "redact ($rx_k): summaries lost"
	jq -r '.containers[].container.certificate // empty | .subject,
	    .issuer | split(",")[] | split("+")[]' "$rx_j" |
	    grep -vqE '^[A-Za-z0-9.]+=rdn-[0-9a-f]{16}$' &&
	    bad "redact ($rx_k): an RDN value not a placeholder" || ok
	jq -e '[.containers[].container | .name, .location,
	    (.certificate // {} | .serial // "serial-0123456789abcdef")] |
	    all(test("^(container|location|serial)-[0-9a-f]{16}$"))' "$rx_j" \
	    >/dev/null && ok || bad "redact ($rx_k): name, location, serial"
	jq -e '[.containers[].container.sid // empty] | length == 3 and
	    all(test("^sid-[0-9a-f]{16}$"))' "$rx_j" >/dev/null && ok ||
	    bad "redact ($rx_k): the SIDs"
	jq -r '.containers[].container.fqcn' "$rx_j" |
	    grep -vqE '^\\\\\.\\(FLASH|REGISTRY)\\container-[0-9a-f]{16}$' &&
	    bad "redact ($rx_k): an FQCN keeps its name" || ok
done
# the same key file: the same placeholders; no key: new ones each time
run "redact (key, again)" 1 "$bin/cpkit-diag" -q -o "$rx/key2.zip" \
    --redact-key-file "$rx/fleet.key" "$rx/home/ivanov/flash" "$rx/reg"
run "redact (none, again)" 1 "$bin/cpkit-diag" -q -o "$rx/none2.zip" \
    --redact "$rx/home/ivanov/flash" "$rx/reg"
for rx_z in key key2 none none2; do
	unzip -p "$rx/$rx_z.zip" report.json | jq -S .containers >"$rx/$rx_z.c"
done
cmp -s "$rx/key.c" "$rx/key2.c" && ok ||
    bad "redact: one key file, different placeholders"
[ "$(jq -r '.[].container.name' "$rx/none.c" | sort)" != \
    "$(jq -r '.[].container.name' "$rx/none2.c" | sort)" ] && ok ||
    bad "redact: two random keys gave the same placeholders"
jq -r '.[].container.name' "$rx/none.c" "$rx/none2.c" | sort | uniq -d |
    grep -q . && bad "redact: a placeholder repeats across random keys" || ok
# a placeholder is HMAC-SHA-256(key, kind NUL value), the key the file's
# first line: a dictionary without the key confirms nothing
rx_mac=$(printf 'container\000Ivanov Ivan Ivanovich' | openssl mac \
    -digest SHA256 -macopt "key:$(cat "$rx/fleet.key")" HMAC |
    tr 'A-F' 'a-f' | cut -c1-16)
jq -e --arg p "container-$rx_mac" 'any(.[]; .container.name == $p)' \
    "$rx/key.c" >/dev/null && ok ||
    bad "redact: the name's placeholder is not HMAC-SHA-256 under the key"
# --jsonl says no more than the bundle
run "redact jsonl" 1 "$bin/cpkit-diag" -q --jsonl --redact \
    "$rx/home/ivanov/flash" "$rx/reg"
mkdir "$rx/jsonl" && cp "$tmp/out" "$rx/jsonl/lines"
rx_clean "redact jsonl" "$rx/jsonl"
# the host's facts, then one line a container
[ "$(wc -l <"$rx/jsonl/lines")" = 7 ] && ok || bad "redact jsonl: lines"
[ "$(head -1 "$rx/jsonl/lines" | jq -r '.host.redacted')" = true ] && ok ||
    bad "redact jsonl: the host line is not redacted"
# --jsonl with -o: one random key for the run, the same placeholders in both
run "redact jsonl and bundle" 1 "$bin/cpkit-diag" -q --jsonl --redact \
    -o "$rx/both.zip" "$rx/home/ivanov/flash"
[ "$(jq -r 'select(.container) | .container.name' "$tmp/out" | sort)" = "$(unzip -p \
    "$rx/both.zip" report.json | jq -r '.containers[].container.name' |
    sort)" ] && ok || bad "redact jsonl and bundle: different placeholders"
# the certificates and names are in the container files: not both
run "redact with containers" 2 "$bin/cpkit-diag" -q -o "$rx/inc.zip" \
    --redact --include-containers "$rx/home/ivanov/flash"
has "redact with containers" "$tmp/err" "--redact and --include-containers: the container files hold the names and certificates that --redact removes"
[ ! -e "$rx/inc.zip" ] && ok || bad "redact with containers: a bundle"
# a key too short to be one; a key others can read
printf 'short\n' >"$rx/short.key"
run "redact: short key" 2 "$bin/cpkit-diag" -q -o "$rx/s.zip" \
    --redact-key-file "$rx/short.key" "$rx/home/ivanov/flash"
has "redact: short key" "$tmp/err" "the redaction key must be at least"
run "redact: no key file" 2 "$bin/cpkit-diag" -q -o "$rx/s.zip" \
    --redact-key-file "$rx/nowhere.key" "$rx/home/ivanov/flash"
has "redact: no key file" "$tmp/err" "cannot open the redaction key file"
[ ! -e "$rx/s.zip" ] && ok || bad "redact: a bundle without its key"
cp "$rx/fleet.key" "$rx/open.key" && chmod 644 "$rx/open.key"
run "redact: readable key" 1 "$bin/cpkit-diag" -q -o "$rx/o.zip" \
    --redact-key-file "$rx/open.key" "$rx/home/ivanov/flash"
has "redact: readable key" "$tmp/err" "warning: $rx/open.key is readable by other users"
