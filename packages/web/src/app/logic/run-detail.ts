import {
  type PointResult,
  type RequestRecord,
  requestTiming,
  runInstant,
  TOKEN_EVENT_KINDS,
} from "@infermark/core";
import type { Item } from "./types.js";

/**
 * The own runs (measured and simulated) a user picks from, newest first in time (`runInstant`: a date's offset,
 * separator or fractions do not reorder it).
 * @example ownRunsNewestFirst(items).map((i) => i.point.run.date)
 */
export function ownRunsNewestFirst(items: readonly Item[]): Item[] {
  return items
    .filter((i) => i.point.run.source !== "imported")
    .map((item) => ({ item, instant: runInstant(item.point.run.date) }))
    .sort((a, b) => (a.instant < b.instant ? 1 : a.instant > b.instant ? -1 : 0))
    .map(({ item }) => item);
}

/** A histogram: bin edges (n + 1) and counts (n). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/**
 * Bins values into `bins` equal-width bins between their min and max (the last bin includes the max).
 * @example histogram([1, 2, 2, 4], 3) // edges [1, 2, 3, 4], counts [1, 2, 1]
 */
export function histogram(values: readonly number[], bins = 30): Histogram {
  if (values.length === 0) return { edges: [], counts: [] };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) return { edges: [lo, hi], counts: [values.length] };
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  edges[bins] = hi;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  return { edges, counts };
}

/**
 * Why the run detail of a point without request records has no distributions: a report written without
 * `--requests` embeds none, whatever the store holds; otherwise none were stored with the point.
 * @example noRecordsText({ reportWithoutRecords: true }) // "This report embeds no request records, ..."
 */
export function noRecordsText(source: { reportWithoutRecords: boolean }): string {
  return source.reportWithoutRecords
    ? "This report embeds no request records, so there are no distributions to show (infermark report --requests embeds those stored with its points)."
    : "No request records were stored for this point, so there are no distributions to show (imported points have none; a run ingested with its request records has them, and a report embeds them with --requests).";
}

/** A time series: seconds since the first measured send, and a value. */
export type TimeSeries = [number, number][];

/** What the run detail view draws of one point. */
export interface RunDetail {
  requests: number;
  measured: number;
  ttft: number[];
  tpot: number[];
  e2el: number[];
  /** output tokens per second, per time bin */
  throughput: TimeSeries;
  /**
   * requests in flight, as a step function: the measured ones and the warm-up requests still in flight in the
   * measured window (the server has both: a closed loop of 64 starts 48 measured requests beside 16 warm-up ones)
   */
  concurrency: TimeSeries;
  /** of those, the warm-up requests in flight (empty when none is in the measured window) */
  warmupInFlight: TimeSeries;
  errors: { category: string; count: number }[];
  /** watts per GPU over time, when power was measured */
  power: { gpu: number; series: TimeSeries }[];
}

/**
 * Derives the run detail of a point from its request records (core's `requestTiming` per request, warm-up left out)
 * and its stored power samples. Times are seconds since the first measured send.
 * @example buildRunDetail(point, records).ttft.length // completed measured requests with a first token
 */
export function buildRunDetail(
  point: PointResult,
  records: readonly RequestRecord[],
  binS = 1,
): RunDetail {
  const measured = records.filter((r) => !r.warmup);
  const ttft: number[] = [];
  const tpot: number[] = [];
  const e2el: number[] = [];
  for (const r of measured) {
    if (r.error) continue;
    const t = requestTiming(r);
    if (!t) continue;
    ttft.push(t.ttft);
    e2el.push(t.e2el);
    if (t.tpot !== undefined) tpot.push(t.tpot);
  }
  const start = measured.reduce((m, r) => Math.min(m, r.tSend), Number.POSITIVE_INFINITY);
  const bins = new Map<number, number>();
  const edges: [number, number][] = [];
  for (const r of measured) {
    for (const e of r.events) {
      if (!TOKEN_EVENT_KINDS.has(e.kind)) continue;
      const bin = Math.floor((e.t - start) / 1000 / binS);
      bins.set(bin, (bins.get(bin) ?? 0) + (e.tokens ?? 1));
    }
    edges.push([(r.tSend - start) / 1000, 1], [(endOf(r) - start) / 1000, -1]);
  }
  // warm-up requests still streaming when the measured window opens load the server as measured ones do
  const warm: [number, number][] = [];
  for (const r of records) {
    if (!r.warmup || !Number.isFinite(start) || endOf(r) <= start) continue;
    warm.push([(Math.max(r.tSend, start) - start) / 1000, 1], [(endOf(r) - start) / 1000, -1]);
  }
  const lastBin = Math.max(-1, ...bins.keys());
  const throughput: TimeSeries = [];
  for (let b = 0; b <= lastBin; b++) throughput.push([b * binS, (bins.get(b) ?? 0) / binS]);
  const errors = Object.entries(point.errors.byCategory)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([category, count]) => ({ category, count: count ?? 0 }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  const samples = point.energy?.samples ?? [];
  const origin = Number.isFinite(start) ? start : (samples[0]?.t ?? 0);
  const byGpu = new Map<number, TimeSeries>();
  for (const s of [...samples].sort((a, b) => a.t - b.t)) {
    const list = byGpu.get(s.gpu) ?? [];
    list.push([(s.t - origin) / 1000, s.watts]);
    byGpu.set(s.gpu, list);
  }
  return {
    requests: records.length,
    measured: measured.length,
    ttft,
    tpot,
    e2el,
    throughput,
    concurrency: inFlight([...edges, ...warm]),
    warmupInFlight: inFlight(warm),
    errors,
    power: [...byGpu].sort((a, b) => a[0] - b[0]).map(([gpu, series]) => ({ gpu, series })),
  };
}

/** When a request ended: its end, else its last event, else its send. */
function endOf(r: RequestRecord): number {
  return r.tEnd ?? r.events.reduce((last, e) => Math.max(last, e.t), r.tSend);
}

/** Requests in flight as a step function of start (+1) and end (-1) edges; at one time, ends first. */
function inFlight(edges: readonly [number, number][]): TimeSeries {
  const sorted = [...edges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: TimeSeries = [];
  let n = 0;
  for (const [t, d] of sorted) {
    n += d;
    out.push([t, n]);
  }
  return out;
}
