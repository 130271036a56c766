import { type ChildProcess, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { PowerSample } from "@infermark/core";
import { TelemetryError } from "./telemetry-error.js";
import { FIRST_SAMPLE_TIMEOUT_MS, type PowerSampler, type PowerSamplerKind } from "./types.js";

/** How long `stop` waits for the tool to exit after SIGTERM, and again after SIGKILL (ms). */
const STOP_GRACE_MS = 2_000;

/**
 * A sampler fed by the lines a long-running tool prints (`nvidia-smi -lms`, a loop of amd-smi runs on every node).
 * `newParser` makes the line parser of each start, so a parser may keep state across lines (a reading that spans
 * several lines) and each measurement begins with none.
 */
export class LineProcessSampler implements PowerSampler {
  private child?: ChildProcess;
  private samples: PowerSample[] = [];
  private stderr = "";
  /** The last line the tool printed that held no sample (nvidia-smi's `[N/A]` for a GPU without power readings). */
  private unread?: string;
  private exited?: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(
    readonly kind: PowerSamplerKind,
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly newParser: () => (line: string) => PowerSample[],
    private readonly intervalMs: number,
    /**
     * A tool run on several nodes at once (`NodeSpread`): `start` and `stop` wait for a sample of every node, whose
     * samples `sourceOf` tells apart, and `finish` makes the samples `stop` returns. Given `whyMissing`, a start
     * after which a node has no sample stops the tool and fails, naming the node and why (`stderr` is the tool's
     * last 2,000 characters of stderr); without it the measurement starts all the same.
     */
    private readonly sources?: {
      count: number;
      sourceOf(sample: PowerSample): number;
      finish(samples: PowerSample[]): PowerSample[];
      whyMissing?(source: number, stderr: string): string;
    },
  ) {}

  /** The sources (nodes) without a sample at or after `t`, in order. */
  private missingSources(t: number): number[] {
    const seen = new Set<number>();
    for (const s of this.samples) if (s.t >= t) seen.add(this.sources?.sourceOf(s) ?? 0);
    return Array.from({ length: this.sources?.count ?? 1 }, (_, n) => n).filter(
      (n) => !seen.has(n),
    );
  }

  /** Whether every source (one, or each node) has a sample at or after `t`. */
  private covered(t: number): boolean {
    return this.missingSources(t).length === 0;
  }

  /** Resolves when a sample at or after `t` has arrived (of every source), the tool exited, or `timeoutMs` passed. */
  private sampleAfter(t: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const check = () => {
        if (this.covered(t)) done();
        else this.waiters.push(check);
      };
      const exitedCheck = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      void this.exited?.then(exitedCheck);
      check();
    });
  }

  /** Whether the tool has exited (and closed its output) within `ms`. */
  private async exitedWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      this.exited?.then(() => true) ?? true,
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
    clearTimeout(timer);
    return exited;
  }

  async start(): Promise<void> {
    // each start begins a new measurement (a sweep starts and stops one sampler for every point): the samples,
    // stderr and waiters of the last one would make this one's first-sample wait return at once
    this.samples = [];
    this.stderr = "";
    this.unread = undefined;
    this.waiters = [];
    const child = spawn(this.command, this.args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const parseLine = this.newParser();
    let pending = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      // a tool an earlier stop gave up on does not write into this measurement
      if (this.child !== child) return;
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const samples = parseLine(line);
        this.samples.push(...samples);
        if (samples.length === 0 && line.trim()) this.unread = line.trim().slice(0, 200);
      }
      const waiters = this.waiters.splice(0);
      for (const w of waiters) w();
    });
    child.stderr!.setEncoding("utf8").on("data", (c: string) => {
      if (this.child !== child) return;
      this.stderr = (this.stderr + c).slice(-2000);
    });
    this.exited = new Promise((resolve) => child.once("close", () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (error) =>
        reject(
          new TelemetryError(`${this.kind}: cannot run ${this.command} (${error.message})`, {
            cause: error,
          }),
        ),
      );
    });
    // The first sample is awaited, as the polling samplers await their first poll: a measurement that starts
    // before the tool's first line (nvidia-smi takes a few hundred ms to start) has no sample before its window,
    // and its energy would be invalid ("samples do not bracket the measured window"); a tool that dies at once
    // fails the start, not the measurement.
    const waitMs = FIRST_SAMPLE_TIMEOUT_MS + 3 * this.intervalMs;
    await this.sampleAfter(Number.NEGATIVE_INFINITY, waitMs);
    if (this.samples.length === 0 && child.exitCode !== null) {
      const said = this.stderr.trim().split("\n").at(-1);
      throw new TelemetryError(
        `${this.kind}: ${this.command} exited with code ${child.exitCode} before its first sample${said ? `: ${said}` : ""}`,
      );
    }
    const whyMissing = this.sources?.whyMissing;
    const missing = whyMissing ? this.missingSources(Number.NEGATIVE_INFINITY) : [];
    if (whyMissing && missing.length > 0) {
      const why = missing.map((n) => `node ${n}: ${whyMissing(n, this.stderr)}`).join("; ");
      // the caller stops no sampler whose start failed: a launcher left running would hold a job step for ever
      await this.end();
      throw new TelemetryError(
        `${this.kind}: node${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${this.sources!.count} gave no power reading in ${waitMs} ms (${why})`,
      );
    }
  }

  /** Stops the tool: SIGTERM, then SIGKILL when it has not exited in STOP_GRACE_MS. */
  private async end(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      // a tool that ignores SIGTERM (or hangs in the driver) must not hold the measurement up for ever
      child.kill("SIGTERM");
      if (!(await this.exitedWithin(STOP_GRACE_MS))) child.kill("SIGKILL");
    }
    await this.exitedWithin(STOP_GRACE_MS);
  }

  async stop(): Promise<PowerSample[]> {
    // Wait for one sample past the end of the measured window, then stop the tool.
    await this.sampleAfter(performance.now(), 3 * this.intervalMs + 1000);
    await this.end();
    if (this.samples.length === 0 && this.stderr.trim()) {
      throw new TelemetryError(
        `${this.kind}: no power samples; it said: ${this.stderr.trim().split("\n").at(-1)}`,
      );
    }
    if (this.samples.length === 0 && this.unread) {
      throw new TelemetryError(
        `${this.kind}: no power samples; its last line was "${this.unread}"`,
      );
    }
    const samples = [...this.samples].sort((a, b) => a.t - b.t);
    return this.sources ? this.sources.finish(samples) : samples;
  }
}
