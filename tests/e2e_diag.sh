#!/bin/sh
# End-to-end tests of cpkit-diag: the bundle over the samples and the real
# fixtures, member by member; no secret in any member; report.html in real
# headless Chromium; --jsonl over 1,000 containers; --redact; --fail-on.
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
tmp=$(mktemp -d /tmp/cpkit-e2e-diag.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"
export PW=12345678

mkdir "$tmp/media"
cp -r samples/flash samples/registry "$tmp/media/"
[ -d "$fixtures" ] && cp -r "$fixtures" "$tmp/media/real"
run "bundle" 1 "$bin/cpkit-diag" -q -o "$tmp/b.zip" --password-env PW "$tmp/media"
has "bundle" "$tmp/out" "Bundle: $tmp/b.zip"
mkdir "$tmp/x" && (cd "$tmp/x" && unzip -q ../b.zip)
for m in report.json report.txt report.html manifest.txt; do
	[ -s "$tmp/x/$m" ] && ok || bad "bundle: $m missing"
done
(cd "$tmp/x" && sha256sum -c --quiet manifest.txt) && ok || bad "manifest hashes"
[ "$(grep -c . "$tmp/x/manifest.txt")" -eq "$(($(find "$tmp/x" -type f | wc -l) - 1))" ] && ok || bad "manifest: not every member"
J="$tmp/x/report.json"
[ "$(jq -r .schema "$J")" = cpkit.diag/1 ] && ok || bad "schema"
expect() {	# expect NAME ID: the container's findings include ID
	jq -se --arg n "$1" --arg id "$2" '.[0] | .containers[] | select(.container.name == $n) | .container.findings[] | select(.id == $id)' "$J" >/dev/null && ok || bad "report.json: $1 lacks $2"
}
expect good2001 key-ok
expect expired-key key-expired
expect wrong-cert cert-key-mismatch
expect no-cert cert-missing
expect no-primary copy-incomplete
expect bad-masks masks-mac
expect bad-header header-mac
expect bad-oids cert-alg-mismatch
expect noname.000 file-missing
expect not-exportable key-not-exportable
expect two-keys key-ok
[ -d "$fixtures" ] && expect srv key-ok
[ "$(jq '.containers | length' "$J")" -ge 21 ] && ok || bad "report.json: containers missing"
[ "$(jq '[.containers[] | select(.certificate_file != null)] | length' "$J")" = "$(ls "$tmp/x/certs" | wc -l)" ] && ok || bad "certs: one per certificate"
ls "$tmp/x" | grep -q containers && bad "secret files without --include-containers" || ok
# no password, PIN, unlocked scalar or KEK in any member: a bundle made
# with a password found nowhere else, over containers it unlocks
export U='Zq7-unique-pw-Xv'
mkdir "$tmp/secret"
"$bin/cpkit-passwd" change samples/flash/good2001.000 --out "$tmp/secret/u.000" --password-env PW --new-password-env U >/dev/null
[ -d "$fixtures" ] && cp -r "$fixtures/cpcert-samples/g2001.000" "$tmp/secret/"
run "secret bundle" 1 "$bin/cpkit-diag" -q -o "$tmp/s.zip" --password-env U "$tmp/secret"
mkdir "$tmp/sx" && (cd "$tmp/sx" && unzip -q ../s.zip)
grep -q '"key-ok"' "$tmp/sx/report.json" && ok || bad "secret bundle: the key was not unlocked"
for s in "$U" b52cb428dc96e1a8a8842cb221c7f156 ffc614555770fb63504fc509b1d212d3 \
    b9cde94abb0d8dc28a05e29498c52bc3; do
	grep -rqF -- "$s" "$tmp/sx" "$tmp/x" && bad "secret '$s' found in a bundle" || ok
done
# report.html: self-contained, and it renders in real Chromium
grep -qiE 'https?://|<script|src=' "$tmp/x/report.html" && bad "report.html loads something" || ok
timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$tmp/ud" \
    --dump-dom "file://$tmp/x/report.html" > "$tmp/dom.html" 2>/dev/null
grep -q '<div id="blocks">' "$tmp/dom.html" && ok || bad "chromium: no container blocks"
[ "$(grep -o '<li class="error">' "$tmp/dom.html" | wc -l)" -ge 5 ] && ok || bad "chromium: errors not listed"
grep -q '<table class="media">' "$tmp/dom.html" && ok || bad "chromium: no container table"
grep -q 'class="d expired"' "$tmp/dom.html" && ok || bad "chromium: expiry not highlighted"
grep -q 'Сводка' "$tmp/dom.html" && ok || bad "chromium: no Russian"

# --include-containers adds the six files
run "include" 0 "$bin/cpkit-diag" -q -o "$tmp/i.zip" --include-containers samples/flash/good2001.000
unzip -l "$tmp/i.zip" | grep -q 'containers/1/primary.key' && ok || bad "include: no primary.key"
# --redact
mkdir -p "$tmp/home/someone"
cp -r samples/flash "$tmp/home/someone/"
run "redact" 1 env HOME="$tmp/home/someone" USER=someone "$bin/cpkit-diag" -q -o "$tmp/r.zip" --redact "$tmp/home/someone/flash" samples/registry/SOFTWARE
unzip -p "$tmp/r.zip" report.json > "$tmp/r.json"
grep -q 'Иванов' "$tmp/r.json" && bad "redact: a personal name left" || ok
grep -qF "$(hostname)" "$tmp/r.json" && bad "redact: host name left" || ok
grep -qF "someone" "$tmp/r.json" && bad "redact: the user's home left" || ok
grep -q 'CN=rdn-[0-9a-f]\{16\}' "$tmp/r.json" && ok || bad "redact: no placeholders"
grep -qF 'ivanov' "$tmp/r.json" && bad "redact: a hive's user name left" || ok
grep -q '"user":"user-[0-9a-f]\{16\}"' "$tmp/r.json" && ok || bad "redact: no user placeholder"
unzip -l "$tmp/r.zip" | grep -q 'certs/' && bad "redact: a certificate file" || ok
# a user called "user" under a folder named "user": one placeholder for
# the whole location, nothing replaced twice (tests/hostile/60-redact.sh
# searches a redacted bundle for every identifying string)
mkdir -p "$tmp/user" && cp -r samples/flash/good2001.000 "$tmp/user/"
run "redact user" 0 timeout 30 env USER=user "$bin/cpkit-diag" -q -o "$tmp/u.zip" --redact "$tmp/user"
unzip -p "$tmp/u.zip" report.json | grep -q '"location":"location-[0-9a-f]\{16\}"' && ok || bad "redact user: location not one placeholder"
# --jsonl over 1,000 containers
sh bench/mktree.sh "$tmp/many" 6000 1000
"$bin/cpkit-diag" --jsonl "$tmp/many" > "$tmp/lines" 2>/dev/null
[ "$(wc -l < "$tmp/lines")" -eq 1001 ] && ok || bad "jsonl: not the host and 1,000 lines"
[ "$(jq -c 'select(.container) | .container.fqcn' "$tmp/lines" | wc -l)" -eq 1000 ] && ok || bad "jsonl: invalid lines"
# the first line: the host's facts (schema cpkit.host/1), for fleet audits
H=$(head -1 "$tmp/lines")
hostv() { printf '%s\n' "$H" | jq -r "$1"; }
[ "$(hostv .host.schema)" = cpkit.host/1 ] && ok || bad "host line: schema"
[ "$(hostv .host.hostname)" = "$(hostname)" ] && ok || bad "host line: hostname"
[ "$(hostv .host.cpkit_version)" = "$("$bin/cpkit" --version --json | jq -r .cpkit)" ] && ok || bad "host line: cpkit_version"
[ "$(hostv '.host.searched | map(.path + ":" + (.present|tostring)) | join(" ")')" = "$tmp/many:true" ] && ok || bad "host line: searched"
hostv '.host.generated' | grep -qx '20[0-9-]*T[0-9:]*Z' && ok || bad "host line: generated"
hostv '.host.os, .host.kernel, .host.user' | grep -qx null && bad "host line: a fact is null" || ok
[ "$(hostv '.host.readers | type')" = array ] && ok || bad "host line: readers"
[ "$(sed -n 2,1001p "$tmp/lines" | jq -r '.host // empty' | wc -l)" -eq 0 ] && ok || bad "host line: not only the first"
# without PATH: the places tried, the absent ones said absent
mkdir -p "$tmp/droot/media" && cp -r samples/flash/good2001.000 "$tmp/droot/media/"
run "host line: no PATH" 0 env CPKIT_DISCOVERY_ROOT="$tmp/droot" HOME="$tmp/droot/nohome" "$bin/cpkit-diag" -q --no-tokens --jsonl
[ "$(head -1 "$tmp/out" | jq -r --arg p "$tmp/droot/media" '.host.searched[] | select(.path == $p) | .present')" = true ] && ok || bad "host line: /media not present"
[ "$(head -1 "$tmp/out" | jq -r --arg p "$tmp/droot/mnt" '.host.searched[] | select(.path == $p) | .present')" = false ] && ok || bad "host line: /mnt not absent"
# redacted: the host, the user and the places are placeholders, the same
# under one key on every host; the certificate's fingerprint a keyed one
printf '%s\n' 0123456789abcdef0123456789abcdef > "$tmp/fleet.key" && chmod 600 "$tmp/fleet.key"
run "host line: redacted" 0 env USER=someone "$bin/cpkit-diag" -q --jsonl --redact-key-file "$tmp/fleet.key" samples/flash/good2001.000
head -1 "$tmp/out" > "$tmp/h1"
grep -qF "$(hostname)" "$tmp/h1" && bad "host line: redacted host name left" || ok
grep -qF someone "$tmp/h1" && bad "host line: redacted user left" || ok
grep -qF samples/flash "$tmp/h1" && bad "host line: redacted path left" || ok
jq -e '.host.hostname | test("^host-[0-9a-f]{16}$")' "$tmp/h1" >/dev/null && ok || bad "host line: no host placeholder"
jq -e '.host.redacted' "$tmp/h1" >/dev/null && ok || bad "host line: redacted not said"
fp1=$(sed -n 2p "$tmp/out" | jq -r .certificate_fingerprint)
printf '%s\n' "$fp1" | grep -qx 'cert-[0-9a-f]\{16\}' && ok || bad "redacted fingerprint: $fp1"
run "host line: same key" 0 "$bin/cpkit-diag" -q --jsonl --redact-key-file "$tmp/fleet.key" samples/flash/good2001.000
[ "$(head -1 "$tmp/out" | jq -r .host.hostname)" = "$(jq -r .host.hostname "$tmp/h1")" ] && ok || bad "host line: placeholders differ under one key"
[ "$(sed -n 2p "$tmp/out" | jq -r .certificate_fingerprint)" = "$fp1" ] && ok || bad "redacted fingerprint differs under one key"
run "fingerprint" 0 "$bin/cpkit-diag" -q --jsonl -o "$tmp/fp.zip" samples/flash/good2001.000
[ "$(sed -n 2p "$tmp/out" | jq -r .certificate_fingerprint)" = "sha256:$(unzip -p "$tmp/fp.zip" certs/1.cer | sha256sum | cut -c1-64)" ] && ok || bad "fingerprint: not the certificate's SHA-256"
# --fail-on
run "fail-on expired" 1 "$bin/cpkit-diag" -q --jsonl --fail-on expired samples/flash/expired.000
run "fail-on damaged, none" 0 "$bin/cpkit-diag" -q --jsonl --fail-on damaged samples/flash/expired.000
run "fail-on expiring" 1 "$bin/cpkit-diag" -q --jsonl --fail-on expiring:7300d samples/flash/good2001.000
run "clean container" 0 "$bin/cpkit-diag" -q --jsonl samples/flash/good2001.000
run "bad fail-on" 2 "$bin/cpkit-diag" --fail-on sometimes samples

e2e_done e2e-diag
