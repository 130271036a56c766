import { describe, expect, it } from "vitest";
import type { InFlightRequest, SendOutcome } from "../client/request-tracker.js";
import { now } from "../clock.js";
import { DEFAULT_HEALTH_BOUNDS } from "../health/client-monitor.js";
import { createRng } from "../rng.js";
import type { Workload } from "../workload/types.js";
import { runLevel } from "./run-level.js";

const workload: Workload = {
  info: { kind: "random", isl: 8, osl: 4 },
  next: () => ({ prompt: "hi", maxTokens: 4 }),
};

/**
 * A transport that stamps its first `late` sends `lagMs` after they were handed to it, as a worker thread does with
 * a closed loop's first sends, which all leave at once and queue behind each other; each request then ends at once.
 */
function lateAtFirst(late: number, lagMs: number) {
  let sent = 0;
  return (): InFlightRequest => {
    const t = now();
    const tSend = sent++ < late ? t + lagMs : t;
    const outcome: SendOutcome = {
      tSend,
      tEnd: tSend + 1,
      events: [],
      usage: { completionTokens: 4 },
      text: "abcd",
    };
    return { tSend, outcome: Promise.resolve(outcome), cancel() {} };
  };
}

describe("runLevel send lag", () => {
  it("judges the measured sends only: the warm-up's late start-up burst leaves the client healthy", async () => {
    const run = (warmup: number) =>
      runLevel({
        plan: { mode: "concurrency", concurrency: 8, requests: 40, warmup },
        workload,
        send: lateAtFirst(8, 30),
        rng: createRng(1),
        drainTimeoutMs: 1000,
        healthBounds: { ...DEFAULT_HEALTH_BOUNDS, eventLoopDelayP99Ms: 1e6 },
      });
    // the 8 late sends are the warm-up: out of the judgement
    const warm = await run(8);
    expect(warm.requests).toHaveLength(48);
    expect(warm.client.sendLagP99Ms).toBeLessThan(10);
    expect(warm.client.saturated).toBe(false);
    // without a warm-up they are measured sends, and 30 ms late is over the 10 ms bound
    const cold = await run(0);
    expect(cold.client.sendLagP99Ms).toBeGreaterThanOrEqual(29);
    expect(cold.client.saturated).toBe(true);
  });
});
