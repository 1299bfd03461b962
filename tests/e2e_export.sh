#!/bin/sh
# End-to-end tests of export, import and password change: the real
# fixtures' keys come out exactly as shipped, openssl with gost-engine
# signs with them and reads the PFX, imports give back the same scalar.
# Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
tmp=$(mktemp -d /tmp/cpkit-e2e-export.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"
block() { sed -n "/BEGIN $1/,/END $1/p" "$2"; }
export PFX=pfx-secret NEW=new-secret

# --- the real fixtures: PEM, openssl, PFX, import ------------------------
if [ -d "$fixtures" ]; then
	for n in g2001 g2012256 g2012512; do
		c="$fixtures/cpcert-samples/$n.000"
		md=md_gost12_256
		[ $n = g2001 ] && md=md_gost94
		[ $n = g2012512 ] && md=md_gost12_512
		run "pem $n" 0 env PW=1 "$bin/cpkit-export" --to pem "$tmp/$n.pem" --password-env PW "$c"
		block "PRIVATE KEY" "$tmp/$n.pem" > "$tmp/a"; block "PRIVATE KEY" "$fixtures/cpcert-samples/$n.pem" > "$tmp/b"
		cmp -s "$tmp/a" "$tmp/b" && ok || bad "$n: exported key differs from the shipped one"
		block CERTIFICATE "$tmp/$n.pem" > "$tmp/a"; block CERTIFICATE "$fixtures/cpcert-samples/$n.pem" > "$tmp/b"
		cmp -s "$tmp/a" "$tmp/b" && ok || bad "$n: exported certificate differs"
		[ "$(stat -c %a "$tmp/$n.pem")" = 600 ] && ok || bad "$n: pem mode"
		# openssl signs with the exported key; the certificate verifies
		echo "signed by cpkit's export" > "$tmp/msg"
		block "PRIVATE KEY" "$tmp/$n.pem" > "$tmp/key.pem"
		block CERTIFICATE "$tmp/$n.pem" > "$tmp/cert.pem"
		openssl dgst -engine gost -$md -sign "$tmp/key.pem" -out "$tmp/sig" "$tmp/msg" >/dev/null 2>&1
		openssl x509 -engine gost -in "$tmp/cert.pem" -pubkey -noout > "$tmp/pub.pem" 2>/dev/null
		openssl dgst -engine gost -$md -verify "$tmp/pub.pem" -signature "$tmp/sig" "$tmp/msg" > "$tmp/v" 2>&1
		has "openssl verify $n" "$tmp/v" "Verified OK"
		# PFX: openssl reads it, and importing it gives the same key
		run "pfx $n" 0 env PW=1 "$bin/cpkit-export" --to pfx "$tmp/$n.pfx" --password-env PW --pfx-password-env PFX "$c"
		openssl pkcs12 -engine gost -in "$tmp/$n.pfx" -info -noout -passin env:PFX > "$tmp/info" 2>&1
		has "openssl pkcs12 $n" "$tmp/info" "Shrouded Keybag: PBES2, PBKDF2, gost89"
		has "openssl pkcs12 $n" "$tmp/info" "MAC: GOST R 34.11-2012 with 512 bit hash"
		openssl pkcs12 -engine gost -in "$tmp/$n.pfx" -nodes -passin env:PFX -out "$tmp/$n-openssl.pem" >/dev/null 2>&1
		has "openssl pkcs12 $n" "$tmp/$n-openssl.pem" "BEGIN PRIVATE KEY"
		run "import pfx $n" 0 "$bin/cpkit-import" "$tmp/$n.pfx" --to folder "$tmp/imp-$n" --pfx-password-env PFX --password-env NEW
		run "re-export $n" 0 "$bin/cpkit-export" --to pem "$tmp/$n-again.pem" --password-env NEW "$tmp/imp-$n"
		block "PRIVATE KEY" "$tmp/$n-again.pem" > "$tmp/a"; block "PRIVATE KEY" "$fixtures/cpcert-samples/$n.pem" > "$tmp/b"
		cmp -s "$tmp/a" "$tmp/b" && ok || bad "$n: PFX import changed the key"
		# PEM import (the shipped file: certificate + key)
		run "import pem $n" 0 "$bin/cpkit-import" "$fixtures/cpcert-samples/$n.pem" --to folder "$tmp/pem-$n" --password-env NEW
		run "test import $n" 1 "$bin/cpkit-test" --json --password-env NEW "$tmp/pem-$n"
		has "test import $n" "$tmp/out" '"key-ok"'
		run "re-export pem $n" 0 "$bin/cpkit-export" --to pem "$tmp/$n-p.pem" --password-env NEW "$tmp/pem-$n"
		block "PRIVATE KEY" "$tmp/$n-p.pem" > "$tmp/a"
		cmp -s "$tmp/a" "$tmp/b" && ok || bad "$n: PEM import changed the key"
		# a password change keeps the key
		run "passwd $n" 0 env PW=1 "$bin/cpkit-passwd" change "$c" --out "$tmp/pw-$n" --password-env PW --new-password-env NEW
		run "new password $n" 1 "$bin/cpkit-test" --json --password-env NEW "$tmp/pw-$n"
		has "new password $n" "$tmp/out" '"key-ok"'
		run "old password $n" 1 env PW=1 "$bin/cpkit-test" --json --password-env PW "$tmp/pw-$n"
		has "old password $n" "$tmp/out" '"password-wrong"'
		run "re-export pw $n" 0 "$bin/cpkit-export" --to pem "$tmp/$n-w.pem" --password-env NEW "$tmp/pw-$n"
		block "PRIVATE KEY" "$tmp/$n-w.pem" > "$tmp/a"
		cmp -s "$tmp/a" "$tmp/b" && ok || bad "$n: password change changed the key"
		cmp -s "$c/name.key" "$tmp/pw-$n/name.key" && ok || bad "$n: name.key rewritten"
		cmp -s "$c/masks.key" "$tmp/pw-$n/masks.key" && bad "$n: mask not renewed" || ok
	done
	run "empty-password fixture pem" 0 "$bin/cpkit-export" --to pem "$tmp/srv.pem" --empty-password "$fixtures/srv-emptypw.000"
	run "remove password" 0 env PW=1 "$bin/cpkit-passwd" change "$fixtures/cpcert-samples/g2001.000" --out "$tmp/nopw" --password-env PW --new-empty-password
	run "no password now" 1 "$bin/cpkit-test" --json --empty-password "$tmp/nopw"
	has "no password now" "$tmp/out" '"key-ok"'
else
	echo "skipped: real fixtures not found at $fixtures"
fi

# --- folder export: CryptoPro's folder names ------------------------------
mkdir "$tmp/flash"
run "folder" 0 "$bin/cpkit-export" --to folder "$tmp/flash" samples/flash/good2001.000 samples/flash/5f3a9c1d.000
[ -d "$tmp/flash/good2001.000" ] && ok || bad "folder: good2001.000 missing"
ls "$tmp/flash" | grep -Eq '^[0-9a-f]{8}\.000$' && ok || bad "folder: Cyrillic name not 8 hex digits"
run "folder again" 0 "$bin/cpkit-export" --to folder "$tmp/flash" samples/flash/good2001.000
[ -d "$tmp/flash/good2001.001" ] && ok || bad "folder: next free number not used"
run "rename" 0 "$bin/cpkit-export" --to folder "$tmp/flash" --name "Новый ключ" samples/flash/good2001.000
# good2001.000 and good2001.001 are now two containers of one name in one
# place: duplicate-name on both, exit 1 (issue 15)
run "renamed" 1 "$bin/cpkit-list" --json "$tmp/flash"
has "renamed" "$tmp/out" '"name":"Новый ключ"'
[ "$(jq '[.[] | select(.findings[].id == "duplicate-name") | .location] | length' "$tmp/out")" = 2 ] && ok || bad "folder again: not two duplicate-name"

# --- refusals and bad inputs: nothing left behind ------------------------
mkdir "$tmp/bad"
run "no password for pem" 2 "$bin/cpkit-export" --to pem "$tmp/bad/x.pem" samples/flash/good2001.000
run "wrong password" 4 env PW=nope "$bin/cpkit-export" --to pem "$tmp/bad/x.pem" --password-env PW samples/flash/good2001.000
has "wrong password" "$tmp/err" "does not unlock"
run "missing folder" 2 env PW=12345678 "$bin/cpkit-export" --to pem "$tmp/no/such/x.pem" --password-env PW samples/flash/good2001.000
has "missing folder" "$tmp/err" "its folder does not exist"
# issue 17 §3: a bad SID has its own code and message, exit 2
run "bad --sid" 2 "$bin/cpkit-export" --to reg "$tmp/bad/s.reg" --sid S-1-5-21- samples/flash/good2001.000
has "bad --sid" "$tmp/err" "not a user SID (expected S-1-5-21-...)"
[ ! -e "$tmp/bad/s.reg" ] && ok || bad "bad --sid: a file was written"
run "reg missing folder" 2 "$bin/cpkit-export" --to reg "$tmp/no/such/s.reg" --sid S-1-5-21-1-2-3-1001 samples/flash/good2001.000
has "reg missing folder" "$tmp/err" "its folder does not exist"
[ -z "$(ls -A "$tmp/bad")" ] && ok || bad "partial output left: $(ls "$tmp/bad")"
openssl genrsa -out "$tmp/rsa.pem" 2048 2>/dev/null
run "rsa key" 4 "$bin/cpkit-import" "$tmp/rsa.pem" --to folder "$tmp/bad/r" --password-env NEW
has "rsa key" "$tmp/err" "not a GOST R 34.10 private key"
if [ -d "$fixtures" ]; then
	run "pfx wrong password" 4 env PFX=wrong "$bin/cpkit-import" "$tmp/g2001.pfx" --to folder "$tmp/bad/p" --pfx-password-env PFX --password-env NEW
	has "pfx wrong password" "$tmp/err" "wrong PFX password"
	run "another key's certificate" 4 "$bin/cpkit-import" "$fixtures/cpcert-samples/g2001.pem" --cert "$tmp/cert.pem" --to folder "$tmp/bad/c" --password-env NEW
	has "another key's certificate" "$tmp/err" "does not belong to this key"
fi
[ -z "$(ls -A "$tmp/bad")" ] && ok || bad "partial output left: $(ls "$tmp/bad")"
# a non-exportable key is refused unless its owner overrides
run "non-exportable" 4 env PW=12345678 "$bin/cpkit-export" --to pem "$tmp/bad/ne.pem" --password-env PW samples/flash/noexport.000
has "non-exportable" "$tmp/err" "marked non-exportable"
[ ! -e "$tmp/bad/ne.pem" ] && ok || bad "non-exportable: file written"
run "ignore export flag" 0 env PW=12345678 "$bin/cpkit-export" --to pem "$tmp/ne.pem" --ignore-export-flag --password-env PW samples/flash/noexport.000
has "ignore export flag" "$tmp/out" "exported although marked non-exportable"

e2e_done e2e-export
