#!/usr/bin/env bash
# Runs a sweep plan through a REAL Slurm and checks its merge byte for byte against a local
# one-process run of the same plan (docs/sweeps.md).
#
#   sudo bash scripts/slurm-test.sh [PLAN]        (default: test/fixtures/sweep/plan24.yaml)
#
# As root: installs Debian's slurm-wlm and munge if missing, then starts its own single-node
# cluster — munged (own key and socket), slurmctld and slurmd (one node, CPUs=2,
# select/cons_tres, proctrack/linuxproc, task/none, no accounting) with every state, spool,
# log and pid file in a temporary folder and ports of their own — submits the plan as a job
# array through the script `lepton sweep emit --slurm` writes, waits for it, merges, compares
# with the local run, and stops the daemons it started, by PID (trap: also on failure).
# Needs dist/ (npm ci or npm run build). Exit 0 = identical; 1 = test failed; 2 = cannot run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$PWD
PLAN=$(realpath "${1:-test/fixtures/sweep/plan24.yaml}")
TASKS=${SLURM_TEST_TASKS:-4}
TIMEOUT_S=${SLURM_TEST_TIMEOUT:-900}

if [[ $(id -u) != 0 ]]; then
  echo "slurm-test: needs root (installs packages, runs slurmd as root); run with sudo" >&2
  exit 2
fi
[[ -f dist/src/cli/main.js ]] || { echo "slurm-test: dist/ missing: run npm ci or npm run build" >&2; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  echo "slurm-test: installing slurm-wlm and munge (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi

T=$(mktemp -d /tmp/lepton-slurm-XXXXXX)
chmod 755 "$T"
PIDS=()
JOB=""
cleanup() {
  local rc=$?
  if [[ -n $JOB ]]; then scancel "$JOB" 2>/dev/null || true; fi
  # Stop what we started, newest first, by PID only.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ $rc != 0 ]]; then
    echo "slurm-test: FAILED (exit $rc); logs:" >&2
    for f in "$T"/*.log "$T"/out/slurm/*.out; do
      [[ -f $f ]] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
    done
  fi
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT

# Ports of our own (a system Slurm may be running on 6817/6818).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
HOST=$(hostname -s)

# munge: a fresh key and a private socket.
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge.key"
munged --foreground --force --key-file="$T/munge.key" --socket="$T/munge.socket" \
  --pid-file="$T/munged.pid" --log-file="$T/munged.log" --seed-file="$T/munged.seed" 2>>"$T/munged.stderr.log" &
PIDS+=($!)

mkdir -p "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<EOF
ClusterName=leptontest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge.socket
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=lepton Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$T/slurm.conf

for _ in $(seq 50); do [[ -S $T/munge.socket ]] && break; sleep 0.1; done
[[ -S $T/munge.socket ]] || { echo "slurm-test: munged did not start" >&2; exit 1; }

slurmctld -D -c -f "$SLURM_CONF" 2>>"$T/slurmctld.stderr.log" &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" 2>>"$T/slurmd.stderr.log" &
PIDS+=($!)

echo "slurm-test: waiting for node $HOST (slurmctld :$CTLD_PORT, slurmd :$SLURMD_PORT, files in $T)"
state=""
for _ in $(seq 120); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
  [[ $state == idle* ]] && break
  sleep 0.5
done
[[ $state == idle* ]] || { echo "slurm-test: node not idle (state '$state')" >&2; exit 1; }
sinfo

# The plan through the emitted job-array script.
node bin/lepton.js sweep emit "$PLAN" --slurm --tasks "$TASKS" --out "$T/out" --to "$T/sweep.sbatch"
JOB=$(sbatch --parsable "$T/sweep.sbatch")
JOB=${JOB%%;*}
echo "slurm-test: submitted job array $JOB ($TASKS tasks)"
start=$SECONDS
while [[ -n $(squeue -h -j "$JOB" 2>/dev/null) ]]; do
  if ((SECONDS - start > TIMEOUT_S)); then
    echo "slurm-test: job $JOB still queued/running after ${TIMEOUT_S} s" >&2
    squeue -j "$JOB" >&2 || true
    exit 1
  fi
  sleep 2
done
JOB_DONE=$JOB
JOB=""
echo "slurm-test: job $JOB_DONE finished after $((SECONDS - start)) s"
ls "$T/out/slurm"
node bin/lepton.js sweep status "$PLAN" --out "$T/out"
node bin/lepton.js sweep merge "$PLAN" --out "$T/out"

# The same plan in one local process.
node bin/lepton.js sweep "$PLAN" --out "$T/local" 2>/dev/null
node bin/lepton.js sweep merge "$PLAN" --out "$T/local"
for f in summary.csv summary.json report.md; do
  cmp "$T/out/merged/$f" "$T/local/merged/$f"
done
# Every cell really ran under Slurm (its manifest names the array task).
tasks_seen=$(grep -ho '"slurmArrayTask": "[0-9]*"' "$T"/out/cells/*/manifest.json | sort -u | wc -l)
echo "slurm-test: cells computed by $tasks_seen distinct array tasks"
[[ $tasks_seen == "$TASKS" ]] || { echo "slurm-test: expected $TASKS array tasks in the manifests" >&2; exit 1; }
echo "slurm-test: OK — the Slurm run's merge is byte-identical to the local run (summary.csv, summary.json, report.md)"
