import { now } from "../clock.js";

const SPIN_MS = 1.5;

/**
 * Resolves at run-clock time `t` (ms): a timer for the bulk, then `setImmediate` turns (which let
 * I/O run) for the last 1.5 ms, so sends leave on schedule despite the timer's millisecond grain.
 * Resolves early when `signal` aborts.
 */
export function sleepUntil(t: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    let timer: NodeJS.Timeout | undefined;
    const spin = () => {
      if (signal?.aborted) return;
      if (now() >= t) {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      } else setImmediate(spin);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const wait = t - now() - SPIN_MS;
    if (wait > 0) timer = setTimeout(spin, wait);
    else spin();
  });
}
