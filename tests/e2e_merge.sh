#!/bin/sh
# End-to-end tests of cpkit-diag --merge (issue 19 part 3): results
# folders laid out as the Ansible role writes them, made here from real
# cpkit-diag --jsonl runs over the samples and the real fixtures, plus an
# unreachable and a failed host (status.json only) and a host whose file
# is hostile. The fleet zip is checked member by member: the counts, the
# host rows, the certificate two hosts share listed once with both, the
# unreachable host with Ansible's reason, bad lines said for their host.
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
tmp=$(mktemp -d /tmp/cpkit-e2e-merge.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$top/tests/e2e_lib.sh"

R=$tmp/results
status() {	# status HOST STATE REASON-JSON RC-JSON
	mkdir -p "$R/$1"
	printf '{"schema":"cpkit.fleet-host/1","host":"%s","state":"%s","reason":%s,"rc":%s}\n' \
	    "$1" "$2" "$3" "$4" >"$R/$1/status.json"
}
audit() {	# audit HOST PATH...: a real --jsonl run, fetched as is
	h=$1
	shift
	mkdir -p "$R/$h"
	"$bin/cpkit-diag" -q --no-tokens --jsonl "$@" >"$R/$h/cpkit.jsonl" 2>/dev/null
	status "$h" ok null "$?"
}
# ws-flash: the samples' flash drive, damaged containers among them
audit ws-flash samples/flash
# srv-reg: a .reg and a hive, and a copy of one flash container (the
# shared certificate)
mkdir -p "$tmp/m2"
cp -r samples/flash/good2001.000 "$tmp/m2/"
audit srv-reg "$tmp/m2" samples/registry
# ws-real: the real fixtures (or the samples' duplicates without them)
if [ -d "$fixtures" ]; then audit ws-real "$fixtures"
else audit ws-real samples/duplicate; fi
status pc-down unreachable '"Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused"' null
status pc-broken failed '"non-zero return code"' 3
# pc-hostile: a host line, a container, then bad input: no JSON, a line
# longer than 1 MiB, a NUL, a second host line; then a good container
mkdir -p "$R/pc-hostile"
{
	"$bin/cpkit-diag" -q --no-tokens --jsonl samples/flash/good512.000 2>/dev/null
	printf '{"container": nope\n'
	head -c 1100000 /dev/zero | tr '\0' 'a'
	printf '\n{"container":{"name":"x\0y","status":"ok"}}\n'
	"$bin/cpkit-diag" -q --no-tokens --jsonl samples/flash/good2012.000 2>/dev/null
} >"$R/pc-hostile/cpkit.jsonl"
status pc-hostile ok null 0
# a folder that is no host's: its name says so, nothing in it
mkdir -p "$R/.ansible_tmp"

run "merge" 1 "$bin/cpkit-diag" --merge -o "$tmp/fleet.zip" "$R"
has "merge: summary" "$tmp/out" "Fleet report: $tmp/fleet.zip"
mkdir "$tmp/x" && (cd "$tmp/x" && unzip -q ../fleet.zip)
for m in report.html fleet.json report.txt; do
	[ -s "$tmp/x/$m" ] && ok || bad "merge: $m missing"
done
[ "$(unzip -Z1 "$tmp/fleet.zip" | sort | xargs)" = "fleet.json report.html report.txt" ] && ok || bad "merge: members"
J=$tmp/x/fleet.json
jv() {	# jv NAME JQ WANT
	got=$(jq -r "$2" "$J" 2>/dev/null)
	[ "$got" = "$3" ] && ok || bad "$1: $2 is '$got', want '$3'"
}
jv schema .schema cpkit.fleet/1
jv "hosts" .summary.hosts 6
jv "audited" .summary.audited 4
jv "unreachable" .summary.unreachable 1
jv "failed" .summary.failed 1
# the containers: as many as the container lines of the audited hosts
want=$(cat "$R"/ws-flash/cpkit.jsonl "$R"/srv-reg/cpkit.jsonl "$R"/ws-real/cpkit.jsonl | jq -c 'select(.container)' | wc -l)
want=$((want + 2))	# pc-hostile's two good ones
jv "containers" .summary.containers "$want"
for s in ok warning locked incomplete damaged; do
	w=$(cat "$R"/ws-flash/cpkit.jsonl "$R"/srv-reg/cpkit.jsonl "$R"/ws-real/cpkit.jsonl | jq -r 'select(.container) | .container.status' | grep -cx "$s")
	[ "$s" = warning ] && w=$((w + $(cat "$R"/pc-hostile/cpkit.jsonl | tr -d '\0' | jq -Rr 'fromjson? | select(.container) | .container.status' 2>/dev/null | grep -cx warning)))
	[ "$s" = ok ] && w=$((w + $(cat "$R"/pc-hostile/cpkit.jsonl | tr -d '\0' | jq -Rr 'fromjson? | select(.container.schema) | .container.status' 2>/dev/null | grep -cx ok)))
	jv "by status $s" ".summary.by_status.$s" "$w"
done
jv "host order" '[.hosts[].host] | join(" ")' "pc-broken pc-down pc-hostile srv-reg ws-flash ws-real"
jv "unreachable row" '.hosts[] | select(.host == "pc-down") | .state + "|" + .reason' "unreachable|Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused"
jv "failed row" '.hosts[] | select(.host == "pc-broken") | .state + "|" + .reason + "|" + (.rc|tostring)' "failed|non-zero return code|3"
jv "ws-flash worst" '.hosts[] | select(.host == "ws-flash") | .worst' damaged
jv "ws-flash facts" '.hosts[] | select(.host == "ws-flash") | .hostname' "$(hostname)"
jv "ws-flash count" '.hosts[] | select(.host == "ws-flash") | .containers' "$(jq -c 'select(.container)' "$R/ws-flash/cpkit.jsonl" | wc -l)"
jv "ws-flash expiry" '.hosts[] | select(.host == "ws-flash") | .next_expiry' "$(jq -r 'select(.container) | .container | [.certificate.not_after, .key_usage_end] | map(select(. != null)) | min // empty' "$R/ws-flash/cpkit.jsonl" | sort | head -1)"
# the shared certificate: once, with both hosts
fp=$(jq -r 'select(.container.name == "good2001") | .certificate_fingerprint' "$R/srv-reg/cpkit.jsonl" | head -1)
printf '%s\n' "$fp" | grep -q '^sha256:[0-9a-f]\{64\}$' && ok || bad "merge: no fingerprint in the lines"
jv "shared once" "[.certificates[] | select(.fingerprint == \"$fp\")] | length" 1
jv "shared hosts" ".certificates[] | select(.fingerprint == \"$fp\") | .hosts | join(\" \")" "srv-reg ws-flash"
jv "certificates once" '[.certificates[].fingerprint] | (length == (unique | length))' true
# the hostile host: said for it, the rest of its file read
jv "hostile bad lines" '.hosts[] | select(.host == "pc-hostile") | .bad_lines' 4
jv "hostile containers" '.hosts[] | select(.host == "pc-hostile") | .containers' 2
jv "hostile notes" '.hosts[] | select(.host == "pc-hostile") | .notes_total' 4
jv "not a host" '[.hosts[] | select(.host == ".ansible_tmp")] | length' 0
jv "problems" '[.problems[] | select(.host == "ws-flash" and .container == "bad-header") | .id] | index("header-mac") != null' true
# report.html: the summary, a row per host, the shared certificate once
H=$tmp/x/report.html
hk() { grep -o "data-k=\"$1\">[0-9]*<" "$H" | tr -dc 0-9; }
[ "$(hk audited)" = 4 ] && [ "$(hk unreachable)" = 1 ] && [ "$(hk failed)" = 1 ] && [ "$(hk hosts)" = 6 ] && ok || bad "html: summary counts"
[ "$(hk containers)" = "$want" ] && ok || bad "html: containers"
[ "$(grep -c '<tr class="host"' "$H")" = 6 ] && ok || bad "html: host rows"
grep '<tr class="host" data-host="pc-down" data-state="unreachable"' "$H" | grep -qF 'Failed to connect to the host via ssh' && ok || bad "html: unreachable host without its reason"
grep '<tr class="host" data-host="ws-flash"' "$H" | grep -q 'data-worst="damaged"' && ok || bad "html: ws-flash worst"
[ "$(grep -c "<tr class=\"cert\" data-key=\"$fp\"" "$H")" = 1 ] && ok || bad "html: the shared certificate not once"
grep "<tr class=\"cert\" data-key=\"$fp\"" "$H" | grep -q 'srv-reg, ws-flash' && ok || bad "html: the shared certificate's hosts"
grep -q '<svg id="expiry"' "$H" && ok || bad "html: no expiry chart"
grep -q '<section class="host" data-host="ws-flash"><h3>ws-flash</h3>' "$H" && ok || bad "html: problems not grouped by host"
grep -q '<code>header-mac</code>' "$H" && ok || bad "html: a problem missing"
grep -qiE 'https?://|<script|src=' "$H" && bad "html: loads something" || ok
# report.txt
grep 'pc-down' "$tmp/x/report.txt" | grep -qF 'Connection refused' && ok || bad "txt: unreachable reason"
has "txt: heading" "$tmp/x/report.txt" "Certificates in more than one place:"

# redacted runs under one key: the same placeholder on both hosts
printf '%s\n' 0123456789abcdef0123456789abcdef >"$tmp/fleet.key"
chmod 600 "$tmp/fleet.key"
R2=$tmp/red
for h in a b; do
	mkdir -p "$R2/$h"
	"$bin/cpkit-diag" -q --no-tokens --jsonl --redact-key-file "$tmp/fleet.key" samples/flash/good2001.000 >"$R2/$h/cpkit.jsonl" 2>/dev/null
done
run "merge redacted" 0 "$bin/cpkit-diag" --merge -q -o "$tmp/r.zip" "$R2"
unzip -p "$tmp/r.zip" fleet.json >"$tmp/r.json"
[ "$(jq -r '.certificates | length' "$tmp/r.json")" = 1 ] && ok || bad "redacted: the certificate not once"
jq -r '.certificates[0].fingerprint' "$tmp/r.json" | grep -qx 'cert-[0-9a-f]\{16\}' && ok || bad "redacted: not a placeholder"
[ "$(jq -r '.certificates[0].hosts | join(" ")' "$tmp/r.json")" = "a b" ] && ok || bad "redacted: hosts"
# one host's folder as DIR; several DIRs
run "merge one host" 1 "$bin/cpkit-diag" --merge -q -o "$tmp/one.zip" "$R/pc-down"
[ "$(unzip -p "$tmp/one.zip" fleet.json | jq -r '.hosts[0].host + " " + .hosts[0].state')" = "pc-down unreachable" ] && ok || bad "one host folder"
run "merge two dirs" 1 "$bin/cpkit-diag" --merge -q -o "$tmp/two.zip" "$R" "$R2"
[ "$(unzip -p "$tmp/two.zip" fleet.json | jq -r .summary.hosts)" = 8 ] && ok || bad "two dirs: hosts"
# a host folder that is a symbolic link is listed as failed, not read
R3=$tmp/linked
mkdir -p "$R3"
cp -r "$R/ws-flash" "$R3/ws-flash"
ln -s "$R/ws-flash" "$R3/pc-link"
run "merge linked host" 1 "$bin/cpkit-diag" --merge -q -o "$tmp/l.zip" "$R3"
unzip -p "$tmp/l.zip" fleet.json >"$tmp/l.json"
[ "$(jq -r '.summary.hosts, .summary.failed' "$tmp/l.json" | tr '\n' ' ')" = "2 1 " ] && ok || bad "linked host: counts $(jq -c .summary "$tmp/l.json")"
[ "$(jq -r '.hosts[] | select(.host == "pc-link") | .state' "$tmp/l.json")" = failed ] && ok || bad "linked host: state"
jq -r '.hosts[] | select(.host == "pc-link") | .reason' "$tmp/l.json" >"$tmp/l.reason"
has "linked host: reason" "$tmp/l.reason" "the host's folder is a symbolic link, not followed"
# usage
run "merge: zip exists" 2 "$bin/cpkit-diag" --merge -o "$tmp/fleet.zip" "$R"
has "merge: zip exists" "$tmp/err" "already exists"
run "merge: no folder" 2 "$bin/cpkit-diag" --merge -o "$tmp/n.zip" "$tmp/nowhere"
has "merge: no folder" "$tmp/err" "not a folder"
run "merge: none" 2 "$bin/cpkit-diag" --merge -o "$tmp/n.zip"
run "merge and jsonl" 2 "$bin/cpkit-diag" --merge --jsonl "$R"

e2e_done e2e-merge
