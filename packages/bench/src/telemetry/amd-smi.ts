import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import type { PowerSample } from "@infermark/core";
import { LineProcessSampler } from "./line-process-sampler.js";
import {
  linesByNode,
  type NodeSpread,
  nodeSample,
  numberAcrossNodes,
  sampleNode,
  splitNodeLabel,
} from "./node-spread.js";
import { type GpuReading, PollingSampler } from "./polling-sampler.js";
import { TelemetryError } from "./telemetry-error.js";
import type { PowerSampler, PowerSamplerOptions } from "./types.js";

const run = promisify(execFile);

/** amd-smi is a Python tool that takes a few hundred ms per call: poll it once a second by default. */
export const DEFAULT_AMD_SMI_INTERVAL_MS = 1000;

const AMD_SMI_ARGS = ["metric", "--power", "--json"];

/**
 * How long one run of amd-smi may take before it is stopped and counted as a failed reading (ms): a hung run would
 * otherwise hold the sampler, and a sweep's stop waits for the poll in flight.
 */
export const AMD_SMI_RUN_TIMEOUT_MS = 10_000;

/**
 * Parses `amd-smi metric --power --json`: a list (or `{ gpu_data: [...] }`) of `{ gpu, power: { socket_power } }`
 * where the power is `{ value, unit }` (ROCm 6.1+), a number in W, or a string such as `"550 W"`. GPUs reporting
 * `"N/A"` are left out.
 */
export function parseAmdSmiMetricJson(text: string): GpuReading[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TelemetryError(`amd-smi: output is not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const list = Array.isArray(data) ? data : (data as { gpu_data?: unknown[] })?.gpu_data;
  if (!Array.isArray(list))
    throw new TelemetryError("amd-smi: expected a list of GPUs in the JSON output");
  const out: GpuReading[] = [];
  for (const entry of list as Record<string, unknown>[]) {
    const power = entry.power as Record<string, unknown> | undefined;
    const watts = toWatts(
      power?.socket_power ?? power?.current_socket_power ?? power?.average_socket_power,
    );
    const gpu = Number(entry.gpu);
    if (Number.isInteger(gpu) && watts !== undefined) out.push({ gpu, watts });
  }
  return out;
}

function toWatts(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string") {
    const m = /^\s*([\d.]+)\s*(W|mW|uW)?\s*$/.exec(v);
    return m ? scale(Number(m[1]), m[2]) : undefined;
  }
  if (v && typeof v === "object" && "value" in v) {
    const { value, unit } = v as { value: unknown; unit?: string };
    const n = typeof value === "number" ? value : Number(value);
    return Number.isFinite(n) ? scale(n, unit) : undefined;
  }
  return undefined;
}

const scale = (n: number, unit: string | undefined): number =>
  unit === "mW" ? n / 1000 : unit === "uW" ? n / 1e6 : n;

const lastLine = (text: string | undefined): string | undefined =>
  text?.trim().split("\n").at(-1)?.trim() || undefined;

/** The line the loop prints on a node after each amd-smi run, failed or not; no JSON line reads so. */
const RUN_END = "@@infermark-amd-smi-end@@";
/** The line the loop prints on a node just before each amd-smi run. */
const RUN_START = "@@infermark-amd-smi-start@@";

/**
 * The loop that runs amd-smi on a node for as long as the launcher's step lasts: `sh -c LOOP tool seconds limit
 * args...`, the tool as `$0`, the pause as `$1`, a run's time limit as `$2` and amd-smi's arguments after them, so
 * nothing is spliced into the script. A run
 * starts every interval, or when the last one ended if it took longer; the pause runs beside amd-smi with no output
 * held open, so a stopped step ends at once. The end line follows every run so that a failed one keeps the framing.
 */
const LOOP = [
  "pause=$1; limit=$2; shift 2",
  // coreutils timeout, where the node has it, stops a hung run (exit 124) so that the next one can start
  "guard=; command -v timeout >/dev/null 2>&1 && guard=timeout",
  "while :; do",
  '  sleep "$pause" </dev/null >/dev/null 2>&1 & sleeping=$!',
  `  printf '%s\\n' '${RUN_START}'`,
  '  if [ -n "$guard" ]; then timeout "$limit" "$0" "$@"; else "$0" "$@"; fi',
  `  [ $? -eq 124 ] && [ -n "$guard" ] && echo "$0 did not finish in $limit s" >&2`,
  `  printf '\\n%s\\n' '${RUN_END}'`,
  '  wait "$sleeping"',
  "done",
].join("\n");

/**
 * Reads the labelled output of the loop on every node: a node's lines up to its end line are one run's JSON, whose
 * readings are stamped at the run's midpoint (between its start line and its end line arriving), on the monotonic clock, and kept apart by `nodeSample`. A run that
 * printed no JSON, or no GPU's power, gives no sample; why is kept for a start that fails for want of the node.
 */
class NodeRuns {
  private readonly lines = new Map<number, string[]>();
  /** When each node's run in progress began (its start line arrived). */
  private readonly started = new Map<number, number>();
  /** Why each node's last failed run gave no reading; "" when it printed nothing (its stderr says why). */
  private readonly failed = new Map<number, string>();

  constructor(private readonly tool: string) {}

  readonly read = (raw: string): PowerSample[] => {
    const labelled = splitNodeLabel(raw);
    if (!labelled) return [];
    const { node, line } = labelled;
    if (line.trim() === RUN_START) {
      this.started.set(node, performance.now());
      this.lines.delete(node);
      return [];
    }
    const lines = this.lines.get(node) ?? [];
    this.lines.set(node, lines);
    if (line.trim() !== RUN_END) {
      lines.push(line);
      return [];
    }
    // stamped at the run's midpoint, as a poll on one node is: the readings were taken while it ran
    const end = performance.now();
    const t = ((this.started.get(node) ?? end) + end) / 2;
    this.started.delete(node);
    this.lines.delete(node);
    const text = lines.join("\n");
    if (!text.trim()) {
      this.failed.set(node, "");
      return [];
    }
    try {
      const readings = parseAmdSmiMetricJson(text);
      if (readings.length === 0) this.failed.set(node, `${this.tool} gave no GPU's power`);
      return readings.map((r) => nodeSample(node, { t, gpu: r.gpu, watts: r.watts }));
    } catch (error) {
      this.failed.set(node, (error as Error).message);
      return [];
    }
  };

  /** Why `node` gave no reading: its run's failure, its last stderr line, or the launcher's own (`srun: error:`). */
  whyMissing(node: number, stderr: string): string {
    const launcher = stderr.split("\n").filter((line) => !splitNodeLabel(line));
    return (
      this.failed.get(node) ||
      lastLine(linesByNode(stderr).get(node)) ||
      lastLine(launcher.join("\n")) ||
      (this.failed.has(node) ? `${this.tool} printed nothing` : `no output from ${this.tool}`)
    );
  }
}

/**
 * Samples GPU power by running `amd-smi metric --power --json` every interval (`command` names the tool). With
 * `spread`, on every node of a multi-node job at once: ONE launcher run (`srun --label`: one Slurm job step) per
 * start, a shell loop on each node running amd-smi every interval, each node's readings stamped at its run's midpoint.
 * A step per poll would be one step a second for the whole sweep: a request to slurmctld and a row of accounting
 * each, and the step's launch, often hundreds of ms, inside every poll. The GPUs are numbered across the nodes as
 * nvidia-smi's are (`numberAcrossNodes`: on 8-GPU nodes, node 1's GPU 0 is 8), and `gpus` keeps those numbers.
 * `start` waits for a reading of every node (FIRST_SAMPLE_TIMEOUT_MS and three intervals), then stops the step and
 * fails naming the nodes that gave none and why (the node's failed run, its stderr, or the launcher's); `stop`
 * waits for a reading of every node past its call before stopping the step. A node's failed run gives no sample
 * (its GPUs lack it, a gap that measured energy checks) and its loop goes on. On one node amd-smi runs once a poll
 * (`PollingSampler`), with no launcher. A run that takes longer than `runTimeoutMs` is stopped and gives no reading
 * (on the nodes, where coreutils `timeout` is there), so a hung amd-smi cannot hold the sampler or the sweep.
 * @example const s = amdSmiSampler(); await s.start(); ...; await s.stop()
 */
export function amdSmiSampler(
  options: PowerSamplerOptions & {
    command?: string;
    spread?: NodeSpread;
    /** @default AMD_SMI_RUN_TIMEOUT_MS */
    runTimeoutMs?: number;
  } = {},
): PowerSampler {
  const command = options.command ?? "amd-smi";
  const runTimeoutMs = options.runTimeoutMs ?? AMD_SMI_RUN_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_AMD_SMI_INTERVAL_MS;
  const { spread } = options;
  if (!spread)
    return new PollingSampler(
      "amd-smi",
      intervalMs,
      async () => {
        try {
          const { stdout } = await run(command, AMD_SMI_ARGS, {
            timeout: runTimeoutMs,
            killSignal: "SIGKILL",
          });
          return parseAmdSmiMetricJson(stdout);
        } catch (error) {
          if ((error as { killed?: boolean }).killed)
            throw new TelemetryError(`${command} did not finish in ${runTimeoutMs / 1000} s`, {
              cause: error,
            });
          throw error;
        }
      },
      options.gpus,
    );
  const [launcher, ...launcherArgs] = spread.launcher;
  const pause = String(Math.max(1, Math.round(intervalMs)) / 1000);
  // each start reads with new runs: the lines and failures of the last measurement's step are not this one's
  let runs = new NodeRuns(command);
  return new LineProcessSampler(
    "amd-smi",
    launcher!,
    [
      ...launcherArgs,
      "sh",
      "-c",
      LOOP,
      command,
      pause,
      String(runTimeoutMs / 1000),
      ...AMD_SMI_ARGS,
    ],
    () => {
      runs = new NodeRuns(command);
      return runs.read;
    },
    intervalMs,
    {
      count: spread.nodes,
      sourceOf: sampleNode,
      // the GPUs to keep are numbered as the samples are returned: across the nodes
      finish: (samples) => {
        const numbered = numberAcrossNodes(samples, spread.gpusPerNode);
        return options.gpus ? numbered.filter((s) => options.gpus!.includes(s.gpu)) : numbered;
      },
      whyMissing: (node, stderr) => runs.whyMissing(node, stderr),
    },
  );
}
