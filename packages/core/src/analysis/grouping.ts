import type { WorkerPool } from "../schemas/common.js";
import { dayOf, workloadKind } from "../schemas/point-filter.js";
import type { PointResult } from "../schemas/point-result.js";
import { AnalysisError } from "./analysis-error.js";
import { softwareKey, softwareOf } from "./software.js";

const pools = (p: PointResult, f: (w: WorkerPool | undefined) => string) => {
  const t = p.config.topology;
  return t.disaggregated ? `p${f(t.prefill)}/d${f(t.decode)}` : f(t.decode ?? t.prefill);
};

/** Every dimension a caller can group points by, with how to read it. */
export const GROUP_DIMENSIONS = {
  model: (p: PointResult) => p.config.model,
  isl: (p: PointResult) => String(p.config.workload.isl),
  osl: (p: PointResult) => String(p.config.workload.osl),
  workload: (p: PointResult) => workloadKind(p.config.workload),
  hardware: (p: PointResult) => p.config.hardware,
  framework: (p: PointResult) => p.config.framework,
  precision: (p: PointResult) => p.config.precision,
  spec: (p: PointResult) => p.config.specDecoding.method,
  disagg: (p: PointResult) => (p.config.topology.disaggregated ? "disagg" : "agg"),
  tp: (p: PointResult) => pools(p, (w) => `tp${w?.tp ?? 1}`),
  ep: (p: PointResult) => pools(p, (w) => `ep${w?.ep ?? 1}`),
  dpa: (p: PointResult) => pools(p, (w) => (w?.dpAttention ? "dpa" : "nodpa")),
  gpus: (p: PointResult) => `${p.config.topology.gpus}gpu`,
  multinode: (p: PointResult) => (p.config.topology.multinode ? "multinode" : "single-node"),
  image: (p: PointResult) => p.config.image ?? "-",
  // the engine's release as the server gave it (bench asks it) or as recorded, `v0.11.0`, else the image's tag
  // (`softwareOf`: InferenceX rows record only the image), `-` when neither is known
  version: (p: PointResult) => {
    const software = softwareOf(p);
    if (software === undefined) return "-";
    return p.config.frameworkVersion ? `v${softwareKey(software)}` : software;
  },
  source: (p: PointResult) => p.run.source,
  date: (p: PointResult) => dayOf(p.run.date),
} as const;

/** A dimension points can be grouped by. */
export type GroupDimension = keyof typeof GROUP_DIMENSIONS;

/**
 * Cheaper identity keys of some dimensions (numbers and booleans instead of the strings above) for the grouping
 * walk: a Map keyed by a number or boolean skips building and hashing a fresh string per point.
 */
const IDENTITY_KEYS: Partial<Record<GroupDimension, (p: PointResult) => unknown>> = {
  isl: (p) => p.config.workload.isl,
  osl: (p) => p.config.workload.osl,
  disagg: (p) => p.config.topology.disaggregated,
  gpus: (p) => p.config.topology.gpus,
  multinode: (p) => p.config.topology.multinode,
};

/** The workload dimensions: every grouping has them, since a frontier never pools different workloads. */
export const WORKLOAD_DIMENSIONS: readonly GroupDimension[] = ["model", "isl", "osl", "workload"];

/** METRICS.md's group: model, ISL/OSL, hardware, framework, precision, speculative decoding, disaggregation. */
export const DEFAULT_GROUP_DIMENSIONS: readonly GroupDimension[] = [
  ...WORKLOAD_DIMENSIONS,
  "hardware",
  "framework",
  "precision",
  "spec",
  "disagg",
];

const isDimension = (d: string): d is GroupDimension => Object.hasOwn(GROUP_DIMENSIONS, d);

/**
 * Parses a grouping: empty for METRICS.md's groups; `+tp,+ep` for finer groups; `-framework` to pool a dimension;
 * a plain list (`hardware` or `hardware,precision`) for exactly those dimensions. The workload (model, ISL, OSL,
 * workload kind) is always part of a group.
 * @example parseGroupBy("hardware") // ["model", "isl", "osl", "hardware"]: best of all frameworks on a GPU
 */
export function parseGroupBy(spec?: string): GroupDimension[] {
  const tokens = (spec ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (tokens.length === 0) return [...DEFAULT_GROUP_DIMENSIONS];
  const relative = tokens.filter((t) => t.startsWith("+") || t.startsWith("-"));
  if (relative.length > 0 && relative.length !== tokens.length)
    throw new AnalysisError(
      `grouping "${spec}": use either +dim/-dim changes or a plain list, not both`,
    );
  const check = (d: string): GroupDimension => {
    if (!isDimension(d))
      throw new AnalysisError(
        `unknown grouping dimension "${d}"; known: ${Object.keys(GROUP_DIMENSIONS).join(", ")}`,
      );
    return d;
  };
  if (relative.length === 0) {
    const dims = tokens.map(check);
    return [...WORKLOAD_DIMENSIONS, ...dims.filter((d) => !WORKLOAD_DIMENSIONS.includes(d))];
  }
  const dims = [...DEFAULT_GROUP_DIMENSIONS];
  for (const t of tokens) {
    const d = check(t.slice(1));
    if (t.startsWith("+")) {
      if (!dims.includes(d)) dims.push(d);
    } else {
      if (WORKLOAD_DIMENSIONS.includes(d))
        throw new AnalysisError(`the workload dimension "${d}" cannot be pooled`);
      dims.splice(dims.indexOf(d), 1);
    }
  }
  return dims;
}

/** One group of points: its key, its value on each dimension, a readable label, and its points. */
export interface PointGroup<T = PointResult> {
  key: string;
  dims: Partial<Record<GroupDimension, string>>;
  label: string;
  items: T[];
}

/** The values of a point on some dimensions. */
export function groupValues(
  point: PointResult,
  dims: readonly GroupDimension[],
): Partial<Record<GroupDimension, string>> {
  const out: Partial<Record<GroupDimension, string>> = {};
  for (const d of dims) out[d] = GROUP_DIMENSIONS[d](point);
  return out;
}

/**
 * A readable label of a group: `dsr1 1024/1024 h200 sglang fp8 mtp agg` (spec `none` and the `random` workload,
 * the common case, are left out; `dsr1 1000/100 session x4 h200 ...` names another).
 */
export function groupLabel(values: Partial<Record<GroupDimension, string>>): string {
  const parts: string[] = [];
  for (const [d, v] of Object.entries(values) as [GroupDimension, string][]) {
    if (d === "osl") continue;
    if (d === "isl") parts.push(`${v}/${values.osl ?? "?"}`);
    else if (d === "spec" && v === "none") continue;
    else if (d === "workload" && v === "random") continue;
    else parts.push(v);
  }
  return parts.join(" ");
}

/**
 * Splits items into groups by the given dimensions, in order of key.
 * @example groupPoints(points, parseGroupBy("+tp"))
 */
export function groupPoints<T = PointResult>(
  items: readonly T[],
  dims: readonly GroupDimension[] = DEFAULT_GROUP_DIMENSIONS,
  get: (item: T) => PointResult = (item) => item as unknown as PointResult,
): PointGroup<T>[] {
  const groups: PointGroup<T>[] = [];
  const readers = dims.map((d) => IDENTITY_KEYS[d] ?? GROUP_DIMENSIONS[d]);
  // a tree of maps, one level per dimension: no key string is built per point
  const root = new Map<unknown, unknown>();
  for (const item of items) {
    const p = get(item);
    let node = root;
    for (let r = 0; r + 1 < readers.length; r++) {
      const v = readers[r]!(p);
      let next = node.get(v) as Map<unknown, unknown> | undefined;
      if (!next) {
        next = new Map();
        node.set(v, next);
      }
      node = next;
    }
    const last = readers.length > 0 ? readers[readers.length - 1]!(p) : "";
    let g = node.get(last) as PointGroup<T> | undefined;
    if (!g) {
      const dimsOf = groupValues(p, dims);
      g = {
        key: dims.map((d) => dimsOf[d]).join("|"),
        dims: dimsOf,
        label: groupLabel(dimsOf),
        items: [],
      };
      node.set(last, g);
      groups.push(g);
    }
    g.items.push(item);
  }
  return groups.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
