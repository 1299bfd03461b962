# Shared by the token test scripts (sourced, not run): a private pcscd with
# vsmartcard's vpcd driver and the virtual Rutoken (tests/vtoken) as its
# card (TOKENS.md §11.3). Only one pcscd can run per machine, so we never
# touch one we did not start: every stop is by the PID we recorded.
#
#   token_setup VTOKEN VTPROBE   returns 77 (skip) when pcscd is busy
#   token_start [vtoken args]    pcscd once, then the card; waits for it
#   token_restart [vtoken args]  a new card with new args; waits for it
#   token_pull / token_insert    SIGUSR1 / SIGUSR2; wait until pcscd sees it
#   token_state KEY              a value from the card's state file
#   token_stop                   stops both, removes the temp dir; idempotent
#
# Call these in the script's own shell, not in $(...) or a pipeline: the
# PIDs live in shell variables. After setup: $TOK_DIR, $TOK_STATE, $TOK_LOG.

TOK_SOCKET=/run/pcscd/pcscd.comm
TOK_DRIVER=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
TOK_PCSCD_PID=
TOK_VTOKEN_PID=
TOK_DIR=

# tok_alive PID: running and not a zombie waiting to be reaped
tok_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	case $(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null) in
	Z|X|'') return 1 ;;
	esac
	return 0
}

# tok_other_pcscd: 0 when a pcscd we did not start is running
tok_other_pcscd() {
	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2>/dev/null)" = pcscd ] || continue
		[ "${d#/proc/}" = "$TOK_PCSCD_PID" ] && continue
		tok_alive "${d#/proc/}" || continue	# a zombie nobody reaps
		return 0
	done
	return 1
}

# tok_kill PID: SIGTERM, up to 10 s, then SIGKILL; reaps it
tok_kill() {
	kill -TERM "$1" 2>/dev/null
	i=0
	while tok_alive "$1"; do
		i=$((i + 1))
		if [ "$i" -gt 100 ]; then
			echo "token: PID $1 ignores SIGTERM, killing it" >&2
			kill -KILL "$1" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	wait "$1" 2>/dev/null
	return 0
}

# tok_why: what the processes said, for a failed start
tok_why() {
	for f in "$TOK_DIR/vtoken.err" "$TOK_DIR/pcscd.log"; do
		[ -s "$f" ] && { echo "--- $f"; tail -n 15 "$f"; } >&2
	done
	return 0
}

token_setup() {
	TOK_VTOKEN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	TOK_VTPROBE=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	for b in "$TOK_VTOKEN" "$TOK_VTPROBE"; do
		[ -x "$b" ] || { echo "token: $b is not built" >&2; return 1; }
	done
	if [ "$(id -u)" -ne 0 ]; then
		echo "skip: pcscd with a private reader.conf needs root"
		return 77
	fi
	if ! command -v pcscd >/dev/null 2>&1 || [ ! -e "$TOK_DRIVER" ]; then
		echo "skip: pcscd or vsmartcard-vpcd is not installed"
		return 77
	fi
	# One token script at a time on this machine: they all need the one
	# pcscd. The lock is held until the script exits (fd 9); the card and
	# pcscd are started without it.
	exec 9>>/tmp/cpkit-token-tests.lock
	if ! flock -w 1200 9; then
		echo "token: another token test held the machine for 20 min" >&2
		return 1
	fi
	if tok_other_pcscd; then
		echo "skip: a pcscd is already running"
		return 77
	fi
	TOK_DIR=$(mktemp -d /tmp/cpkit-token.XXXXXX) || return 1
	mkdir "$TOK_DIR/conf"
	cat >"$TOK_DIR/conf/vpcd" <<EOF
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:0x8C7B
LIBPATH      $TOK_DRIVER
CHANNELID    0x8C7B
EOF
	TOK_STATE=$TOK_DIR/state
	TOK_LOG=$TOK_DIR/log
	return 0
}

# tok_card ARGS...: starts vtoken and waits until pcscd shows its card
tok_card() {
	rm -f "$TOK_STATE"
	"$TOK_VTOKEN" --state "$TOK_STATE" --log "$TOK_LOG" "$@" \
	    >>"$TOK_DIR/vtoken.err" 2>&1 9>&- &
	TOK_VTOKEN_PID=$!
	i=0
	while ! "$TOK_VTPROBE" --wait 1 2>/dev/null; do
		i=$((i + 1))
		if ! tok_alive "$TOK_VTOKEN_PID" || [ "$i" -ge 10 ]; then
			echo "token: the virtual card did not come up" >&2
			tok_why
			return 1
		fi
	done
	return 0
}

token_start() {
	[ -n "$TOK_DIR" ] || { echo "token: token_setup first" >&2; return 1; }
	if [ -z "$TOK_PCSCD_PID" ]; then
		if tok_other_pcscd; then
			echo "skip: a pcscd is already running"
			return 77
		fi
		pcscd -f -c "$TOK_DIR/conf" >"$TOK_DIR/pcscd.log" 2>&1 9>&- &
		TOK_PCSCD_PID=$!
		i=0
		while [ ! -S "$TOK_SOCKET" ]; do
			i=$((i + 1))
			if ! tok_alive "$TOK_PCSCD_PID" || [ "$i" -ge 100 ]; then
				echo "token: pcscd did not start" >&2
				tok_why
				TOK_PCSCD_PID=
				return 1
			fi
			sleep 0.1
		done
		sleep 0.2	# a stale socket: our pcscd refuses and exits
		if ! tok_alive "$TOK_PCSCD_PID"; then
			echo "token: pcscd exited (another one running?)" >&2
			tok_why
			TOK_PCSCD_PID=
			return 1
		fi
	fi
	if [ -n "$TOK_VTOKEN_PID" ]; then
		echo "token: a card is running already; use token_restart" >&2
		return 1
	fi
	tok_card "$@"
}

# The old card must be gone for pcscd before the new one comes, or the
# first APDU could meet the old card's ATR and state.
token_restart() {
	if [ -n "$TOK_VTOKEN_PID" ]; then
		tok_kill "$TOK_VTOKEN_PID"
		TOK_VTOKEN_PID=
	fi
	"$TOK_VTPROBE" --wait-gone 10 || return 1
	tok_card "$@"
}

token_pull() {
	kill -USR1 "$TOK_VTOKEN_PID" && "$TOK_VTPROBE" --wait-gone 10
}

token_insert() {
	kill -USR2 "$TOK_VTOKEN_PID" && "$TOK_VTPROBE" --wait 10
}

token_state() {
	sed -n "s/^$1=//p" "$TOK_STATE"
}

token_stop() {
	if [ -n "$TOK_VTOKEN_PID" ]; then
		tok_kill "$TOK_VTOKEN_PID"
		TOK_VTOKEN_PID=
	fi
	if [ -n "$TOK_PCSCD_PID" ]; then
		tok_kill "$TOK_PCSCD_PID"
		TOK_PCSCD_PID=
	fi
	if [ -n "$TOK_DIR" ]; then
		rm -rf "$TOK_DIR"
		TOK_DIR=
	fi
	return 0
}
