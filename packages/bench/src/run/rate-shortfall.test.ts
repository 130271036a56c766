import { RequestRecord } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { rateShortfall } from "./rate-shortfall.js";

/** `n` measured requests that ended `gapMs` apart. */
const ended = (n: number, gapMs: number) =>
  Array.from({ length: n }, (_, i) =>
    RequestRecord.parse({ index: i, tSched: 0, tSend: 0, tEnd: 1000 + i * gapMs }),
  );

describe("rateShortfall", () => {
  it("says nothing of a server that completed requests as fast as they were offered, or of a closed loop", () => {
    // 4 requests/s offered, completed every 250 ms (4/s) and every 300 ms (3.33/s: 83%)
    expect(rateShortfall({ mode: "rate", rate: 4, warmup: 0 }, ended(20, 250))).toBeUndefined();
    expect(rateShortfall({ mode: "rate", rate: 4, warmup: 0 }, ended(20, 300))).toBeUndefined();
    expect(rateShortfall({ mode: "concurrency", concurrency: 4, warmup: 0 }, ended(20, 1000))).toBe(
      undefined,
    );
  });

  it("warns under 80% of the offered rate, naming the cap when there is one", () => {
    expect(rateShortfall({ mode: "rate", rate: 4, warmup: 0 }, ended(20, 500))).toBe(
      "the server completed 2.00 requests/s, 50% of the offered 4/s: it could not keep up, so requests queued and the latencies grow with the level's length (this rate is past its capacity)",
    );
    expect(
      rateShortfall({ mode: "rate", rate: 4, concurrency: 2, warmup: 0 }, ended(20, 500)),
    ).toBe(
      "the server completed 2.00 requests/s, 50% of the offered 4/s: the server, or the --max-concurrency 2 cap (see the queue delay), could not keep up, so requests queued and the latencies grow with the level's length (this rate is past its capacity)",
    );
  });

  it("does not judge fewer than 10 completed requests", () => {
    expect(rateShortfall({ mode: "rate", rate: 4, warmup: 0 }, ended(9, 1000))).toBeUndefined();
  });
});
