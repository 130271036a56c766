import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromInferencexApiRow } from "../inferencex/api-row.js";
import type { PointResult } from "../schemas/point-result.js";
import { LITTLES_LAW_TOLERANCE, throughputConsistency } from "./throughput-consistency.js";

type Point = Pick<PointResult, "config" | "metrics">;

/**
 * A closed loop of 8 on 8 GPUs, 1k/1k exact lengths: 8 x 1000 tokens / 10 s E2EL = 800 output tokens/s by Little's
 * law; it reports 760 (0.95x: the ramp and drain of a finite run).
 */
function point(
  over: {
    config?: Partial<Point["config"]>;
    metrics?: Partial<Point["metrics"]>;
    gpus?: Partial<Point["config"]["topology"]>;
  } = {},
): Point {
  return {
    config: {
      model: "dsr1",
      hardware: "h200",
      framework: "vllm",
      precision: "fp8",
      specDecoding: { method: "none" },
      topology: {
        disaggregated: false,
        multinode: false,
        gpus: 8,
        prefillGpus: 8,
        decodeGpus: 8,
        ...over.gpus,
      },
      workload: { kind: "random", isl: 1000, osl: 1000, rangeRatio: 1 },
      load: { mode: "concurrency", concurrency: 8 },
      ...over.config,
    },
    metrics: {
      completed: 80,
      outputTokens: 80_000,
      outputThroughput: 760,
      outputTputPerGpu: 95,
      e2el: { mean: 10, median: 9.5 },
      ...over.metrics,
    },
  };
}

const checked = (p: Point) => {
  const r = throughputConsistency(p);
  if (r.kind !== "checked") throw new Error(`unchecked: ${r.reason}`);
  return r;
};

describe("throughputConsistency", () => {
  it("passes a consistent closed-loop point: reported over concurrency x counted tokens / mean E2EL", () => {
    expect(throughputConsistency(point())).toEqual({
      kind: "checked",
      reported: 760,
      expected: 800,
      ratio: 0.95,
      e2el: "mean",
      outputTokens: "measured",
      flagged: false,
      detail:
        "reports 760 output tok/s, Little's law gives 800 (concurrency 8 x 1000 counted output tokens / mean E2EL 10.0 s): 0.950x",
    });
  });

  it("flags a point that reports 40x less than its concurrency, lengths and E2EL allow", () => {
    const r = checked(point({ metrics: { outputThroughput: 20 } }));
    expect([r.ratio, r.flagged]).toEqual([0.025, true]);
  });

  it("flags a point that reports more than a closed loop of its concurrency can produce (a wrong concurrency)", () => {
    const r = checked(point({ config: { load: { mode: "concurrency", concurrency: 1 } } }));
    expect([r.expected, r.ratio, r.flagged]).toEqual([100, 7.6, true]);
  });

  it("keeps the bounds: a ratio of exactly 1 / tolerance or tolerance is not flagged, just past them is", () => {
    const at = (outputThroughput: number) =>
      checked(point({ metrics: { outputThroughput } })).flagged;
    expect(LITTLES_LAW_TOLERANCE).toBe(4);
    expect([at(200), at(199), at(3200), at(3201)]).toEqual([false, true, false, true]);
    // a tighter tolerance, given
    expect(throughputConsistency(point(), 1.01)).toMatchObject({ flagged: true });
  });

  it("uses the median E2EL when the point has no mean (InferenceX's history rows), and says so", () => {
    const r = checked(point({ metrics: { e2el: { median: 8 } } }));
    expect([r.e2el, r.expected, r.ratio]).toEqual(["median", 1000, 0.76]);
  });

  it("takes the per-GPU output throughput over the decode GPUs only (disaggregated: prefill GPUs do not count)", () => {
    const r = checked(
      point({
        metrics: { outputThroughput: undefined, outputTputPerGpu: 126.5 },
        gpus: { disaggregated: true, gpus: 14, prefillGpus: 8, decodeGpus: 6 },
      }),
    );
    expect([r.reported, r.ratio, r.flagged]).toEqual([759, 0.94875, false]);
    expect(r.detail).toContain("reports 759 output tok/s (127 per GPU x 6 decode GPUs)");
  });

  it("takes the nominal OSL's mean when the run counted no tokens: [ratio x OSL, OSL], else the OSL", () => {
    const uncounted = { completed: undefined, outputTokens: undefined };
    const withRatio = checked(
      point({
        metrics: uncounted,
        config: { workload: { kind: "random", isl: 1000, osl: 1000, rangeRatio: 0.8 } },
      }),
    );
    expect([withRatio.outputTokens, withRatio.expected]).toEqual(["nominal", 720]);
    const withoutRatio = checked(
      point({ metrics: uncounted, config: { workload: { kind: "random", isl: 1000, osl: 1000 } } }),
    );
    expect(withoutRatio.expected).toBe(800);
  });

  it("counts a session's think time in each request's cycle: a multi-turn point with think time is consistent", () => {
    // `infermark bench --workload multi-turn --turns 4 --think-time 5000 --concurrency 4` against `sim serve`: each
    // slot waits 5 s between a reply and its session's next turn (none after the last), so a request's cycle is its
    // E2EL and 3.75 s; by E2EL alone the point read 0.111x, inconsistent
    const session = point({
      config: {
        workload: {
          kind: "session",
          isl: 128,
          osl: 32,
          rangeRatio: 0.8,
          turns: 4,
          thinkTimeMs: 5000,
        },
        load: { mode: "concurrency", concurrency: 4 },
      },
      metrics: { completed: 24, outputTokens: 702, outputThroughput: 30.88, e2el: { mean: 0.42 } },
    });
    const r = checked(session);
    expect([r.expected.toFixed(2), r.ratio.toFixed(3), r.flagged]).toEqual([
      "28.06",
      "1.101",
      false,
    ]);
    expect(r.detail).toBe(
      "reports 30.9 output tok/s, Little's law gives 28.1 (concurrency 4 x 29.3 counted output tokens / (mean E2EL 0.420 s + think 3.75 s)): 1.101x",
    );
    // sessions of one turn never think; turns not recorded: the whole think time
    const one = { kind: "session", isl: 128, osl: 32, turns: 1, thinkTimeMs: 5000 };
    expect(checked(point({ config: { workload: one } })).ratio).toBe(0.95);
    const unknown = { kind: "session", isl: 128, osl: 32, thinkTimeMs: 5000 };
    expect(checked(point({ config: { workload: unknown } })).expected).toBeCloseTo(8000 / 15, 9);
  });

  it("counts a run of fewer measured requests than its concurrency as having only those in flight", () => {
    // `infermark bench --concurrency 32 --num-requests 4` against `sim serve`: a valid point, 4 requests in flight at
    // most; against the concurrency it read 0.099x, inconsistent
    const few = point({
      config: { load: { mode: "concurrency", concurrency: 32, requests: 4 } },
      metrics: { completed: 4, outputTokens: 224, outputThroughput: 127, e2el: { mean: 1.4 } },
    });
    const r = checked(few);
    expect([r.expected, r.ratio.toFixed(3), r.flagged]).toEqual([160, "0.794", false]);
    expect(r.detail).toBe(
      "reports 127 output tok/s, Little's law gives 160 (4 requests at concurrency 32 x 56.0 counted output tokens / mean E2EL 1.40 s): 0.794x",
    );
    // as many requests as the concurrency, or more: the concurrency
    const at = (requests: number) =>
      checked(point({ config: { load: { mode: "concurrency", concurrency: 8, requests } } }))
        .expected;
    expect([at(8), at(80)]).toEqual([800, 800]);
  });

  it("changes nothing for MTP: tokens, not events, on both sides", () => {
    const mtp = point({ config: { specDecoding: { method: "mtp", draftTokens: 3 } } });
    expect(throughputConsistency(mtp)).toEqual(throughputConsistency(point()));
  });

  it("does not check what Little's law cannot judge, and says why", () => {
    const reason = (p: Point) => {
      const r = throughputConsistency(p);
      return r.kind === "unchecked" ? r.reason : "checked";
    };
    expect(
      [
        point({ config: { load: { mode: "rate", rate: 2, concurrency: 16 } } }),
        point({ config: { load: { mode: "trace" } } }),
        point({ config: { load: { mode: "concurrency" } } }),
        point({ metrics: { e2el: undefined } }),
        point({ metrics: { e2el: { mean: 0 } } }),
        point({ metrics: { outputThroughput: undefined, outputTputPerGpu: undefined } }),
        point({
          metrics: { outputTokens: undefined },
          config: { workload: { kind: "sharegpt", isl: 0, osl: 0 } },
        }),
      ].map(reason),
    ).toEqual([
      "rate mode: the requests in flight are not fixed",
      "trace mode: the requests in flight are not fixed",
      "no concurrency",
      "no mean or median E2EL",
      "no mean or median E2EL",
      "no output throughput",
      "no output length (tokens per request)",
    ]);
    // a dataset workload whose run counted its tokens is checked
    expect(
      checked(point({ config: { workload: { kind: "sharegpt", isl: 0, osl: 0 } } })).ratio,
    ).toBe(0.95);
  });
});

describe("throughputConsistency on InferenceX's published rows (examples/data/inferencex)", () => {
  const flagged = (file: string) => {
    const url = new URL(`../../../../examples/data/inferencex/${file}`, import.meta.url);
    const rows = JSON.parse(readFileSync(url, "utf8")) as unknown[];
    return rows.flatMap((row) => {
      const m = fromInferencexApiRow(row);
      if (!m.ok) return [];
      const r = throughputConsistency(m.point);
      const c = m.point.config;
      return r.kind === "checked" && r.flagged
        ? [
            `${c.hardware} ${c.framework} ${c.precision} ${c.specDecoding.method} ${c.workload.isl}/${c.workload.osl} conc ${c.load.concurrency} ${m.point.run.date} ${r.ratio.toFixed(3)}`,
          ]
        : [];
    });
  };

  it("flags the MI355X ATOM FP8 MTP row at 512 (51 tok/s/GPU, some 40x below its E2EL), and no other row", () => {
    expect(flagged("benchmarks.json")).toEqual([
      "mi355x atom fp8 mtp 1024/1024 conc 512 2026-06-02 0.021",
    ]);
    expect(flagged("benchmarks-history.json")).toEqual([
      "mi355x atom fp8 mtp 1024/1024 conc 512 2026-06-02 0.022",
    ]);
  });
});
