import { type GroupDimension, groupLabel } from "@infermark/core";

/**
 * Labels of groups without the dimensions they all share (when one workload is shown, "dsr1 1024/1024" is said
 * once in the title, not in every legend entry). ISL and OSL stay or go together. A single group keeps its full
 * label.
 * @example shortLabels([{ key, dims: { model: "dsr1", hardware: "h200" } }, { key: k2, dims: { model: "dsr1", hardware: "b200" } }])
 * // Map { key => "h200", k2 => "b200" }
 */
export function shortLabels(
  groups: readonly { key: string; dims: Partial<Record<GroupDimension, string>> }[],
): Map<string, string> {
  const out = new Map<string, string>();
  if (groups.length <= 1) {
    for (const g of groups) out.set(g.key, groupLabel(g.dims));
    return out;
  }
  const shared = new Set<string>();
  for (const d of Object.keys(groups[0]!.dims) as GroupDimension[])
    if (groups.every((g) => g.dims[d] === groups[0]!.dims[d])) shared.add(d);
  if (!(shared.has("isl") && shared.has("osl"))) {
    shared.delete("isl");
    shared.delete("osl");
  }
  for (const g of groups) {
    const kept: Partial<Record<GroupDimension, string>> = {};
    for (const [d, v] of Object.entries(g.dims) as [GroupDimension, string][])
      if (!shared.has(d)) kept[d] = v;
    // spec "none" has no word in a label: when it is all that sets a group apart, say so
    out.set(
      g.key,
      groupLabel(kept) || (kept.spec === "none" ? "no spec decoding" : groupLabel(g.dims)),
    );
  }
  return out;
}
