#!/bin/sh
# End-to-end test of the Ansible role (tools/ansible): ansible-lint and
# --syntax-check, then the real ansible-playbook over real SSH to sshd
# processes this script starts on 127.0.0.1, one per port, each with a
# throwaway host key; every "host" is this machine with its own media:
#   h-reg    a .reg export                      2 containers, rc 0
#   h-hive   an offline hive                    3 containers, rc 0
#   h-flash  a damaged container, a real one    3 containers, rc 1
#   h-broken a path that does not exist         failed, cpkit-diag's reason
#   h-down   a closed port                      unreachable, ssh's reason
# The same certificate (good2012-256) is on h-reg, h-hive and h-flash.
# Then check mode, which must leave nothing, and, once cpkit-diag has
# --merge, the fleet report. Needs root: sshd runs as root (privilege
# separation), and the role logs in as the user running the test.
# E2E_KEEP=1 keeps the temp folder (inventory, logs, results) to look at.
set -u
bin=$(cd "${1:-build/bin}" && pwd)
top=$(pwd)
fixtures=${CPK_FIXTURES:-$top/../shared/fixtures/real}
tmp=$(mktemp -d /tmp/cpkit-e2e-fleet.XXXXXX)
pids=""
made_run_sshd=""
# only the sshd processes started here, by PID
cleanup() {
	# Ansible's ssh masters first (ControlPersist), so that the sessions
	# they hold in these sshd processes end with them
	for s in "$tmp"/cp/*; do
		[ -S "$s" ] && ssh -O exit -o ControlPath="$s" placeholder >/dev/null 2>&1
	done
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	[ -n "$made_run_sshd" ] && rmdir /run/sshd 2>/dev/null
	[ -n "${E2E_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$top/tests/e2e_lib.sh"
start=$(date +%s)

for t in ansible-playbook ansible-lint /usr/sbin/sshd ssh-keygen python3; do
	command -v "$t" >/dev/null || { bad "no $t (scripts/setup.sh installs it)"; e2e_done e2e_fleet; exit 1; }
done
if [ "$(id -u)" -ne 0 ]; then
	bad "needs root: sshd's privilege separation"
	e2e_done e2e_fleet
	exit 1
fi

# Ansible itself needs a UTF-8 locale; the English run is C.UTF-8. Its
# state (collections cache, control sockets, temp files) stays in $tmp,
# and no ansible.cfg of this machine is read.
[ -z "$l10n_lang" ] && export LC_ALL=C.UTF-8
export ANSIBLE_CONFIG="$tmp/ansible.cfg" ANSIBLE_HOME="$tmp/ansible-home"
export ANSIBLE_LOCAL_TEMP="$tmp/ansible-home/tmp" ANSIBLE_NOCOLOR=1
export ANSIBLE_SSH_CONTROL_PATH_DIR="$tmp/cp" ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_FORCE_COLOR=0
# one ssh round trip per task instead of three: the machine is shared
export ANSIBLE_PIPELINING=1
: >"$ANSIBLE_CONFIG"
play=$top/tools/ansible

# 1. lint and syntax
(cd "$play" && HOME="$tmp/ansible-home" ansible-lint --offline -q audit.yml \
    roles/cpkit_audit) >"$tmp/lint" 2>&1 && ok || { bad "ansible-lint"; head -30 "$tmp/lint"; }
ansible-playbook --syntax-check -i "$play/inventory/example.yml" \
    "$play/audit.yml" >"$tmp/syntax" 2>&1 && ok || { bad "syntax-check"; head "$tmp/syntax"; }
ansible-playbook --list-tags -i "$play/inventory/example.yml" "$play/audit.yml" >"$tmp/tags" 2>&1
for t in cpkit cpkit_install cpkit_scan; do
	grep -q "TASK TAGS:.*\b$t\b" "$tmp/tags" && ok || bad "no tag $t"
done

# 2. ports: free ones for the sshd processes, and one nobody listens on
# shellcheck disable=SC2046 # four numbers, split on purpose
set -- $(python3 -c '
import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
p_reg=$1 p_hive=$2 p_flash=$3 p_down=$4

# 3. the keys and the sshd processes (one host key each)
ssh-keygen -q -t ed25519 -N '' -f "$tmp/id" && cp "$tmp/id.pub" "$tmp/authorized_keys"
if [ ! -d /run/sshd ]; then mkdir -m 755 /run/sshd && made_run_sshd=1; fi
for h in reg hive flash; do
	eval "port=\$p_$h"
	mkdir -p "$tmp/$h/media" "$tmp/$h/tmp"
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/$h/hostkey"
	cat >"$tmp/$h/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/$h/hostkey
PidFile none
AuthorizedKeysFile $tmp/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
Subsystem sftp internal-sftp
LogLevel ERROR
EOF
	/usr/sbin/sshd -D -f "$tmp/$h/sshd_config" -E "$tmp/$h/sshd.log" &
	pids="$pids $!"
done
# each answers before the playbook starts
for h in reg hive flash; do
	eval "port=\$p_$h"
	i=0
	until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1
	done
done

# 4. the media
cp samples/registry/export-5.00.reg "$tmp/reg/media/export.reg"
cp samples/registry/SOFTWARE "$tmp/hive/media/SOFTWARE"
cp -r samples/flash/badhead.000 samples/flash/good2012.000 "$tmp/flash/media/"
cp -r "$fixtures/srv-emptypw.000" "$tmp/flash/srv.000"

# 5. the inventory: cpkit from the build tree, judged at the tests' date,
# in the run's language
user=$(id -un)
envs="CPKIT_NOW: \"$CPKIT_NOW\""
if [ -n "$l10n_lang" ]; then
	envs="$envs
        LANG: $LANG
        LC_ALL: $LC_ALL
        LANGUAGE: $LANGUAGE
        CPKIT_LOCALEDIR: $CPKIT_LOCALEDIR"
fi
# make asan's exit codes for a sanitizer report reach the far side too
for v in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
	eval "val=\${$v:-}"
	[ -n "$val" ] && envs="$envs
        $v: \"$val\""
done
hostvars() {	# hostvars NAME PORT PATH...
	n=$1 port=$2
	shift 2
	printf '    %s:\n      ansible_port: %s\n      cpkit_temp_parent: %s\n      cpkit_paths:\n' \
	    "$n" "$port" "$tmp/${n#h-}/tmp"
	for p; do printf '        - %s\n' "$p"; done
}
{
	cat <<EOF
all:
  vars:
    ansible_host: 127.0.0.1
    ansible_user: $user
    ansible_ssh_private_key_file: $tmp/id
    ansible_ssh_common_args: -o UserKnownHostsFile=$tmp/known_hosts -o ConnectTimeout=10
    ansible_python_interpreter: /usr/bin/python3
    ansible_remote_tmp: $tmp/remote-tmp
    cpkit_install: none
    cpkit_bin_dir: $bin
    cpkit_tokens: false
    cpkit_results_dir: $tmp/results
    cpkit_environment:
        $envs
  hosts:
EOF
	hostvars h-reg "$p_reg" "$tmp/reg/media/export.reg"
	hostvars h-hive "$p_hive" "$tmp/hive/media/SOFTWARE"
	hostvars h-flash "$p_flash" "$tmp/flash/media" "$tmp/flash/srv.000"
	hostvars h-broken "$p_reg" "$tmp/reg/media/missing"
	hostvars h-down "$p_down" "$tmp/reg/media"
} >"$tmp/inventory.yml"
mkdir -p "$tmp/broken/tmp" "$tmp/down/tmp"

# 6. check mode first: it changes nothing, here or on the controller
ansible-playbook --check -i "$tmp/inventory.yml" "$play/audit.yml" \
    >"$tmp/check.log" 2>&1 && ok || { bad "check mode: exit $?"; tail -20 "$tmp/check.log"; }
[ ! -e "$tmp/results" ] && ok || bad "check mode wrote results"
[ -z "$(find "$tmp/reg/tmp" "$tmp/hive/tmp" "$tmp/flash/tmp" -mindepth 1)" ] && ok || bad "check mode left a temp folder"

# 7. the audit; unreachable and failed hosts are recorded, not failures
t0=$(date +%s)
ansible-playbook -i "$tmp/inventory.yml" "$play/audit.yml" >"$tmp/play.log" 2>&1
rc=$?
t_play=$(($(date +%s) - t0))
# ansible-playbook's 4: a host was unreachable (it is, and is recorded)
[ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] && ok || { bad "playbook: exit $rc"; tail -40 "$tmp/play.log"; }
R=$tmp/results
state() { jq -r .state "$R/$1/status.json" 2>/dev/null; }
for h in h-reg h-hive h-flash; do
	[ "$(state $h)" = ok ] && ok || { bad "$h: state '$(state $h)'"; cat "$R/$h/status.json" 2>/dev/null; }
	jq -e --arg h $h '.schema == "cpkit.fleet-host/1" and .host == $h and .reason == null' \
	    "$R/$h/status.json" >/dev/null 2>&1 && ok || bad "$h: status.json"
done
for h in h-reg h-hive; do
	[ "$(jq .rc "$R/$h/status.json" 2>/dev/null)" = 0 ] && ok || bad "$h: rc not 0"
done
[ "$(jq .rc "$R/h-flash/status.json" 2>/dev/null)" = 1 ] && ok || bad "h-flash: rc not 1"

# the containers per host, in the fetched JSONL; its first line is the
# host's facts once cpkit-diag writes them (issue 19, the merge part)
count() { jq -s '[.[] | select(.container)] | length' "$R/$1/cpkit.jsonl" 2>/dev/null; }
[ "$(count h-reg)" = 2 ] && ok || bad "h-reg: $(count h-reg) containers, want 2"
[ "$(count h-hive)" = 3 ] && ok || bad "h-hive: $(count h-hive) containers, want 3"
[ "$(count h-flash)" = 3 ] && ok || bad "h-flash: $(count h-flash) containers, want 3"
[ "$(jq -s '[.[] | select(.container.status == "damaged")] | length' "$R/h-flash/cpkit.jsonl")" = 1 ] \
    && ok || bad "h-flash: not one damaged container"
[ "$(jq -s '[.[] | select(.container.certificate.subject == "O=cpkit samples,CN=Sample 2012-256 exchange")] | length' \
    "$R"/h-reg/cpkit.jsonl "$R"/h-hive/cpkit.jsonl "$R"/h-flash/cpkit.jsonl)" = 3 ] \
    && ok || bad "the shared certificate is not on the three hosts"
facts=0
for h in h-reg h-hive h-flash; do
	if head -1 "$R/$h/cpkit.jsonl" | jq -e .host >/dev/null 2>&1; then
		facts=$((facts + 1))
		head -1 "$R/$h/cpkit.jsonl" | jq -e '.host.schema == "cpkit.host/1" and (.host.searched | length) > 0' \
		    >/dev/null && ok || bad "$h: the facts line"
	fi
done
[ $facts -eq 0 ] && echo "e2e_fleet: no host facts line in --jsonl yet, not checked"

# the failed and the unreachable hosts: status.json with the reason only
[ "$(state h-broken)" = failed ] && ok || bad "h-broken: state '$(state h-broken)'"
[ "$(jq .rc "$R/h-broken/status.json" 2>/dev/null)" = 2 ] && ok || bad "h-broken: rc not 2"
has "h-broken reason" "$R/h-broken/status.json" "$tmp/reg/media/missing: no such file or directory"
[ "$(state h-down)" = unreachable ] && ok || bad "h-down: state '$(state h-down)'"
jq -e '.rc == null' "$R/h-down/status.json" >/dev/null 2>&1 && ok || bad "h-down: rc"
grep -q "port $p_down: Connection refused" "$R/h-down/status.json" && ok || bad "h-down: no reason"
for h in h-broken h-down; do
	[ "$(ls "$R/$h")" = status.json ] && ok || bad "$h: more than status.json"
done
[ "$(ls "$R" | wc -l)" -eq 5 ] && ok || bad "results: not the five hosts"
# a host lost after its first connection (no status.json at the end) is
# recorded by the playbook's last play, not dropped
cat >"$tmp/lost.yml" <<EOF
- name: The last play of audit.yml alone
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Record the hosts without a status
      ansible.builtin.include_role:
        name: cpkit_audit
        tasks_from: missing.yml
EOF
ANSIBLE_ROLES_PATH="$play/roles" ansible-playbook -i "$tmp/inventory.yml" \
    -e '{"cpkit_audit_targets": ["h-reg", "h-lost"]}' -e "cpkit_results_dir=$R" \
    "$tmp/lost.yml" >"$tmp/lost.log" 2>&1 && ok || { bad "lost: exit $?"; tail "$tmp/lost.log"; }
jq -e '.state == "failed" and .host == "h-lost" and (.reason | test("without a result"))' \
    "$R/h-lost/status.json" >/dev/null 2>&1 && ok || bad "h-lost: no failed status"
[ "$(state h-reg)" = ok ] && ok || bad "lost: h-reg's status changed"
rm -r "$R/h-lost"
# nothing left on the hosts: each temp folder removed
[ -z "$(find "$tmp/reg/tmp" "$tmp/hive/tmp" "$tmp/flash/tmp" -mindepth 1)" ] && ok || bad "a temp folder left on a host"

# a second run replaces the results, and a host that fails now has no
# old scan beside its status
sed -i "s|$tmp/hive/media/SOFTWARE|$tmp/hive/media/gone|" "$tmp/inventory.yml"
# (and --tags cpkit_scan: the tags reach the tasks that record a status;
# redacted under one key from the controller: the certificate h-reg and
# h-flash share has one placeholder subject, and the key is nowhere)
key=fleet-key-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$key" >"$tmp/fleet.key" && chmod 600 "$tmp/fleet.key"
ansible-playbook --tags cpkit_scan -i "$tmp/inventory.yml" -e cpkit_redact=true \
    -e "cpkit_redact_key_file=$tmp/fleet.key" "$play/audit.yml" >"$tmp/play2.log" 2>&1
[ "$(state h-hive)" = failed ] && [ ! -e "$R/h-hive/cpkit.jsonl" ] && ok || bad "rerun: h-hive's old scan stayed"
[ "$(state h-reg)" = ok ] && [ "$(state h-flash)" = ok ] && ok || { bad "rerun: h-reg, h-flash"; tail -30 "$tmp/play2.log"; }
subjects() { jq -r 'select(.container) | .container.certificate.subject // empty' "$R/$1/cpkit.jsonl" | sort -u; }
[ "$(subjects h-reg | grep -c .)" -eq 2 ] && [ "$(subjects h-flash | grep -c .)" -ge 1 ] \
    && [ "$(subjects h-reg | grep -cxFf - "$(subjects h-flash >"$tmp/sf"; echo "$tmp/sf")")" -eq 1 ] \
    && ok || bad "redacted: not one shared placeholder subject"
grep -rq "Sample 2012-256\|$key" "$R" "$tmp/play2.log" && bad "redacted: a name or the key in the results" || ok
[ -z "$(find "$tmp/reg/tmp" "$tmp/flash/tmp" -mindepth 1)" ] && ok || bad "redacted: the key left on a host"

# 8. the fleet report, once cpkit-diag has --merge
if "$bin/cpkit-diag" --help 2>&1 | grep -q -- --merge; then
	# exit 1: a host was unreachable, another failed, one container is
	# damaged (cpkit-diag(1), --merge)
	run "merge" 1 "$bin/cpkit-diag" --merge "$R" -o "$tmp/fleet.zip"
	mkdir "$tmp/f" && (cd "$tmp/f" && unzip -q ../fleet.zip)
	for m in report.html fleet.json report.txt; do
		[ -s "$tmp/f/$m" ] && ok || bad "fleet.zip: no $m"
	done
	F=$tmp/f/fleet.json
	jq -e '.schema == "cpkit.fleet/1"' "$F" >/dev/null 2>&1 && ok || bad "fleet.json: schema"
	for h in h-reg h-hive h-flash h-broken h-down; do
		for m in report.html report.txt; do
			grep -q "$h" "$tmp/f/$m" && ok || bad "$m: no host $h"
		done
	done
	for m in report.html report.txt fleet.json; do
		grep -q "port $p_down: Connection refused" "$tmp/f/$m" && ok || bad "$m: no reason of h-down"
	done
	# the shared certificate once, with its three hosts
	# the results are the redacted rerun's: the certificate h-reg and
	# h-flash share is one entry (by its keyed fingerprint) with both
	# hosts, and its subject is a placeholder
	c=$(jq -c '[.certificates[] | select((.hosts | sort) == ["h-flash","h-reg"])] | length' "$F")
	[ "$c" = 1 ] && ok || bad "fleet.json: the shared certificate not listed once with h-reg and h-flash: $c"
	grep -q "Sample 2012-256" "$tmp/f/report.txt" "$tmp/f/report.html" "$F" &&
	    bad "fleet report: a subject the hosts redacted" || ok
	# h-reg's 2 and h-flash's 3 containers; h-hive (its hive gone) and
	# h-broken failed, h-down unreachable; badhead.000 damaged
	n=$(jq -c '[.summary.containers, .summary.audited, .summary.unreachable, .summary.failed, .summary.by_status.damaged]' "$F")
	[ "$n" = "[5,2,1,2,1]" ] && ok || bad "fleet.json: summary $n, want [5,2,1,2,1]"
else
	echo "e2e_fleet: cpkit-diag has no --merge yet, the fleet report is not checked"
fi

echo "e2e_fleet: ${t_play}s for the playbook over 5 hosts, $(($(date +%s) - start))s in all"
e2e_done e2e_fleet
