#!/usr/bin/env bash
# `npm run perf:client-pack`: packs the client accuracy benchmark (`perf:client`, `perf:client-floor`)
# for a machine that has no Node.js and no node_modules, such as the lent GPU host, into the
# git-ignored folder .device-pack/ at the repository root:
#   run.js, floor.js, scripted-sse-server.js   the benchmark's entry points, bundled with esbuild
#   client-worker.js                           the bench package's client worker thread entry:
#                                              WorkerTransport (bundled into run.js) starts
#                                              `new URL("./client-worker.js", import.meta.url)`,
#                                              so it must sit next to run.js under this name
#   package.json                               {"type":"module"}: the bundles are ES modules
#   node.xz (node.gz without xz)               this machine's Node.js binary, compressed
#   node-version.txt, pack-info.txt            the Node version; the commit and state packed
# Workspace packages resolve to their sources (--conditions=infermark-source, as the npm scripts
# run them). Then it runs the bundle once from a folder outside the repository (so nothing can
# come from node_modules) with 2 client worker threads, checks the working tree that would travel
# stays under 64 MiB, and prints the `run` call to make. Run it from anywhere in the repository.
#
# Environment: PACK_NODE (the node binary to pack; default `command -v node`), PACK_SMOKE=0 skips
# the smoke run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
root=$(pwd)
pack=.device-pack
limit=$((64 * 1024 * 1024))

fail() {
  echo "perf:client-pack: $*" >&2
  exit 1
}

esbuild=node_modules/.bin/esbuild
[ -x "$esbuild" ] || fail "no $esbuild (it comes with tsx's dependencies: run npm ci first)"
node_bin=${PACK_NODE:-$(command -v node || true)}
[ -n "$node_bin" ] && [ -x "$node_bin" ] || fail "no node binary to pack (set PACK_NODE)"
node_bin=$(readlink -f "$node_bin")
node_version=$("$node_bin" --version)
case "$node_version" in
v20.*) ;;
*) echo "perf:client-pack: warning: packing node $node_version; the bundles target node20" >&2 ;;
esac
git check-ignore -q "$pack/" ||
  fail "$pack/ is not git-ignored: it would travel with the working tree and cannot be carried"

rm -rf "$pack"
mkdir -p "$pack"
"$esbuild" --bundle --platform=node --target=node20 --format=esm \
  --conditions=infermark-source --log-level=warning \
  --banner:js="import { createRequire as __infermarkCreateRequire } from 'node:module'; const require = __infermarkCreateRequire(import.meta.url);" \
  --outdir="$pack" --entry-names='[name]' \
  run=bench/perf-client/run.ts \
  floor=bench/perf-client/floor.ts \
  scripted-sse-server=bench/perf-client/scripted-sse-server.ts \
  client-worker=packages/bench/src/client/client-worker.ts
# the banner: CommonJS dependencies bundled into an ES module (undici) call require("node:...")
echo '{ "type": "module" }' >"$pack/package.json"

if command -v xz >/dev/null; then
  xz -T2 -6 -c "$node_bin" >"$pack/node.xz"
else
  echo "perf:client-pack: no xz here; compressing node with gzip" >&2
  gzip -9 -c "$node_bin" >"$pack/node.gz"
fi
echo "$node_version" >"$pack/node-version.txt"
{
  echo "packed: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse HEAD) ($(git log -1 --format=%s | cut -c1-100))"
  changed=$(git status --porcelain -- bench/perf-client packages/bench packages/core ':!bench/perf-client/device' | wc -l)
  echo "uncommitted changes in bench/perf-client, packages/bench, packages/core: $changed file(s)"
  echo "packed node: $node_version ($node_bin)"
  echo "esbuild: $("$esbuild" --version)"
} >"$pack/pack-info.txt"

if [ "${PACK_SMOKE:-1}" != 0 ]; then
  # from a folder outside the repository: a bare import left in a bundle would fail here
  smoke=$(mktemp -d /tmp/infermark-pack-smoke.XXXXXX)
  trap 'rm -rf "$smoke"' EXIT
  cp "$pack"/*.js "$pack/package.json" "$smoke/"
  log=$(
    timeout 60 "$node_bin" "$smoke/run.js" --workers 2 --seconds 1 --levels 8 --rates "" \
      --json "$smoke/rows.json" 2>&1
  ) || fail "smoke run of the bundle failed: $log"
  grep -q "2 worker thread(s)" <<<"$log" || fail "smoke run: no '2 worker thread(s)' line: $log"
  "$node_bin" -e '
    const { rows, workers } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const r = rows[0];
    if (workers !== 2 || !r || r.failed !== 0 || !(r.eventsKept > 0)) {
      console.error(JSON.stringify(r));
      process.exit(1);
    }
    console.log(`smoke run: 2 client worker threads, ${r.streams} streams, ${r.eventsKept} events kept, 0 failed, error p99 ${r.errorMs.p99.toFixed(3)} ms`);
  ' "$smoke/rows.json" || fail "smoke run: streams failed or no events kept: $log"
fi

# what travels: tracked and untracked-not-ignored files (shared/ inside the checkout too, if any),
# plus the carried pack
bytes() { { xargs -0 -r stat -c %s -- 2>/dev/null || true; } | awk '{ s += $1 } END { print s + 0 }'; }
tree=$(git ls-files -z --cached --others --exclude-standard | bytes)
packed=$(find "$pack" -type f -print0 | bytes)
total=$((tree + packed))
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "pack: $root/$pack: $(mib "$packed") (node $node_version compressed: $(mib "$(find "$pack" -name 'node.*z' -print0 | bytes)"))"
echo "working tree that travels: $(mib "$tree") + pack = $(mib "$total") of the 64 MiB limit"
[ "$total" -lt "$limit" ] || fail "over the 64 MiB limit"
cat <<'EOF'

On the lent machine, make this one `run` call (it stays within 7 minutes; its 6 files come back from $OUT):
  carry: [".device-pack"]
  command: bash bench/perf-client/device/run.sh
  timeout_s: 540
EOF
