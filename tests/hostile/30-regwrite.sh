# Issue 14, points 3, 5 and 6: what cpkit-export --to reg writes.
# 3. A container name (a folder without name.key, a .reg or hive key) that
#    would put lines of its own into the .reg: refused, --name works.
# 5. Each container keeps its user: two SIDs in, two SIDs out; --sid or
#    --machine over two users only with --merge-users.
# 6. Two containers, one registry key: refused naming both; with
#    --rename-duplicates the second is "NAME (2)", key and name.key.
rw=$tmp/regwrite
mkdir -p "$rw"
cd "$rw" || exit 1
SA=S-1-5-21-1111111111-2222222222-3333333333-1001
SB=S-1-5-21-4444444444-5555555555-6666666666-1002
SC=S-1-5-21-7777777777-8888888888-9999999999-1003

# u8 FILE: a .reg as UTF-8 text without its BOM and CRs
u8() { iconv -f UTF-16 -t UTF-8 "$1" | tr -d '\r'; }
# u16 IN OUT: UTF-8 text (LF or CRLF lines) as a regedit 5.00 file
u16() { printf '\377\376' >"$2"; iconv -f UTF-8 -t UTF-16LE "$1" >>"$2"; }
# only_ours NAME FILE: every line of the .reg is one cpkit writes: the
# header, an empty line, a key under Crypto Pro\Settings, a hex value of
# one of the six files, or a hex continuation; nothing else, no delete
# marker, no value a name brought in
only_ours() {
	if u8 "$2" | grep -avE '^(Windows Registry Editor Version 5\.00|REGEDIT4|\[HKEY_LOCAL_MACHINE\\SOFTWARE\\(WOW6432Node\\)?Crypto Pro\\Settings\\(Users\\S-1-[0-9-]+\\)?Keys\\[^]\\]+\]|"(header|name|masks|masks2|primary|primary2)\.key"=hex:[0-9a-f,]*\\?|  [0-9a-f,]+\\?|)$' |
	    grep -q .; then
		bad "$1: a line cpkit does not write in $2"
		u8 "$2" | grep -avE '^(Windows|\[HKEY_LOCAL_MACHINE\\SOFTWARE\\(WOW6432Node\\)?Crypto Pro\\Settings\\|"[a-z2]+\.key"=hex:|  [0-9a-f]|$)' | cat -v | head -3
	else
		ok
	fi
}
# name_key FILE KEY: the bytes of the name.key value under ...\Keys\KEY]
name_key() {
	u8 "$1" | awk -v k="\\\\Keys\\\\$2]" '
		/^\[/ { on = index($0, k) > 0 && substr($0, length($0) - length(k) + 1) == k; next }
		on && /^"name\.key"=hex:/ { v = substr($0, 16); go = 1 }
		on && go && /^  / { v = v substr($0, 3) }
		on && go && !/\\$/ { go = 0 }
		END { gsub(/[\\,]/, "", v); print v }' | xxd -r -p
}

# --- 3. .reg injection ------------------------------------------------
evil=$(printf 'x]\r\n"evil"=dword:00000001\r\n\r\n[-HKEY_LOCAL_MACHINE]\r\nq')
mkdir usb
cp -r "$flash/good2001.000" "usb/$evil"
rm "usb/$evil/name.key"
for how in --machine "--sid $SA"; do
	# shellcheck disable=SC2086
	run "inject folder $how" 2 "$bin/cpkit-export" --to reg "inj${how%% *}.reg" \
	    $how usb
	[ ! -e "inj${how%% *}.reg" ] && ok ||
	    bad "inject folder $how: a .reg was written"
	has "inject folder $how" "$tmp/err" "--name"
	has "inject folder $how" "$tmp/err" "usb/x]"
done
run "inject folder --name" 0 "$bin/cpkit-export" --to reg safe.reg --machine \
    --name safe usb
only_ours "inject folder --name" safe.reg
u8 safe.reg | grep -qF '"evil"' && bad "inject: \"evil\" in safe.reg" || ok
u8 safe.reg | grep -qF '[-HKEY' && bad "inject: a delete marker in safe.reg" || ok
u8 safe.reg | grep -qxF '[HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Crypto Pro\Settings\Keys\safe]' &&
    ok || bad "inject folder --name: no key ...\\Keys\\safe"
run "inject folder --name list" 0 "$bin/cpkit-list" --json safe.reg
[ "$(jq -r '.[].name' "$tmp/out")" = safe ] && ok ||
    bad "inject folder --name: name.key is not \"safe\""
# --to folder carries the name over as it is: no .reg line there; the
# container has no name.key, which is said (exit 1, issue 15)
run "inject folder to folder" 1 "$bin/cpkit-export" --to folder outf usb
has "inject folder to folder" "$tmp/err" "name.key"
[ "$(ls outf | wc -l)" -eq 1 ] && ok || bad "inject folder to folder: not one folder"

# a .reg key name: one line cannot hold CR LF, so the nearest a line can
# hold: ']', a lone CR, an ESC sequence, U+2028 and the delete marker
"$bin/cpkit-export" --to reg g.reg --sid "$SA" "$flash/good2001.000" >/dev/null
for kn in "$(printf 'x]\r"evil"=dword:00000001\342\200\250[-HKEY_LOCAL_MACHINE]\rq')" \
    "$(printf 'x\033]2;PWNED\007q')" "$(printf 'x\302\205q')" 'x]y'; do
	u8 g.reg | sed -e '/^"name\.key"/d' | while IFS= read -r l; do
		case $l in
		'['*) printf '%s\\Keys\\%s]\r\n' "${l%\\Keys\\*}" "$kn" ;;
		*) printf '%s\r\n' "$l" ;;
		esac
	done >k.txt
	u16 k.txt k.reg
	run "inject .reg key" 1 "$bin/cpkit-list" --json k.reg
	[ "$(jq -r '.[0].name' "$tmp/out")" = "$kn" ] && ok ||
	    bad "inject .reg key: the key name was not read as the name"
	run "inject .reg key export" 2 "$bin/cpkit-export" --to reg kout.reg k.reg
	[ ! -e kout.reg ] && ok || bad "inject .reg key: a .reg was written"
	has "inject .reg key export" "$tmp/err" "--name"
	run "inject .reg key --name" 0 "$bin/cpkit-export" --to reg kout.reg \
	    --name fixed k.reg
	only_ours "inject .reg key --name" kout.reg
	u8 kout.reg | grep -qF "Users\\$SA\\Keys\\fixed]" && ok ||
	    bad "inject .reg key --name: not under its SID as \"fixed\""
	rm -f kout.reg
done

# a user SID component that is no SID, or empty: never written as is,
# never taken for the machine's store
for sid in 'S-1-5-21-1]"x"=hex:00' ''; do
	u8 g.reg | sed "s/\\\\Users\\\\$SA\\\\/\\\\Users\\\\$sid\\\\/" |
	    sed 's/$/\r/' >s.txt
	u16 s.txt s.reg
	run "bad sid '$sid'" 2 "$bin/cpkit-export" --to reg sout.reg s.reg
	[ ! -e sout.reg ] && ok || bad "bad sid '$sid': a .reg was written"
	has "bad sid '$sid'" "$tmp/err" "--sid SID"
	run "bad sid '$sid' --sid" 0 "$bin/cpkit-export" --to reg sout.reg \
	    --sid "$SC" s.reg
	u8 sout.reg | grep -c "^\[.*\\\\Users\\\\$SC\\\\Keys\\\\good2001\]\$" |
	    grep -qx 1 && ok || bad "bad sid '$sid' --sid: not moved to $SC"
	rm -f sout.reg
done
# --sid itself is checked as a SID
run "bad --sid" 2 "$bin/cpkit-export" --to reg x.reg --sid 'S-1-5]"x"' \
    "$flash/good2001.000"
[ ! -e x.reg ] && ok || bad "bad --sid: a .reg was written"

# --- 5. each container keeps its user -----------------------------------
run "user A" 0 "$bin/cpkit-export" --to reg a.reg --sid "$SA" "$flash/good2001.000"
run "user B" 0 "$bin/cpkit-export" --to reg b.reg --sid "$SB" "$flash/good2012.000"
run "machine" 0 "$bin/cpkit-export" --to reg m.reg --machine "$flash/good512.000"
run "two users" 0 "$bin/cpkit-export" --to reg both.reg a.reg b.reg m.reg
only_ours "two users" both.reg
u8 both.reg | grep '^\[' >keys
grep -qxF "[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Crypto Pro\\Settings\\Users\\$SA\\Keys\\good2001]" keys &&
    ok || bad "two users: good2001 is not under $SA"
grep -qxF "[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Crypto Pro\\Settings\\Users\\$SB\\Keys\\good2012-256]" keys &&
    ok || bad "two users: good2012-256 is not under $SB"
grep -qxF "[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Crypto Pro\\Settings\\Keys\\good512]" keys &&
    ok || bad "two users: good512 is not the machine's"
[ "$(wc -l <keys)" -eq 3 ] && ok || bad "two users: $(wc -l <keys) keys"
run "two users list" 0 "$bin/cpkit-list" --json both.reg
[ "$(jq -r '.[] | "\(.name)=\(.sid)"' "$tmp/out" | LC_ALL=C sort | tr '\n' ' ')" = \
    "good2001=$SA good2012-256=$SB good512=null " ] && ok ||
    bad "two users list: $(jq -c '[.[] | [.name, .sid]]' "$tmp/out")"
# a folder container has no user: said, naming it
run "no scope" 2 "$bin/cpkit-export" --to reg ns.reg a.reg "$flash/good2012.000"
[ ! -e ns.reg ] && ok || bad "no scope: a .reg was written"
has "no scope" "$tmp/err" "$flash/good2012.000"
has "no scope" "$tmp/err" "--sid SID"
has "no scope" "$tmp/err" "--machine"
# --sid or --machine over two users merges them: only with --merge-users
for how in "--sid $SC" --machine; do
	# shellcheck disable=SC2086
	run "merge $how" 2 "$bin/cpkit-export" --to reg mu.reg $how a.reg b.reg
	[ ! -e mu.reg ] && ok || bad "merge $how: a .reg was written"
	has "merge $how" "$tmp/err" "--merge-users"
	has "merge $how" "$tmp/err" "$SA"
	has "merge $how" "$tmp/err" "$SB"
done
run "merge-users" 0 "$bin/cpkit-export" --to reg mu.reg --sid "$SC" \
    --merge-users a.reg b.reg
[ "$(u8 mu.reg | grep -c '^\[')" -eq 2 ] &&
    [ "$(u8 mu.reg | grep -c "^\[.*\\\\Users\\\\$SC\\\\Keys\\\\")" -eq 2 ] &&
    ok || bad "merge-users: not both under $SC"
run "merge-users alone" 2 "$bin/cpkit-export" --to reg mx.reg --merge-users a.reg
# the documented move of one user's export (REGISTRY.md §4) is unchanged
run "move one user" 0 "$bin/cpkit-export" --to reg mv.reg --sid "$SC" a.reg
u8 a.reg | sed "s/$SA/$SC/" >mv.expect
u8 mv.reg | cmp -s - mv.expect && ok || bad "move one user: not only the SID changed"
# a moved .reg keeps its bytes only when every key in it is a container:
# keys of the file's own (here a deletion of a whole hive and a Run key)
# would be imported under the engineer's name, so its containers are
# written anew and those keys left out
{ u8 a.reg; printf '[-HKEY_LOCAL_MACHINE\\SOFTWARE]\n\n'
  printf '[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\n'
  printf '"evil"="calc.exe"\n\n'; } >ax.txt
u16 ax.txt ax.reg
run "move foreign keys" 0 "$bin/cpkit-export" --to reg mvx.reg --sid "$SC" ax.reg
has "move foreign keys" "$tmp/err" "are written anew and the rest is left out"
only_ours "move foreign keys" mvx.reg
[ "$(u8 mvx.reg | grep -c "^\[.*\\\\Users\\\\$SC\\\\Keys\\\\")" -eq \
    "$(u8 a.reg | grep -c '^\[.*\\Keys\\')" ] && ok ||
    bad "move foreign keys: not every container under $SC"
# one .reg holding two users' containers is not moved to one user...
run "move two users" 2 "$bin/cpkit-export" --to reg mv2.reg --sid "$SC" both.reg
[ ! -e mv2.reg ] && ok || bad "move two users: a .reg was written"
has "move two users" "$tmp/err" "--merge-users"
# ...unless told
run "move two users merged" 0 "$bin/cpkit-export" --to reg mv2.reg --sid "$SC" \
    --merge-users both.reg
[ "$(u8 mv2.reg | grep -c "^\[.*\\\\Users\\\\$SC\\\\Keys\\\\")" -eq 3 ] && ok ||
    bad "move two users merged: not all under $SC"

# --- 6. two containers, one registry key -------------------------------
mkdir dup
cp -r "$flash/good2001.000" dup/one.000
cp -r "$flash/good2001.000" dup/two.000
run "duplicates" 2 "$bin/cpkit-export" --to reg dup.reg --machine dup
[ ! -e dup.reg ] && ok || bad "duplicates: a .reg was written"
has "duplicates" "$tmp/err" "dup/one.000"
has "duplicates" "$tmp/err" "dup/two.000"
has "duplicates" "$tmp/err" "--rename-duplicates"
run "--name on two" 2 "$bin/cpkit-export" --to reg dup.reg --sid "$SA" \
    --name SAME "$flash/good2001.000" "$flash/good2012.000"
[ ! -e dup.reg ] && ok || bad "--name on two: a .reg was written"
has "--name on two" "$tmp/err" "$flash/good2001.000"
has "--name on two" "$tmp/err" "$flash/good2012.000"
# the registry's names are case-insensitive: Dup and DUP are one key
run "case dup a" 0 "$bin/cpkit-export" --to folder case --name Dup "$flash/good2001.000"
run "case dup b" 0 "$bin/cpkit-export" --to folder case --name DUP "$flash/good2012.000"
run "case duplicates" 2 "$bin/cpkit-export" --to reg case.reg --machine case
run "renamed" 0 "$bin/cpkit-export" --to reg ren.reg --sid "$SA" --name SAME \
    --rename-duplicates "$flash/good2001.000" "$flash/good2012.000" \
    "$flash/good512.000"
only_ours "renamed" ren.reg
for k in 'SAME' 'SAME (2)' 'SAME (3)'; do
	u8 ren.reg | grep -qxF "[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Crypto Pro\\Settings\\Users\\$SA\\Keys\\$k]" &&
	    ok || bad "renamed: no key ...\\Keys\\$k"
	# name.key: 30 LL 16 LL and the name in CP1251 (ASCII here)
	[ "$(name_key ren.reg "$k" | tail -c +5)" = "$k" ] && ok ||
	    bad "renamed: name.key of $k is '$(name_key ren.reg "$k" | od -An -c)'"
done
run "renamed list" 0 "$bin/cpkit-list" --json ren.reg
[ "$(jq -r '.[].name' "$tmp/out" | LC_ALL=C sort | tr '\n' '|')" = 'SAME|SAME (2)|SAME (3)|' ] &&
    ok || bad "renamed list: $(jq -c '[.[].name]' "$tmp/out")"
# merged users whose containers share a name: caught after the merge
cp -r "$flash/good2001.000" g2.000
run "user B good2001" 0 "$bin/cpkit-export" --to reg b2.reg --sid "$SB" g2.000
# the same name under two users is two keys
run "same name, two users" 0 "$bin/cpkit-export" --to reg sn.reg a.reg b2.reg
[ "$(u8 sn.reg | grep -c '\\Keys\\good2001]$')" -eq 2 ] && ok ||
    bad "same name, two users: not two keys"
run "merged clash" 2 "$bin/cpkit-export" --to reg mc.reg --sid "$SC" \
    --merge-users a.reg b2.reg
has "merged clash" "$tmp/err" "--rename-duplicates"
run "merged renamed" 0 "$bin/cpkit-export" --to reg mc.reg --sid "$SC" \
    --merge-users --rename-duplicates a.reg b2.reg
u8 mc.reg | grep -qF "Users\\$SC\\Keys\\good2001 (2)]" && ok ||
    bad "merged renamed: no good2001 (2)"
# the folder export warns when two outputs share an FQCN...
run "folder dup" 0 "$bin/cpkit-export" --to folder fdup dup
has "folder dup" "$tmp/err" "--rename-duplicates"
has "folder dup" "$tmp/err" "dup/two.000"
# ...and renames the second when told
run "folder renamed" 0 "$bin/cpkit-export" --to folder fren --rename-duplicates dup
run "folder renamed list" 0 "$bin/cpkit-list" --json fren
[ "$(jq -r '.[].name' "$tmp/out" | LC_ALL=C sort | tr '\n' '|')" = 'good2001|good2001 (2)|' ] &&
    ok || bad "folder renamed: $(jq -c '[.[].name]' "$tmp/out")"
cd "$tmp" || exit 1
