import { type ChildProcess, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { PowerSample } from "@infermark/core";
import { TelemetryError } from "./telemetry-error.js";
import type { PowerSampler, PowerSamplerKind } from "./types.js";

/** How long `start` waits for a tool's first sample before the measurement starts anyway (ms). */
const FIRST_SAMPLE_TIMEOUT_MS = 5_000;

/** A sampler fed by the lines a long-running tool prints (`nvidia-smi -lms`). */
export class LineProcessSampler implements PowerSampler {
  private child?: ChildProcess;
  private samples: PowerSample[] = [];
  private stderr = "";
  private exited?: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(
    readonly kind: PowerSamplerKind,
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly parseLine: (line: string) => PowerSample[],
    private readonly intervalMs: number,
  ) {}

  /** Resolves when a sample at or after `t` has arrived, the tool exited, or `timeoutMs` passed. */
  private sampleAfter(t: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const check = () => {
        if (this.samples.some((s) => s.t >= t)) done();
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

  async start(): Promise<void> {
    const child = spawn(this.command, this.args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let pending = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) this.samples.push(...this.parseLine(line));
      const waiters = this.waiters.splice(0);
      for (const w of waiters) w();
    });
    child.stderr!.setEncoding("utf8").on("data", (c: string) => {
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
    await this.sampleAfter(Number.NEGATIVE_INFINITY, FIRST_SAMPLE_TIMEOUT_MS + 3 * this.intervalMs);
    if (this.samples.length === 0 && child.exitCode !== null) {
      const said = this.stderr.trim().split("\n").at(-1);
      throw new TelemetryError(
        `${this.kind}: ${this.command} exited with code ${child.exitCode} before its first sample${said ? `: ${said}` : ""}`,
      );
    }
  }

  async stop(): Promise<PowerSample[]> {
    // Wait for one sample past the end of the measured window, then stop the tool.
    await this.sampleAfter(performance.now(), 3 * this.intervalMs + 1000);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await this.exited;
    if (this.samples.length === 0 && this.stderr.trim()) {
      throw new TelemetryError(
        `${this.kind}: no power samples; it said: ${this.stderr.trim().split("\n").at(-1)}`,
      );
    }
    return [...this.samples].sort((a, b) => a.t - b.t);
  }
}
