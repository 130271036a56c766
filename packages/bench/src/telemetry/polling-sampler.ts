import { performance } from "node:perf_hooks";
import type { PowerSample } from "@infermark/core";
import { TelemetryError } from "./telemetry-error.js";
import type { PowerSampler, PowerSamplerKind } from "./types.js";

/** One reading of every GPU, as a poll returns it. */
export type GpuReading = { gpu: number; watts: number };

/**
 * A sampler that polls a source every `intervalMs` (a command run per sample, an exporter scraped per sample).
 * Each reading is stamped at the midpoint of its poll. A poll that fails is retried at the next tick; a sampler
 * whose every poll failed reports the last error when stopped.
 */
export class PollingSampler implements PowerSampler {
  private samples: PowerSample[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private lastError?: unknown;

  constructor(
    readonly kind: PowerSamplerKind,
    private readonly intervalMs: number,
    private readonly poll: () => Promise<GpuReading[]>,
    private readonly gpus?: readonly number[],
  ) {}

  async start(): Promise<void> {
    // each start begins a new measurement (a sweep starts and stops one sampler for every point)
    this.samples = [];
    this.lastError = undefined;
    // The first poll is awaited so that a missing tool fails the start, not the measurement.
    await this.tick();
    if (this.samples.length === 0 && this.lastError !== undefined) {
      throw new TelemetryError(
        `${this.kind}: ${String((this.lastError as Error).message ?? this.lastError)}`,
        {
          cause: this.lastError,
        },
      );
    }
    this.timer = setInterval(() => {
      if (!this.inFlight) this.inFlight = this.tick().finally(() => (this.inFlight = undefined));
    }, this.intervalMs);
  }

  async stop(): Promise<PowerSample[]> {
    clearInterval(this.timer);
    await this.inFlight;
    await this.tick();
    return [...this.samples].sort((a, b) => a.t - b.t);
  }

  private async tick(): Promise<void> {
    const t0 = performance.now();
    try {
      const readings = await this.poll();
      const t = (t0 + performance.now()) / 2;
      for (const r of readings) {
        if (!this.gpus || this.gpus.includes(r.gpu))
          this.samples.push({ t, gpu: r.gpu, watts: r.watts });
      }
    } catch (error) {
      this.lastError = error;
    }
  }
}
