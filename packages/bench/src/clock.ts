import { performance } from "node:perf_hooks";

/**
 * The run's monotonic clock in milliseconds (`performance.now()`). Every time in a RequestRecord is on it.
 * @example const t = now();
 */
export const now = (): number => performance.now();

/**
 * Offset (ms) that turns this process's `now()` into the system-wide monotonic clock
 * (`process.hrtime`, CLOCK_MONOTONIC on Linux), which every process on the host shares:
 * `hr = now() + monotonicOffsetMs()`. The minimum over a few samples bounds the read gap.
 */
export function monotonicOffsetMs(samples = 16): number {
  let best = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let i = 0; i < samples; i++) {
    const a = performance.now();
    const hr = Number(process.hrtime.bigint()) / 1e6;
    const b = performance.now();
    if (b - a < best) {
      best = b - a;
      offset = hr - (a + b) / 2;
    }
  }
  return offset;
}
