# cpkit-passwd recover (issue 14, point 10): a found password is never
# thrown away. Where it goes is checked before the search starts (no
# terminal and no --output, an existing --output without --force, an
# --output that cannot be created, the state file as --output: exit 2,
# nothing searched, the state untouched); the state is deleted only once
# the password is written (0600, the exact bytes); when writing fails
# after the find, the state stays and the exit status is 3. The password
# never reaches stdout or stderr off a terminal. good2001 opens with
# 12345678 (samples/README.md).
pw=$tmp/passwd
mkdir -p "$pw"
cp -r "$flash/good2001.000" "$pw/"
pw_c=$pw/good2001.000
printf 'qwerty\nletmein\n12345678\n' >"$pw/words"
# pw_state FILE: a state by hand, the search from its start
pw_state() {
	printf 'cpkit-recover 1\ncontainer %s\ndefaults 0\nwordlist %s\nmask \ncharset1 \ncharset2 \ncharset3 \ncharset4 \nmin-len 0\nmax-len 0\ntotal 0\nnext 0\n' \
	    "$pw_c" "$pw/words" >"$1"
	chmod 600 "$1"
	cp "$1" "$1.orig"
}
# pw_quiet NAME FILE...: the password is in none of them
pw_quiet() {
	pw_n=$1
	shift
	if grep -qF 12345678 "$@"; then bad "$pw_n: the password was printed"
	else ok; fi
}
# pw_kept NAME STATE: the state is there, as it was
pw_kept() {
	if cmp -s "$2" "$2.orig"; then ok
	else bad "$1: the state $2 was deleted or changed"; fi
}

# no terminal, no --output: refused before the search, with the way out
pw_state "$pw/st1"
run "passwd: no terminal, no output" 2 "$bin/cpkit-passwd" recover \
    --restore "$pw/st1" --threads 1
has "passwd: no terminal, no output" "$tmp/err" "standard output is not a terminal: a found password would have nowhere to go; give --output FILE (a new 0600 file)"
pw_kept "passwd: no terminal, no output" "$pw/st1"
pw_quiet "passwd: no terminal, no output" "$tmp/out" "$tmp/err"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && ok ||
    bad "passwd: no terminal: more than the refusal: $(tail -1 "$tmp/err")"
run "passwd: no terminal, new search" 2 "$bin/cpkit-passwd" recover \
    "$pw_c" --wordlist "$pw/words" --threads 1 --state "$pw/st0"
[ ! -e "$pw/st0" ] && ok || bad "passwd: a state for a refused search"

# an existing --output is not replaced without --force
printf 'keep me\n' >"$pw/exists"
run "passwd: existing output" 2 "$bin/cpkit-passwd" recover \
    --restore "$pw/st1" --threads 1 --output "$pw/exists"
has "passwd: existing output" "$tmp/err" "$pw/exists: already exists; give a new --output file, or --force to replace it"
[ "$(cat "$pw/exists")" = "keep me" ] && ok ||
    bad "passwd: existing output: replaced"
pw_kept "passwd: existing output" "$pw/st1"

# --output where no file can be created: a missing folder, a file as the
# folder (root can write anywhere else); the state file itself
run "passwd: output folder missing" 2 "$bin/cpkit-passwd" recover \
    --restore "$pw/st1" --threads 1 --output "$pw/nowhere/pw"
has "passwd: output folder missing" "$tmp/err" "$pw/nowhere/pw: a file cannot be created there"
run "passwd: output under a file" 2 "$bin/cpkit-passwd" recover \
    --restore "$pw/st1" --threads 1 --output "$pw/words/pw"
has "passwd: output under a file" "$tmp/err" "$pw/words/pw: a file cannot be created there"
run "passwd: output is the state" 2 "$bin/cpkit-passwd" recover \
    --restore "$pw/st1" --threads 1 --output "$pw/st1" --force
has "passwd: output is the state" "$tmp/err" "$pw/st1: the --output file cannot be the state file"
if [ "$(id -u)" != 0 ]; then	# root writes into a 0500 folder
	mkdir "$pw/ro" && chmod 500 "$pw/ro"
	run "passwd: output folder read-only" 2 "$bin/cpkit-passwd" recover \
	    --restore "$pw/st1" --threads 1 --output "$pw/ro/pw"
	has "passwd: output folder read-only" "$tmp/err" "$pw/ro/pw: a file cannot be created there"
fi
pw_kept "passwd: refused outputs" "$pw/st1"
[ -z "$(ls "$pw/nowhere" "$pw"/*.?????? 2>/dev/null)" ] && ok ||
    bad "passwd: a probe file was left"

# found and written: 0600, the exact bytes, and only then the state goes
run "passwd: found" 0 "$bin/cpkit-passwd" recover "$pw_c" \
    --wordlist "$pw/words" --threads 1 --state "$pw/st2" --output "$pw/pw1"
has "passwd: found" "$tmp/out" "proven by the password MAC and a full unlock"
[ "$(od -An -c "$pw/pw1" | tr -d ' \n')" = 12345678 ] && ok ||
    bad "passwd: found: the file holds $(od -An -c "$pw/pw1")"
[ "$(stat -c %a "$pw/pw1")" = 600 ] && ok || bad "passwd: found: mode"
[ ! -e "$pw/st2" ] && ok || bad "passwd: found: the state is left"
pw_quiet "passwd: found" "$tmp/out" "$tmp/err"
run "passwd: --force" 0 "$bin/cpkit-passwd" recover --restore "$pw/st1" \
    --threads 1 --output "$pw/exists" --force
[ "$(cat "$pw/exists")" = 12345678 ] && ok || bad "passwd: --force: content"
[ "$(stat -c %a "$pw/exists")" = 600 ] && ok || bad "passwd: --force: mode"
[ ! -e "$pw/st1" ] && ok || bad "passwd: --force: the state is left"
pw_quiet "passwd: --force" "$tmp/out" "$tmp/err"

# writing fails after the find (no file may grow: ulimit -f 0, SIGXFSZ
# ignored, so write() fails with EFBIG; the output goes through a pipe):
# the state stays, exit 3, and the message says how to go on
pw_limited() {	# pw_limited ARGS...: rc and all output in $pw/log
	(trap '' XFSZ; ulimit -f 0; "$bin/cpkit-passwd" recover "$@" 2>&1
	    echo "rc=$?") | cat >"$pw/log"
}
pw_state "$pw/st3"
pw_limited --restore "$pw/st3" --threads 1 --output "$pw/pw3"
grep -q '^rc=3$' "$pw/log" && ok ||
    bad "passwd: write fails: $(tail -1 "$pw/log"), want rc=3"
has "passwd: write fails" "$pw/log" "the password was found but not stored; the search state is kept in $pw/st3"
pw_kept "passwd: write fails" "$pw/st3"
[ ! -e "$pw/pw3" ] && ok || bad "passwd: write fails: an output file"
[ -z "$(ls "$pw"/pw3.* 2>/dev/null)" ] && ok ||
    bad "passwd: write fails: a temporary file is left"
pw_quiet "passwd: write fails" "$pw/log"
# a new search (no state yet) where no state can be written either: it
# says so, and how to go on
pw_limited "$pw_c" --wordlist "$pw/words" --threads 1 --state "$pw/st4" \
    --output "$pw/pw4"
grep -q '^rc=3$' "$pw/log" && ok || bad "passwd: nothing can be written"
has "passwd: nothing can be written" "$pw/log" "the password was found but not stored, and the search state cannot be saved either: run the search again with --output FILE"
pw_quiet "passwd: nothing can be written" "$pw/log"
# the state is found again and finishes the job in a writable place
pw_state "$pw/st5"
pw_limited --restore "$pw/st5" --threads 1 --output "$pw/pw5"
grep -q '^rc=3$' "$pw/log" && ok || bad "passwd: write fails again"
run "passwd: restore after the failure" 0 "$bin/cpkit-passwd" recover \
    --restore "$pw/st5" --threads 1 --output "$pw/pw5"
[ "$(cat "$pw/pw5")" = 12345678 ] && ok || bad "passwd: restored: content"
[ ! -e "$pw/st5" ] && ok || bad "passwd: restored: the state is left"
