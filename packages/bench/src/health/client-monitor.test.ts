import { describe, expect, it } from "vitest";
import { ClientMonitor } from "./client-monitor.js";

const LOOSE = { eventLoopDelayP99Ms: 1e6, sendLagP99Ms: 1e6 };

describe("ClientMonitor event-loop utilization", () => {
  it("flags a loop that was busy all the time, even when its delay bounds are loose", () => {
    const m = new ClientMonitor({ ...LOOSE, loopUtilization: 0.9 });
    m.start();
    const end = performance.now() + 1100;
    while (performance.now() < end) {
      // busy: never yields to the loop
    }
    const h = m.stop();
    expect(m.utilization).toBeGreaterThan(0.9);
    expect(h.saturated).toBe(true);
  });

  it("does not count windows under a second (start-up noise)", async () => {
    const m = new ClientMonitor({ ...LOOSE, loopUtilization: 0.5 });
    m.start();
    const end = performance.now() + 50;
    while (performance.now() < end) {
      // busy for 50 ms
    }
    expect(m.stop().saturated).toBe(false);
    expect(m.utilization).toBeUndefined();
  });
});
