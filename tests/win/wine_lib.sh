# Shared by the Windows e2e scripts (sourced, not run; `make test-windows`,
# issue 21): wine64 in a throwaway prefix that the script's exit removes,
# counters, and the closing line. The script sets top first and is run
# from the top folder.
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
[ -x "$WINE" ] || { echo "$0: no wine64 (sh scripts/setup.sh --windows)" >&2; exit 77; }
wtmp=$(mktemp -d "${TMPDIR:-/tmp}/cpkit-wine.XXXXXX")
# the prefix is made by the first wine run; no Mono or Gecko installer
export WINEPREFIX="$wtmp/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine_cleanup() {
	"$(dirname "$WINE")/wineserver" -k 2>/dev/null ||
		wineserver -k 2>/dev/null || :
	rm -rf "$wtmp"
}
trap wine_cleanup EXIT
trap 'exit 130' INT TERM
wpass=0
wfail=0
wok() { wpass=$((wpass + 1)); }
wbad() { wfail=$((wfail + 1)); echo "FAIL: $*"; }
# wine_silent RC: the .exe's run ($wtmp/w.out, w.err) ended non-zero
# without a word. cpkit never does that (every failure is a message), so
# it is wine losing the process: it happened once in CI, for a child of
# cpkit.exe, and never again in 25 runs. The caller runs it once more
# and says so; a second silent failure is reported as it is.
wine_silent() {
	[ "$1" -ne 0 ] && [ ! -s "$wtmp/w.out" ] && [ ! -s "$wtmp/w.err" ] && {
		echo "        (wine ended the run silently with $1: run again)"
		return 0
	}
	return 1
}
# wine_verdict NAME LRC WRC [WHY]: the Linux run's and the .exe's exit
# statuses, and their stdout and stderr in $wtmp/{l,w}.{out,err}
# (stderr only when both files exist), compared; WHY holds what the
# caller found different already ("; ..."). One line either way.
wine_verdict() {
	why=${4:-}
	[ "$2" = "$3" ] || why="$why; exit $2 on Linux, $3 under wine"
	cmp -s "$wtmp/l.out" "$wtmp/w.out" || why="$why; stdout differs"
	if [ -f "$wtmp/l.err" ] && [ -f "$wtmp/w.err" ]; then
		cmp -s "$wtmp/l.err" "$wtmp/w.err" || why="$why; stderr differs"
	fi
	if [ -z "$why" ]; then
		wok
		echo "same    $1 (exit $3)"
		return 0
	fi
	wbad "$1: ${why#; }"
	diff "$wtmp/l.out" "$wtmp/w.out" | head -8 | sed 's/^/        /'
	[ -f "$wtmp/l.err" ] && [ -f "$wtmp/w.err" ] &&
		diff "$wtmp/l.err" "$wtmp/w.err" | head -6 | sed 's/^/        /'
	return 1
}
wine_done() {
	echo "$1: $wpass passed, $wfail failed"
	[ "$wfail" -eq 0 ]
}
