import {
  type EventLoopUtilization,
  type IntervalHistogram,
  monitorEventLoopDelay,
  performance,
} from "node:perf_hooks";
import type { ClientHealth } from "@infermark/core";
import { percentileSorted } from "@infermark/core";

/** Bounds past which the client is too busy to measure truthfully (ms). */
export interface HealthBounds {
  /** @default 10 */
  eventLoopDelayP99Ms: number;
  /** @default 10 */
  sendLagP99Ms: number;
  /**
   * Event-loop utilization (busy share of the level, 0-1) of a stamping thread past which it was
   * saturated: a loop that is always busy reading delays stamps without its timers running late,
   * so the delay histogram alone misses it. @default 0.9
   */
  loopUtilization: number;
}

export const DEFAULT_HEALTH_BOUNDS: HealthBounds = {
  eventLoopDelayP99Ms: 10,
  sendLagP99Ms: 10,
  loopUtilization: 0.9,
};

const RESOLUTION_MS = 1;
const MIN_UTILIZATION_WINDOW_MS = 1000;

/**
 * Watches the client's own event-loop delay (`monitorEventLoopDelay`, beyond its 1 ms timer), its
 * event-loop utilization and the lag of each send behind its schedule, and says whether the client
 * was saturated.
 * @example const m = new ClientMonitor(DEFAULT_HEALTH_BOUNDS); m.start(); ...; m.stop().saturated
 */
export class ClientMonitor {
  private histogram: IntervalHistogram | undefined;
  private readonly lags: number[] = [];
  private elu: EventLoopUtilization | undefined;
  /** Busy share (0-1) of this thread's event loop between start() and stop() (undefined under 1 s). */
  utilization: number | undefined;

  constructor(private readonly bounds: HealthBounds = DEFAULT_HEALTH_BOUNDS) {}

  start(): void {
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
    this.elu = performance.eventLoopUtilization();
  }

  /** Records how late (ms) a send was against the time the load mode scheduled it. */
  sendLag(ms: number): void {
    this.lags.push(Math.max(0, ms));
  }

  /** Stops watching and summarizes. */
  stop(): ClientHealth {
    const h = this.histogram;
    h?.disable();
    if (this.elu) {
      const u = performance.eventLoopUtilization(this.elu);
      // over less than a second the share is start-up noise (module loading, JIT), not load
      this.utilization = u.idle + u.active >= MIN_UTILIZATION_WINDOW_MS ? u.utilization : undefined;
    }
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
      (health.sendLagP99Ms ?? 0) > this.bounds.sendLagP99Ms ||
      (this.utilization ?? 0) > this.bounds.loopUtilization;
    return health;
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
