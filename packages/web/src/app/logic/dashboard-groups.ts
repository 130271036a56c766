import { groupLabel, groupPoints, type PointGroup } from "@infermark/core";
import type { Item } from "./types.js";

/**
 * The dashboard's groups: METRICS.md's groups (core's `groupPoints`), where a group that holds points of more than
 * one source (your measured H200 SGLang FP8 runs and InferenceX's imported ones of the same configuration) is split
 * into one group per source. Pooled, your points and the published ones made one frontier under one label, and the
 * chart could not say whose was whose. A split group's key ends in `|<source>` and its label in the source
 * (`dsr1 1024/1024 h200 sglang fp8 agg measured`); groups of one source keep their key and label.
 * @example dashboardGroups(items).map((g) => g.label)
 */
export function dashboardGroups(items: readonly Item[]): PointGroup<Item>[] {
  const out: PointGroup<Item>[] = [];
  for (const g of groupPoints(items, undefined, (i) => i.point)) {
    const bySource = new Map<string, Item[]>();
    for (const item of g.items) {
      const source = item.point.run.source;
      const list = bySource.get(source);
      if (list) list.push(item);
      else bySource.set(source, [item]);
    }
    if (bySource.size < 2) {
      out.push(g);
      continue;
    }
    for (const [source, list] of [...bySource].sort(([a], [b]) => a.localeCompare(b))) {
      const dims = { ...g.dims, source };
      out.push({ ...g, key: `${g.key}|${source}`, dims, label: groupLabel(dims), items: list });
    }
  }
  return out;
}
