import { RequestRecord } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import { buildRunDetail, histogram, noRecordsText, ownRunsNewestFirst } from "./run-detail.js";

const content = (t: number) => ({ t, kind: "content" as const, tokens: 1 });

describe("run detail", () => {
  it("bins values into equal-width bins, the max in the last bin", () => {
    expect(histogram([1, 2, 2, 4], 3)).toEqual({ edges: [1, 2, 3, 4], counts: [1, 2, 1] });
    expect(histogram([5, 5], 3)).toEqual({ edges: [5, 5], counts: [2] });
    expect(histogram([])).toEqual({ edges: [], counts: [] });
  });

  it("derives per-request timings, throughput, concurrency, errors and power from the records", () => {
    const item = makeItem({ id: "p", source: "measured", concurrency: 2, intvty: 10, tput: 100 });
    item.point.errors = { total: 1, requests: 3, rate: 1 / 3, byCategory: { timeout: 1 } };
    item.point.energy = {
      kind: "measured",
      valid: true,
      reasons: [],
      samples: [
        { t: 0, gpu: 0, watts: 500 },
        { t: 1000, gpu: 0, watts: 700 },
      ],
    };
    const records = [
      {
        index: 0,
        tSched: 0,
        tSend: 0,
        tEnd: 300,
        outputTokens: 3,
        events: [content(100), content(200), content(300)],
      },
      {
        index: 1,
        tSched: 50,
        tSend: 50,
        tEnd: 450,
        outputTokens: 2,
        events: [content(250), content(450)],
      },
      { index: 2, warmup: true, tSched: -500, tSend: -500, events: [content(-400)] },
      {
        index: 3,
        tSched: 60,
        tSend: 60,
        tEnd: 900,
        events: [],
        error: { category: "timeout", message: "t" },
      },
    ].map((r) => RequestRecord.parse(r));
    const d = buildRunDetail(item.point, records);
    expect(d.measured).toBe(3);
    expect(d.ttft).toEqual([0.1, 0.2]);
    expect(d.e2el).toEqual([0.3, 0.4]);
    expect(d.tpot.map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.2]);
    expect(d.throughput).toEqual([[0, 5]]);
    expect(d.concurrency).toEqual([
      [0, 1],
      [0.05, 2],
      [0.06, 3],
      [0.3, 2],
      [0.45, 1],
      [0.9, 0],
    ]);
    expect(d.errors).toEqual([{ category: "timeout", count: 1 }]);
    expect(d.power).toEqual([
      {
        gpu: 0,
        series: [
          [0, 500],
          [1, 700],
        ],
      },
    ]);
  });

  it("counts the warm-up requests still in flight in the measured window, as the server had them, and apart", () => {
    // a closed loop of 2: a warm-up request is still streaming when the first measured one is sent, so the server
    // has 2 requests in flight from the start, not the 1 measured one
    const item = makeItem({ id: "p", source: "measured", concurrency: 2, intvty: 10, tput: 100 });
    const records = [
      {
        index: 0,
        warmup: true,
        tSched: -100,
        tSend: -100,
        tEnd: 250,
        outputTokens: 1,
        events: [content(250)],
      },
      // over before the window: not drawn
      {
        index: 1,
        warmup: true,
        tSched: -300,
        tSend: -300,
        tEnd: -5,
        outputTokens: 1,
        events: [content(-5)],
      },
      { index: 2, tSched: 0, tSend: 0, tEnd: 300, outputTokens: 1, events: [content(300)] },
      { index: 3, tSched: 250, tSend: 250, tEnd: 600, outputTokens: 1, events: [content(600)] },
    ].map((r) => RequestRecord.parse(r));
    const d = buildRunDetail(item.point, records);
    expect(d.measured).toBe(2);
    expect(d.concurrency).toEqual([
      [0, 1],
      [0, 2],
      [0.25, 1],
      [0.25, 2],
      [0.3, 1],
      [0.6, 0],
    ]);
    expect(d.warmupInFlight).toEqual([
      [0, 1],
      [0.25, 0],
    ]);
    // without warm-up requests in the window there is no warm-up series
    expect(buildRunDetail(item.point, records.slice(1)).warmupInFlight).toEqual([]);
  });

  it("says why a point has no request records: none stored, or a report written without them", () => {
    expect(noRecordsText({ reportWithoutRecords: false })).toBe(
      "No request records were stored for this point, so there are no distributions to show (imported points have none; a run ingested with its request records has them, and a report embeds them with --requests).",
    );
    expect(noRecordsText({ reportWithoutRecords: true })).toBe(
      "This report embeds no request records, so there are no distributions to show (infermark report --requests embeds those stored with its points).",
    );
  });

  it("lists the own runs newest first in time, whatever the form of their dates", () => {
    const at = (date: string, concurrency: number, source: "measured" | "imported" = "measured") =>
      makeItem({ id: `p${concurrency}`, date, concurrency, source, intvty: 50, tput: 1000 });
    const eight = at("2026-07-01T08:00:00Z", 1);
    // 07:00 UTC, which sorts after 08:00Z as text
    const seven = at("2026-07-01T12:00:00+05:00", 2);
    const nine = at("2026-07-01 09:00:00Z", 3);
    const published = at("2026-08-01", 4, "imported");
    expect(ownRunsNewestFirst([seven, eight, published, nine])).toEqual([nine, eight, seven]);
  });
});
