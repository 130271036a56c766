import { RequestRecord } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../rng.js";
import { rateShortfall } from "./rate-shortfall.js";

/** `n` measured requests scheduled `gapMs` apart, each `latencyMs(i)` long. */
const requests = (n: number, gapMs: number, latencyMs: (i: number) => number) =>
  Array.from({ length: n }, (_, i) =>
    RequestRecord.parse({
      index: i,
      tSched: i * gapMs,
      tSend: i * gapMs,
      tEnd: i * gapMs + latencyMs(i),
    }),
  );

/** Arrival times (s) of `n` requests at `rate`/s, gamma gaps of shape `burstiness` (1: Poisson). */
function arrivals(rng: Rng, n: number, rate: number, burstiness = 1): number[] {
  let t = 0;
  return Array.from({ length: n }, () => {
    t += rng.gamma(burstiness, 1 / (burstiness * rate));
    return t;
  });
}

/** Records of requests sent at `at` (s) that each took `e2elS(t, i)` seconds. */
const records = (at: readonly number[], e2elS: (t: number, i: number) => number) =>
  at.map((t, i) =>
    RequestRecord.parse({
      index: i,
      tSched: t * 1000,
      tSend: t * 1000,
      tEnd: (t + e2elS(t, i)) * 1000,
    }),
  );

/**
 * A server with `slots` requests served at once, the rest waiting in order (FIFO), each served for an exponential
 * time of mean `serviceS` (or exactly `serviceS`, as fixed-length requests one at a time): a server that keeps up when `rate * serviceS / slots` is under 1, and one that completes
 * only `slots / serviceS` requests/s, however many arrive, past it.
 */
function fifoServer(
  rng: Rng,
  at: readonly number[],
  slots: number,
  serviceS: number,
  service: "exponential" | "fixed" = "exponential",
) {
  const free = Array.from({ length: slots }, () => 0);
  return records(at, (t) => {
    free.sort((a, b) => a - b);
    const end =
      Math.max(t, free[0]!) + (service === "fixed" ? serviceS : rng.exponential(serviceS));
    free[0] = end;
    return end - t;
  });
}

const TRIALS = 400;
/** The share of `TRIALS` seeded runs of `scenario` for which the check warned. */
function warnedShare(rate: number, scenario: (rng: Rng) => RequestRecord[]): number {
  let warned = 0;
  for (let seed = 1; seed <= TRIALS; seed++) {
    if (rateShortfall({ mode: "rate", rate, warmup: 0 }, scenario(createRng(seed)))) warned++;
  }
  return warned / TRIALS;
}

describe("rateShortfall", () => {
  it("says nothing of a server whose latency held steady, or of a closed loop", () => {
    expect(
      rateShortfall(
        { mode: "rate", rate: 4, warmup: 0 },
        requests(20, 250, () => 5000),
      ),
    ).toBe(undefined);
    expect(
      rateShortfall(
        { mode: "concurrency", concurrency: 4, warmup: 0 },
        requests(20, 250, (i) => i * 1000),
      ),
    ).toBeUndefined();
  });

  it("warns of a backlog that grows through the level's second half, naming the cap when there is one", () => {
    // offered 4/s, each request 250 ms later than the one before: completed at 2/s, 50% of the offered
    const growing = requests(20, 250, (i) => 1000 + i * 250);
    expect(rateShortfall({ mode: "rate", rate: 4, warmup: 0 }, growing)).toBe(
      "the time from a request's schedule to its completion grew 1.00 s per second over the level's second half, as when the server completes about 50% of the offered 4/s: it could not keep up, so requests queued and the latencies grow with the level's length (this rate is past its capacity)",
    );
    expect(rateShortfall({ mode: "rate", rate: 4, concurrency: 2, warmup: 0 }, growing)).toBe(
      "the time from a request's schedule to its completion grew 1.00 s per second over the level's second half, as when the server completes about 50% of the offered 4/s: the server, or the --max-concurrency 2 cap (see the queue delay), could not keep up, so requests queued and the latencies grow with the level's length (this rate is past its capacity)",
    );
  });

  it("speaks of turns and sessions for a multi-turn level, whose rate is of sessions", () => {
    const turns = requests(20, 250, (i) => 1000 + i * 250).map((r, i) => ({
      ...r,
      session: `s${i >> 1}`,
      turn: i % 2,
    }));
    expect(rateShortfall({ mode: "rate", rate: 2, warmup: 0 }, turns)).toBe(
      "the time from a turn's schedule to its completion grew 1.00 s per second over the level's second half, at the offered 2 sessions/s: it could not keep up, so turns queued and the latencies grow with the level's length (this rate is past its capacity)",
    );
  });

  it("does not judge fewer than 10 completed requests", () => {
    expect(
      rateShortfall(
        { mode: "rate", rate: 4, warmup: 0 },
        requests(9, 250, (i) => 1000 + i * 1000),
      ),
    ).toBeUndefined();
  });

  // Monte Carlo, seeded: the level sizes are bench's defaults (60 s of arrivals, at least 10 x the rate) and those
  // of short levels; a server that keeps up must warn in under 1% of runs, one at 45% of the offered rate in all
  it("rarely warns of a server that keeps up, whatever the Poisson spread of the arrivals", () => {
    const steady: [rate: number, n: number, burstiness: number, jitter: number][] = [
      [0.2, 12, 1, 0],
      [0.2, 12, 1, 0.2],
      [0.5, 30, 1, 0.2],
      [0.5, 30, 0.5, 0.2],
      [1, 20, 1, 0.2],
      [1, 60, 1, 0.2],
      [4, 40, 1, 0.2],
      [4, 240, 1, 0.2],
      [4, 240, 0.5, 0.2],
    ];
    const shares: object[] = [];
    for (const [rate, n, burstiness, jitter] of steady) {
      const share = warnedShare(rate, (rng) =>
        records(arrivals(rng, n, rate, burstiness), () => 20 * (1 - jitter * rng.next())),
      );
      shares.push({ rate, n, burstiness, jitter, share });
    }
    expect(shares.filter((s) => (s as { share: number }).share >= 0.01)).toEqual([]);
  });

  it("rarely warns of a server whose latency rises from an empty server's to a loaded one's and settles", () => {
    const shares: object[] = [];
    // E2EL from e0 to e1 over the first e1 seconds, then steady (the latency of a batch that grew to its size)
    for (const [rate, e0, e1] of [
      [4, 10, 20],
      [4, 15, 40],
      [8, 15, 40],
    ] as const) {
      const share = warnedShare(rate, (rng) =>
        records(
          arrivals(rng, 8 + 60 * rate, rate).slice(8),
          (t) => e0 + (e1 - e0) * Math.min(1, t / e1),
        ),
      );
      shares.push({ rate, e0, e1, share });
    }
    expect(shares.filter((s) => (s as { share: number }).share >= 0.01)).toEqual([]);
  });

  it("rarely warns of a queueing server 80% busy", () => {
    // [rate, requests, slots, service, the most runs that may warn]: 1.6 s a request, so 80% busy; a batching
    // server's slots, and one request at a time (fixed lengths); at 30 requests a one-slot server's queue grows
    // through the second half often enough by chance that about 1.5% of such runs warn
    const over: object[] = [];
    for (const [rate, n, slots, service, most] of [
      [4, 240, 8, "exponential", 0.01],
      [2, 120, 4, "exponential", 0.01],
      [0.5, 120, 1, "fixed", 0.01],
      [0.5, 30, 1, "fixed", 0.02],
    ] as const) {
      const share = warnedShare(rate, (rng) =>
        fifoServer(rng, arrivals(rng, n, rate), slots, 1.6, service),
      );
      if (share >= most) over.push({ rate, n, slots, service, share });
    }
    expect(over).toEqual([]);
  });

  it("warns of a server that completes 45% of the offered rate, all but always over a default level", () => {
    // [rate, requests, slots, service, the fewest runs that must warn]; 120 requests at 2/s is bench's default
    // level (60 s of arrivals); fewer say less: a 3-sigma test on 10 requests' trend cannot always tell
    const under: object[] = [];
    for (const [rate, n, slots, service, least] of [
      [2, 120, 1, "fixed", 0.99],
      [4, 240, 8, "exponential", 0.99],
      [2, 120, 1, "exponential", 0.95],
      [2, 40, 1, "fixed", 0.8],
      [2, 20, 1, "fixed", 0.5],
    ] as const) {
      const serviceS = slots / (0.45 * rate);
      const share = warnedShare(rate, (rng) =>
        fifoServer(rng, arrivals(rng, n, rate), slots, serviceS, service),
      );
      if (share < least) under.push({ rate, n, slots, service, share });
    }
    expect(under).toEqual([]);
  });
});
