#!/usr/bin/env bash
# Installs (if missing) and starts a real one-node Slurm cluster (Debian's slurm-wlm 22.05 with munge, no slurmdbd,
# no cgroups) for the sweep's Slurm executor tests, then appends INFERMARK_TEST_SLURM=1 to .ci/env.
# Idempotent: safe to run again; daemons already running are left alone. Follows
# shared/howto/slurm-on-one-machine.md. Stop the daemons with: kill $(cat /run/slurmctld.pid /run/slurmd.pid)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
log() { echo "setup-slurm: $*" >&2; }

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  log "installing slurm-wlm munge"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q slurm-wlm munge >&2
fi

host=$(hostname -s)
cpus=$(nproc)
mem=$(($(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 - 1024))
[ "$mem" -gt 0 ] || mem=1024

as_root mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /etc/slurm
if [ ! -f /etc/munge/munge.key ]; then
  as_root dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
as_root chown -R munge:munge /etc/munge /run/munge
as_root chmod 400 /etc/munge/munge.key

conf=$(
  cat <<CONF
# Written by infermark .ci/setup-slurm.sh: one node, no accounting daemon.
ClusterName=local
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
)
if [ ! -f /etc/slurm/slurm.conf ] || [ "$(cat /etc/slurm/slurm.conf)" != "$conf" ]; then
  log "writing /etc/slurm/slurm.conf"
  printf '%s\n' "$conf" | as_root tee /etc/slurm/slurm.conf >/dev/null
  changed=1
else
  changed=0
fi

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if ! pgrep -x munged >/dev/null 2>&1; then
  log "starting munged"
  as_root su -s /bin/sh munge -c /usr/sbin/munged
fi
if [ "$changed" = 1 ] && running /run/slurmctld.pid; then
  as_root scontrol reconfigure >&2 || true
fi
if ! running /run/slurmctld.pid; then
  log "starting slurmctld"
  as_root slurmctld
fi
if ! running /run/slurmd.pid; then
  log "starting slurmd"
  as_root slurmd
fi

state=""
for _ in $(seq 1 60); do
  state=$(sinfo -h -o %T 2>/dev/null | head -n 1 || true)
  case "$state" in
  idle | mixed | allocated) break ;;
  down* | drain* | unknown*) as_root scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
case "$state" in
idle | mixed | allocated) log "node $host is $state" ;;
*)
  log "slurm did not become idle (state: ${state:-none}); see /var/log/slurm/"
  exit 1
  ;;
esac

mkdir -p .ci
touch .ci/env
[ ! -s .ci/env ] || [ -z "$(tail -c 1 .ci/env)" ] || echo >>.ci/env
grep -qx 'INFERMARK_TEST_SLURM=1' .ci/env || echo 'INFERMARK_TEST_SLURM=1' >>.ci/env
sinfo >&2
