#!/bin/sh
# End-to-end tests of certificates (issue 15 points 3-5): cpkit-fix
# chooses the renewed certificate of a key whatever the folder order,
# never puts an older one over it without --force, and lists every
# candidate; every store form is read (PEM with a private key, many
# certificates in one PEM, PKCS#7 in DER and PEM, folders of them);
# cpkit-list --cert and cpkit-test --cert match certificates to their
# containers. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-certs.XXXXXX)
shm=
trap 'rm -rf "$tmp" ${shm:+"$shm"}' EXIT INT TERM
. tests/e2e_lib.sh
export PW=12345678
# the renewal is valid 2024-12-01 to 2045, the old certificate ended
# 2024-06-30: the same verdicts at this date and at the wall clock
export CPKIT_NOW=2025-06-01
real=${CPKIT_FIXTURES:-$(pwd)/../shared/fixtures/real}
mkdir "$tmp/m"
cp -r samples/flash/renewal.000 samples/flash/nocert.000 "$tmp/m/"
cp samples/flash/renewal-2024.cer "$tmp/old.cer"
cp samples/flash/renewal-2045.cer "$tmp/new.cer"
cp samples/flash/nocert.cer "$tmp/other.cer"
cd "$tmp"
openssl x509 -inform DER -in old.cer -out old.pem 2>/dev/null
openssl x509 -inform DER -in new.cer -out new.pem 2>/dev/null
openssl x509 -inform DER -in other.cer -out other.pem 2>/dev/null

# json_serial FILE: the serial of the certificate cpkit-test --json shows
json_serial() { sed -n 's/.*"certificate":{[^}]*"serial":"\([0-9A-F]*\)".*/\1/p' "$1" | head -1; }

# --- usage and refusals ------------------------------------------------
run "fix: no such --cert" 2 "$bin/cpkit-fix" --cert "$tmp/none" m/renewal.000
mkdir empty
run "fix: no certificate" 2 "$bin/cpkit-fix" --cert empty m/renewal.000
has "fix: no certificate" "$tmp/err" "no certificate found"
run "list: --cert with --csv" 2 "$bin/cpkit-list" --csv --cert new.cer m
run "list: no certificate" 2 "$bin/cpkit-list" --cert empty m
has "list: no certificate" "$tmp/err" "no certificate found"
run "test: no certificate" 2 "$bin/cpkit-test" --cert empty m/renewal.000
run "list --help" 0 "$bin/cpkit-list" --help
has "list --help" "$tmp/out" "--cert FILE|DIR"
run "test --help" 0 "$bin/cpkit-test" --help
has "test --help" "$tmp/out" "--cert FILE"

# --- the renewal pair in both folder orders -----------------------------
# d1: old created first under the name a.cer; d2: the renewal created
# first under a.cer. Name order and directory order both differ; the
# choice must not.
mkdir d1 d2
cp old.cer d1/a.cer && cp new.cer d1/b.cer && cp other.cer d1/c.cer
cp new.cer d2/a.cer && cp other.cer d2/c.cer && cp old.cer d2/b.cer
for d in d1 d2; do
	run "fix --cert $d" 0 "$bin/cpkit-fix" --cert $d --out "fixed-$d" m/renewal.000
	has "fix --cert $d" "$tmp/out" "held an expired certificate of this key"
	has "fix --cert $d" "$tmp/out" 'installed "O=cpkit samples,CN=Sample renewal"'
	# the candidate listing: all three, the chosen one marked, and why
	grep -q "^  \* $d/$([ $d = d1 ] && echo b || echo a).cer: " "$tmp/out" && ok ||
	    bad "fix --cert $d: the renewal is not the one marked"
	[ "$(grep -c "^  [ *] $d/" "$tmp/out")" -eq 3 ] && ok ||
	    bad "fix --cert $d: not every candidate listed"
	has "fix --cert $d" "$tmp/out" "valid now, unlike $d/$([ $d = d1 ] && echo a || echo b).cer"
	has "fix --cert $d" "$tmp/out" "holds the key: no"
	has "fix --cert $d" "$tmp/out" "(primaryFP "
	run "test fixed-$d" 0 "$bin/cpkit-test" --json --password-env PW "fixed-$d"
	[ "$(json_serial "$tmp/out")" = 66 ] && ok || bad "fixed-$d: serial $(json_serial "$tmp/out")"
done
same_dir fixed-d1 fixed-d2 && ok || bad "the two folder orders gave different containers"
# on tmpfs a folder is read back in reverse creation order
if shm=$(mktemp -d /dev/shm/cpkit-e2e-certs.XXXXXX 2>/dev/null); then
	mkdir "$shm/x" "$shm/y"
	cp old.cer "$shm/x/o.cer" && cp new.cer "$shm/x/n.cer"
	cp new.cer "$shm/y/n.cer" && cp old.cer "$shm/y/o.cer"
	run "fix --cert tmpfs x" 0 "$bin/cpkit-fix" --cert "$shm/x" --out fixed-x m/renewal.000
	run "fix --cert tmpfs y" 0 "$bin/cpkit-fix" --cert "$shm/y" --out fixed-y m/renewal.000
	same_dir fixed-x fixed-d1 && same_dir fixed-y fixed-d1 && ok ||
	    bad "tmpfs folder order changed the choice"
fi
# with the password the key is matched by d*G: the same choice
run "fix --cert d2, password" 0 "$bin/cpkit-fix" --password-env PW --cert d2 --out fixed-pw m/renewal.000
has "fix --cert d2, password" "$tmp/out" "matched by d*G"
same_dir fixed-pw fixed-d1 && ok || bad "d*G matching chose differently"

# --- the renewal in the container is never replaced by the old one -------
run "no downgrade (folder)" 0 "$bin/cpkit-fix" --cert d1 --out no1 fixed-d1
has "no downgrade (folder)" "$tmp/out" "Nothing to repair"
has "no downgrade (folder)" "$tmp/out" "it is the best of the certificates given"
[ ! -e no1 ] && ok || bad "no downgrade (folder): output written"
run "no downgrade (old only)" 0 "$bin/cpkit-fix" --cert old.cer --out no2 fixed-d1
has "no downgrade (old only)" "$tmp/out" "Nothing to repair"
has "no downgrade (old only)" "$tmp/out" "no certificate given is newer (--force installs old.cer)"
[ ! -e no2 ] && ok || bad "no downgrade (old only): output written"
run "test after no downgrade" 0 "$bin/cpkit-test" --json fixed-d1
[ "$(json_serial "$tmp/out")" = 66 ] && ok || bad "the renewal was replaced"
run "forced downgrade" 1 "$bin/cpkit-fix" --force --cert old.cer --out forced fixed-d1
has "forced downgrade" "$tmp/out" "held a newer certificate of this key"
has "forced downgrade" "$tmp/out" "(--force: it is older than the one it replaces)"
has "forced downgrade" "$tmp/out" "cert-expired"
run "test forced" 1 "$bin/cpkit-test" --json forced
[ "$(json_serial "$tmp/out")" = 65 ] && ok || bad "--force did not install the old one"
# -q prints no candidate list when nothing is wrong
run "fix -q" 0 "$bin/cpkit-fix" -q --cert d1 --out q1 m/renewal.000
hasnt "fix -q" "$tmp/out" "holds the key"
# none holds the key: every candidate listed, refused, exit 4
mkdir pair && cp old.cer new.cer pair/
run "no match" 4 "$bin/cpkit-fix" --cert pair --out nm m/nocert.000
has "no match" "$tmp/err" "none of the 2 certificates given matches the key"
[ "$(grep -cF "$(l10n "holds the key")" "$tmp/out")" -eq 2 ] && ok || bad "no match: candidates not listed"
[ ! -e nm ] && ok || bad "no match: output written"

# a lost header is rebuilt from the renewal, proven by the password
cp -r m/renewal.000 nohead.000 && rm nohead.000/header.key
run "lost header" 0 "$bin/cpkit-fix" --password-env PW --cert d2 --out rebuilt nohead.000
has "lost header" "$tmp/out" "header.key was missing: rebuilt from the certificate"
has "lost header" "$tmp/out" "valid now, unlike d2/b.cer"
run "test rebuilt" 0 "$bin/cpkit-test" --json --password-env PW rebuilt
[ "$(json_serial "$tmp/out")" = 66 ] && ok || bad "lost header: not rebuilt from the renewal"
run "lost header, no match" 4 "$bin/cpkit-fix" --password-env PW --cert other.cer --out nr nohead.000
has "lost header, no match" "$tmp/out" "holds the key: no"
hasnt "lost header, no match" "$tmp/out" "holds the key: yes"

# --- every form a store holds -------------------------------------------
# a PEM with the certificate and its private key, as cpkit-export (and
# openssl, and many CAs' tools) write it
run "export pem" 0 "$bin/cpkit-export" --to pem withkey.pem --password-env PW fixed-d1
grep -q "BEGIN PRIVATE KEY" withkey.pem && grep -q "BEGIN CERTIFICATE" withkey.pem && ok ||
    bad "export pem: not a certificate and a key"
form() {	# form NAME FILE: cpkit-fix installs the renewal from FILE
	run "form $1" 0 "$bin/cpkit-fix" --cert "$2" --out "form-$1" m/renewal.000
	has "form $1" "$tmp/out" 'installed "O=cpkit samples,CN=Sample renewal"'
	same_dir "form-$1" fixed-d1 && ok || bad "form $1: another result"
}
form pem-with-key withkey.pem
cat old.pem other.pem new.pem > many.pem
form multi-pem many.pem
# a private key between the certificates does not stop the reading
{ cat old.pem; sed -n '/BEGIN PRIVATE KEY/,/END PRIVATE KEY/p' withkey.pem; cat new.pem; } > keymid.pem
form key-in-the-middle keymid.pem
openssl crl2pkcs7 -nocrl -certfile old.pem -certfile new.pem -outform DER -out both.p7b 2>/dev/null
openssl crl2pkcs7 -nocrl -certfile new.pem -certfile old.pem -out both-pem.p7b 2>/dev/null
head -c 1 both.p7b | od -An -tx1 | grep -q 30 && ok || bad "p7b DER not made"
grep -q "BEGIN PKCS7" both-pem.p7b && ok || bad "p7b PEM not made"
form p7b-der both.p7b
form p7b-pem both-pem.p7b
run "list p7b" 0 "$bin/cpkit-list" --cert both.p7b m/renewal.000
[ "$(grep -c 'FLASH' "$tmp/out")" -eq 2 ] && ok || bad "list p7b: not both certificates"
# a folder of mixed forms, with things that are not certificates
mkdir mixed mixed/sub
cp old.cer mixed/1-old.cer
cp other.pem mixed/2-other.crt
sed -n '/BEGIN PRIVATE KEY/,/END PRIVATE KEY/p' withkey.pem > mixed/3-key-only.pem
cp both-pem.p7b mixed/sub/4-bundle.p7b
echo "not a certificate" > mixed/5-readme.txt
form mixed-folder mixed
[ "$(grep -cF "$(l10n "holds the key")" "$tmp/out")" -eq 3 ] && ok || bad "mixed folder: not 3 candidates"

# --- cpkit-list --cert ---------------------------------------------------
run "list --cert" 0 "$bin/cpkit-list" --cert d1/a.cer m
has "list --cert" "$tmp/out" "\\\\.\\FLASH\\renewal"
has "list --cert" "$tmp/out" "m/renewal.000"
hasnt "list --cert" "$tmp/out" "no-cert"
run "list --cert folder" 1 "$bin/cpkit-list" --cert d1 m/renewal.000
has "list --cert folder" "$tmp/out" "no container found holds this key"
[ "$(grep -c 'm/renewal.000' "$tmp/out")" -eq 2 ] && ok || bad "list --cert folder: the renewal container not under both certificates"
run "list --cert json" 0 "$bin/cpkit-list" --json --cert d1 m
has "list --cert json" "$tmp/out" '"schema":"cpkit.list-cert/1"'
[ "$(grep -o '"key":"primary"' "$tmp/out" | wc -l)" -eq 3 ] && ok || bad "list --cert json: not 3 matches"
has "list --cert json" "$tmp/out" '"file":"d1/c.cer"'
has "list --cert json" "$tmp/out" '"fqcn":"\\\\.\\FLASH\\no-cert"'
# several media at once, a .reg among them: the container is found there
run "export reg" 0 "$bin/cpkit-export" --to reg r.reg --machine m/renewal.000
run "list --cert reg" 0 "$bin/cpkit-list" --cert new.cer m/nocert.000 r.reg
has "list --cert reg" "$tmp/out" "\\\\.\\REGISTRY\\renewal"

# --- cpkit-test --cert ---------------------------------------------------
run "test --cert match" 0 "$bin/cpkit-test" --json --cert new.cer fixed-d1
has "test --cert match" "$tmp/out" '"cert-given-match"'
hasnt "test --cert match" "$tmp/out" '"cert-given-newer"'
run "test --cert match, password" 0 "$bin/cpkit-test" --password-env PW --cert new.cer fixed-d1
has "test --cert match, password" "$tmp/out" "cert-given-match"
has "test --cert match, password" "$tmp/out" "d*G equals its public key"
run "test --cert renewal" 1 "$bin/cpkit-test" --json --cert new.cer m/renewal.000
has "test --cert renewal" "$tmp/out" '"cert-given-match"'
has "test --cert renewal" "$tmp/out" '"cert-given-newer"'
run "test --cert old on renewed" 0 "$bin/cpkit-test" --json --cert old.cer fixed-d1
hasnt "test --cert old on renewed" "$tmp/out" '"cert-given-newer"'
run "test --cert mismatch" 1 "$bin/cpkit-test" --json --cert other.cer fixed-d1
has "test --cert mismatch" "$tmp/out" '"cert-given-mismatch"'
has "test --cert mismatch" "$tmp/out" '"status":"damaged"'
run "test --cert mismatch, password" 1 "$bin/cpkit-test" --password-env PW --cert other.cer fixed-d1
has "test --cert mismatch, password" "$tmp/out" "cert-given-mismatch"
has "test --cert mismatch, password" "$tmp/out" "key-ok"

# --- real containers: CryptoPro's files and the PEM beside them -----------
if [ -d "$real/cpcert-samples" ]; then
	for k in g2001 g2012256 g2012512; do
		run "real $k list --cert" 0 "$bin/cpkit-list" --cert "$real/cpcert-samples/$k.pem" "$real"
		has "real $k list --cert" "$tmp/out" "cpcert-samples/$k.000"
		[ "$(grep -c 'FLASH' "$tmp/out")" -eq 1 ] && ok || bad "real $k: not one container"
		run "real $k test --cert" 1 "$bin/cpkit-test" --json --cert "$real/cpcert-samples/$k.pem" "$real/cpcert-samples/$k.000"
		has "real $k test --cert" "$tmp/out" '"cert-given-match"'
	done
	echo 1 > pw1
	run "real g2001 d*G" 1 "$bin/cpkit-test" --password-file pw1 --cert "$real/cpcert-samples/g2001.pem" "$real/cpcert-samples/g2001.000"
	has "real g2001 d*G" "$tmp/out" "d*G equals its public key"
	run "real g2001 other's pem" 1 "$bin/cpkit-test" --json --cert "$real/cpcert-samples/g2012256.pem" "$real/cpcert-samples/g2001.000"
	has "real g2001 other's pem" "$tmp/out" '"cert-given-mismatch"'
else
	echo "note: $real absent, real containers skipped"
fi

e2e_done e2e-certs
