# Shared by the end-to-end test scripts (sourced, not run): counters, a
# command runner with a time limit, and the assertions. Each script sets
# bin and tmp first and ends with e2e_done NAME. The language (E2E_LANG)
# is set up by e2e_l10n.sh: the scripts are run from the top folder.
. "${top:-$(pwd)}/tests/e2e_l10n.sh"
# Every verdict is judged at one fixed date, not the wall clock: the
# sample certificates start 2025-01-01, so their GOST 2012 keys pass the
# 15-month private key usage period on 2026-04-01 (FORMATS.md §6.5).
CPKIT_NOW=2025-06-01
export CPKIT_NOW
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run NAME EXPECTED_EXIT CMD...: output in $tmp/out and $tmp/err
run() {
	name=$1 want=$2
	shift 2
	timeout 300 "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ge 124 ] && [ "$want" -lt 124 ]; then
		bad "$name: exit $got (timeout or signal)"
		head -5 "$tmp/err"
	elif [ "$got" -ne "$want" ]; then
		bad "$name: exit $got, want $want"
		head -8 "$tmp/out" "$tmp/err"
	else
		ok
	fi
}

# has NAME FILE TEXT / hasnt NAME FILE TEXT: TEXT in English, looked for
# in the language of the run (l10n)
has() {
	l10n_t=$(l10n "$3")
	if grep -qF -- "$l10n_t" "$2"; then ok
	else bad "$1: no '$l10n_t' in $2"; fi
}
hasnt() {
	l10n_t=$(l10n "$3")
	if grep -qF -- "$l10n_t" "$2"; then bad "$1: unexpected '$l10n_t'"
	else ok; fi
}

# same_dir A B: the container files of two folders are byte-identical
same_dir() {
	for f in header.key name.key masks.key primary.key masks2.key \
	    primary2.key; do
		[ -e "$1/$f" ] || [ -e "$2/$f" ] || continue
		cmp -s "$1/$f" "$2/$f" || return 1
	done
	return 0
}

# The plain closing line CI reads, and the exit status.
e2e_done() {
	echo "$1${l10n_lang:+ ($l10n_lang)}: $pass passed, $fail failed"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
