#!/bin/sh
# End-to-end tests of registry media: .reg exports and hives listed and
# tested, folder -> .reg -> folder byte-identical for every fixture and
# sample, SID moves, and hostile registry files. "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
tmp=$(mktemp -d /tmp/cpkit-e2e-reg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"
SID=S-1-5-21-1111111111-2222222222-3333333333-1001

# --- the registry samples -------------------------------------------------
run "list registry" 0 "$bin/cpkit-list" --json samples/registry
[ "$(jq length "$tmp/out")" = 6 ] && ok || bad "registry: 6 containers"
[ "$(jq -r '[.[] | select(.media=="REGISTRY")] | length' "$tmp/out")" = 6 ] && ok || bad "registry: media"
[ "$(jq -r '[.[] | select(.sid=="'$SID'")] | length' "$tmp/out")" = 4 ] && ok || bad "registry: SIDs"
has "list registry" "$tmp/out" '"fqcn":"\\\\.\\REGISTRY\\Иванов ИИ 2045"'
run "list 5.00" 0 "$bin/cpkit-list" --json samples/registry/export-5.00.reg
jq -r '.[].name' "$tmp/out" | sort > "$tmp/names5"
[ "$(wc -l < "$tmp/names5")" -eq 2 ] && ok || bad "5.00: two containers"
run "test .reg container" 0 env PW=12345678 "$bin/cpkit-test" --json --password-env PW samples/registry/export-regedit4.reg
has "test .reg container" "$tmp/out" '"key-ok"'
run "test hive containers" 1 env PW=12345678 "$bin/cpkit-test" --json --password-env PW samples/registry/SOFTWARE
[ "$(jq -r 'select(.name=="good2012-256") | .findings[].id' "$tmp/out")" = key-ok ] && ok || bad "hive: good2012-256 not proven"
# a user's containers are labelled with the user of their SID (ProfileList)
run "hive users" 0 "$bin/cpkit-list" --json samples/registry/SOFTWARE
[ "$(jq -r '.[] | "\(.name)=\(.user)"' "$tmp/out" | LC_ALL=C sort | tr '\n' ' ')" = "good2001=ivanov good2012-256=ivanov Иванов ИИ 2045=null " ] &&
    ok || bad "hive users: $(jq -c '[.[] | .user]' "$tmp/out")"
run "hive users (text)" 0 "$bin/cpkit-list" samples/registry/SOFTWARE
has "hive users (text)" "$tmp/out" "    user ivanov"
# a renamed .reg is still read: detected by content, not by name
cp samples/registry/export-5.00.reg "$tmp/backup.txt"
run "by content" 0 "$bin/cpkit-list" "$tmp/backup.txt"
has "by content" "$tmp/out" "REGISTRY"
rm "$tmp/backup.txt"

# --- REGEDIT4 and 5.00 variants of one export list the same ----------------
run "to regedit4" 0 "$bin/cpkit-export" --to reg "$tmp/r4.reg" --regedit4 samples/registry/export-5.00.reg

run "list regedit4" 0 "$bin/cpkit-list" --json "$tmp/r4.reg"
jq -r '.[].name' "$tmp/out" | sort > "$tmp/names4"
cmp -s "$tmp/names4" "$tmp/names5" && ok || bad "REGEDIT4 and 5.00 list different containers"
[ "$(head -c 8 "$tmp/r4.reg")" = REGEDIT4 ] && ok || bad "not a REGEDIT4 file"

# --- folder -> .reg -> folder, byte-identical ------------------------------
n=0
rt() {	# rt FOLDER
	n=$((n + 1))
	# an incomplete container is copied as it is, said, exit 1 (issue 15)
	case $1 in
	*/nohead.000|*/noname.000|*/noprimar.000) want=1 ;;
	*) want=0 ;;
	esac
	run "export $1" $want "$bin/cpkit-export" --to reg "$tmp/rt$n.reg" --sid "$SID" "$1"
	run "import $1" $want "$bin/cpkit-export" --to folder "$tmp/rt$n" "$tmp/rt$n.reg"
	set -- "$1" "$tmp/rt$n"/*.000
	[ $# -eq 2 ] && ok || bad "round trip of $1: not one folder"
	same_dir "$1" "$2" && ok || bad "round trip of $1 differs"
}
for d in samples/flash/*.000; do rt "$d"; done
if [ -d "$fixtures" ]; then
	for d in "$fixtures"/cpcert-samples/*.000 "$fixtures"/srv-emptypw.000; do rt "$d"; done
fi
# the file is what regedit writes: UTF-16LE with BOM, CRLF
[ "$(head -c 2 "$tmp/rt1.reg" | od -An -tx1 | tr -d ' ')" = fffe ] && ok || bad "no BOM"
iconv -f UTF-16LE -t UTF-8 "$tmp/rt1.reg" | grep -qc "$(printf '\r')" && ok || bad "no CRLF"
run "existing output" 2 "$bin/cpkit-export" --to reg "$tmp/rt1.reg" --sid "$SID" samples/flash/good2001.000
run "no sid" 2 "$bin/cpkit-export" --to reg "$tmp/x.reg" samples/flash/good2001.000
has "no sid" "$tmp/err" "--sid SID"
run "machine" 0 "$bin/cpkit-export" --to reg "$tmp/m.reg" --machine samples/flash/good2001.000
iconv -f UTF-16LE -t UTF-8 "$tmp/m.reg" | grep -q 'Crypto Pro\\Settings\\Keys\\good2001\]' && ok || bad "machine path"
[ "$(stat -c %a "$tmp/m.reg")" = 600 ] && ok || bad "reg mode not 0600"

# --- moving an export to another user ----------------------------------
run "move sid" 0 "$bin/cpkit-export" --to reg "$tmp/moved.reg" --sid S-1-5-21-5-6-7-1002 samples/registry/export-5.00.reg
has "move sid" "$tmp/out" "2 key paths moved"
run "list moved" 0 "$bin/cpkit-list" --json "$tmp/moved.reg"
[ "$(jq -r '[.[] | select(.sid=="S-1-5-21-5-6-7-1002")] | length' "$tmp/out")" = 2 ] && ok || bad "moved SIDs"
iconv -f UTF-16LE -t UTF-8 samples/registry/export-5.00.reg | sed "s/$SID/S-1-5-21-5-6-7-1002/" | iconv -f UTF-8 -t UTF-16LE > "$tmp/expect.reg"
cmp -s "$tmp/expect.reg" "$tmp/moved.reg" && ok || bad "moved file differs beyond the SID"

# --- hostile registry files ---------------------------------------------
run "good2001 export" 0 "$bin/cpkit-export" --to reg "$tmp/g.reg" --sid "$SID" samples/flash/good2001.000
mkreg() { printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\a]\r\n%s\r\n' "$1" > "$tmp/$2"; iconv -f UTF-16LE -t UTF-8 "$tmp/g.reg" | tail -n +2 >> "$tmp/$2"; }
mkreg '"header.key"=hex:30,8,00' odd.reg
run "odd hex" 1 "$bin/cpkit-list" "$tmp/odd.reg"
has "odd hex" "$tmp/err" "odd.reg: line 4: [a]: value \"header.key\": bad hex digits"
has "odd hex" "$tmp/out" '\\.\REGISTRY\good2001'
mkreg '"header.key"="a string"' sz.reg
run "not REG_BINARY" 1 "$bin/cpkit-list" "$tmp/sz.reg"
has "not REG_BINARY" "$tmp/err" "is not REG_BINARY"
{ printf 'Windows Registry Editor Version 5.00\n' | iconv -f UTF-8 -t UTF-16LE | sed '1s/^/\xff\xfe/'
  printf '\000\330A\000'; } > "$tmp/surrogate.reg"
run "lone surrogate" 1 "$bin/cpkit-list" "$tmp/surrogate.reg"
has "lone surrogate" "$tmp/err" "surrogate.reg: line 2: invalid UTF-16"
{ printf 'REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Crypto Pro\\Settings\\Keys\\a]\r\n"x"=hex:'
  head -c 52428800 /dev/zero | tr '\0' '0'; printf '\r\n'
  iconv -f UTF-16LE -t UTF-8 "$tmp/g.reg" | tail -n +2; } > "$tmp/long.reg"
run "50 MB line" 1 "$bin/cpkit-list" "$tmp/long.reg"
has "50 MB line" "$tmp/err" "long.reg: line 3: longer than 1 MiB: skipped"
has "50 MB line" "$tmp/out" '\\.\REGISTRY\good2001'
head -c 6000 samples/registry/SOFTWARE > "$tmp/cut-hive"
run "truncated hive" 1 "$bin/cpkit-list" "$tmp/cut-hive"
has "truncated hive" "$tmp/err" "cut-hive: not a readable registry hive"
printf 'regf but not a hive at all......' > "$tmp/junk-hive"
run "junk hive" 1 "$bin/cpkit-list" "$tmp/junk-hive"
has "junk hive" "$tmp/err" "junk-hive: not a readable registry hive"
# inside a folder, a broken registry file is a warning: the rest is listed
mkdir "$tmp/mixed" && cp "$tmp/junk-hive" "$tmp/mixed/SOFTWARE.bak" &&
    cp samples/registry/export-regedit4.reg "$tmp/mixed/"
run "mixed folder" 0 "$bin/cpkit-list" "$tmp/mixed"
has "mixed folder" "$tmp/err" "SOFTWARE.bak: not a readable registry hive"
has "mixed folder" "$tmp/out" '\\.\REGISTRY\good2001'
# a walk opens only files named like registry files (*.reg, *.hiv, hive
# names and their backups); any other name is checked when given itself
mkdir "$tmp/names" && cp samples/registry/export-regedit4.reg "$tmp/names/keys.reg.txt" &&
    cp samples/registry/SOFTWARE "$tmp/names/ntuser.dat.old" &&
    cp samples/registry/export-5.00.reg "$tmp/names/notes.txt"
run "walk by name" 0 "$bin/cpkit-list" --json "$tmp/names"
has "walk by name" "$tmp/out" 'keys.reg.txt'
has "walk by name" "$tmp/out" 'ntuser.dat.old'
hasnt "walk by name" "$tmp/out" 'notes.txt'
run "named file by content" 0 "$bin/cpkit-list" --json "$tmp/names/notes.txt"
has "named file by content" "$tmp/out" 'notes.txt'

# --- registry: the live registry is Windows's (media/reg_live_none.c) ------
# a refusal that says what to use instead, never an empty list; exit 2
# (CPK_E_NO_REGISTRY is a usage error) in every tool and output form
live="the live registry exists on Windows only; use a .reg export (reg export) or an offline hive"
run "registry: on Linux" 2 "$bin/cpkit-list" registry:
has "registry: on Linux" "$tmp/err" "$live"
has "registry: on Linux" "$tmp/err" "cpkit-list: registry:: "
[ -s "$tmp/out" ] && bad "registry: on Linux: output $(head -2 "$tmp/out")" || ok
run "registry: --json on Linux" 2 "$bin/cpkit-list" --json registry:
has "registry: --json on Linux" "$tmp/err" "$live"
run "registry:KEY on Linux" 2 "$bin/cpkit-test" 'registry:HKLM\SOFTWARE\WOW6432Node\Crypto Pro\Settings\Keys\good2001'
has "registry:KEY on Linux" "$tmp/err" "$live"
run "registry: diag on Linux" 2 "$bin/cpkit-diag" -o "$tmp/live.zip" registry:
has "registry: diag on Linux" "$tmp/err" "$live"

e2e_done e2e-reg
