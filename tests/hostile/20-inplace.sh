# Issue 14, points 2 and 11: cpkit-fix --in-place on hostile folders.
# Through a symbolic link the swap used to move the link and the cleanup
# empty the real container; a 0-byte or unreadable key file failed with
# "input/output error" and a partial backup; other files were left in an
# X.new.XXXXXX folder; a killed run left folders holding key copies that
# CSP and cpkit took for containers; two runs in one second failed.
# Sourced by tests/e2e_hostile.sh (run, has, hasnt, same_dir, $flash).
mkdir -p "$tmp/inplace" && cd "$tmp/inplace" || exit 1
cert=$flash/nocert.cer

# bytes_same A B: two folders hold the same names and bytes (any file)
bytes_same() { diff -r "$1" "$2" >/dev/null 2>&1; }
# zip_same ZIP DIR: every regular file of DIR is a member with its bytes,
# and the archive holds nothing else
zip_same() {
	for f in "$2"/*; do
		[ -f "$f" ] || continue
		unzip -p "$1" "${f##*/}" 2>/dev/null | cmp -s - "$f" || return 1
	done
	[ "$(unzip -Z1 "$1" | wc -l)" -eq "$(find "$2" -maxdepth 1 -type f | wc -l)" ]
}

# --- 2. the exact attack: the container path is a symbolic link --------
mkdir real lnk && cp -r "$flash/badmasks.000" real/ &&
    ln -s "$PWD/real/badmasks.000" lnk/bm.000
run "inplace: symlinked container" 2 "$bin/cpkit-fix" --in-place lnk/bm.000
has "inplace: symlinked container" "$tmp/err" "$PWD/real/badmasks.000"
has "inplace: symlinked container" "$tmp/err" "lnk/bm.000"
bytes_same real/badmasks.000 "$flash/badmasks.000" && ok ||
    bad "inplace: the real container behind the link changed"
[ -L lnk/bm.000 ] && ok || bad "inplace: the link was moved"
[ -z "$(ls -A lnk | grep -v '^bm.000$')$(ls -A real | grep -v '^badmasks.000$')" ] &&
    ok || bad "inplace: files written beside the link: $(ls -A lnk real)"
# a link further up the path is refused too, naming the real folder
ln -s "$PWD/real" up
run "inplace: link on the way" 2 "$bin/cpkit-fix" --in-place up/badmasks.000
has "inplace: link on the way" "$tmp/err" "$PWD/real/badmasks.000"
bytes_same real/badmasks.000 "$flash/badmasks.000" && ok ||
    bad "inplace: the real container behind the folder link changed"
# the real path works
run "inplace: the real path" 0 "$bin/cpkit-fix" --in-place real/badmasks.000
has "inplace: the real path" "$tmp/out" "the original is kept in real/badmasks.000.cpkit-backup-"

# --- 11. a 0-byte key file: --in-place takes what --out takes -----------
cp -r "$flash/nocert.000" z.000 && : >z.000/masks2.key && cp -r z.000 z-orig
run "inplace: 0-byte key file, --out" 0 "$bin/cpkit-fix" --cert "$cert" --out z-out z.000
run "inplace: 0-byte key file" 0 "$bin/cpkit-fix" --cert "$cert" --in-place z.000
hasnt "inplace: 0-byte key file" "$tmp/err" "input/output error"
bytes_same z.000 z-out && ok || bad "inplace: 0-byte key file: not what --out wrote"
set -- z.000.cpkit-backup-*.zip
[ $# -eq 1 ] && [ -f "$1" ] && ok || bad "inplace: 0-byte key file: no single backup"
zip_same "$1" z-orig && ok || bad "inplace: 0-byte key file: backup differs from the original"
[ "$(unzip -p "$1" masks2.key | wc -c)" -eq 0 ] && ok || bad "inplace: the 0-byte file is not in the backup as 0 bytes"

# --- 11. an unreadable key file (a folder in its place: root reads any
# file whatever its mode, so chmod 000 would prove nothing here) --------
cp -r "$flash/nocert.000" u.000 && rm u.000/primary2.key && mkdir u.000/primary2.key
cp -r u.000 u-orig
run "inplace: unreadable key file, --out" 0 "$bin/cpkit-fix" --cert "$cert" --out u-out u.000
run "inplace: unreadable key file" 0 "$bin/cpkit-fix" --cert "$cert" --in-place u.000
hasnt "inplace: unreadable key file" "$tmp/err" "input/output error"
has "inplace: unreadable key file" "$tmp/err" "u.000/primary2.key"
has "inplace: unreadable key file" "$tmp/err" "not a regular file"
same_dir u.000 u-out && ok || bad "inplace: unreadable key file: not what --out wrote"
set -- u.000.cpkit-backup-*.zip
[ $# -eq 1 ] && [ -f "$1" ] && ok || bad "inplace: unreadable key file: no single backup"
zip_same "$1" u-orig && ok || bad "inplace: unreadable key file: backup differs"
ls -d .cpkit-staging-* >/dev/null 2>&1 && bad "inplace: unreadable key file: staging left" || ok

# --- 11. other files are carried over, and are in the backup ------------
cp -r "$flash/nocert.000" r.000 && printf 'ticket 42\n' >r.000/readme.txt &&
    mkdir r.000/notes && printf 'n\n' >r.000/notes/a && cp -r r.000 r-orig
run "inplace: other files" 0 "$bin/cpkit-fix" --cert "$cert" --in-place r.000
cmp -s r.000/readme.txt r-orig/readme.txt && ok || bad "inplace: readme.txt not carried over"
cmp -s r.000/notes/a r-orig/notes/a && ok || bad "inplace: a sub-folder not carried over"
zip_same r.000.cpkit-backup-*.zip r-orig && ok || bad "inplace: other files: backup differs"
[ "$(stat -c %a r.000.cpkit-backup-*.zip)" = 600 ] && ok || bad "inplace: backup not 0600"
has "inplace: other files" "$tmp/err" "r.000/notes"
# a FIFO is never opened (it would hang) and moves over as it is; a name
# that is not UTF-8 is backed up and carried over byte for byte
cp -r "$flash/nocert.000" n.000 && mkfifo n.000/pipe &&
    printf 'latin-1\n' >"n.000/$(printf 'caf\351.txt')"
run "inplace: fifo and non-UTF-8 name" 0 "$bin/cpkit-fix" --cert "$cert" --in-place n.000
[ -p n.000/pipe ] && ok || bad "inplace: the FIFO was not moved over"
[ "$(cat "n.000/$(printf 'caf\351.txt')")" = latin-1 ] && ok || bad "inplace: the non-UTF-8 name was not carried over"
[ "$(unzip -Z1 n.000.cpkit-backup-*.zip | wc -l)" -eq 7 ] && ok || bad "inplace: fifo and non-UTF-8 name: not 7 members"
# nothing beside the containers but their archives: no X.new.*, no staging
left=$(ls -A | grep -v -e '\.cpkit-backup-.*\.zip$' -e '^[a-z]*\.000$' \
    -e '^[a-z]*-orig$' -e '^[a-z]*-out$' -e '^real$' -e '^lnk$' -e '^up$')
[ -z "$left" ] && ok || bad "inplace: leftovers: $left"

# --- 11. two runs in one second: the second archive gets -2 -------------
# the names of this second and the next few are taken already (as a run
# a moment earlier would have), so the clash happens whatever the clock
cp -r "$flash/nocert.000" t.000
now=$(date -u +%s)
for d in 0 1 2 3 4 5; do
	printf 'not ours\n' >"t.000.cpkit-backup-$(date -u -d "@$((now + d))" +%Y%m%dT%H%M%SZ).zip"
done
run "inplace: same second" 0 "$bin/cpkit-fix" --cert "$cert" --in-place t.000
has "inplace: same second" "$tmp/out" "Z-2.zip"
[ "$(grep -lx 'not ours' t.000.cpkit-backup-*.zip | wc -l)" -eq 6 ] && ok ||
    bad "inplace: same second: an existing archive was replaced"
set -- t.000.cpkit-backup-*Z-2.zip
zip_same "$1" "$flash/nocert.000" && ok || bad "inplace: same second: backup differs"
cp -r "$flash/nocert.000" t2.000
run "inplace: same second, twice" 0 sh -c "'$bin/cpkit-fix' --cert '$cert' --in-place t2.000 && rm -rf t2.000 && cp -r '$flash/nocert.000' t2.000 && '$bin/cpkit-fix' --cert '$cert' --in-place t2.000"
[ "$(ls t2.000.cpkit-backup-*.zip | wc -l)" -eq 2 ] && ok || bad "inplace: two runs: not two archives"

# --- 11. kill -9 mid-run: one hidden staging folder, reported, removed ---
mkdir kill && cp -r "$flash/nocert.000" kill/ && cd kill || exit 1
CPKIT_TEST_KILL_AT=staged "$bin/cpkit-fix" --cert "$cert" --in-place nocert.000 >/dev/null 2>&1
[ $? -eq 137 ] && ok || bad "inplace: not killed"
bytes_same nocert.000 "$flash/nocert.000" && ok || bad "inplace: killed run changed the container"
[ "$(ls | grep -vc '\.cpkit-backup-.*\.zip$')" -eq 1 ] && ok ||
    bad "inplace: killed run left visible folders: $(ls)"
run "inplace: list after kill" 1 "$bin/cpkit-list" .
[ "$(grep -c 'FLASH' "$tmp/out")" -eq 1 ] && ok || bad "inplace: the staged copy is listed as a container"
has "inplace: list after kill" "$tmp/out" "staging-leftover"
has "inplace: list after kill" "$tmp/out" "backup-copy"
run "inplace: test after kill" 1 "$bin/cpkit-test" .
has "inplace: test after kill" "$tmp/out" "staging-leftover"
# a folder that merely looks like one (no marker) is not cpkit's to remove
mkdir .cpkit-staging-foreign && printf 'x\n' >.cpkit-staging-foreign/keep
run "inplace: rerun after kill" 0 "$bin/cpkit-fix" --cert "$cert" --in-place nocert.000
has "inplace: rerun after kill" "$tmp/out" "left by an interrupted cpkit run"
[ "$(ls -d .cpkit-staging-* | wc -l)" -eq 1 ] && [ -f .cpkit-staging-foreign/keep ] &&
    ok || bad "inplace: staging not cleaned, or a foreign folder removed: $(ls -A)"
run "inplace: list after rerun" 0 "$bin/cpkit-list" .
has "inplace: list after rerun" "$tmp/out" "backup-copy"
hasnt "inplace: list after rerun" "$tmp/out" "staging-leftover"
run "inplace: list --json after rerun" 0 "$bin/cpkit-list" --json .
has "inplace: list --json after rerun" "$tmp/err" "backup-copy"
cd "$tmp" || exit 1
