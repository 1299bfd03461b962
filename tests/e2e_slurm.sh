#!/bin/sh
# The split password search on a real single-node Slurm (issue 20): a
# munged, a slurmctld and a slurmd started by this script in a temporary
# folder, with their own key, socket, ports and slurm.conf (no system
# service or file is touched), each stopped by its PID at the end. One
# job array of 4 tasks, task K running --part K/4: exactly one finds the
# password and exits 0, the three others say "Not found in part K/4" and
# exit 4. slurmd runs jobs as their user, so it needs root: 77 (skipped)
# otherwise. Prints "N passed, N failed".
set -u
bin=$(cd "${1:-build/bin}" && pwd)
if [ "$(id -u)" != 0 ]; then
	echo "e2e-slurm: skipped (slurmd needs root)"
	exit 77
fi
tmp=$(mktemp -d /tmp/cpkit-e2e-slurm.XXXXXX)
chmod 755 "$tmp"	# munged wants its socket's folder searchable by all
pids=""
stop_all() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap stop_all EXIT
trap 'exit 1' INT TERM
. tests/e2e_lib.sh
S=$(pwd)/samples/flash
P="$bin/cpkit-passwd"
for t in munged munge slurmctld slurmd sbatch squeue scontrol sinfo; do
	command -v $t > /dev/null ||
	    { bad "$t is not installed (scripts/setup.sh installs slurm-wlm and munge)"; e2e_done e2e-slurm; exit 1; }
done

# munge: a key of our own, the socket in our folder
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$tmp/munge.key"
munged -F -f --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" \
    --pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" \
    --seed-file="$tmp/munged.seed" > "$tmp/munged.out" 2>&1 &
pids="$! $pids"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -S "$tmp/munge.sock" ] && break; sleep 1; done
[ -S "$tmp/munge.sock" ] && ok || bad "munged did not start: $(tail -3 "$tmp/munged.out")"

# ports of our own, away from a system Slurm's 6817/6818
port=$((20000 + $$ % 20000))
host=$(hostname -s)
mkdir "$tmp/spool" "$tmp/state"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=cpkite2e
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=e2e Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
SLURM_CONF=$tmp/slurm.conf
export SLURM_CONF
slurmctld -D -i -f "$SLURM_CONF" > "$tmp/ctld.out" 2>&1 &
pids="$! $pids"
slurmd -D -f "$SLURM_CONF" > "$tmp/d.out" 2>&1 &
pids="$! $pids"
for i in $(seq 30); do
	sinfo -h -o %T 2>/dev/null | grep -q idle && break
	sleep 1
done
sinfo -h -o %T 2>/dev/null | grep -q idle && ok ||
    bad "the node did not come up: $(tail -3 "$tmp/slurmctld.log" "$tmp/slurmd.log" 2>&1)"

# 12345678 is number 78 of 123456?d?d: part 3 of 4 holds it
run "sbatch" 0 sbatch --parsable --array=1-4 --output="$tmp/job-%a.out" \
    --wrap "'$P' recover '$S/good2001.000' --mask '123456?d?d' --threads 1 --part \$SLURM_ARRAY_TASK_ID/4 --output '$tmp/found-'\$SLURM_ARRAY_TASK_ID --state '$tmp/st-'\$SLURM_ARRAY_TASK_ID"
job=$(cat "$tmp/out")
for i in $(seq 120); do
	[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
	sleep 1
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && ok || bad "the array did not finish"
[ "$(ls "$tmp" | grep -c '^found-')" -eq 1 ] && ok ||
    bad "$(ls "$tmp" | grep -c '^found-') tasks found it"
[ "$(cat "$tmp/found-3" 2>/dev/null)" = 12345678 ] && ok ||
    bad "task 3 did not write the password"
for k in 1 2 4; do
	has "task $k" "$tmp/job-$k.out" "Not found in part $k/4: all 25 of its candidates tried"
done
# the exit status of each task as Slurm saw it
scontrol show job "$job" > "$tmp/jobs" 2>&1
[ "$(grep -c 'ExitCode=0:0' "$tmp/jobs")" -eq 1 ] && ok || bad "exit 0: not one task"
[ "$(grep -c 'ExitCode=4:0' "$tmp/jobs")" -eq 3 ] && ok || bad "exit 4: not three tasks"

e2e_done e2e-slurm
