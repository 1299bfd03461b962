#!/bin/sh
# End-to-end tests of status locked (issue 15 point 6) and password files
# (point 12): a sound container a wrong password does not unlock is
# locked in test, diag and carve, never damaged; one order of statuses;
# --fail-on locked; diag counts; --password-list in every tool that reads
# a password (the line is named, the password never); password files with
# a BOM, in CP1251, with CR LF. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-locked.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"
S=$top/samples/flash
export PW=12345678		# the demo's password; locked.000 has 87654321

# the status words as people read them (C_("status", ...) in ru.po)
if [ -n "$l10n_lang" ]; then
	w_locked=заперт w_damaged=повреждён cs='состояние: '
else
	w_locked=locked w_damaged=damaged cs='status: '
fi

# jq on the last output: jqv NAME FILTER WANT
jqv() {
	got=$(jq -r "$2" "$tmp/out" 2>/dev/null)
	[ "$got" = "$3" ] && ok || bad "$1: $2 is '$got', want '$3'"
}
# no password of the run anywhere in the output; "пароль" is a word of
# the Russian messages, so there its CP1251 bytes are looked for
cyr=$(printf 'пароль' | iconv -f UTF-8 -t CP1251)
[ -n "$l10n_lang" ] || cyr="$cyr пароль"
clean() {
	for p in 12345678 87654321 wrong-one also-wrong $cyr; do
		if grep -qF -- "$p" "$tmp/out" "$tmp/err"; then
			bad "$1: a password in the output"
			return
		fi
	done
	ok
}
secret() {	# secret FILE TEXT...: a 0600 file holding the lines
	f=$1
	shift
	printf '%s\n' "$@" > "$f"
	chmod 600 "$f"
}

# --- cpkit-test: a wrong password makes a sound container locked --------
run "test locked" 1 "$bin/cpkit-test" --json --password-env PW "$S/locked.000"
jqv "test locked" .status locked
jqv "test locked" '[.findings[].id] | join(" ")' password-wrong
jqv "test locked" '.findings[0].severity' warning
jqv "test locked: plain words" '.findings[0].message' \
    "$(l10n 'the password does not unlock this container')"
jqv "test locked: the field in the evidence" \
    '.findings[0].evidence | contains("hmacPassword [2]")' true
jqv "test locked: not in the headline" \
    '.findings[0].message | contains("hmacPassword")' false
jqv "test locked: no line" '.password_line' null
clean "test locked"
run "test locked text" 1 "$bin/cpkit-test" --password-env PW "$S/locked.000"
has "test locked text" "$tmp/out" "the password does not unlock this container"
has "test locked text" "$tmp/out" "Result: locked: the container is sound, but the password given does not unlock it"
hasnt "test locked text" "$tmp/out" "damaged"
run "test locked, no password" 0 "$bin/cpkit-test" --json "$S/locked.000"
jqv "test locked, no password" .status ok
run "test locked, its password" 0 env PW=87654321 "$bin/cpkit-test" --json --password-env PW "$S/locked.000"
jqv "test locked, its password" .status ok
jqv "test locked, its password" '[.findings[].id] | join(" ")' key-ok
clean "test locked, its password"
# damage stays damage, a wrong password or not
run "test damaged, wrong password" 1 env PW=wrong-one "$bin/cpkit-test" --json --password-env PW "$S/badmasks.000"
jqv "test damaged, wrong password" .status damaged
jqv "test damaged, wrong password" '[.findings[].id] | join(" ")' "masks-mac password-wrong"
run "test bad header, wrong password" 1 env PW=wrong-one "$bin/cpkit-test" --json --password-env PW "$S/badhead.000"
jqv "test bad header, wrong password" .status damaged
run "test noprimar, wrong password" 1 env PW=wrong-one "$bin/cpkit-test" --json --password-env PW "$S/noprimar.000"
jqv "test noprimar, wrong password" .status locked
run "test noname, wrong password" 1 env PW=wrong-one "$bin/cpkit-test" --json --password-env PW "$S/noname.000"
jqv "test noname, wrong password" .status incomplete

# --- cpkit-diag: counts, --fail-on locked, one order ---------------------
mkdir "$tmp/m"
cp -r "$S/locked.000" "$S/good2012.000" "$S/badhead.000" "$S/noname.000" \
    "$S/nocert.000" "$tmp/m/"
run "diag jsonl" 1 "$bin/cpkit-diag" -q --jsonl --password-env PW "$tmp/m"
for c in locked:locked good2012-256:ok bad-header:damaged noname.000:incomplete no-cert:warning; do
	n=${c%%:*} want=${c#*:}
	got=$(jq -r --arg n "$n" 'select(.container.name == $n) | .container.status' "$tmp/out")
	[ "$got" = "$want" ] && ok || bad "diag jsonl: $n is '$got', want $want"
done
jqv "diag jsonl: no line for a single password" 'select(.container) | [.container.password_line] | map(select(. != null)) | length' "$(printf '0\n0\n0\n0\n0')"
run "diag bundle" 1 "$bin/cpkit-diag" -q -o "$tmp/d.zip" --password-env PW "$tmp/m"
has "diag bundle: locked counted" "$tmp/out" "1 locked."
unzip -p "$tmp/d.zip" report.json > "$tmp/r.json"
[ "$(jq -c .summary.by_status "$tmp/r.json")" = '{"ok":1,"warning":1,"locked":1,"incomplete":1,"damaged":1}' ] &&
    ok || bad "report.json: by_status $(jq -c .summary.by_status "$tmp/r.json")"
[ "$(jq .summary.locked "$tmp/r.json")" = 1 ] && ok || bad "report.json: summary.locked"
unzip -p "$tmp/d.zip" report.txt > "$tmp/r.txt"
grep -q "$w_locked 1," "$tmp/r.txt" && ok || bad "report.txt: no locked count"
unzip -p "$tmp/d.zip" report.html > "$tmp/r.html"
grep -q 'class="st st-locked"' "$tmp/r.html" && ok || bad "report.html: no st-locked cell"
grep -q '\.st-locked{' "$tmp/r.html" && ok || bad "report.html: no st-locked style"
# the order: ok < warning < locked < incomplete < damaged
[ "$(jq -c '.summary.by_status | keys_unsorted' "$tmp/r.json")" = '["ok","warning","locked","incomplete","damaged"]' ] &&
    ok || bad "report.json: statuses out of order"
clean "diag bundle"
run "fail-on locked" 1 "$bin/cpkit-diag" -q --jsonl --fail-on locked --password-env PW "$S/locked.000"
run "fail-on damaged, locked only" 0 "$bin/cpkit-diag" -q --jsonl --fail-on damaged --password-env PW "$S/locked.000"
run "fail-on locked, none locked" 0 "$bin/cpkit-diag" -q --jsonl --fail-on locked --password-env PW "$S/good2012.000"
run "fail-on damaged, incomplete" 1 "$bin/cpkit-diag" -q --jsonl --fail-on damaged --password-env PW "$S/noname.000"
run "fail-on bad word" 2 "$bin/cpkit-diag" -q --jsonl --fail-on lockd "$S/locked.000"
grep -qF "damaged, locked, any" "$tmp/err" && ok || bad "fail-on bad word: locked not offered"

# --- cpkit-carve: the same words -----------------------------------------
mkfs.vfat -C -F 12 "$tmp/i.img" 4096 >/dev/null
mcopy -i "$tmp/i.img" -s "$S/locked.000" "$S/good2012.000" "$S/badhead.000" ::/
run "carve" 1 "$bin/cpkit-carve" -q -o "$tmp/c1" --password-env PW "$tmp/i.img"
st=$(grep -c "^   $cs" "$tmp/out")
[ "$st" -eq 3 ] && ok || bad "carve: $st status lines, want 3"
awk '/^1\. locked /,/'"$cs"'/' "$tmp/out" > "$tmp/c1.txt"
grep -q "password-wrong" "$tmp/c1.txt" && ok || bad "carve: locked.000 without password-wrong"
grep -q "$cs$w_locked\$" "$tmp/c1.txt" && ok || bad "carve: locked.000 not locked"
awk '/bad-header/,/'"$cs"'/' "$tmp/out" | grep -q "$cs$w_damaged\$" && ok || bad "carve: bad-header not damaged"
clean "carve"

# --- --password-list: tried in order, the line named --------------------
secret "$tmp/list" wrong-one also-wrong 87654321 12345678
run "list test" 0 "$bin/cpkit-test" --json --password-list "$tmp/list" "$S/locked.000"
jqv "list test" .password_line 3
jqv "list test" .status ok
jqv "list test" '[.findings[].id] | join(" ")' "password-list key-ok"
jqv "list test: how many tried" '.findings[0].message | contains("3")' true
clean "list test"
run "list test text" 0 "$bin/cpkit-test" --password-list "$tmp/list" "$S/locked.000"
clean "list test text"
run "list test, line 4" 0 "$bin/cpkit-test" --json --password-list "$tmp/list" "$S/good2012.000"
jqv "list test, line 4" .password_line 4
secret "$tmp/none" wrong-one also-wrong
run "list, none unlocks" 1 "$bin/cpkit-test" --json --password-list "$tmp/none" "$S/locked.000"
jqv "list, none unlocks" .status locked
jqv "list, none unlocks" '.findings[0].id' password-wrong
jqv "list, none unlocks: count" '.findings[0].message | contains("2")' true
jqv "list, none unlocks" .password_line null
run "list diag" 1 "$bin/cpkit-diag" -q --jsonl --password-list "$tmp/list" "$tmp/m"
[ "$(jq -r 'select(.container.name=="locked") | .container.password_line' "$tmp/out")" = 3 ] && ok || bad "list diag: locked line"
[ "$(jq -r 'select(.container.name=="good2012-256") | .container.password_line' "$tmp/out")" = 4 ] && ok || bad "list diag: good2012 line"
[ "$(jq -r 'select(.container.name=="locked") | .container.status' "$tmp/out")" = ok ] && ok || bad "list diag: locked unlocked"
clean "list diag"
# --jsonl and a bundle in one run: the list is tried once per container
run "list jsonl and bundle" 1 "$bin/cpkit-diag" -q --jsonl -o "$tmp/l.zip" --password-list "$tmp/list" "$tmp/m"
[ "$(unzip -p "$tmp/l.zip" report.json | jq -r '.containers[] | select(.container.name=="locked") | [.container.findings[].id] | join(" ")')" = "password-list key-ok" ] &&
    ok || bad "list jsonl and bundle: findings twice"
run "list carve" 1 "$bin/cpkit-carve" -q -o "$tmp/c2" --password-list "$tmp/list" "$tmp/i.img"
[ "$(grep -c 'password-list' "$tmp/out")" -ge 2 ] && ok || bad "list carve: no password-list lines"
clean "list carve"
run "list export" 0 "$bin/cpkit-export" --to pem "$tmp/k.pem" --password-list "$tmp/list" "$S/locked.000"
has "list export" "$tmp/err" "line 3 of the password list unlocks the container (3 of 4 tried)"
grep -q "BEGIN PRIVATE KEY" "$tmp/k.pem" && ok || bad "list export: no key"
clean "list export"
run "list export, none" 4 "$bin/cpkit-export" --to pem "$tmp/k2.pem" --password-list "$tmp/none" "$S/locked.000"
[ -e "$tmp/k2.pem" ] && bad "list export, none: a file written" || ok
secret "$tmp/new" brand-new
run "list passwd" 0 "$bin/cpkit-passwd" change "$S/locked.000" --out "$tmp/pc" --password-list "$tmp/list" --new-password-file "$tmp/new"
has "list passwd" "$tmp/err" "line 3 of the password list unlocks the container (3 of 4 tried)"
clean "list passwd"
run "passwd, new password proven" 0 "$bin/cpkit-test" --password-file "$tmp/new" "$tmp/pc"
cp -r "$S/badmasks.000" "$tmp/bm"
run "list fix" 0 "$bin/cpkit-fix" --password-list "$tmp/list" -o "$tmp/bm-fixed" "$tmp/bm"
has "list fix" "$tmp/err" "line 4 of the password list unlocks the container (4 of 4 tried)"
grep -q key-ok "$tmp/out" && ok || bad "list fix: repair not proven"
clean "list fix"
run "list fix, none" 4 "$bin/cpkit-fix" --password-list "$tmp/none" -o "$tmp/bm-none" "$tmp/bm"
[ -e "$tmp/bm-none" ] && bad "list fix, none: written" || ok
run "list import refuses" 2 "$bin/cpkit-import" --password-list "$tmp/list" "$tmp/k.pem"
# bounds and hygiene
run "list and file" 2 "$bin/cpkit-test" --password-list "$tmp/list" --password-env PW "$S/locked.000"
: > "$tmp/empty"; chmod 600 "$tmp/empty"
run "list empty" 2 "$bin/cpkit-test" --password-list "$tmp/empty" "$S/locked.000"
has "list empty" "$tmp/err" "the password list is empty"
seq 1 1001 > "$tmp/long"; chmod 600 "$tmp/long"
run "list too many" 2 "$bin/cpkit-test" --password-list "$tmp/long" "$S/locked.000"
has "list too many" "$tmp/err" "more than 1000 passwords; split the list"
{ echo x; head -c 1100 /dev/zero | tr '\0' a; echo; } > "$tmp/wide"; chmod 600 "$tmp/wide"
run "list line too long" 2 "$bin/cpkit-test" --password-list "$tmp/wide" "$S/locked.000"
has "list line too long" "$tmp/err" "line 2 is too long for a password"
secret "$tmp/open" 87654321
chmod 644 "$tmp/open"
run "list readable by others" 0 "$bin/cpkit-test" --password-list "$tmp/open" "$S/locked.000"
has "list readable by others" "$tmp/err" "is readable by other users"
run "list missing" 2 "$bin/cpkit-test" --password-list "$tmp/nope" "$S/locked.000"
run "list in --help" 0 "$bin/cpkit-test" --help
has "list in --help" "$tmp/out" "--password-list FILE"

# --- password files: BOM, CP1251, CR LF (point 12) ----------------------
C=$S/5f3a9c1d.000	# password "пароль"
printf 'пароль\n' > "$tmp/u8"
printf '\357\273\277пароль\n' > "$tmp/bom"
printf 'пароль\n' | iconv -f UTF-8 -t CP1251 > "$tmp/cp"
printf 'пароль\r\n' | iconv -f UTF-8 -t CP1251 > "$tmp/cpcrlf"
printf '\357\273\277пароль\r\n' > "$tmp/bomcrlf"
printf 'пароль\r\n' | iconv -f UTF-8 -t UTF-16LE > "$tmp/u16"
printf 'wrong-one\r\nalso-wrong\r\nпароль\r\n' | iconv -f UTF-8 -t CP1251 > "$tmp/cplist"
printf '\357\273\277wrong-one\r\nalso-wrong\r\nпароль\r\n' > "$tmp/bomlist"
chmod 600 "$tmp"/u8 "$tmp"/bom "$tmp"/cp "$tmp"/cpcrlf "$tmp"/bomcrlf "$tmp"/u16 "$tmp"/cplist "$tmp"/bomlist
enc() {	# enc NAME FILE-OPTION FILE READ-AS
	run "$1" 0 "$bin/cpkit-test" --json "$2" "$3" "$C"
	jqv "$1" .status ok
	jqv "$1: key" '[.findings[] | select(.id=="key-ok")] | length' 1
	jqv "$1: encoding" '[.findings[] | select(.id=="password-encoding") | .message | contains("utf-32le")] | .[0]' true
	if [ -n "$4" ]; then
		jqv "$1: read as" "[.findings[] | select(.id==\"password-encoding\") | .message | contains(\"$4\")] | .[0]" true
	fi
	clean "$1"
}
enc "file utf-8" --password-file "$tmp/u8" ""
enc "file utf-8 bom" --password-file "$tmp/bom" "utf-8 (BOM)"
enc "file cp1251" --password-file "$tmp/cp" "cp1251"
enc "file cp1251 crlf" --password-file "$tmp/cpcrlf" "cp1251"
enc "file bom crlf" --password-file "$tmp/bomcrlf" "utf-8 (BOM)"
enc "list cp1251 crlf" --password-list "$tmp/cplist" "cp1251"
jqv "list cp1251 crlf" .password_line 3
enc "list bom crlf" --password-list "$tmp/bomlist" "utf-8 (BOM)"
jqv "list bom crlf" .password_line 3
run "file utf-16" 2 "$bin/cpkit-test" --json --password-file "$tmp/u16" "$C"
has "file utf-16" "$tmp/err" "not a text file in UTF-8 or CP1251 (UTF-16?)"
# the other tools read the same files: export with a CP1251 password file
run "export cp1251 file" 0 "$bin/cpkit-export" --to pem "$tmp/c.pem" --password-file "$tmp/cpcrlf" "$C"
clean "export cp1251 file"

e2e_done e2e_locked
