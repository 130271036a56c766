import { describe, expect, it } from "vitest";
import type { RequestRecord, StreamEvent } from "../schemas/request-record.js";
import { aggregatePoint, measuredWindow, requestTiming } from "./aggregate.js";

const ev = (t: number, kind: StreamEvent["kind"], tokens?: number): StreamEvent =>
  tokens === undefined ? { t, kind } : { t, kind, tokens };

function rec(
  partial: Partial<RequestRecord> & Pick<RequestRecord, "index" | "tSend">,
): RequestRecord {
  return { warmup: false, tSched: partial.tSend, events: [], ...partial };
}

// Two requests, hand-computed (times in ms):
// r0: sent 1000; role-only event 1050 (no token); tokens at 1100, 1120, 1150 (1 each); usage-only 1160; 3 output tokens.
//     TTFT 0.100 s, E2EL 0.150 s, TPOT (0.150-0.100)/2 = 0.025 s, ITL gaps 0.020, 0.030.
// r1: scheduled 1000, sent 1010; tokens 1210 (2), 1250 (2), 1310 (1) as MTP would send them; usage 1320; ends 1330; 5 tokens.
//     TTFT 0.200, E2EL 0.300, TPOT 0.100/4 = 0.025, ITL 0.040, 0.060; token-weighted 0.040/2, 0.060/1.
const r0 = rec({
  index: 0,
  tSend: 1000,
  tEnd: 1160,
  events: [
    ev(1050, "role"),
    ev(1100, "content", 1),
    ev(1120, "content", 1),
    ev(1150, "content", 1),
    ev(1160, "usage"),
    ev(1160, "done"),
  ],
  promptTokens: 100,
  outputTokens: 3,
  outputTokensSource: "usage",
});
const r1 = rec({
  index: 1,
  tSched: 1000,
  tSend: 1010,
  tEnd: 1330,
  events: [
    ev(1210, "reasoning", 2),
    ev(1250, "content", 2),
    ev(1310, "content", 1),
    ev(1320, "usage"),
  ],
  promptTokens: 120,
  outputTokens: 5,
  outputTokensSource: "usage",
});

describe("requestTiming", () => {
  it("ignores role-only and usage-only events", () => {
    const t = requestTiming(r0)!;
    expect(t.ttft).toBeCloseTo(0.1, 12);
    expect(t.e2el).toBeCloseTo(0.15, 12);
    expect(t.tpot).toBeCloseTo(0.025, 12);
    expect(t.itl.map((x) => Number(x.toFixed(12)))).toEqual([0.02, 0.03]);
  });

  it("has no TPOT for a one-token response", () => {
    const t = requestTiming(
      rec({ index: 0, tSend: 0, events: [ev(80, "content", 1)], outputTokens: 1 }),
    )!;
    expect(t.ttft).toBeCloseTo(0.08, 12);
    expect(t.e2el).toBeCloseTo(0.08, 12);
    expect(t.tpot).toBeUndefined();
    expect(t.itl).toEqual([]);
  });

  it("has no TPOT when every token came in one event (a non-streamed response)", () => {
    // the whole body at 400 ms carries 5 tokens: TTFT equals E2EL and per-token timing is not seen
    const body = rec({ index: 0, tSend: 0, events: [ev(400, "content", 5)], outputTokens: 5 });
    const t = requestTiming(body)!;
    expect([t.ttft, t.e2el, t.tpot, t.itl]).toEqual([0.4, 0.4, undefined, []]);
    const { metrics: m } = aggregatePoint([body, { ...body, index: 1 }], { gpus: { total: 1 } });
    expect([m.tpot, m.itl, m.intvty, m.perRequestIntvty]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(m.ttft!.median).toBe(0.4);
    expect(m.outputTokens).toBe(10);
  });

  it("has no TPOT when the token events all came in one read (one stamp): not a TPOT of 0", () => {
    // three events stamped alike at 300 ms: a proxy that buffered the stream. Before, TPOT read 0 and the point's
    // interactivity lost its values (1 / 0), while the TPOT statistics counted a 0
    const buffered = rec({
      index: 0,
      tSend: 0,
      events: [ev(300, "content", 1), ev(300, "content", 2), ev(300, "content", 1)],
      outputTokens: 4,
    });
    const t = requestTiming(buffered)!;
    expect([t.ttft, t.e2el, t.tpot, t.itl]).toEqual([0.3, 0.3, undefined, [0, 0]]);
    const streamed = rec({
      index: 1,
      tSend: 0,
      events: [ev(100, "content", 1), ev(130, "content", 2), ev(160, "content", 1)],
      outputTokens: 4,
    });
    const { metrics: m } = aggregatePoint([buffered, streamed], { gpus: { total: 1 } });
    expect(m.tpot?.count).toBe(1);
    expect(m.tpot!.median).toBeCloseTo(0.02, 12);
    expect(m.intvty!.median).toBeCloseTo(50, 9);
    expect(m.ttft?.count).toBe(2);
  });

  it("counts token events when neither usage nor a re-tokenized count is known", () => {
    const t = requestTiming(
      rec({
        index: 0,
        tSend: 0,
        events: [ev(10, "content"), ev(20, "content"), ev(40, "content")],
      }),
    )!;
    expect(t.outputTokens).toBe(3);
    expect(t.tpot).toBeCloseTo(0.015, 12);
    expect(t.itlTokenWeighted).toBeUndefined();
  });
});

describe("aggregatePoint", () => {
  it("computes every per-point metric of METRICS.md by hand", () => {
    const { metrics: m, validity, errors } = aggregatePoint([r0, r1], { gpus: { total: 8 } });
    expect(validity).toEqual({ valid: true, reasons: [] });
    expect(errors).toEqual({ total: 0, requests: 2, rate: 0, byCategory: {} });
    expect(m.completed).toBe(2);
    expect(m.durationS).toBeCloseTo(0.33, 12); // first send 1000 .. last completion 1330
    expect(m.inputTokens).toBe(220);
    expect(m.outputTokens).toBe(8);
    expect(m.requestThroughput).toBeCloseTo(2 / 0.33, 9);
    expect(m.inputThroughput).toBeCloseTo(220 / 0.33, 9);
    expect(m.outputThroughput).toBeCloseTo(8 / 0.33, 9);
    expect(m.totalThroughput).toBeCloseTo(228 / 0.33, 9);
    expect(m.tputPerGpu).toBeCloseTo(228 / 0.33 / 8, 9);
    expect(m.outputTputPerGpu).toBeCloseTo(8 / 0.33 / 8, 9);
    expect(m.inputTputPerGpu).toBeCloseTo(220 / 0.33 / 8, 9);
    expect(m.ttft!.mean).toBeCloseTo(0.15, 12);
    expect(m.ttft!.median).toBeCloseTo(0.15, 12);
    expect(m.ttft!.std).toBeCloseTo(0.05, 12);
    expect(m.ttft!.p99).toBeCloseTo(0.1 + 0.1 * 0.99, 12);
    expect(m.e2el!.mean).toBeCloseTo(0.225, 12);
    expect(m.tpot!.mean).toBeCloseTo(0.025, 12);
    expect(m.tpot!.std).toBeCloseTo(0, 12);
    expect(m.intvty!.median).toBeCloseTo(40, 9);
    expect(m.intvty!.p99).toBeCloseTo(40, 9);
    expect(m.intvty!.std).toBeUndefined(); // 1 / std(TPOT) = 1 / 0: left out, never Infinity
    // ITL pools every gap: 0.02, 0.03, 0.04, 0.06 -> mean 0.0375, median 0.035
    expect(m.itl!.mean).toBeCloseTo(0.0375, 12);
    expect(m.itl!.median).toBeCloseTo(0.035, 12);
    expect(m.itl!.count).toBe(4);
    // token-weighted: 0.02, 0.03, 0.02, 0.06 -> mean 0.0325, median 0.025: MTP events no longer inflate it
    expect(m.itlTokenWeighted!.mean).toBeCloseTo(0.0325, 12);
    expect(m.itlTokenWeighted!.median).toBeCloseTo(0.025, 12);
    expect(m.queueDelay!.mean).toBeCloseTo(0.005, 12);
    expect(m.outputTokensSource).toEqual({ usage: 2 });
  });

  it("gives interactivity as InferenceX does (1 / each TPOT figure) and per request (1 / TPOT_i), slow tail as pN", () => {
    // four requests of 2 tokens whose TPOTs are 10, 20, 40 and 50 ms: interactivities 100, 50, 25 and 20 tok/s/user
    const records = [10, 20, 40, 50].map((tpotMs, index) =>
      rec({
        index,
        tSend: 0,
        events: [ev(100, "content", 1), ev(100 + tpotMs, "content", 1)],
        outputTokens: 2,
      }),
    );
    const { metrics: m } = aggregatePoint(records, { gpus: { total: 1 } });
    const tpot = m.tpot!;
    // InferenceX's figures, as its process_result.py writes them (`*_intvty = 1000 / *_tpot_ms`), which imported
    // rows carry: the frontier's x, the median, is exactly 1 / median TPOT (1 / 0.03, where the median of the
    // per-request interactivities is 37.5)
    expect(m.intvty!.median).toBe(1 / tpot.median!);
    expect(m.intvty!.median).toBeCloseTo(100 / 3, 9);
    // pN = 1 / TPOT's pN: the interactivity N% of the requests reach or beat (the slow tail, not the fast one)
    expect(m.intvty!.p90).toBeCloseTo(1 / 0.047, 9);
    expect(m.intvty!.p99).toBeCloseTo(1 / 0.0497, 9);
    expect(m.intvty!.p999).toBeCloseTo(1 / 0.04997, 9);
    // the mean, 1 / mean TPOT, is the harmonic mean of the per-request interactivities: 4 / (1/100 + ... + 1/20)
    expect(m.intvty!.mean).toBeCloseTo(4 / (1 / 100 + 1 / 50 + 1 / 25 + 1 / 20), 9);
    // the std is InferenceX's 1 / std(TPOT) (std 0.0158 s), no spread of anything
    expect(m.intvty!.std).toBeCloseTo(1 / Math.sqrt(0.00025), 9);
    expect(m.intvty!.count).toBe(4);
    // per request: 100, 50, 25, 20: their arithmetic mean, median and spread, and pN the interactivity N% of them
    // reach or beat, the (100 - N)th percentile (before, the Nth: p99 read the fastest request's 98.5, the fast
    // tail, under the key whose `intvty` figure is the slow one)
    const perRequest = m.perRequestIntvty!;
    expect(perRequest.mean).toBeCloseTo(48.75, 9);
    expect(perRequest.median).toBeCloseTo(37.5, 9);
    expect(perRequest.std).toBeCloseTo(31.696805832764916, 9);
    expect(perRequest.p90).toBeCloseTo(20 + 5 * 0.3, 9);
    expect(perRequest.p99).toBeCloseTo(20 + 5 * 0.03, 9);
    expect(perRequest.p999).toBeCloseTo(20 + 5 * 0.003, 9);
    expect(perRequest.count).toBe(4);
    // the same tail under the same key: equal but for where the interpolation between two requests is linear
    expect(Math.abs(perRequest.p99! - m.intvty!.p99!)).toBeLessThan(0.05);
  });

  it("aggregates a level of 200,000 requests (more than a call takes arguments)", () => {
    // before, the measured window came from Math.min(...sends) / Math.max(...ends), which overflow the call stack
    // from about 125,000 values: a long rate-mode level lost its point after running
    const n = 200_000;
    const records = Array.from({ length: n }, (_, i) =>
      rec({
        index: i,
        tSend: 1000 + i,
        tEnd: 1100 + i,
        events: [ev(1050 + i, "content", 1), ev(1100 + i, "content", 1)],
        promptTokens: 10,
        outputTokens: 2,
        outputTokensSource: "usage",
      }),
    );
    const { metrics } = aggregatePoint(records, { gpus: { total: 1 } });
    expect(metrics.completed).toBe(n);
    expect(metrics.durationS).toBeCloseTo((n - 1 + 100) / 1000, 9);
  });

  it("excludes warm-up requests from every figure", () => {
    const warm = { ...r1, index: 2, warmup: true, tSend: 0, tSched: 0, tEnd: 5000 };
    const { metrics } = aggregatePoint([warm, r0, r1], { gpus: { total: 8 } });
    expect(metrics.completed).toBe(2);
    expect(metrics.durationS).toBeCloseTo(0.33, 12);
  });

  it("uses separate prefill and decode GPU counts when disaggregated", () => {
    const { metrics: m } = aggregatePoint([r0, r1], {
      gpus: { total: 24, prefill: 8, decode: 16 },
    });
    expect(m.tputPerGpu).toBeCloseTo(228 / 0.33 / 24, 9);
    expect(m.inputTputPerGpu).toBeCloseTo(220 / 0.33 / 8, 9);
    expect(m.outputTputPerGpu).toBeCloseTo(8 / 0.33 / 16, 9);
  });

  it("uses the re-tokenized count when server usage is missing, and records the source", () => {
    const noUsage = rec({
      index: 0,
      tSend: 0,
      tEnd: 100,
      events: [ev(20, "content"), ev(50, "content"), ev(100, "content")],
      promptTokens: 10,
      promptTokensSource: "tokenizer",
      outputTokens: 4,
      outputTokensSource: "tokenizer",
      outputTokensTokenizer: 4,
    });
    const { metrics: m } = aggregatePoint([noUsage], { gpus: { total: 1 } });
    expect(m.outputTokens).toBe(4);
    expect(m.outputTokensSource).toEqual({ tokenizer: 1 });
    expect(m.tpot!.mean).toBeCloseTo((0.1 - 0.02) / 3, 12);
    expect(m.itlTokenWeighted).toBeUndefined(); // per-event counts unknown
  });

  it("reports the difference between server usage and re-tokenized counts", () => {
    const both = { ...r0, outputTokensUsage: 3, outputTokensTokenizer: 2 };
    expect(aggregatePoint([both], { gpus: { total: 1 } }).metrics.usageTokenizerDiff).toBe(1);
  });

  it("survives zero completed requests: metrics absent, point invalid", () => {
    const failed = rec({
      index: 0,
      tSend: 0,
      tEnd: 5,
      error: { category: "connect", message: "ECONNREFUSED" },
    });
    const agg = aggregatePoint([failed], { gpus: { total: 8 } });
    expect(agg.metrics).toEqual({ completed: 0 });
    expect(agg.validity.valid).toBe(false);
    expect(agg.validity.reasons).toEqual(["no request completed", "error rate 100.0% exceeds 5%"]);
    expect(aggregatePoint([], { gpus: { total: 8 } }).validity.reasons).toEqual([
      "no request completed",
    ]);
  });

  it("marks a point with 6% errors invalid, with the reason and categories", () => {
    const records: RequestRecord[] = [];
    for (let i = 0; i < 50; i++) {
      const ok = { ...r0, index: i };
      if (i < 2)
        records.push({ ...ok, error: { category: "timeout", message: "no response in 600 s" } });
      else if (i === 2)
        records.push({ ...ok, error: { category: "http_status", message: "503", status: 503 } });
      else records.push(ok);
    }
    const agg = aggregatePoint(records, { gpus: { total: 8 } });
    expect(agg.errors).toEqual({
      total: 3,
      requests: 50,
      rate: 0.06,
      byCategory: { timeout: 2, http_status: 1 },
    });
    expect(agg.validity).toEqual({ valid: false, reasons: ["error rate 6.0% exceeds 5%"] });
    expect(agg.metrics.completed).toBe(47);
  });

  it("leaves requests the client cancelled (a stop past the drain timeout) out of the error rate", () => {
    const records: RequestRecord[] = Array.from({ length: 5 }, (_, i) =>
      i === 4
        ? {
            ...r0,
            index: i,
            error: { category: "cancelled", message: "cancelled before the response ended" },
          }
        : { ...r0, index: i },
    );
    const agg = aggregatePoint(records, { gpus: { total: 8 } });
    expect(agg.errors).toEqual({ total: 1, requests: 5, rate: 0, byCategory: { cancelled: 1 } });
    expect(agg.validity).toEqual({ valid: true, reasons: [] });
    // a server error among them still counts, over the requests the client did not stop
    records[0] = {
      ...r0,
      index: 0,
      error: { category: "http_status", message: "503", status: 503 },
    };
    expect(aggregatePoint(records, { gpus: { total: 8 } }).errors.rate).toBe(0.25);
  });

  it("keeps a point with exactly 5% errors valid", () => {
    const records = Array.from({ length: 20 }, (_, i) =>
      i === 0
        ? { ...r0, index: i, error: { category: "stream_cut" as const, message: "cut" } }
        : { ...r0, index: i },
    );
    expect(aggregatePoint(records, { gpus: { total: 8 } }).validity.valid).toBe(true);
  });

  it("counts a response without any token as empty_output", () => {
    const empty = rec({ index: 0, tSend: 0, tEnd: 10, events: [ev(5, "role"), ev(10, "usage")] });
    const agg = aggregatePoint([empty, r0], { gpus: { total: 1 } });
    expect(agg.errors.byCategory).toEqual({ empty_output: 1 });
  });

  it("computes goodput against SLOs", () => {
    // r0: TTFT 0.1, TPOT 0.025, E2EL 0.15 meets all; r1: TTFT 0.2 misses a 0.15 s TTFT SLO
    const { metrics } = aggregatePoint([r0, r1], {
      gpus: { total: 8 },
      slo: { ttftS: 0.15, tpotS: 0.03 },
    });
    expect(metrics.goodput!.fraction).toBe(0.5);
    expect(metrics.goodput!.requestsPerS).toBeCloseTo(1 / 0.33, 9);
  });

  it("marks a point invalid when the client was saturated", () => {
    const agg = aggregatePoint([r0], {
      gpus: { total: 1 },
      client: { saturated: true, eventLoopDelayP99Ms: 12.5, sendLagP99Ms: 3 },
    });
    expect(agg.validity).toEqual({
      valid: false,
      reasons: ["client saturated (event-loop delay p99 12.5 ms, send lag p99 3.0 ms)"],
    });
  });

  it("names the loop utilization in the reason, the cause when both lags are within bounds", () => {
    const agg = aggregatePoint([r0], {
      gpus: { total: 1 },
      client: { saturated: true, eventLoopDelayP99Ms: 2, sendLagP99Ms: 1, loopUtilization: 0.953 },
    });
    expect(agg.validity.reasons).toEqual([
      "client saturated (event-loop delay p99 2.0 ms, send lag p99 1.0 ms, loop utilization 95%)",
    ]);
  });
});

describe("measuredWindow", () => {
  it("runs from the first send to the last end of the measured requests that completed, as the duration does", () => {
    const warm = rec({
      index: 0,
      tSend: 0,
      tEnd: 900,
      warmup: true,
      events: [ev(500, "content", 1)],
    });
    const ok = rec({ index: 1, tSend: 1000, tEnd: 1500, events: [ev(1200, "content", 1)] });
    // no tEnd (a record of an older version): its last event
    const older = rec({
      index: 2,
      tSend: 1100,
      events: [ev(1300, "content", 1), ev(2100, "done")],
    });
    // a timeout 600 s later, and a request with no token: neither stretches the window (energy was integrated over
    // every measured request's end, so the joules of 600 idle seconds went to the completed requests' tokens)
    const timedOut = rec({
      index: 3,
      tSend: 900,
      tEnd: 601_000,
      events: [ev(1100, "content", 1)],
      error: { category: "timeout", message: "no answer in 600 s" },
    });
    const empty = rec({ index: 4, tSend: 950, tEnd: 1600, events: [ev(1600, "done")] });
    const records = [warm, ok, older, timedOut, empty];
    expect(measuredWindow(records)).toEqual({ startMs: 1000, endMs: 2100 });
    const { metrics } = aggregatePoint(records, { gpus: { total: 1 } });
    expect(metrics.durationS).toBeCloseTo(1.1, 12);
    expect(measuredWindow([warm, timedOut, empty])).toBeUndefined();
  });
});
