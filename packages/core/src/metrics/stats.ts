import type { Stats } from "../schemas/common.js";

/**
 * Percentile with linear interpolation between closest ranks (numpy's default, `method="linear"`).
 * `sorted` must be ascending; `q` is in [0, 100].
 * @example percentileSorted([1, 2, 3, 4], 90) // 3.7
 */
export function percentileSorted(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = (q / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

/** Mean, median, population std, p90, p99, p99.9 of a sample; undefined when it is empty. */
export function summarize(values: ArrayLike<number>): Stats | undefined {
  return summarizeInPlace(Float64Array.from(values));
}

/**
 * `summarize`, sorting `values` itself instead of a copy: for a sample no one reads afterwards (a point's tens of
 * millions of inter-token gaps, where a copy is as large again).
 */
export function summarizeInPlace(values: Float64Array): Stats | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const sorted = values.sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let sq = 0;
  for (const v of sorted) sq += (v - mean) ** 2;
  const arr = sorted as unknown as number[];
  return {
    mean,
    median: percentileSorted(arr, 50),
    std: Math.sqrt(sq / n),
    p90: percentileSorted(arr, 90),
    p99: percentileSorted(arr, 99),
    p999: percentileSorted(arr, 99.9),
    count: n,
  };
}

/**
 * Applies `f` to every statistic but the count (e.g. 1/x for interactivity). A result that is not finite
 * (1/0 when every TPOT is equal, so std is 0) is left out rather than stored as Infinity.
 */
export function mapStats(stats: Stats | undefined, f: (x: number) => number): Stats | undefined {
  if (!stats) return undefined;
  const out: Stats = {};
  for (const [k, v] of Object.entries(stats) as [keyof Stats, number | undefined][]) {
    if (v === undefined) continue;
    const mapped = k === "count" ? v : f(v);
    if (Number.isFinite(mapped)) out[k] = mapped;
  }
  return out;
}

/**
 * The least of many values, as `Math.min` gives it (Infinity when there are none). A loop: `Math.min(...values)`
 * passes every value as an argument and overflows the call stack from about 125,000 of them, which a level of
 * requests or a dataset file reaches.
 * @example minOf(records.map((r) => r.tSend))
 */
export function minOf(values: Iterable<number>): number {
  let least = Number.POSITIVE_INFINITY;
  for (const v of values) if (v < least || Number.isNaN(v)) least = v;
  return least;
}

/**
 * The greatest of many values, as `Math.max` gives it (-Infinity when there are none); a loop, as `minOf`.
 * @example maxOf(entries.map((e) => e.promptTokens + e.maxTokens))
 */
export function maxOf(values: Iterable<number>): number {
  let most = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > most || Number.isNaN(v)) most = v;
  return most;
}

/**
 * A list of numbers in a growing Float64Array: 8 bytes each, outside the JavaScript heap, where an array of
 * numbers built by `push` holds up to 12 on it. A point's inter-token gaps are tens of millions at InferenceX's
 * longest outputs.
 * @example const gaps = new NumberList(); gaps.push(0.02); summarize(gaps.view());
 */
export class NumberList {
  #values = new Float64Array(1024);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = value;
  }

  /** The numbers so far (a view: later pushes may or may not show in it). */
  view(): Float64Array {
    return this.#values.subarray(0, this.#length);
  }
}
