#!/bin/sh
# End-to-end tests of cpkit-fix: every broken sample repaired and proven
# by cpkit-test, refusals, and --in-place killed at every step leaving the
# old or the new container, never a mix. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-fix.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. tests/e2e_lib.sh
export PW=12345678
cp -r samples/flash "$tmp/s"
cd "$tmp/s"

# --- usage --------------------------------------------------------------
run "fix --help" 0 "$bin/cpkit-fix" --help
has "fix --help" "$tmp/out" "usage: cpkit-fix"
run "out and in-place" 2 "$bin/cpkit-fix" --out x --in-place good2001.000
run "bad --alg" 2 "$bin/cpkit-fix" --alg rsa good2001.000
run "no container" 2 "$bin/cpkit-fix" "$tmp"
mkdir "$tmp/nocerts"
run "no certificate in --cert" 2 "$bin/cpkit-fix" --cert "$tmp/nocerts" nocert.000
has "no certificate in --cert" "$tmp/err" "no certificate found"
run "nothing to repair" 0 "$bin/cpkit-fix" --password-env PW good2001.000
has "nothing to repair" "$tmp/out" "Nothing to repair"

# --- every broken sample: repaired into a new folder, then cpkit-test ----
fix() {	# fix FOLDER EXIT-of-test EXPECT-in-output ARGS...
	c=$1 twant=$2 text=$3
	shift 3
	run "fix $c" 0 "$bin/cpkit-fix" --password-env PW "$@" "$c"
	has "fix $c" "$tmp/out" "$text"
	has "fix $c" "$tmp/out" "$c-fixed (the original is unchanged)"
	run "test $c-fixed" "$twant" "$bin/cpkit-test" --json --password-env PW "$c-fixed"
	has "test $c-fixed" "$tmp/out" '"key-ok"'
}
fix nocert.000 0 "installed \"O=cpkit samples,CN=Sample without certificate\"" --cert nocert.cer
fix noprimar.000 0 "primary.key rebuilt from primary2.key"
fix badmasks.000 0 "masks.key rebuilt from masks2.key"
fix badhead.000 0 "the stored header MAC"
fix badoids.000 0 "rebuilt as 1.2.643.7.1.1.1.1 on 1.2.643.2.2.36.0"
fix noname.000 0 "written with the name \"noname\""
fix nohead.000 0 "header.key was missing: rebuilt from the certificate" --cert nohead.cer
# the originals are untouched
run "original untouched" 1 "$bin/cpkit-test" nocert.000
has "original untouched" "$tmp/out" "cert-missing"

# --- refusals: nothing written ------------------------------------------
run "wrong certificate" 4 "$bin/cpkit-fix" --cert nocert.cer --out "$tmp/w" wrongcrt.000
has "wrong certificate" "$tmp/err" "belongs to another key"
[ ! -e "$tmp/w" ] && ok || bad "wrong certificate: output written"
run "lost header without password" 2 "$bin/cpkit-fix" --cert nohead.cer --out "$tmp/w" nohead.000
has "lost header without password" "$tmp/err" "needs the container's password"
run "existing --out" 2 "$bin/cpkit-fix" --cert nocert.cer --out good2001.000 nocert.000
has "existing --out" "$tmp/err" "already exists"
run "force" 1 "$bin/cpkit-fix" --force --cert nocert.cer --out "$tmp/forced" wrongcrt.000
has "force" "$tmp/out" "does NOT match"

# --- a folder of certificates: the matching one is chosen ---------------
mkdir "$tmp/store"
cp nocert.cer nohead.cer "$tmp/store/"
run "store folder" 0 "$bin/cpkit-fix" --cert "$tmp/store" --out "$tmp/from-store" nocert.000
has "store folder" "$tmp/out" "CN=Sample without certificate"

# a PKCS#7 bundle (DER) made by openssl from the PEM certificate
openssl x509 -inform DER -in nocert.cer -out "$tmp/nocert.pem" 2>/dev/null &&
    openssl crl2pkcs7 -nocrl -certfile "$tmp/nocert.pem" -outform DER \
    -out "$tmp/bundle.p7b" 2>/dev/null
run "pkcs7 bundle" 0 "$bin/cpkit-fix" --cert "$tmp/bundle.p7b" --out "$tmp/from-p7b" nocert.000
has "pkcs7 bundle" "$tmp/out" "CN=Sample without certificate"
run "header MAC reported with other repairs" 0 "$bin/cpkit-fix" --out "$tmp/fm" badoids.000
has "header MAC reported with other repairs" "$tmp/out" "was wrong: recomputed"

# --- --in-place, and killed after every step ----------------------------
# The backup is one archive beside the container, NAME.cpkit-backup-TIME.zip;
# staging happens in a hidden .cpkit-staging-XXXXXX folder, so a killed run
# leaves nothing that looks like a container, and the next run removes it.
# same_zip ZIP DIR: every member equals the file of DIR, and DIR has no
# regular file the archive lacks
same_zip() {
	for f in "$2"/* "$2"/.[!.]*; do
		[ -f "$f" ] || continue
		unzip -p "$1" "${f##*/}" 2>/dev/null | cmp -s - "$f" || return 1
	done
	[ "$(unzip -Z1 "$1" | wc -l)" -eq "$(find "$2" -maxdepth 1 -type f | wc -l)" ]
}
run "reference" 0 "$bin/cpkit-fix" --cert nocert.cer --out "$tmp/ref" nocert.000
for step in backup staged swapped; do
	rm -rf "$tmp/k" && mkdir "$tmp/k" && cp -r nocert.000 nocert.cer "$tmp/k/"
	(cd "$tmp/k" && CPKIT_TEST_KILL_AT=$step "$bin/cpkit-fix" --cert nocert.cer --in-place nocert.000 >/dev/null 2>&1)
	code=$?
	[ "$code" -eq 137 ] && ok || bad "kill at $step: exit $code, not killed"
	if same_dir "$tmp/k/nocert.000" nocert.000; then
		state=old
	elif same_dir "$tmp/k/nocert.000" "$tmp/ref"; then
		state=new
	else
		state=mix
	fi
	case $step:$state in
	backup:old | staged:old | swapped:new) ok ;;
	*) bad "kill at $step left the $state container" ;;
	esac
	set -- "$tmp/k"/nocert.000.cpkit-backup-*.zip
	[ -f "$1" ] && [ $# -eq 1 ] && ok || bad "kill at $step: no backup archive"
	same_zip "$1" nocert.000 && ok || bad "kill at $step: backup differs"
	# nothing else beside it looks like a container: the container, the
	# certificate, the archive and one hidden staging folder
	[ "$(ls "$tmp/k" | wc -l)" -eq 3 ] && ok || bad "kill at $step: stray entries: $(ls "$tmp/k")"
	ls -d "$tmp/k"/.cpkit-staging-* >/dev/null 2>&1 && ok || bad "kill at $step: no staging folder"
	run "list after kill at $step" 1 "$bin/cpkit-list" "$tmp/k"
	has "list after kill at $step" "$tmp/out" "staging-leftover"
	has "list after kill at $step" "$tmp/out" "backup-copy"
	[ "$(grep -c 'FLASH' "$tmp/out")" -eq 1 ] && ok || bad "kill at $step: more than one container listed"
	# the next run says so and removes it
	run "rerun after kill at $step" 0 sh -c "cd '$tmp/k' && '$bin/cpkit-fix' --cert nocert.cer --in-place nocert.000"
	has "rerun after kill at $step" "$tmp/out" "left by an interrupted cpkit run"
	ls -d "$tmp/k"/.cpkit-staging-* >/dev/null 2>&1 && bad "kill at $step: staging folder not removed" || ok
	same_dir "$tmp/k/nocert.000" "$tmp/ref" && ok || bad "rerun after kill at $step: not the repaired container"
done
rm -rf "$tmp/k" && mkdir "$tmp/k" && cp -r nocert.000 nocert.cer "$tmp/k/"
run "in place" 0 sh -c "cd '$tmp/k' && '$bin/cpkit-fix' --cert nocert.cer --in-place nocert.000"
has "in place" "$tmp/out" "the original is kept in nocert.000.cpkit-backup-"
has "in place" "$tmp/out" "The backup holds a copy of the key"
same_dir "$tmp/k/nocert.000" "$tmp/ref" && ok || bad "in place: not the repaired container"
[ "$(ls -A "$tmp/k" | wc -l)" -eq 3 ] && ok || bad "in place: stray entries: $(ls -A "$tmp/k")"
same_zip "$tmp/k"/nocert.000.cpkit-backup-*.zip nocert.000 && ok || bad "in place: backup differs"
[ "$(stat -c %a "$tmp/k"/nocert.000.cpkit-backup-*.zip)" = 600 ] && ok || bad "in place: backup not 0600"

e2e_done e2e-fix
