#!/usr/bin/env bash
# Runs the client accuracy benchmark on a machine with no Node.js (the lent GPU host), from the
# pack that bench/perf-client/device/pack.sh made (.device-pack/, carried with the `run` call).
# Writes to $OUT (6 files):
#   machine.txt               the machine (cores, CPU model, memory, load, node, the pack's commit),
#                             then one line per step: its command, exit status and seconds
#   console.txt               every step's console output, one after another, each under a "== step" line
#   client-workers.json       perf:client, default client worker threads (cores - 1)
#   client-main.json          perf:client --workers 0 (the main thread)
#   (floor)                   perf:client-floor (a bare node:net reader: the machine's own floor), console only
#   client-workers-few.json   perf:client --workers PERF_FEW_WORKERS (4): fewer threads than cores - 1, which
#                             leaves cores to the scripted server and the system
#   client-workers-2.json     the first step again, if the time budget allows (run-to-run spread)
# Each step has its own timeout; the whole stays within PERF_BUDGET_S seconds (default 420).
# Settings (defaults are the full run; smaller values are for trying it out on a small machine):
#   PERF_SECONDS (3)  PERF_LEVELS (1,256,1024,4096)  PERF_SWEEP_STREAMS (1024)
#   PERF_RATES (100,200,400: the rate sweep stops at its first p99 miss; "" skips the sweep)
#   PERF_FLOOR_LEVELS (1,256,1024,4096)  PERF_WORKERS (unset: the benchmark's default)
#   PERF_FEW_WORKERS (4)  PERF_ARGS (more perf:client flags, e.g. "--transport undici")  PERF_BUDGET_S (420)
# Only the node unpacked from the pack into /tmp is run (by its absolute path), never one on PATH.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.." || exit 2
pack=${PERF_PACK:-.device-pack}
: "${OUT:?OUT must name the folder for the results}"
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
row_s=${PERF_SECONDS:-3}
levels=${PERF_LEVELS-1,256,1024,4096}
sweep_streams=${PERF_SWEEP_STREAMS:-1024}
rates=${PERF_RATES-100,200,400}
floor_levels=${PERF_FLOOR_LEVELS:-1,256,1024,4096}
budget=${PERF_BUDGET_S:-420}
few_workers=${PERF_FEW_WORKERS:-4}
machine=$OUT/machine.txt
console=$OUT/console.txt
: >"$console"

fail() {
  echo "device/run.sh: $*" | tee -a "$machine" >&2
  exit 2
}
[ -f "$pack/run.js" ] || fail "no $pack/run.js: run bench/perf-client/device/pack.sh here first and carry $pack"

# node, unpacked into /tmp
node_dir=$(mktemp -d /tmp/infermark-node.XXXXXX) || fail "cannot make a folder in /tmp"
trap 'rm -rf "$node_dir"' EXIT
node=$node_dir/node
if [ -f "$pack/node.xz" ]; then
  if command -v xz >/dev/null; then
    xz -dc "$pack/node.xz" >"$node"
  elif command -v python3 >/dev/null; then
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' \
      "$pack/node.xz" "$node"
  else
    fail "node.xz: neither xz nor python3 here to unpack it"
  fi
elif [ -f "$pack/node.gz" ]; then
  gzip -dc "$pack/node.gz" >"$node"
else
  fail "no node.xz or node.gz in $pack"
fi || fail "unpacking node failed"
chmod +x "$node"
node_version=$("$node" --version 2>&1) || fail "the unpacked node does not start: $node_version"

# 4,096 streams need 4,096+ sockets in the client and in the server process
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  if command -v lscpu >/dev/null; then
    lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|Socket\(s\)|NUMA node\(s\)|CPU max MHz)'
  else
    grep -m1 'model name' /proc/cpuinfo
  fi
  [ -r /sys/fs/cgroup/cpu.max ] && echo "cgroup cpu.max: $(cat /sys/fs/cgroup/cpu.max)"
  free -g
  echo "uptime: $(uptime)"
  echo "kernel: $(uname -sr)"
  echo "open files limit: $(ulimit -n)"
  echo "node: $node_version"
  cat "$pack/pack-info.txt" 2>/dev/null
  echo "settings: PERF_SECONDS=$row_s PERF_LEVELS=$levels PERF_SWEEP_STREAMS=$sweep_streams PERF_RATES=$rates PERF_FLOOR_LEVELS=$floor_levels PERF_WORKERS=${PERF_WORKERS:-default} PERF_ARGS=${PERF_ARGS:-} PERF_BUDGET_S=$budget"
  echo "steps:"
} >"$machine"
cat "$machine"

failed=0
# step NAME CAP_S COMMAND...: runs COMMAND under a timeout of CAP_S or what is left of the
# budget, whichever is less; its output goes to console.txt (and stdout) as it comes
step() {
  local name=$1 cap=$2
  shift 2
  local left=$((budget - SECONDS))
  if [ "$left" -lt 20 ]; then
    echo "  $name: skipped, $left s of the budget left" | tee -a "$machine"
    return
  fi
  local limit=$((cap < left ? cap : left)) t0=$SECONDS rc
  echo "== $name (timeout ${limit} s): ${*#"$node_dir/"}" | tee -a "$console"
  timeout -k 5 "$limit" "$@" 2>&1 | tee -a "$console"
  rc=$?
  [ "$rc" = 0 ] || failed=1
  local note=""
  [ "$rc" = 124 ] && note=" (timed out)"
  echo "  $name: exit $rc$note, $((SECONDS - t0)) s: ${*#"$node_dir/"}" | tee -a "$machine"
  last_s=$((SECONDS - t0))
}

client_args=(--seconds "$row_s" --levels "$levels" --sweep-streams "$sweep_streams" --rates "$rates")
[ -n "${PERF_WORKERS:-}" ] && client_args+=(--workers "$PERF_WORKERS")
# shellcheck disable=SC2206 # PERF_ARGS is split into flags on purpose
extra=(${PERF_ARGS:-})

last_s=0
step client-workers 120 \
  "$node" "$pack/run.js" "${client_args[@]}" "${extra[@]}" --json "$OUT/client-workers.json"
workers_s=$last_s
step client-main 150 \
  "$node" "$pack/run.js" "${client_args[@]}" --workers 0 "${extra[@]}" --json "$OUT/client-main.json"
step floor 90 \
  "$node" "$pack/floor.js" --levels "$floor_levels" --seconds "$row_s"
step client-workers-few 120 \
  "$node" "$pack/run.js" "${client_args[@]}" --workers "$few_workers" "${extra[@]}" --json "$OUT/client-workers-few.json"
if [ $((budget - SECONDS)) -ge $((workers_s + 15)) ]; then
  step client-workers-2 120 \
    "$node" "$pack/run.js" "${client_args[@]}" "${extra[@]}" --json "$OUT/client-workers-2.json"
else
  echo "  client-workers-2: skipped, $((budget - SECONDS)) s of the budget left" | tee -a "$machine"
fi
echo "  total: $SECONDS s, load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$machine"

echo
echo "== summary"
# each step's "client:" and "summary:" lines, from console.txt
awk '/^== /{step = $2; print "-- " step} /^client:/{split($0, a, ";"); print a[1]} /^summary:/{n = 5} n-- > 1
  step == "floor" && /^(streams| +[0-9]+ )/' "$console"
exit "$failed"
