#!/bin/sh
# End-to-end tests of the split password search (issue 20): --count of
# the whole and of a part, the one part of four that holds the password
# and the three that honestly do not, the default state file per
# container and part, a resume refused for another part (and for an old
# state of the whole space), word lists from a FIFO and from bash's
# <(...), --part refused on a pipe, long words counted, and a real GNU
# parallel run of four parts. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-part.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. tests/e2e_lib.sh
S=$(pwd)/samples/flash
P="$bin/cpkit-passwd"

# the space: 25 defaults, then 2 words with ?d?d appended (200); the
# third word is 130 bytes, too long, and counted
long=$(printf '%0130d' 0)
printf 'alpha\nbeta\n%s\n' "$long" > "$tmp/words"
run "count" 0 "$P" recover "$S/good2001.000" --defaults --wordlist "$tmp/words" --mask '?d?d' --count
[ "$(cat "$tmp/out")" = 225 ] && ok || bad "count: $(cat "$tmp/out"), want 225"
has "count: long word" "$tmp/err" "1 word of 128 bytes or more skipped"
# 225 = 7 * 32 + 1: part 1 has 33, the others 32
run "count part 1" 0 "$P" recover "$S/good2001.000" --defaults --wordlist "$tmp/words" --mask '?d?d' --count --part 1/7
[ "$(cat "$tmp/out")" = 33 ] && ok || bad "count 1/7: $(cat "$tmp/out"), want 33"
run "count part 7" 0 "$P" recover "$S/good2001.000" --defaults --wordlist "$tmp/words" --mask '?d?d' --count --part 7/7
[ "$(cat "$tmp/out")" = 32 ] && ok || bad "count 7/7: $(cat "$tmp/out"), want 32"
run "count json" 0 "$P" recover "$S/good2001.000" --defaults --wordlist "$tmp/words" --mask '?d?d' --count --json --part 3/7
grep -qF '"candidates":32,"whole":225,"part":{"k":3,"n":7},"words":2,"long_words":1}' "$tmp/out" && ok || bad "count json: $(cat "$tmp/out")"
# more parts than candidates: an empty part counts 0
run "count empty part" 0 "$P" recover "$S/good2001.000" --mask '?d' --count --part 11/12
[ "$(cat "$tmp/out")" = 0 ] && ok || bad "count 11/12: $(cat "$tmp/out")"
run "bad part 5/4" 2 "$P" recover "$S/good2001.000" --mask '?d' --count --part 5/4
has "bad part" "$tmp/err" "give K/N, whole numbers with 1 <= K <= N <= 100000"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "bad part: not one line"
run "bad part 0/4" 2 "$P" recover "$S/good2001.000" --mask '?d' --count --part 0/4
run "bad part 1/100001" 2 "$P" recover "$S/good2001.000" --mask '?d' --count --part 1/100001
run "bad part text" 2 "$P" recover "$S/good2001.000" --mask '?d' --count --part 2
run "json without count" 2 "$P" recover "$S/good2001.000" --mask '?d' --json --output "$tmp/x"

# 12345678 is number 78 of 123456?d?d: 78 = 4 * 19 + 2, so part 3 holds it
for k in 1 2 4; do
	run "part $k/4" 4 "$P" recover "$S/good2001.000" --mask '123456?d?d' --threads 1 --part $k/4 --output "$tmp/pw$k" --state "$tmp/st$k"
	has "part $k/4" "$tmp/out" "Not found in part $k/4: all 25 of its candidates tried"
	[ ! -e "$tmp/pw$k" ] && ok || bad "part $k/4 wrote a password"
done
run "part 3/4" 0 "$P" recover "$S/good2001.000" --mask '123456?d?d' --threads 1 --part 3/4 --output "$tmp/pw3" --state "$tmp/st3"
[ "$(cat "$tmp/pw3")" = 12345678 ] && ok || bad "part 3/4: wrong password"
has "part 3/4 says where" "$tmp/err" "part 3/4: 25 of the 100 candidates (every 4-th of the whole search, from number 3)"

# the default state file: one per container and part, in the current
# folder; interrupted part 3/4 of 12345?d?d?d (678 = 4 * 169 + 2)
mkdir "$tmp/w"
(cd "$tmp/w" && exec "$P" recover "$S/good2012.000" --mask '12345?d?d?d' --threads 1 --part 3/4 --output "$tmp/pw5") > "$tmp/out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
[ $? -eq 1 ] && ok || bad "interrupt: exit status"
st=$(ls "$tmp/w"/cpkit-recover-good2012.000-*-part-3-of-4.state 2>/dev/null)
[ -n "$st" ] && [ -f "$st" ] && ok || bad "no default state file for part 3/4: $(ls "$tmp/w")"
grep -qx 'part 3 4' "$st" && ok || bad "state: no part line"
run "restore other part" 2 "$P" recover --restore "$st" --part 2/4 --output "$tmp/pw5"
has "restore other part" "$tmp/err" "this search state is of part 3/4, not of part 2/4: a part resumes only itself"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "restore other part: not one line"
run "new run on another part's state" 2 "$P" recover "$S/good2012.000" --mask '12345?d?d?d' --part 1/4 --state "$st" --output "$tmp/pw6"
has "new run on another part's state" "$tmp/err" "this search state is of part 3/4, not of part 1/4: a part resumes only itself"
# a state of an older cpkit (no part line) is of the whole space
grep -v '^part ' "$st" > "$tmp/old.state"
run "old state, a part given" 2 "$P" recover --restore "$tmp/old.state" --part 3/4 --output "$tmp/pw5"
has "old state" "$tmp/err" "this search state is of the whole space (no --part), not of part 3/4"
run "restore same part" 0 "$P" recover --restore "$st" --part 3/4 --output "$tmp/pw5"
[ "$(cat "$tmp/pw5")" = 12345678 ] && ok || bad "restore part: wrong password"
[ ! -e "$st" ] && ok || bad "state kept after success"

# word lists as users give them: a FIFO, bash's <(...), stdin
mkfifo "$tmp/fifo"
(printf 'x\n12345678\n' > "$tmp/fifo") &
wpid=$!
run "fifo wordlist" 0 "$P" recover "$S/good2001.000" --wordlist "$tmp/fifo" --output "$tmp/pw7" --state "$tmp/st7"
kill $wpid 2>/dev/null
wait $wpid 2>/dev/null
[ "$(cat "$tmp/pw7")" = 12345678 ] && ok || bad "fifo: wrong password"
has "fifo: not resumable" "$tmp/err" "this search cannot be resumed (no state is saved)"
run "bash <(...)" 0 bash -c "'$P' recover '$S/two-keys.000' --wordlist <(printf 'y\n12345678\n') --output '$tmp/pw8' --state '$tmp/st8'"
[ "$(cat "$tmp/pw8")" = 12345678 ] && ok || bad "<(...): wrong password"
hasnt "bash <(...)" "$tmp/err" "malformed structure"
run "--part on <(...)" 2 bash -c "'$P' recover '$S/good2001.000' --wordlist <(printf '12345678\n') --part 1/2 --output '$tmp/pw9'"
has "--part on a pipe" "$tmp/err" "--part needs the word list in a regular file"
run "--part on stdin" 2 sh -c "printf '12345678\n' | '$P' recover '$S/good2001.000' --wordlist - --part 1/2 --output '$tmp/pw9'"
has "--part on stdin" "$tmp/err" "--part needs the word list in a regular file"
run "--part on a fifo" 2 "$P" recover "$S/good2001.000" --wordlist "$tmp/fifo" --part 1/2 --output "$tmp/pw9"
[ ! -e "$tmp/pw9" ] && ok || bad "--part on a pipe wrote a password"
printf '%s\n%s\n12345678\n' "$long" "$long" > "$tmp/longs"
run "long words" 0 "$P" recover "$S/good2001.000" --wordlist "$tmp/longs" --output "$tmp/pw10" --state "$tmp/st10"
has "long words" "$tmp/err" "2 words of 128 bytes or more skipped"

# a real GNU parallel, four local jobs, one part each: exactly one finds
# it; parallel's status is the number of jobs that failed (the three
# parts without the password, 4 each)
if ! command -v parallel > /dev/null; then
	bad "GNU parallel is not installed (scripts/setup.sh installs it)"
else
	run "parallel" 3 parallel --will-cite -q -j4 "$P" recover "$S/good2001.000" --mask '123456?d?d' --threads 1 --part '{}/4' --output "$tmp/par{}" --state "$tmp/pst{}" ::: 1 2 3 4
	[ "$(ls "$tmp" | grep -c '^par[1-4]$')" -eq 1 ] && ok || bad "parallel: $(ls "$tmp" | grep -c '^par[1-4]$') parts found it"
	[ "$(cat "$tmp/par3" 2>/dev/null)" = 12345678 ] && ok || bad "parallel: part 3 did not write the password"
	[ "$(grep -c "$(l10n "Not found in part")" "$tmp/out")" -eq 3 ] && ok || bad "parallel: not three parts said not found"
fi

e2e_done e2e-part
