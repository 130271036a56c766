import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { PowerSample } from "@infermark/core";
import { type NodeSpread, numberAcrossNodes, sampleNode } from "./node-spread.js";
import { TelemetryError } from "./telemetry-error.js";
import { FIRST_SAMPLE_TIMEOUT_MS, type PowerSampler, type PowerSamplerKind } from "./types.js";

/** One reading of every GPU, as a poll returns it. */
export type GpuReading = { gpu: number; watts: number };

/**
 * What one poll of every node of a job read (`NodeSpread`): the readings of the nodes that answered, numbered apart
 * by `nodeSample`, and why each node without a reading gave none.
 */
export interface NodesPoll {
  readings: GpuReading[];
  missing: ReadonlyMap<number, string>;
}

const messageOf = (error: unknown): string => String((error as Error)?.message ?? error);

/**
 * A sampler that polls a source every `intervalMs` (a command run per sample, an exporter scraped per sample).
 * Each reading is stamped at the midpoint of its poll. A poll that fails is retried at the next tick; a first poll
 * that fails fails the start with its error.
 *
 * Given `nodes` (a source read on every node of a job, each poll a `NodesPoll`): `start` polls until every node has
 * given a reading, and fails naming the nodes that gave none, and why, after FIRST_SAMPLE_TIMEOUT_MS and three
 * intervals (samples that lack a node's GPUs would pass for fewer GPUs); `stop` polls until every node has given a
 * reading past its call, or three intervals and 1 s passed, so the samples bracket the window. A poll that misses
 * a node keeps the other nodes' readings: the missed node's GPUs have no sample at that time, a gap that measured
 * energy checks per GPU (over 3 s, or at the window's end, it is invalid), and nothing is made up for them. The GPUs
 * are numbered across the nodes as `stop` returns them (`numberAcrossNodes`), and `gpus` keeps those numbers.
 */
export class PollingSampler implements PowerSampler {
  private samples: PowerSample[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private lastError?: unknown;
  /** Why each node missed the last poll that missed it. */
  private readonly missed = new Map<number, string>();

  constructor(
    readonly kind: PowerSamplerKind,
    private readonly intervalMs: number,
    private readonly poll: () => Promise<GpuReading[] | NodesPoll>,
    private readonly gpus?: readonly number[],
    /** The nodes each poll reads (`NodeSpread`); one source when absent. */
    private readonly spread?: Pick<NodeSpread, "nodes" | "gpusPerNode">,
  ) {
    this.nodes = spread?.nodes;
  }

  /** How many nodes each poll reads; undefined for one source. */
  private readonly nodes: number | undefined;

  async start(): Promise<void> {
    // each start begins a new measurement (a sweep starts and stops one sampler for every point)
    this.samples = [];
    this.lastError = undefined;
    this.missed.clear();
    const began = performance.now();
    // The first poll is awaited so that a missing tool fails the start, not the measurement.
    await this.tick();
    if (this.nodes === undefined && this.samples.length === 0 && this.lastError !== undefined) {
      throw new TelemetryError(`${this.kind}: ${messageOf(this.lastError)}`, {
        cause: this.lastError,
      });
    }
    if (this.nodes !== undefined) {
      const waitMs = FIRST_SAMPLE_TIMEOUT_MS + 3 * this.intervalMs;
      const missing = await this.pollUntilEveryNode(began, began + waitMs);
      if (missing.length > 0) throw this.nodesMissing(missing, waitMs);
    }
    this.timer = setInterval(() => {
      if (!this.inFlight) this.inFlight = this.tick().finally(() => (this.inFlight = undefined));
    }, this.intervalMs);
  }

  async stop(): Promise<PowerSample[]> {
    clearInterval(this.timer);
    await this.inFlight;
    const stopped = performance.now();
    await this.tick();
    if (this.nodes !== undefined)
      await this.pollUntilEveryNode(stopped, stopped + 3 * this.intervalMs + 1000);
    const samples = [...this.samples].sort((a, b) => a.t - b.t);
    if (this.nodes === undefined) return samples;
    // the GPUs to keep are numbered as the samples are returned: across the nodes
    const numbered = numberAcrossNodes(samples, this.spread?.gpusPerNode);
    return this.gpus ? numbered.filter((s) => this.gpus!.includes(s.gpu)) : numbered;
  }

  /** The nodes without a reading at or after `since`, in order. */
  private missingNodes(since: number): number[] {
    const seen = new Set<number>();
    for (const s of this.samples) if (s.t >= since) seen.add(sampleNode(s));
    return Array.from({ length: this.nodes ?? 1 }, (_, node) => node).filter((n) => !seen.has(n));
  }

  /** Polls until every node has a reading at or after `since`, or `deadline` passed; the nodes still missing. */
  private async pollUntilEveryNode(since: number, deadline: number): Promise<number[]> {
    let missing = this.missingNodes(since);
    while (missing.length > 0 && performance.now() < deadline) {
      await sleep(Math.max(0, Math.min(this.intervalMs, deadline - performance.now())));
      await this.tick();
      missing = this.missingNodes(since);
    }
    return missing;
  }

  private nodesMissing(missing: number[], waitMs: number): TelemetryError {
    const why = missing.flatMap((n) =>
      this.missed.has(n) ? [`node ${n}: ${this.missed.get(n)}`] : [],
    );
    const said = why.length > 0 ? why.join("; ") : messageOf(this.lastError ?? "no answer");
    return new TelemetryError(
      `${this.kind}: node${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${this.nodes} gave no power reading in ${waitMs} ms (${said})`,
      { cause: this.lastError },
    );
  }

  private async tick(): Promise<void> {
    const t0 = performance.now();
    try {
      const polled = await this.poll();
      const t = (t0 + performance.now()) / 2;
      const readings = Array.isArray(polled) ? polled : polled.readings;
      if (!Array.isArray(polled))
        for (const [node, why] of polled.missing) this.missed.set(node, why);
      // on several nodes, `gpus` names GPUs numbered across the nodes, known only when stop returns
      const keep = this.nodes === undefined ? this.gpus : undefined;
      for (const r of readings) {
        if (!keep || keep.includes(r.gpu)) this.samples.push({ t, gpu: r.gpu, watts: r.watts });
      }
    } catch (error) {
      this.lastError = error;
    }
  }
}
