import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import type { ClientHealth } from "@infermark/core";
import { percentileSorted } from "@infermark/core";

/** Bounds past which the client is too busy to measure truthfully (ms). */
export interface HealthBounds {
  /** @default 10 */
  eventLoopDelayP99Ms: number;
  /** @default 10 */
  sendLagP99Ms: number;
}

export const DEFAULT_HEALTH_BOUNDS: HealthBounds = { eventLoopDelayP99Ms: 10, sendLagP99Ms: 10 };

const RESOLUTION_MS = 1;

/**
 * Watches the client's own event-loop delay (`monitorEventLoopDelay`, beyond its 1 ms timer) and
 * the lag of each send behind its schedule, and says whether the client was saturated.
 * @example const m = new ClientMonitor(DEFAULT_HEALTH_BOUNDS); m.start(); ...; m.stop().saturated
 */
export class ClientMonitor {
  private histogram: IntervalHistogram | undefined;
  private readonly lags: number[] = [];

  constructor(private readonly bounds: HealthBounds = DEFAULT_HEALTH_BOUNDS) {}

  start(): void {
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
  }

  /** Records how late (ms) a send was against the time the load mode scheduled it. */
  sendLag(ms: number): void {
    this.lags.push(Math.max(0, ms));
  }

  /** Stops watching and summarizes. */
  stop(): ClientHealth {
    const h = this.histogram;
    h?.disable();
    const excess = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const health: ClientHealth = { saturated: false };
    if (h && h.count > 0) {
      health.eventLoopDelayP99Ms = round(excess(h.percentile(99)));
      health.eventLoopDelayMaxMs = round(excess(h.max));
    }
    if (this.lags.length > 0) {
      const sorted = [...this.lags].sort((a, b) => a - b);
      health.sendLagP99Ms = round(percentileSorted(sorted, 99));
      health.sendLagMaxMs = round(sorted.at(-1)!);
    }
    health.saturated =
      (health.eventLoopDelayP99Ms ?? 0) > this.bounds.eventLoopDelayP99Ms ||
      (health.sendLagP99Ms ?? 0) > this.bounds.sendLagP99Ms;
    return health;
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
