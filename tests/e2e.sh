#!/bin/sh
# End-to-end tests of the binaries: exit codes, messages, JSON findings on
# the samples, the real fixtures and hostile inputs. Prints the plain
# "N passed, N failed" line and exits non-zero on any failure.
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
tmp=$(mktemp -d /tmp/cpkit-e2e.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"


findings() {	# the finding ids of a cpkit-test --json run, one line
	jq -r '[.findings[].id] | join(" ")' "$tmp/out" | tr '\n' ' '
}
expect_ids() {	# expect_ids NAME "id id ..."
	ids=$(findings)
	for id in $2; do
		case " $ids " in
		*" $id "*) ok ;;
		*) bad "$1: finding $id missing (got: $ids)" ;;
		esac
	done
}

# --- usage and exit codes -------------------------------------------------
run "list --help" 0 "$bin/cpkit-list" --help
has "list --help" "$tmp/out" "usage: cpkit-list"
run "test --help" 0 "$bin/cpkit-test" --help
has "test --help" "$tmp/out" "--password-file"
# no PATH: the usual places (tests/e2e_list.sh), here all absent
run "list no args" 1 env CPKIT_DISCOVERY_ROOT="$tmp/void" HOME="$tmp/void" \
    "$bin/cpkit-list" --no-tokens
run "list bad option" 2 "$bin/cpkit-list" --frobnicate samples
run "list json and csv" 2 "$bin/cpkit-list" --json --csv samples
run "test two sources" 2 "$bin/cpkit-test" --empty-password --ask samples/flash/good2001.000
run "no password in argv" 2 "$bin/cpkit-test" --password 12345678 samples/flash/good2001.000
run "missing path" 2 "$bin/cpkit-list" "$tmp/nowhere"
has "missing path" "$tmp/err" "$tmp/nowhere: no such file or directory"
mkdir "$tmp/empty"
run "test empty folder" 1 "$bin/cpkit-test" "$tmp/empty"
has "test empty folder" "$tmp/err" "no key container found"
run "ask without a terminal" 2 setsid "$bin/cpkit-test" --ask samples/flash/good2001.000
has "ask without a terminal" "$tmp/err" "--ask needs a terminal"
run "unset env" 2 env -u NOPE "$bin/cpkit-test" --password-env NOPE samples/flash/good2001.000
has "unset env" "$tmp/err" "NOPE is not set"

# --- cpkit-list on the samples ---------------------------------------------
run "list samples" 1 "$bin/cpkit-list" samples/flash
has "list samples" "$tmp/out" '\\.\FLASH\good2001'
has "list samples" "$tmp/out" '\\.\FLASH\Иванов ИИ 2045'
run "list samples json" 1 "$bin/cpkit-list" --json samples/flash
[ "$(jq length "$tmp/out")" = 17 ] && ok || bad "list json: not 17 containers"
[ "$(jq -r '.[] | select(.name=="good512") | .algorithm' "$tmp/out")" = gost2012-512 ] && ok || bad "list json: good512 algorithm"
[ "$(jq -r '.[] | select(.name=="good2012-256") | .key_kind' "$tmp/out")" = exchange ] && ok || bad "list json: exchange kind"
[ "$(jq -r '.[] | select(.name=="no-cert") | .certificate' "$tmp/out")" = null ] && ok || bad "list json: no-cert certificate"
[ "$(jq -r '.[] | select(.name=="no-primary") | .files["primary.key"]' "$tmp/out")" = null ] && ok || bad "list json: no-primary files"
[ "$(jq -r '.[] | select(.name=="expired-key") | .key_not_after' "$tmp/out")" = 2024-06-30T00:00:00Z ] && ok || bad "list json: key_not_after"
[ "$(jq -r '[.[] | select(.status=="ok")] | length' "$tmp/out")" = 7 ] && ok || bad "list json: 7 ok containers (locked.000 too: no password given)"
[ "$(jq -r '.[] | select(.name=="two-keys") | .secondary_key.key_kind' "$tmp/out")" = signature ] && ok || bad "list json: secondary key"
run "list samples csv" 1 "$bin/cpkit-list" --csv samples/flash
[ "$(wc -l < "$tmp/out")" -eq 18 ] && ok || bad "csv: not 18 lines"
has "list csv" "$tmp/out" '"\\.\FLASH\good2001","'

# --- cpkit-test on every sample (samples/README.md) -------------------------
export PW=12345678
t() {	# t FOLDER EXIT "ids" [password-env value]
	run "test $1" "$2" env PW="${4:-12345678}" "$bin/cpkit-test" --json --password-env PW "samples/flash/$1"
	expect_ids "test $1" "$3"
}
t good2001.000 0 "key-ok"
t good2012.000 0 "key-ok"
t good512.000 0 "key-ok"
t 5f3a9c1d.000 0 "password-encoding key-ok" "пароль"
t expired.000 1 "key-expired key-ok"
t wrongcrt.000 1 "cert-key-mismatch cert-pubkey-mismatch"
t nocert.000 1 "cert-missing key-ok"
t noprimar.000 1 "copy-incomplete key-ok"
t badmasks.000 1 "masks-mac copy-unlock-failed key-ok"
t badhead.000 1 "header-mac"
t two-keys.000 0 "key-ok"
[ "$(jq '[.findings[] | select(.id=="key-ok")] | length' "$tmp/out")" = 2 ] && ok || bad "two-keys: both keys proven"
t badoids.000 1 "header-mac cert-alg-mismatch"
t noname.000 1 "file-missing"
t nohead.000 1 "file-missing"
t good2001.000 1 "password-wrong" "wrong"
run "test text output" 0 "$bin/cpkit-test" --password-env PW samples/flash/good2001.000
has "test text output" "$tmp/out" "Result: no problems found"
hasnt "no password in output" "$tmp/out" "12345678"
run "offline test" 0 "$bin/cpkit-test" samples/flash/good512.000
has "offline test" "$tmp/out" "checks without the password"

# --- the real CryptoPro fixtures --------------------------------------------
if [ -d "$fixtures" ]; then
	cp -r "$fixtures" "$tmp/real"
	run "list fixtures" 1 "$bin/cpkit-list" --json "$tmp/real"
	[ "$(jq length "$tmp/out")" = 4 ] && ok || bad "fixtures: 4 containers"
	for c in g2001 g2012256 g2012512; do
		run "fixture $c" 1 env PW=1 "$bin/cpkit-test" --json --password-env PW "$tmp/real/cpcert-samples/$c.000"
		expect_ids "fixture $c" "cert-expired key-expired key-ok"
		hasnt "fixture $c" "$tmp/out" "copies-differ"
	done
	run "fixture srv" 1 "$bin/cpkit-test" --json --empty-password "$tmp/real/srv-emptypw.000"
	expect_ids "fixture srv" "key-ok"
	hasnt "fixture srv gated MAC" "$tmp/out" "password-wrong"
	run "fixture srv wrong pw" 1 env PW=11111111 "$bin/cpkit-test" --json --password-env PW "$tmp/real/srv-emptypw.000"
	expect_ids "fixture srv wrong pw" "password-not-set key-ok"
else
	echo "skipped: real fixtures not found at $fixtures"
fi

# --- hostile input: a clear error naming the file, never a crash or hang --
mk() { rm -rf "$tmp/h"; mkdir -p "$tmp/h/c.000"; cp samples/flash/good2001.000/* "$tmp/h/c.000/"; }
mk; head -c 100 samples/flash/good2001.000/header.key > "$tmp/h/c.000/header.key"
run "truncated header" 1 "$bin/cpkit-test" "$tmp/h/c.000"
has "truncated header" "$tmp/out" "header.key: cannot be parsed: input ends early"
# ...and says where: the 100 bytes end inside the certificate (issue 17)
has "truncated header: where" "$tmp/out" "primaryCertificate at byte 66"
mk; head -c 20 samples/flash/good2001.000/primary.key > "$tmp/h/c.000/primary.key"
run "truncated primary" 1 "$bin/cpkit-test" --json "$tmp/h/c.000"
has "truncated primary" "$tmp/out" "primary.key: cannot be parsed"
mk; head -c 3000 /dev/urandom > "$tmp/h/c.000/masks.key"
run "garbage masks" 1 "$bin/cpkit-test" "$tmp/h/c.000"
has "garbage masks" "$tmp/out" "masks.key: cannot be parsed"
mk; : > "$tmp/h/c.000/name.key"
run "empty name" 1 "$bin/cpkit-test" "$tmp/h/c.000"
has "empty name" "$tmp/out" "name.key: cannot be read (empty file)"
mk; truncate -s 100M "$tmp/h/c.000/header.key"
run "100 MB header" 1 "$bin/cpkit-test" "$tmp/h/c.000"
has "100 MB header" "$tmp/out" "header.key: cannot be read (file too large)"
mk; rm "$tmp/h/c.000/header.key"; mkfifo "$tmp/h/c.000/header.key"
run "fifo header" 1 "$bin/cpkit-test" "$tmp/h/c.000"
has "fifo header" "$tmp/out" "header.key: cannot be read"
mk; rm "$tmp/h/c.000/masks.key" "$tmp/h/c.000/masks2.key"
run "no pair" 1 "$bin/cpkit-test" --json "$tmp/h/c.000"
expect_ids "no pair" "file-missing"
[ "$(jq -r .status "$tmp/out")" = incomplete ] && ok || bad "no pair: status incomplete"
mk; head -c 500 /dev/urandom > "$tmp/h/c.000/header.key"
run "random header" 1 env PW=12345678 "$bin/cpkit-test" --password-env PW "$tmp/h/c.000"
has "random header" "$tmp/out" "header.key: cannot be parsed"
# a directory loop and a deep tree: the walk ends, the container is found
mk; mkdir -p "$tmp/h/a/b"; ln -s "$tmp/h" "$tmp/h/a/b/loop"
run "directory loop" 0 "$bin/cpkit-list" -q "$tmp/h"
has "directory loop" "$tmp/out" '\\.\FLASH\good2001'
d="$tmp/deep"; i=0; while [ $i -lt 40 ]; do d="$d/x"; i=$((i + 1)); done; mkdir -p "$d"
run "deep tree" 1 "$bin/cpkit-list" "$tmp/deep"
has "deep tree" "$tmp/err" "too deep"
# a folder not named *.000 is still a container
mk; mv "$tmp/h/c.000" "$tmp/h/Keys backup"
run "any folder name" 0 "$bin/cpkit-list" "$tmp/h/Keys backup/name.key"
has "any folder name" "$tmp/out" '\\.\FLASH\good2001'
# HDIMAGE naming needs the real store path; check the rule on a FLASH path
has "flash naming" "$tmp/out" "FLASH"

# --- the tools never write into the media they read ---------------------
mk; before=$(cd "$tmp/h/c.000" && ls -l --time-style=+%s . | md5sum)
run "read-only" 0 env PW=12345678 "$bin/cpkit-test" --password-env PW "$tmp/h/c.000"
after=$(cd "$tmp/h/c.000" && ls -l --time-style=+%s . | md5sum)
[ "$before" = "$after" ] && ok || bad "cpkit-test changed the container folder"

# many containers are summarized on several threads: every copy must get
# the very line its original gets alone
mkdir "$tmp/many"
for i in 1 2 3 4 5 6 7 8; do cp -r samples/flash "$tmp/many/copy$i"; done
run "many" 1 "$bin/cpkit-list" --csv "$tmp/many"
cut -d, -f1,3- "$tmp/out" | tail -n +2 | sort > "$tmp/many.csv"
"$bin/cpkit-list" --csv samples/flash | cut -d, -f1,3- | tail -n +2 > "$tmp/one.csv"
for i in 1 2 3 4 5 6 7 8; do cat "$tmp/one.csv"; done | sort > "$tmp/eight.csv"
[ "$(wc -l < "$tmp/many.csv")" -eq 136 ] && cmp -s "$tmp/many.csv" "$tmp/eight.csv" &&
    ok || bad "many: 8 copies of samples/flash do not list as the original"

# --- output that cannot be written is never success (issue 17 §3) -------
for t in "cpkit-test --json samples/flash" "cpkit-list --json samples/flash" \
    "cpkit-list --csv samples/flash" "cpkit --version --json"; do
	# shellcheck disable=SC2086
	timeout 60 "$bin/"$t >/dev/full 2>"$tmp/err"
	got=$?
	[ "$got" -eq 3 ] && ok || bad "disk full: $t > /dev/full exits $got, want 3"
	has "disk full: $t" "$tmp/err" "cannot write the output"
done

e2e_done e2e
