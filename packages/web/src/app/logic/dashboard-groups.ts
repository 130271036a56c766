import { groupLabel, groupPoints, type PointGroup } from "@infermark/core";
import { SOURCE_NAMES, type SourceName, sourceName } from "./source-name.js";
import type { Item } from "./types.js";

/**
 * The dashboard's groups: METRICS.md's groups (core's `groupPoints`), where a group that holds points of more than
 * one source (your measured H200 SGLang FP8 runs and InferenceX's imported ones of the same configuration) is split
 * into one group per source. Pooled, your points and the published ones made one frontier under one label, and the
 * chart could not say whose was whose. A source reads as the subtitles name it (`sourceName`: InferenceX's rows as
 * `InferenceX`, other imported rows as `imported`); a split group's key ends in `|<that name>` and its label in the
 * name (`dsr1 1024/1024 h200 sglang fp8 agg InferenceX`, `... agg measured`), its parts in SOURCE_NAMES order. Groups
 * of one source keep their key and label.
 * @example dashboardGroups(items).map((g) => g.label)
 */
export function dashboardGroups(items: readonly Item[]): PointGroup<Item>[] {
  const out: PointGroup<Item>[] = [];
  for (const g of groupPoints(items, undefined, (i) => i.point)) {
    const bySource = new Map<SourceName, Item[]>();
    for (const item of g.items) {
      const name = sourceName(item);
      const list = bySource.get(name);
      if (list) list.push(item);
      else bySource.set(name, [item]);
    }
    if (bySource.size < 2) {
      out.push(g);
      continue;
    }
    for (const name of SOURCE_NAMES) {
      const list = bySource.get(name);
      if (!list) continue;
      const dims = { ...g.dims, source: name };
      out.push({ ...g, key: `${g.key}|${name}`, dims, label: groupLabel(dims), items: list });
    }
  }
  return out;
}
