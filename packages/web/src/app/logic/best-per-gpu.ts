import { groupLabel, type PointGroup, paretoFrontier } from "@infermark/core";
import type { ViewState } from "../state/view-state.js";
import type { GroupSeries } from "./frontier-series.js";
import { stateAxes } from "./metrics.js";
import type { Item } from "./types.js";

/** What a GPU's envelope pools: the workload (a frontier never pools workloads) and the GPU. */
const ENVELOPE_DIMENSIONS = ["model", "isl", "osl", "workload", "hardware"] as const;

/** The key of every GPU envelope starts with it, so a hidden envelope in a link is never taken for a group. */
export const ENVELOPE_PREFIX = "best|";

/** A GPU's envelope: a group (key, label, dims) whose items are those of the configuration groups it pools. */
export interface Envelope {
  group: PointGroup<Item>;
  /** the configuration groups it pools, in their order */
  members: PointGroup<Item>[];
}

/**
 * The configuration groups pooled per GPU (and workload): "best per GPU", the upper envelope of each GPU across its
 * frameworks, precisions, speculative decoding and disaggregation, as InferenceX's headline chart draws it. An
 * envelope's key is `best|<model>|<isl>|<osl>|<kind>|<gpu>`, its label the GPU's workload and name.
 * @example envelopes(index.groups(state)).map((e) => e.group.label) // ["dsr1 1024/1024 b200", ...]
 */
export function envelopes(groups: readonly PointGroup<Item>[]): Envelope[] {
  const out = new Map<string, Envelope>();
  for (const g of groups) {
    const dims = Object.fromEntries(ENVELOPE_DIMENSIONS.map((d) => [d, g.dims[d] ?? ""]));
    const key = `${ENVELOPE_PREFIX}${ENVELOPE_DIMENSIONS.map((d) => dims[d]).join("|")}`;
    let e = out.get(key);
    if (!e) {
      e = { group: { key, label: groupLabel(dims), dims, items: [] }, members: [] };
      out.set(key, e);
    }
    e.members.push(g);
    e.group.items.push(...g.items);
  }
  return [...out.values()];
}

/**
 * An envelope's series on the state's axes from its members' (cached) series: every member point, and the Pareto
 * frontier of them all, the GPU's best at each interactivity whatever configuration reaches it.
 */
export function envelopeSeries(
  envelope: Envelope,
  state: ViewState,
  member: (g: PointGroup<Item>) => GroupSeries,
): GroupSeries {
  const { x, y } = stateAxes(state);
  const parts = envelope.members.map(member);
  const points = parts.flatMap((p) => p.points);
  const frontier = paretoFrontier(
    points.map((p) => ({ x: p.x, y: p.y, item: p })),
    { x: x.direction, y: y.direction },
  ).map((p) => p.item);
  const { key, label, dims } = envelope.group;
  return {
    key,
    label,
    dims,
    points,
    frontier,
    skipped: parts.reduce((n, p) => n + p.skipped, 0),
    missingY: parts.reduce((n, p) => n + p.missingY, 0),
    hidden: false,
  };
}

/**
 * What sets a configuration apart within its GPU's envelope: its group's label without the workload and the GPU.
 * @example configLabel(group) // "sglang fp8 agg"
 */
export function configLabel(group: Pick<PointGroup<Item>, "dims">): string {
  const pooled = new Set<string>(ENVELOPE_DIMENSIONS);
  return groupLabel(Object.fromEntries(Object.entries(group.dims).filter(([d]) => !pooled.has(d))));
}
