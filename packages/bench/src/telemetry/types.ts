import type { PowerSample } from "@infermark/core";

/** The GPU power sources infermark reads. */
export const POWER_SAMPLER_KINDS = ["nvidia-smi", "amd-smi", "dcgm"] as const;
export type PowerSamplerKind = (typeof POWER_SAMPLER_KINDS)[number];

/**
 * Samples GPU power in the background between `start()` and `stop()`. Sample times `t` are in ms on this process's
 * monotonic clock (`performance.now()`, the load generator's clock), so they line up with request records.
 */
export interface PowerSampler {
  readonly kind: PowerSamplerKind;
  /** Starts sampling; a sampler may be started again after `stop`, and each start begins with no samples. */
  start(): Promise<void>;
  /** Stops sampling and returns every sample taken since `start`, sorted by time. */
  stop(): Promise<PowerSample[]>;
}

/** Options shared by the samplers. */
export interface PowerSamplerOptions {
  /** Sampling period. @default 100 */
  intervalMs?: number;
  /** GPU indices to keep; all when absent. */
  gpus?: readonly number[];
}

export const DEFAULT_POWER_INTERVAL_MS = 100;

/**
 * How long `start` waits for a tool's first sample (of every node, on several nodes) before the measurement starts
 * anyway (nvidia-smi) or the start fails (a node that amd-smi or DCGM did not read) (ms); three intervals more.
 */
export const FIRST_SAMPLE_TIMEOUT_MS = 5_000;
