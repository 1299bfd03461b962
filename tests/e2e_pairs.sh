#!/bin/sh
# End-to-end tests of carve pairing (issue 15 point 7) and of cpkit-fix on
# containers beyond repair (point 8). Three 2012-256 containers whose
# masks and primary files could be swapped (same curve, same sizes): A
# (good2012, password 12345678), B (the Cyrillic sample under 12345678),
# C (not-exportable without a password), laid into raw images so that the
# nearest files are the wrong ones, and into FAT images, deleted.
# Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-pairs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"
S=$top/samples/flash
export PW=12345678 OLD=пароль
cd "$tmp"
cp -r "$S/good2012.000" A.000
"$bin/cpkit-passwd" change "$S/5f3a9c1d.000" --out B.000 --password-env OLD \
    --new-password-env PW >/dev/null 2>&1 || bad "setup: B not written"
"$bin/cpkit-passwd" change "$S/noexport.000" --out C.000 --password-env PW \
    --new-empty-password >/dev/null 2>&1 || bad "setup: C not written"

# put IMAGE OFFSET CONTAINER FILE...: the files one after another from
# OFFSET, 509 bytes apart; prints the offset after the last
put() {
	p_img=$1 p_off=$2 p_c=$3
	shift 3
	for p_f in "$@"; do
		dd if="$p_c/$p_f.key" of="$p_img" bs=1 seek="$p_off" \
		    conv=notrunc status=none
		p_off=$((p_off + $(stat -c %s "$p_c/$p_f.key") + 509))
	done
	echo "$p_off"
}
blank() { head -c "$2" /dev/zero | tr '\0' '\125' > "$1"; }
count() { grep -c -F -- "$(l10n "$2")" "$1"; }

# --- raw: each container's primary2.key nearer its header than primary.key
blank swap.img 3000000
off=100003
for c in A B C; do
	off=$(put swap.img "$off" $c.000 header name masks masks2 primary2 primary)
	off=$((off + 200001))
done
run "swap without password" 1 "$bin/cpkit-carve" -q -o np swap.img
[ "$(count "$tmp/out" "certainty: pairing unproven")" -eq 2 ] && ok ||
    bad "swap without password: not 2 unproven pairings"
has "swap without password" "$tmp/out" "paired by their distance from the header"
hasnt "swap without password" "$tmp/out" "certainty: MAC-proven"
[ "$(count "$tmp/out" "status: warning")" -eq 2 ] && ok ||
    bad "swap without password: unproven pairings not warnings"
# C has no password: the empty one proves its pairs
[ "$(count "$tmp/out" "certainty: password-proven")" -eq 1 ] && ok ||
    bad "swap without password: C not proven by the empty password"
same_dir np/not-expo.000 C.000 && ok || bad "swap: C differs"
# the Cyrillic name gets the hash of the name, the same in every run
[ -d np/ed821f69.000 ] && ok || bad "swap: no ed821f69.000 for B"
ls np/good2012.000/pairing-candidates > cands
[ "$(wc -l < cands)" -eq 8 ] && ok || bad "swap: not 8 candidates beside A"
grep -q '^masks-at-[0-9]*\.bin$' cands && grep -q '^primary-at-[0-9]*\.bin$' cands && ok ||
    bad "swap: candidate names"
# JSON: the same verdicts for programs, one object a line
run "swap json" 1 "$bin/cpkit-carve" -q --json -o nj swap.img
[ "$(wc -l < "$tmp/out")" -eq 3 ] && ok || bad "swap json: not 3 lines"
[ "$(grep -c '"certainty":"pairing-unproven","pairing":"distance","pairing_proven":false' "$tmp/out")" -eq 2 ] && ok ||
    bad "swap json: not 2 unproven pairings"
grep -q '"certainty":"password-proven","pairing":"password","pairing_proven":true' "$tmp/out" && ok ||
    bad "swap json: C not password-proven"
[ "$(grep -c '"status":"warning"' "$tmp/out")" -eq 2 ] && ok || bad "swap json: status"
grep -q '"candidates":\["pairing-candidates/masks-at-[0-9]*\.bin"' "$tmp/out" && ok ||
    bad "swap json: candidates not listed"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/out" && ok ||
    bad "swap json: not JSON"
has "swap json" "$tmp/err" "carving by structure alone"
# the guess does not unlock, and the check says so
run "test unproven" 1 "$bin/cpkit-test" --password-env PW np/good2012.000
# without the password cpkit-fix says what the candidates need
run "fix unproven without password" 0 "$bin/cpkit-fix" --out nopw np/good2012.000
has "fix unproven without password" "$tmp/out" "give the password to try every pairing"
# cpkit-fix with the password finds the right pairing
run "fix unproven" 0 "$bin/cpkit-fix" --password-env PW np/good2012.000
has "fix unproven" "$tmp/out" "paired anew from masks.key and primary2.key, the pairing that unlocks with the password"
same_dir np/good2012.000-fixed A.000 && ok || bad "fix unproven: A not restored"
run "test fixed" 0 "$bin/cpkit-test" --password-env PW np/good2012.000-fixed
run "fix unproven B" 0 "$bin/cpkit-fix" --password-env PW np/ed821f69.000
same_dir np/ed821f69.000-fixed B.000 && ok || bad "fix unproven: B not restored"
# the same carve twice: the same folders, the same bytes
run "swap again" 1 "$bin/cpkit-carve" -q -o np2 swap.img
rm -rf np/*-fixed nopw
diff -r np np2 >/dev/null && ok || bad "swap: two runs differ"
[ "$(ls np)" = "$(ls np2)" ] && ok || bad "swap: folder names differ"
# with the password every pairing is tried: all three unlock
run "swap with password" 0 "$bin/cpkit-carve" -q -o wp --password-env PW swap.img
[ "$(count "$tmp/out" "certainty: password-proven")" -eq 3 ] && ok ||
    bad "swap with password: not 3 proven"
hasnt "swap with password" "$tmp/out" "pairing unproven"
for d in wp/*; do
	run "test $d" 0 "$bin/cpkit-test" --password-env PW "$d"
done
same_dir wp/good2012.000 A.000 && ok || bad "swap with password: A differs"
same_dir wp/ed821f69.000 B.000 && ok || bad "swap with password: B differs"
same_dir wp/not-expo.000 C.000 && ok || bad "swap with password: C differs"
run "swap with password again" 0 "$bin/cpkit-carve" -q -o wp2 --password-env PW swap.img
diff -r wp wp2 >/dev/null && ok || bad "swap with password: two runs differ"

# --- raw: A's primaries lie beyond the whole of B; nearest, they are B's
blank inter.img 3000000
off=$(put inter.img 100003 A.000 header name masks masks2)
off=$(put inter.img $((off + 20000)) B.000 header name masks primary masks2 primary2)
off=$(put inter.img $((off + 20000)) A.000 primary primary2)
run "interleaved without password" 1 "$bin/cpkit-carve" -q -o inp inter.img
[ "$(count "$tmp/out" "certainty: pairing unproven")" -eq 2 ] && ok ||
    bad "interleaved: not 2 unproven pairings"
has "interleaved without password" "$tmp/out" "(cpkit-fix --password-file F tries every pairing)"
grep -q "pairing-candidates/ (" "$tmp/out" && ok || bad "interleaved: the candidates folder not named"
run "fix interleaved A" 0 "$bin/cpkit-fix" --password-env PW inp/good2012.000
has "fix interleaved A" "$tmp/out" "pairing-candidates/primary-at-"
same_dir inp/good2012.000-fixed A.000 && ok || bad "interleaved: A not restored"
run "fix interleaved B" 0 "$bin/cpkit-fix" --password-env PW inp/ed821f69.000
same_dir inp/ed821f69.000-fixed B.000 && ok || bad "interleaved: B not restored"
run "interleaved with password" 0 "$bin/cpkit-carve" -q -o iwp --password-env PW inter.img
[ "$(count "$tmp/out" "certainty: password-proven")" -eq 2 ] && ok ||
    bad "interleaved with password: not 2 proven"
same_dir iwp/good2012.000 A.000 && ok || bad "interleaved with password: A differs"
same_dir iwp/ed821f69.000 B.000 && ok || bad "interleaved with password: B differs"
# with a password that is not B's, B stays an unproven guess
blank lock.img 2000000
off=$(put lock.img 100003 A.000 header name masks masks2 primary2 primary)
off=$(put lock.img $((off + 1000)) "$S/5f3a9c1d.000" header name masks masks2 primary2 primary)
run "other password" 1 "$bin/cpkit-carve" -q -o lk --password-env PW lock.img
[ "$(count "$tmp/out" "certainty: password-proven")" -eq 1 ] && ok ||
    bad "other password: A not proven"
[ "$(count "$tmp/out" "certainty: pairing unproven")" -eq 1 ] && ok ||
    bad "other password: B not unproven"
same_dir lk/good2012.000 A.000 && ok || bad "other password: A differs"

# more candidates than the cap: the nearest 8 of each kind are kept, and
# the report says how many were not
# (five copies of B under fresh masks, and five copies of B's masks.key:
# once A's guess took one of each kind, 10 distinct masks and 9 primary
# files are left, and 2 + 1 lie beyond the cap)
blank many.img 2000000
off=$(put many.img 100003 A.000 header name masks primary2)
for i in 1 2 3 4 5; do
	"$bin/cpkit-passwd" change B.000 --out B$i.000 --password-env PW \
	    --new-password-env PW >/dev/null 2>&1
	off=$(put many.img $((off + 3000)) B$i.000 masks primary masks2 primary2)
	off=$(put many.img "$off" B.000 masks)	# copies: one candidate
done
run "many candidates" 1 "$bin/cpkit-carve" -q -o many many.img
has "many candidates" "$tmp/out" "lay beyond the 8 nearest of each kind"
grep -q "^   3 \|3 кандидата" "$tmp/out" && ok || bad "many candidates: not 3 left out"
[ "$(ls many/good2012.000/pairing-candidates | wc -l)" -eq 16 ] && ok ||
    bad "many candidates: not 16 kept"
run "many candidates json" 1 "$bin/cpkit-carve" -q --json -o manyj many.img
grep -q '"candidates_left_out":3,' "$tmp/out" && ok || bad "many candidates json: left out"

# --- FAT: deleted entries whose clusters are free pair the files
img=fat.img
mkfs.vfat -C -F 12 "$img" 2048 >/dev/null
mcopy -i "$img" -s A.000 B.000 C.000 ::/
mdeltree -i "$img" ::/A.000 ::/B.000 ::/C.000
run "fat deleted" 0 "$bin/cpkit-carve" -q -o fd "$img"
[ "$(count "$tmp/out" "certainty: MAC-proven")" -eq 2 ] && ok ||
    bad "fat deleted: A and B not MAC-proven"
[ "$(count "$tmp/out" "pairing: by the directory entries")" -eq 2 ] && ok ||
    bad "fat deleted: not paired by the directory"
hasnt "fat deleted" "$tmp/out" "pairing unproven"
same_dir fd/good2012.000 A.000 && ok || bad "fat deleted: A differs"
run "fat deleted with password" 0 "$bin/cpkit-carve" -q -o fdp --password-env PW "$img"
[ "$(count "$tmp/out" "certainty: password-proven")" -eq 3 ] && ok ||
    bad "fat deleted with password: not 3 proven"
# files written after the delete take A's clusters: A's deleted entries
# (in its live folder) now point at B's bytes, and nothing proves A's
# pairing
img=reuse.img
mkfs.vfat -C -F 12 "$img" 2048 >/dev/null
mmd -i "$img" ::/other
mcopy -i "$img" -s A.000 C.000 ::/
for f in header name masks primary masks2 primary2; do
	mdel -i "$img" ::/A.000/$f.key
done
for f in header name masks primary masks2 primary2; do
	mcopy -i "$img" B.000/$f.key ::/other/
done
run "fat reused" 1 "$bin/cpkit-carve" -q -o fr "$img"
has "fat reused" "$tmp/out" "point at clusters a later file has taken"
[ "$(count "$tmp/out" "pairing: by the directory entries")" -eq 1 ] && ok ||
    bad "fat reused: live B not paired by its directory"

# --- cpkit-fix: beyond repair is exit 4, nothing written ----------------
mkdir fx && cd fx
mk() { d=$1; src=$2; shift 2; mkdir "$d"; for f in "$@"; do cp "$src/$f.key" "$d/"; done; }
mk hnp.000 ../A.000 header name primary
mk cross.000 ../A.000 header name masks primary2
mk badnr.000 "$S/badmasks.000" header name masks primary
mk nohm.000 "$S/nohead.000" name primary primary2
mk badrsv.000 "$S/badmasks.000" header name masks primary masks2
for c in hnp cross nohm; do
	run "fix $c" 4 "$bin/cpkit-fix" --password-env PW --cert "$S/nohead.cer" $c.000
	has "fix $c" "$tmp/err" "no complete masks/primary pair is left"
	[ ! -e $c.000-fixed ] && ok || bad "fix $c: something written"
done
has "fix hnp" "$tmp/err" "the key is kept only in these files"
run "fix badnr" 4 "$bin/cpkit-fix" badnr.000
has "fix badnr" "$tmp/err" "neither masks/primary pair can be used"
[ ! -e badnr.000-fixed ] && ok || bad "fix badnr: something written"
run "fix badrsv" 4 "$bin/cpkit-fix" --password-env PW badrsv.000
[ ! -e badrsv.000-fixed ] && ok || bad "fix badrsv: something written"
# for contrast: a lost primary.key comes back from the reserve copy
mk noprim.000 ../A.000 header name masks masks2 primary2
run "fix repairable" 0 "$bin/cpkit-fix" --password-env PW noprim.000
has "fix repairable" "$tmp/out" "primary.key rebuilt from primary2.key"
run "test repaired" 0 "$bin/cpkit-test" --password-env PW noprim.000-fixed
# a wrong password is not damage beyond repair
printf 'wrong' > wrong.pw
run "fix wrong password" 1 "$bin/cpkit-fix" --password-file wrong.pw ../A.000
hasnt "fix wrong password" "$tmp/err" "cannot be rebuilt"

e2e_done e2e-pairs
