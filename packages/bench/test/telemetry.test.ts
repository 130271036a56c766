import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  amdSmiSampler,
  createPowerSampler,
  dcgmSampler,
  detectPowerSampler,
  flattenServerMetrics,
  nvidiaSmiSampler,
  parseAmdSmiMetricJson,
  parseDcgmPower,
  parseNvidiaSmiLine,
  parsePrometheusText,
  scrapeServerMetrics,
  serverMetricsDelta,
  TelemetryError,
} from "../src/index.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures/telemetry");
const fixture = (name: string) => readFile(join(FIXTURES, name), "utf8");

describe("nvidia-smi CSV", () => {
  it("parses readings and skips [N/A]", async () => {
    const lines = (await fixture("nvidia-smi-power.csv")).split("\n");
    const readings = lines.map(parseNvidiaSmiLine).filter((r) => r !== undefined);
    expect(readings.map((r) => [r.gpu, r.watts])).toEqual([
      [0, 312.45],
      [1, 698.1],
      [0, 455],
      [0, 520.7],
      [1, 700],
    ]);
    expect(readings[0]!.epochMs).toBe(new Date(2025, 0, 15, 10, 23, 45, 123).getTime());
    expect(readings[2]!.epochMs - readings[0]!.epochMs).toBe(101);
    expect(parseNvidiaSmiLine("timestamp, index, power.draw [W]")).toBeUndefined();
    expect(parseNvidiaSmiLine("")).toBeUndefined();
  });
});

describe("amd-smi metric --power --json", () => {
  it("reads {value, unit} power (ROCm 6.1+) and leaves out N/A GPUs", async () => {
    expect(parseAmdSmiMetricJson(await fixture("amd-smi-metric-power.json"))).toEqual([
      { gpu: 0, watts: 548 },
      { gpu: 1, watts: 1012 },
    ]);
  });
  it("reads the older string and number forms", async () => {
    expect(parseAmdSmiMetricJson(await fixture("amd-smi-metric-power-rocm60.json"))).toEqual([
      { gpu: 0, watts: 750 },
      { gpu: 1, watts: 745 },
    ]);
    expect(() => parseAmdSmiMetricJson("ERROR: no GPUs")).toThrow(TelemetryError);
  });
});

describe("Prometheus text", () => {
  it("parses labels with escapes, special values and timestamps", () => {
    const text = [
      "# HELP x help",
      'a{l="v\\"q",m="2"} 1.5 1712345678000',
      "b NaN",
      "c +Inf",
      "garbage line here",
    ].join("\n");
    const samples = parsePrometheusText(text);
    expect(samples.map((s) => s.name)).toEqual(["a", "b", "c"]);
    expect(samples[0]).toEqual({ name: "a", labels: { l: 'v"q', m: "2" }, value: 1.5 });
    expect(samples[2]!.value).toBe(Number.POSITIVE_INFINITY);
  });

  it("reads DCGM_FI_DEV_POWER_USAGE per GPU from a dcgm-exporter scrape", async () => {
    expect(parseDcgmPower(await fixture("dcgm-exporter.txt"))).toEqual([
      { gpu: 0, watts: 612.347 },
      { gpu: 1, watts: 598.12 },
    ]);
  });

  it("flattens vLLM metrics and derives cache and speculative-decoding ratios over a level", async () => {
    const before = flattenServerMetrics(await fixture("vllm-metrics-before.txt"));
    const after = flattenServerMetrics(await fixture("vllm-metrics-after.txt"));
    expect(Object.keys(before).some((k) => k.startsWith("python_") || k.endsWith("_bucket"))).toBe(
      false,
    );
    const { delta } = serverMetricsDelta(before, after);
    expect(delta["vllm:num_preemptions_total"]).toBe(2);
    expect(delta["vllm:time_to_first_token_seconds_count"]).toBe(32);
    expect(after["vllm:kv_cache_usage_perc"]).toBe(0.25);
    expect(delta["derived:prefix_cache_hit_rate"]).toBe(10240 / 40960);
    expect(delta["derived:spec_decode_acceptance_rate"]).toBeCloseTo(8000 / 12000, 12);
    expect(delta["derived:spec_decode_acceptance_length"]).toBe(3);
  });
});

describe("power samplers with the tools on PATH", () => {
  let bin: string;
  let server: Server;
  let dcgmUrl: string;
  let path: string | undefined;

  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), "infermark-fake-smi-"));
    // A stand-in for nvidia-smi: prints two GPUs' readings in the documented CSV format every -lms period.
    await writeFile(
      join(bin, "nvidia-smi"),
      `#!/usr/bin/env bash
case "$*" in *--query-gpu=index*) echo 0; echo 1; exit 0;; esac
[ -n "$FAKE_SMI_FAIL" ] && { echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." >&2; exit 9; }
[ -n "$FAKE_SMI_DELAY" ] && sleep "$FAKE_SMI_DELAY"
period=0.05
while [ $# -gt 0 ]; do [ "$1" = "-lms" ] && period=$(awk "BEGIN{print $2/1000}"); shift; done
if [ -n "$FAKE_SMI_DEAF" ]; then trap '' TERM; else trap 'exit 0' TERM; fi
while true; do
  ts=$(date '+%Y/%m/%d %H:%M:%S.%3N')
  echo "$ts, 0, 300.00"; echo "$ts, 1, [N/A]"; echo "$ts, 2, 500.5"
  sleep "$period"
done
`,
    );
    // A stand-in for amd-smi: node 1 of fake-srun prints the older fixture (other readings), and its first
    // FAKE_AMD_SMI_NODE1_FAILS runs (all, given "all") fail as amd-smi does on a node without a usable GPU.
    await writeFile(
      join(bin, "amd-smi"),
      `#!/usr/bin/env bash
[ "$1" = list ] && exit 0
# a hung amd-smi (a stuck driver call): on every node, or on node FAKE_AMD_SMI_HANG of a spread
{ [ "$FAKE_AMD_SMI_HANG" = all ] || { [ -n "$FAKE_AMD_SMI_HANG" ] && [ "$FAKE_AMD_SMI_HANG" = "$FAKE_SRUN_NODE" ]; }; } && exec sleep 30
[ -n "$FAKE_AMD_SMI_DELAY" ] && sleep "$FAKE_AMD_SMI_DELAY"
if [ "$FAKE_SRUN_NODE" = 1 ]; then
  if [ -n "$FAKE_AMD_SMI_NODE1_FAILS" ]; then
    n=$(cat "$FAKE_AMD_SMI_COUNTER" 2>/dev/null || echo 0); echo $((n + 1)) > "$FAKE_AMD_SMI_COUNTER"
    if [ "$FAKE_AMD_SMI_NODE1_FAILS" = all ] || [ "$n" -lt "$FAKE_AMD_SMI_NODE1_FAILS" ]; then
      echo "ERROR: unable to detect any GPU devices" >&2; exit 3
    fi
  fi
  exec cat ${JSON.stringify(join(FIXTURES, "amd-smi-metric-power-rocm60.json"))}
fi
cat ${JSON.stringify(join(FIXTURES, "amd-smi-metric-power.json"))}
`,
    );
    // A stand-in for `srun --label` across two nodes: runs the command once per node (FAKE_SRUN_NODE set to its
    // task number), each output and error line prefixed with the node's task number, and exits 1 when a task
    // failed, as srun does; node 1 starts FAKE_SRUN_LAG seconds late. Each launch (a job step on a cluster)
    // appends its pid to the file FAKE_SRUN_LAUNCHES names.
    await writeFile(
      join(bin, "fake-srun"),
      `#!/usr/bin/env node
const { spawn } = require("node:child_process");
const { appendFileSync } = require("node:fs");
const { createInterface } = require("node:readline");
const [command, ...args] = process.argv.slice(2);
if (process.env.FAKE_SRUN_LAUNCHES) appendFileSync(process.env.FAKE_SRUN_LAUNCHES, process.pid + "\\n");
const lag = Number(process.env.FAKE_SRUN_LAG ?? 0) * 1000;
const children = [];
let open = 2;
let failed = false;
for (const node of [0, 1]) {
  setTimeout(() => {
    const env = { ...process.env, FAKE_SRUN_NODE: String(node) };
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env });
    children.push(child);
    createInterface({ input: child.stdout }).on("line", (line) => process.stdout.write(node + ": " + line + "\\n"));
    createInterface({ input: child.stderr }).on("line", (line) => process.stderr.write(node + ": " + line + "\\n"));
    child.on("close", (code) => {
      if (code !== 0) failed = true;
      if (--open === 0) process.exit(failed ? 1 : 0);
    });
  }, node * lag);
}
process.on("SIGTERM", () => { for (const c of children) c.kill("SIGTERM"); });
`,
    );
    await chmod(join(bin, "fake-srun"), 0o755);
    await chmod(join(bin, "nvidia-smi"), 0o755);
    await chmod(join(bin, "amd-smi"), 0o755);
    const text = await fixture("dcgm-exporter.txt");
    server = createServer((_, res) => res.end(text));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    dcgmUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
  });

  afterAll(async () => {
    process.env.PATH = path;
    await new Promise((r) => server.close(r));
    await rm(bin, { recursive: true, force: true });
  });

  it("nvidia-smi: streams samples on the monotonic clock while running", async () => {
    const sampler = nvidiaSmiSampler({ intervalMs: 50 });
    const t0 = performance.now();
    await sampler.start();
    await new Promise((r) => setTimeout(r, 400));
    const samples = await sampler.stop();
    const t1 = performance.now();
    expect(new Set(samples.map((s) => s.gpu))).toEqual(new Set([0, 2]));
    expect(samples.filter((s) => s.gpu === 0).every((s) => s.watts === 300)).toBe(true);
    expect(samples.filter((s) => s.gpu === 0).length).toBeGreaterThanOrEqual(3);
    // nvidia-smi stamps in whole milliseconds of wall-clock time; allow for that and the clock conversion
    for (const s of samples) {
      expect(s.t).toBeGreaterThan(t0 - 50);
      expect(s.t).toBeLessThan(t1 + 50);
    }
  });

  it("nvidia-smi: start waits for the first sample, so a window that begins then is bracketed", async () => {
    process.env.FAKE_SMI_DELAY = "0.6";
    try {
      const sampler = nvidiaSmiSampler({ intervalMs: 50 });
      await sampler.start();
      const windowStart = performance.now();
      const samples = await sampler.stop();
      // a slow first line (nvidia-smi starting NVML) came before the window, not after it
      expect(samples.some((s) => s.t <= windowStart + 1)).toBe(true);
    } finally {
      delete process.env.FAKE_SMI_DELAY;
    }
  });

  it("a sampler started again (a sweep's next point) holds only its new samples and waits for its own first one", async () => {
    process.env.FAKE_SMI_DELAY = "0.3";
    try {
      for (const sampler of [
        nvidiaSmiSampler({ intervalMs: 50 }),
        amdSmiSampler({ intervalMs: 50 }),
      ]) {
        await sampler.start();
        const first = await sampler.stop();
        const restart = performance.now();
        await sampler.start();
        const windowStart = performance.now();
        const second = await sampler.stop();
        // before, the second stop returned the first measurement's samples too, and nvidia-smi's second start
        // did not wait (the old samples counted as its first): its window began before the new tool's first line
        expect([first.length > 0, second.every((s) => s.t >= restart)]).toEqual([true, true]);
        expect(second.some((s) => s.t <= windowStart)).toBe(true);
      }
    } finally {
      delete process.env.FAKE_SMI_DELAY;
    }
  });

  it("nvidia-smi: a tool that ignores SIGTERM is killed, and stop returns its samples", async () => {
    process.env.FAKE_SMI_DEAF = "1";
    try {
      const sampler = nvidiaSmiSampler({ intervalMs: 50 });
      await sampler.start();
      // before, stop waited for the tool's exit for ever, and the sweep with it
      const samples = await sampler.stop();
      expect([...new Set(samples.map((s) => s.gpu))].sort()).toEqual([0, 2]);
    } finally {
      delete process.env.FAKE_SMI_DEAF;
    }
  }, 20_000);

  it("nvidia-smi: a tool that dies before its first sample fails the start with what it said", async () => {
    process.env.FAKE_SMI_FAIL = "1";
    try {
      await expect(nvidiaSmiSampler({ intervalMs: 50 }).start()).rejects.toThrow(
        "nvidia-smi: nvidia-smi exited with code 9 before its first sample: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
      );
    } finally {
      delete process.env.FAKE_SMI_FAIL;
    }
  });

  it("nvidia-smi on every node of a multi-node job: GPUs numbered across the nodes, start waits for each node", async () => {
    process.env.FAKE_SRUN_LAG = "0.6";
    try {
      const sampler = nvidiaSmiSampler({
        intervalMs: 50,
        spread: { launcher: ["fake-srun"], nodes: 2 },
      });
      await sampler.start();
      const windowStart = performance.now();
      await new Promise((r) => setTimeout(r, 200));
      const samples = await sampler.stop();
      // each node reports GPUs 0 and 2 (1 has no reading): 3 a node, so node 1's are 3 and 5
      expect([...new Set(samples.map((s) => s.gpu))].sort()).toEqual([0, 2, 3, 5]);
      expect(samples.filter((s) => s.gpu === 5).every((s) => s.watts === 500.5)).toBe(true);
      // the late node's first sample came before the window: start waited for it, so every GPU is bracketed
      for (const gpu of [0, 3])
        expect(samples.some((s) => s.gpu === gpu && s.t <= windowStart)).toBe(true);
      // the GPUs to keep are taken as numbered across the nodes
      const kept = nvidiaSmiSampler({
        intervalMs: 50,
        gpus: [3],
        spread: { launcher: ["fake-srun"], nodes: 2 },
      });
      await kept.start();
      expect(new Set((await kept.stop()).map((s) => s.gpu))).toEqual(new Set([3]));
      // nodes of 4 GPUs (the job says so): node 1's GPU 0 is 4, whatever the nodes' last GPUs read
      const fours = nvidiaSmiSampler({
        intervalMs: 50,
        spread: { launcher: ["fake-srun"], nodes: 2, gpusPerNode: 4 },
      });
      await fours.start();
      expect([...new Set((await fours.stop()).map((s) => s.gpu))].sort()).toEqual([0, 2, 4, 6]);
    } finally {
      delete process.env.FAKE_SRUN_LAG;
    }
  }, 20_000);

  it("amd-smi: polls the JSON output", async () => {
    const sampler = amdSmiSampler({ intervalMs: 100 });
    await sampler.start();
    await new Promise((r) => setTimeout(r, 250));
    const samples = await sampler.stop();
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(samples.filter((s) => s.gpu === 1).every((s) => s.watts === 1012)).toBe(true);
  });

  it("amd-smi on several nodes: a reading is stamped at its run's midpoint, as a poll on one node is", async () => {
    // each run takes 0.8 s
    process.env.FAKE_AMD_SMI_DELAY = "0.8";
    try {
      const spread = { launcher: ["fake-srun"], nodes: 2 };
      const sampler = amdSmiSampler({ intervalMs: 50, spread });
      await sampler.start();
      const started = performance.now();
      const samples = await sampler.stop();
      const first = Math.min(...samples.map((s) => s.t));
      // start() returned when every node's first run had ended; its readings were taken about 0.4 s before (stamped
      // when the run ended, they came after start() had spent its 0.8 s, a few ms before it returned)
      expect(started - first).toBeGreaterThan(250);
    } finally {
      delete process.env.FAKE_AMD_SMI_DELAY;
    }
  }, 20_000);

  it("amd-smi: a run that hangs is stopped after its time limit, on one node and on each node of a job", async () => {
    process.env.FAKE_AMD_SMI_HANG = "all";
    try {
      // before, the first poll waited for amd-smi for ever, and with it the sweep
      const one = amdSmiSampler({ intervalMs: 50, runTimeoutMs: 300 });
      await expect(one.start()).rejects.toThrow("amd-smi: amd-smi did not finish in 0.3 s");
      // on the nodes, coreutils timeout stops each run; the node's loop goes on and says why it has no reading
      process.env.FAKE_AMD_SMI_HANG = "1";
      const spread = { launcher: ["fake-srun"], nodes: 2 };
      const nodes = amdSmiSampler({ intervalMs: 50, runTimeoutMs: 300, spread });
      await expect(nodes.start()).rejects.toThrow(
        /^amd-smi: node 1 of 2 gave no power reading in \d+ ms \(node 1: .*amd-smi did not finish in 0\.3 s\)$/,
      );
    } finally {
      delete process.env.FAKE_AMD_SMI_HANG;
    }
  }, 20_000);

  it("amd-smi on every node of a multi-node job: one launcher run per start, GPUs numbered across the nodes, start waits for each node", async () => {
    // node 1's first two amd-smi runs fail: its loop goes on, and its first reading is its third run's
    const runs = join(bin, "amd-smi-calls");
    const launches = join(bin, "srun-launches");
    process.env.FAKE_AMD_SMI_NODE1_FAILS = "2";
    process.env.FAKE_AMD_SMI_COUNTER = runs;
    process.env.FAKE_SRUN_LAUNCHES = launches;
    const spread = { launcher: ["fake-srun"], nodes: 2 };
    const launched = async () => (await readFile(launches, "utf8")).trim().split("\n");
    try {
      const sampler = amdSmiSampler({ intervalMs: 50, spread });
      await sampler.start();
      const windowStart = performance.now();
      await new Promise((r) => setTimeout(r, 200));
      const samples = await sampler.stop();
      const times = (gpu: number) => samples.filter((s) => s.gpu === gpu).map((s) => s.t);
      // several readings of every node, all from one launcher run (one job step), not one run per reading
      expect([times(0).length >= 3, times(2).length >= 1, (await launched()).length]).toEqual([
        true,
        true,
        1,
      ]);
      // node 0 reads 548 and 1012 W, node 1 750 and 745 W: node 1's GPUs come after node 0's two
      expect([...new Set(samples.map((s) => `${s.gpu}: ${s.watts}`))].sort()).toEqual([
        "0: 548",
        "1: 1012",
        "2: 750",
        "3: 745",
      ]);
      // start waited until node 1 answered: its GPUs have a sample before the window too
      for (const gpu of [2, 3])
        expect(samples.some((s) => s.gpu === gpu && s.t <= windowStart)).toBe(true);
      // a node's GPUs are read together, at the end of the node's run
      expect([times(1), times(3)]).toEqual([times(0), times(2)]);
      // node 1's failed runs made up no reading: one per run that succeeded (the last may have been stopped
      // before its end)
      const node1Runs = Number(await readFile(runs, "utf8"));
      expect([node1Runs - 3, node1Runs - 2]).toContain(times(2).length);
      delete process.env.FAKE_AMD_SMI_NODE1_FAILS;
      // the GPUs to keep are taken as numbered across the nodes; createPowerSampler passes the spread on
      const kept = await createPowerSampler("amd-smi", { intervalMs: 50, gpus: [3], spread });
      await kept!.start();
      expect([...new Set((await kept!.stop()).map((s) => `${s.gpu}: ${s.watts}`))]).toEqual([
        "3: 745",
      ]);
      // node 0's GPU 2 reads N/A: numbered by the job's 3 GPUs a node, node 1's GPUs are 3 and 4; the command
      // reaches each node as one word, however it is spelled
      const odd = join(bin, "amd smi $(exit 7) 'x'");
      await symlink(join(bin, "amd-smi"), odd);
      const threes = amdSmiSampler({
        intervalMs: 50,
        command: odd,
        spread: { ...spread, gpusPerNode: 3 },
      });
      await threes.start();
      expect([...new Set((await threes.stop()).map((s) => `${s.gpu}: ${s.watts}`))].sort()).toEqual(
        ["0: 548", "1: 1012", "3: 750", "4: 745"],
      );
      expect((await launched()).length).toBe(3);
    } finally {
      delete process.env.FAKE_AMD_SMI_NODE1_FAILS;
      delete process.env.FAKE_AMD_SMI_COUNTER;
      delete process.env.FAKE_SRUN_LAUNCHES;
    }
  }, 20_000);

  it("amd-smi on several nodes: a node that never answers fails the start, naming it and why, and its launcher is stopped", async () => {
    const launches = join(bin, "srun-launches-dead");
    process.env.FAKE_AMD_SMI_NODE1_FAILS = "all";
    process.env.FAKE_AMD_SMI_COUNTER = join(bin, "amd-smi-calls-dead");
    process.env.FAKE_SRUN_LAUNCHES = launches;
    try {
      const sampler = amdSmiSampler({
        intervalMs: 50,
        spread: { launcher: ["fake-srun"], nodes: 2 },
      });
      // node 0's samples alone would pass for a configuration of 2 GPUs, not 4
      await expect(sampler.start()).rejects.toThrow(
        new TelemetryError(
          "amd-smi: node 1 of 2 gave no power reading in 5150 ms (node 1: ERROR: unable to detect any GPU devices)",
        ),
      );
      // the failed start left no job step running: the sweep calls no stop after it
      const [pid, ...more] = (await readFile(launches, "utf8")).trim().split("\n");
      expect(more).toEqual([]);
      expect(() => process.kill(Number(pid), 0)).toThrow("ESRCH");
    } finally {
      delete process.env.FAKE_AMD_SMI_NODE1_FAILS;
      delete process.env.FAKE_AMD_SMI_COUNTER;
      delete process.env.FAKE_SRUN_LAUNCHES;
    }
  }, 20_000);

  // 127.0.0.2 is loopback on Linux only: two exporters on one port stand for two nodes
  it.runIf(process.platform === "linux")(
    "dcgm on every node of a job: each host's exporter, GPUs numbered across the nodes; a host without one fails the start",
    async () => {
      const port = (server.address() as AddressInfo).port;
      const second = createServer((_, res) =>
        res.end('DCGM_FI_DEV_POWER_USAGE{gpu="0"} 300\nDCGM_FI_DEV_POWER_USAGE{gpu="1"} 310\n'),
      );
      await new Promise<void>((r) => second.listen(port, "127.0.0.2", r));
      try {
        // createPowerSampler passes the spread on (its probe reads the first node's URL)
        const sampler = await createPowerSampler("dcgm", {
          dcgmUrl,
          intervalMs: 50,
          spread: { launcher: ["srun"], nodes: 2, hosts: ["127.0.0.1", "127.0.0.2"] },
        });
        await sampler!.start();
        await new Promise((r) => setTimeout(r, 150));
        const samples = await sampler!.stop();
        expect([...new Set(samples.map((s) => `${s.gpu}: ${s.watts}`))].sort()).toEqual([
          "0: 612.347",
          "1: 598.12",
          "2: 300",
          "3: 310",
        ]);
        const dead = dcgmSampler({
          url: dcgmUrl,
          intervalMs: 50,
          spread: { launcher: ["srun"], nodes: 2, hosts: ["127.0.0.1", "127.0.0.3"] },
        });
        await expect(dead.start()).rejects.toThrow(
          new TelemetryError(
            `dcgm: node 1 of 2 gave no power reading in 5150 ms (node 1: http://127.0.0.3:${port}/metrics: connect ECONNREFUSED 127.0.0.3:${port})`,
          ),
        );
      } finally {
        await new Promise((r) => second.close(r));
      }
    },
    20_000,
  );

  it("dcgm: scrapes the exporter", async () => {
    const sampler = dcgmSampler({ url: dcgmUrl, intervalMs: 50 });
    await sampler.start();
    await new Promise((r) => setTimeout(r, 200));
    const samples = await sampler.stop();
    expect(samples.filter((s) => s.gpu === 0).every((s) => s.watts === 612.347)).toBe(true);
    expect(samples.length).toBeGreaterThanOrEqual(6);
  });

  it("auto picks nvidia-smi first; none gives no sampler; a missing exporter fails at creation", async () => {
    expect(await detectPowerSampler(dcgmUrl)).toBe("nvidia-smi");
    expect(await createPowerSampler("none")).toBeUndefined();
    const dead = "http://127.0.0.1:9/metrics";
    await expect(createPowerSampler("dcgm", { dcgmUrl: dead })).rejects.toThrow(
      new TelemetryError(`dcgm is not available: no DCGM exporter at ${dead} (fetch failed)`),
    );
    // a dcgm sampler built directly still fails when it starts
    await expect(dcgmSampler({ url: dead }).start()).rejects.toThrow(/dcgm: /);
  });

  it("a named tool that is not on PATH fails at creation; auto falls back to none quietly", async () => {
    const withTools = process.env.PATH;
    process.env.PATH = join(bin, "no-such-dir");
    try {
      await expect(createPowerSampler("nvidia-smi")).rejects.toThrow(
        new TelemetryError(
          "nvidia-smi is not available: cannot run nvidia-smi (spawn nvidia-smi ENOENT)",
        ),
      );
      await expect(createPowerSampler("amd-smi")).rejects.toThrow(
        new TelemetryError("amd-smi is not available: cannot run amd-smi (spawn amd-smi ENOENT)"),
      );
      expect(
        await createPowerSampler("auto", { dcgmUrl: "http://127.0.0.1:9/metrics" }),
      ).toBeUndefined();
    } finally {
      process.env.PATH = withTools;
    }
  });

  it("scrapes a server's /metrics", async () => {
    const metrics = await scrapeServerMetrics(dcgmUrl);
    expect(metrics.DCGM_FI_DEV_POWER_USAGE).toBeCloseTo(612.347 + 598.12, 9);
  });
});

describe("server metrics that are not Prometheus text", () => {
  let server: Server;
  let origin: string;
  /** Answers each path with its body, as JSON when it is JSON (trtllm-serve's /metrics), else as text. */
  const pages: Record<string, string> = {
    // tensorrt_llm/serve/openai_server.py: `/metrics` is `get_iteration_stats`, a JSON list; the Prometheus metrics
    // are at `/prometheus/metrics`, mounted only with return_perf_metrics
    "/metrics": "[]",
    "/stats": '[{"iter":12,"numActiveRequests":3,"kvCacheStats":{"usedNumBlocks":40}}]',
    "/login": "<!doctype html><html><body>sign in</body></html>",
    "/prometheus/metrics":
      '# TYPE request_success_total counter\nrequest_success_total{model_name="undefined"} 2.0\n',
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = pages[req.url ?? ""] ?? "";
      const json = body.startsWith("[") || body.startsWith("{");
      res.writeHead(200, {
        "content-type": json
          ? "application/json"
          : body.startsWith("<")
            ? "text/html"
            : "text/plain",
      });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it("refuses a JSON answer (trtllm-serve's iteration statistics) instead of reading it as no metrics", async () => {
    for (const path of ["/metrics", "/stats"]) {
      await expect(scrapeServerMetrics(origin + path)).rejects.toThrow(
        new TelemetryError(
          `server metrics: ${origin}${path} answered JSON, not Prometheus text (trtllm-serve's /metrics gives iteration statistics; its Prometheus metrics are at /prometheus/metrics, with return_perf_metrics)`,
        ),
      );
    }
  });

  it("refuses an HTML page, and still reads Prometheus text", async () => {
    await expect(scrapeServerMetrics(`${origin}/login`)).rejects.toThrow(
      new TelemetryError(`server metrics: ${origin}/login answered HTML, not Prometheus text`),
    );
    expect(await scrapeServerMetrics(`${origin}/prometheus/metrics`)).toEqual({
      request_success_total: 2,
    });
  });
});
