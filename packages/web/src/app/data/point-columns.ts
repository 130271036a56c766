import type { PointResult } from "@infermark/core";
import type { Item } from "../logic/types.js";

/** The parts of a point carried as dictionaries: each distinct value once, points refer to it by index. */
export const DICT_PARTS = ["schema", "run", "config", "load", "errors", "validity", "energy"] as const;
export type DictPart = (typeof DICT_PARTS)[number];

/** The numeric metrics carried as columns (those a slim point keeps). */
export const METRIC_COLUMNS = [
  "tputPerGpu",
  "inputTputPerGpu",
  "outputTputPerGpu",
  "completed",
  "ttft.median",
  "ttft.p99",
  "tpot.median",
  "tpot.p99",
  "e2el.median",
  "e2el.p99",
  "intvty.median",
  "intvty.p99",
] as const;

/**
 * A list of (slim) points in a compact columnar form (`GET /api/points?fields=columns`): the configurations
 * (without the load level), runs, load levels, error summaries, validities and energy summaries are
 * dictionary-encoded (a configuration shared by 200 concurrencies is sent once); the numeric metrics are one array
 * per metric. `decodePointColumns` rebuilds the points, so the browser's analysis is core's, on PointResults.
 */
export interface PointColumns {
  format: "infermark.point-columns/v1";
  count: number;
  ids: string[];
  /** the distinct values of each dictionary part */
  dicts: Record<DictPart, unknown[]>;
  /** per point, the index of its value in `dicts` (-1: the point has none) */
  refs: Record<DictPart, number[]>;
  /** per metric column present in some point, its value per point (null: absent) */
  metrics: Partial<Record<(typeof METRIC_COLUMNS)[number], (number | null)[]>>;
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
  const metrics: PointColumns["metrics"] = {};
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
      let col = metrics[c];
      if (!col) {
        col = new Array<number | null>(n).fill(null);
        metrics[c] = col;
      }
      col[i] = v;
    }
  });
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
  const present = METRIC_COLUMNS.filter((c) => columns.metrics[c]).map((c) => {
    const dot = c.indexOf(".");
    return {
      values: columns.metrics[c]!,
      key: dot < 0 ? c : c.slice(0, dot),
      stat: dot < 0 ? undefined : c.slice(dot + 1),
    };
  });
  const out = new Array<Item>(columns.count);
  for (let i = 0; i < columns.count; i++) {
    const metrics: Record<string, number | Record<string, number>> = {};
    for (const m of present) {
      const v = m.values[i];
      if (v === null || v === undefined) continue;
      if (m.stat === undefined) metrics[m.key] = v;
      else {
        let s = metrics[m.key] as Record<string, number> | undefined;
        if (!s) {
          s = {};
          metrics[m.key] = s;
        }
        s[m.stat] = v;
      }
    }
    const energy = refs.energy[i]!;
    const point = {
      schema: dicts.schema[refs.schema[i]!],
      run: dicts.run[refs.run[i]!],
      config: { ...(dicts.config[refs.config[i]!] as object), load: dicts.load[refs.load[i]!] },
      metrics,
      errors: dicts.errors[refs.errors[i]!],
      validity: dicts.validity[refs.validity[i]!],
      ...(energy >= 0 ? { energy: dicts.energy[energy] } : {}),
    } as unknown as PointResult;
    out[i] = { id: columns.ids[i]!, point };
  }
  return out;
}
