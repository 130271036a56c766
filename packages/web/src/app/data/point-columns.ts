import type { PointResult } from "@infermark/core";
import type { Item } from "../logic/types.js";

/** The parts of a point carried as dictionaries: each distinct value once, points refer to it by index. */
export const DICT_PARTS = [
  "schema",
  "run",
  "config",
  "load",
  "errors",
  "validity",
  "energy",
] as const;
export type DictPart = (typeof DICT_PARTS)[number];

/** The numeric metrics carried as columns (those a slim point keeps). */
export const METRIC_COLUMNS = [
  "tputPerGpu",
  "inputTputPerGpu",
  "outputTputPerGpu",
  "completed",
  "outputTokens",
  "outputThroughput",
  "ttft.median",
  "ttft.p99",
  "tpot.median",
  "tpot.p99",
  "e2el.median",
  "e2el.p99",
  "e2el.mean",
  "intvty.median",
  "intvty.p99",
] as const;

/**
 * A list of (slim) points in a compact columnar form (`GET /api/points?fields=columns`): the configurations
 * (without the load level), runs, load levels, error summaries, validities and energy summaries are
 * dictionary-encoded (a configuration shared by 200 concurrencies is sent once); each numeric metric is one column:
 * the base64 of its little-endian float64 values, NaN where a point has none (exact values, and 11 bytes of JSON a
 * number instead of about 19, parsed as one string). `decodePointColumns` rebuilds the points, so the browser's
 * analysis is core's, on PointResults.
 */
export interface PointColumns {
  format: "infermark.point-columns/v1";
  count: number;
  ids: string[];
  /** the distinct values of each dictionary part */
  dicts: Record<DictPart, unknown[]>;
  /** per point, the index of its value in `dicts` (-1: the point has none) */
  refs: Record<DictPart, number[]>;
  /** per metric column present in some point: base64 of a little-endian Float64Array, NaN: absent */
  metrics: Partial<Record<(typeof METRIC_COLUMNS)[number], string>>;
}

const STATS = ["ttft", "tpot", "e2el", "intvty"] as const;

function readMetric(m: PointResult["metrics"], column: string): number | undefined {
  const dot = column.indexOf(".");
  if (dot < 0) return m[column as "tputPerGpu"] as number | undefined;
  const stat = m[column.slice(0, dot) as (typeof STATS)[number]] as
    | Record<string, number | undefined>
    | undefined;
  return stat?.[column.slice(dot + 1)];
}

/**
 * Encodes points (already slimmed: metrics other than METRIC_COLUMNS are not carried) as PointColumns.
 * @example JSON.stringify(encodePointColumns(rows.map((r) => ({ id: r.id, point: slimPoint(r.point) }))))
 */
export function encodePointColumns(items: readonly Item[]): PointColumns {
  const n = items.length;
  const dicts = {} as Record<DictPart, unknown[]>;
  const refs = {} as Record<DictPart, number[]>;
  const seen = {} as Record<DictPart, Map<string, number>>;
  for (const part of DICT_PARTS) {
    dicts[part] = [];
    refs[part] = new Array<number>(n);
    seen[part] = new Map();
  }
  const columns: Partial<Record<(typeof METRIC_COLUMNS)[number], Float64Array>> = {};
  const ref = (part: DictPart, i: number, value: unknown) => {
    if (value === undefined) {
      refs[part][i] = -1;
      return;
    }
    const key = JSON.stringify(value);
    let k = seen[part].get(key);
    if (k === undefined) {
      k = dicts[part].length;
      dicts[part].push(value);
      seen[part].set(key, k);
    }
    refs[part][i] = k;
  };
  items.forEach(({ point: p }, i) => {
    const { load, ...config } = p.config;
    ref("schema", i, p.schema);
    ref("run", i, p.run);
    ref("config", i, config);
    ref("load", i, load);
    ref("errors", i, p.errors);
    ref("validity", i, p.validity);
    ref("energy", i, p.energy);
    for (const c of METRIC_COLUMNS) {
      const v = readMetric(p.metrics, c);
      if (v === undefined) continue;
      let col = columns[c];
      if (!col) {
        col = new Float64Array(n).fill(Number.NaN);
        columns[c] = col;
      }
      col[i] = v;
    }
  });
  const metrics: PointColumns["metrics"] = {};
  for (const c of METRIC_COLUMNS) {
    const col = columns[c];
    if (col) metrics[c] = toBase64(new Uint8Array(col.buffer));
  }
  return {
    format: "infermark.point-columns/v1",
    count: n,
    ids: items.map((i) => i.id),
    dicts,
    refs,
    metrics,
  };
}

/**
 * Rebuilds the points of PointColumns. Points share the dictionary objects (run, validity, ...): treat them as
 * read-only.
 * @example decodePointColumns(await (await fetch("api/points?fields=columns&latest=true")).json())
 */
export function decodePointColumns(columns: PointColumns): Item[] {
  if (columns.format !== "infermark.point-columns/v1")
    throw new Error(`unknown point list format ${String(columns.format)}`);
  const { dicts, refs } = columns;
  const col = (c: (typeof METRIC_COLUMNS)[number]): Float64Array | undefined => {
    const text = columns.metrics[c];
    if (!text) return undefined;
    const bytes = fromBase64(text);
    return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  };
  // one variable and one literal property name per column: keyed stores cost 3x on 50,000 points
  const tput = col("tputPerGpu");
  const input = col("inputTputPerGpu");
  const output = col("outputTputPerGpu");
  const completed = col("completed");
  const outputTokens = col("outputTokens");
  const outputThroughput = col("outputThroughput");
  const e2elMean = col("e2el.mean");
  const stats = (["ttft", "tpot", "e2el", "intvty"] as const).map((k) => ({
    median: col(`${k}.median`),
    p99: col(`${k}.p99`),
  }));
  const at = (values: Float64Array | undefined, i: number) => {
    const v = values?.[i];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  };
  const stat = (s: (typeof stats)[number], i: number) => {
    const median = at(s.median, i);
    const p99 = at(s.p99, i);
    if (median === undefined && p99 === undefined) return undefined;
    const out: { median?: number; p99?: number } = {};
    if (median !== undefined) out.median = median;
    if (p99 !== undefined) out.p99 = p99;
    return out;
  };
  const out = new Array<Item>(columns.count);
  for (let i = 0; i < columns.count; i++) {
    const metrics: PointResult["metrics"] = {};
    let v = at(tput, i);
    if (v !== undefined) metrics.tputPerGpu = v;
    v = at(input, i);
    if (v !== undefined) metrics.inputTputPerGpu = v;
    v = at(output, i);
    if (v !== undefined) metrics.outputTputPerGpu = v;
    v = at(completed, i);
    if (v !== undefined) metrics.completed = v;
    v = at(outputTokens, i);
    if (v !== undefined) metrics.outputTokens = v;
    v = at(outputThroughput, i);
    if (v !== undefined) metrics.outputThroughput = v;
    let st = stat(stats[0]!, i);
    if (st) metrics.ttft = st;
    st = stat(stats[1]!, i);
    if (st) metrics.tpot = st;
    st = stat(stats[2]!, i);
    v = at(e2elMean, i);
    if (v !== undefined) st = Object.assign(st ?? {}, { mean: v });
    if (st) metrics.e2el = st;
    st = stat(stats[3]!, i);
    if (st) metrics.intvty = st;
    // Object.assign, not a spread: three times faster on 50,000 points
    const config = Object.assign({}, dicts.config[refs.config[i]!] as object, {
      load: dicts.load[refs.load[i]!],
    });
    const point: Record<string, unknown> = {
      schema: dicts.schema[refs.schema[i]!],
      run: dicts.run[refs.run[i]!],
      config,
      metrics,
      errors: dicts.errors[refs.errors[i]!],
      validity: dicts.validity[refs.validity[i]!],
    };
    const energy = refs.energy[i]!;
    if (energy >= 0) point.energy = dicts.energy[energy];
    out[i] = { id: columns.ids[i]!, point: point as unknown as PointResult };
  }
  return out;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Base64 of bytes (no dependency on Buffer or btoa: the encoder runs in Node and in the report's browser). */
export function toBase64(bytes: Uint8Array): string {
  const g = globalThis as { Buffer?: { from(b: Uint8Array): { toString(e: string): string } } };
  if (g.Buffer) return g.Buffer.from(bytes).toString("base64");
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? "=" : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? "=" : B64[c & 63]!;
  }
  return out;
}

/** Bytes of a base64 string (in an 8-byte aligned buffer, for Float64Array views). */
export function fromBase64(text: string): Uint8Array {
  const g = globalThis as {
    Buffer?: { from(s: string, e: string): Uint8Array };
    atob?: (s: string) => string;
  };
  if (g.Buffer) return new Uint8Array(g.Buffer.from(text, "base64"));
  const bin = g.atob!(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
