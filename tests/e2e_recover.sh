#!/bin/sh
# End-to-end tests of cpkit-passwd recover: defaults, word lists (file and
# stdin), masks, a Cyrillic password, honest "not found", --output 0600,
# Ctrl-C and --restore. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
tmp=$(mktemp -d /tmp/cpkit-e2e-recover.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. tests/e2e_lib.sh
S=samples/flash
P="$bin/cpkit-passwd"

run "defaults" 0 "$P" recover "$S/good2001.000" --defaults --output "$tmp/pw1" --state "$tmp/st"
[ "$(cat "$tmp/pw1")" = 12345678 ] && ok || bad "defaults: wrong password"
[ "$(stat -c %a "$tmp/pw1")" = 600 ] && ok || bad "output mode"
has "defaults" "$tmp/out" "proven by the password MAC and a full unlock"
# off a terminal and without --output the search does not start: a found
# password would have nowhere to go (tests/hostile/70-passwd.sh has more)
run "refused off a terminal" 2 "$P" recover "$S/good512.000" --defaults --state "$tmp/st"
has "refused off a terminal" "$tmp/err" "standard output is not a terminal: a found password would have nowhere to go; give --output FILE (a new 0600 file)"
grep -q 12345678 "$tmp/out" "$tmp/err" && bad "password printed off a terminal" || ok
printf 'qwerty\nletmein\n12345678\n' > "$tmp/words"
run "wordlist" 0 "$P" recover "$S/good2012.000" --wordlist "$tmp/words" --threads 1 --output "$tmp/pw2" --state "$tmp/st"
[ "$(cat "$tmp/pw2")" = 12345678 ] && ok || bad "wordlist: wrong password"
run "stdin wordlist" 0 sh -c "printf 'x\n12345678\n' | '$P' recover '$S/two-keys.000' --wordlist - --output '$tmp/pw3' --state '$tmp/st'"
[ "$(cat "$tmp/pw3")" = 12345678 ] && ok || bad "stdin: wrong password"
run "mask" 0 "$P" recover "$S/expired.000" --mask '123456?d?d' --threads 2 --output "$tmp/pw4" --state "$tmp/st"
[ "$(cat "$tmp/pw4")" = 12345678 ] && ok || bad "mask: wrong password"
printf '1234\n' > "$tmp/stems"
run "suffix" 0 "$P" recover "$S/nocert.000" --wordlist "$tmp/stems" --mask '?d?d?d?d' --output "$tmp/pw5" --state "$tmp/st"
[ "$(cat "$tmp/pw5")" = 12345678 ] && ok || bad "suffix: wrong password"
run "cyrillic" 0 "$P" recover "$S/5f3a9c1d.000" --mask 'па?1?1?1?1' --charset1 'ьлор' --min-len 3 --output "$tmp/pw6" --state "$tmp/st"
[ "$(cat "$tmp/pw6")" = "пароль" ] && ok || bad "cyrillic: wrong password"
has "cyrillic" "$tmp/out" "utf-32le"
run "not found" 4 "$P" recover "$S/good2001.000" --mask '?d?d' --state "$tmp/st" --output "$tmp/pw0"
has "not found" "$tmp/out" "Not found: all 100 candidates tried"
run "nothing to try" 2 "$P" recover "$S/good2001.000" --output "$tmp/pw0"
has "nothing to try" "$tmp/err" "nothing to try: give --defaults, --wordlist or --mask"
run "bad mask" 2 "$P" recover "$S/good2001.000" --mask '?x' --output "$tmp/pw0"
# Ctrl-C saves the state; --restore goes on and finds the password
"$P" recover "$S/good2012.000" --mask '12345?d?d?d' --threads 1 --state "$tmp/state" --output "$tmp/pw7" > "$tmp/out" 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
[ $? -eq 1 ] && ok || bad "interrupt: exit status"
has "interrupt" "$tmp/out" "resume with --restore $tmp/state"
grep -q '^next [1-9]' "$tmp/state" && ok || bad "state: no progress saved"
grep -q '^mask 12345?d?d?d$' "$tmp/state" && ok || bad "state: mask"
[ "$(stat -c %a "$tmp/state")" = 600 ] && ok || bad "state mode"
run "restore" 0 "$P" recover --restore "$tmp/state" --output "$tmp/pw7"
[ "$(cat "$tmp/pw7")" = 12345678 ] && ok || bad "restore: wrong password"
[ ! -e "$tmp/state" ] && ok || bad "state kept after success"
# killed outright (no chance to save on the way out): the state saved
# every second while running is there, and --restore finds the password
"$P" recover "$S/good2001.000" --mask '12345?d?d?d' --threads 1 --state "$tmp/st9" --save-every 1 --output "$tmp/pw9" > /dev/null 2>&1 &
pid=$!
sleep 2
kill -KILL $pid
wait $pid 2>/dev/null
grep -q '^next [1-9]' "$tmp/st9" && ok || bad "kill -9: no state saved while running"
run "restore after kill -9" 0 "$P" recover --restore "$tmp/st9" --output "$tmp/pw9"
[ "$(cat "$tmp/pw9")" = 12345678 ] && ok || bad "restore after kill -9: wrong password"
run "bad save interval" 2 "$P" recover "$S/good2001.000" --defaults --save-every 0

e2e_done e2e-recover
