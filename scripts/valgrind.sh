#!/bin/sh
# The end-to-end tests with every cpkit binary under Valgrind memcheck
# (issue 10): a folder of wrappers stands in for BIN_DIR, so the test
# scripts run unchanged. A memcheck error or a definite leak makes the
# binary exit 99, which every test reports as a wrong exit status.
# Usage: valgrind.sh BIN_DIR SCRIPT... ; prints each script's summary.
set -u
bin=$(cd "$1" && pwd)
shift
wrap=$(mktemp -d /tmp/cpkit-valgrind.XXXXXX)
logs=${VG_LOGS:-$wrap/logs}
trap 'rm -rf "$wrap"' EXIT INT TERM
mkdir -p "$logs"
for b in "$bin"/cpkit*; do
	n=$(basename "$b")
	cat >"$wrap/$n" <<EOF
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
    --log-file="$logs/$n.%p" "$b" "\$@"
EOF
	chmod +x "$wrap/$n"
done
status=0
for s in "$@"; do
	sh "$s" "$wrap" | tail -1 | sed "s|^|$(basename "$s"): |" || status=1
done
# the logs of runs that found nothing are empty
found=0
for l in "$logs"/*; do
	[ -s "$l" ] || continue
	found=$((found + 1))
	echo "--- $l"
	head -30 "$l"
done
echo "valgrind: $found reports"
[ "$found" -eq 0 ] && [ "$status" -eq 0 ]
