import { type GroupDimension, groupLabel } from "@infermark/core";
import { type LabelledGroup, sharedDimensions } from "./shared-dimensions.js";

/**
 * Labels of groups without the dimensions they all share (when one workload is shown, "dsr1 1024/1024" is said
 * once in the chart's subtitle, `chartSubtitle`, not in every legend entry). ISL and OSL stay or go together. A
 * single group keeps its full label.
 * @example shortLabels([{ key, dims: { model: "dsr1", hardware: "h200" } }, { key: k2, dims: { model: "dsr1", hardware: "b200" } }])
 * // Map { key => "h200", k2 => "b200" }
 */
export function shortLabels(groups: readonly LabelledGroup[]): Map<string, string> {
  const out = new Map<string, string>();
  if (groups.length <= 1) {
    for (const g of groups) out.set(g.key, groupLabel(g.dims));
    return out;
  }
  const shared = sharedDimensions(groups);
  for (const g of groups) {
    const kept: Partial<Record<GroupDimension, string>> = {};
    for (const [d, v] of Object.entries(g.dims) as [GroupDimension, string][])
      if (!(d in shared)) kept[d] = v;
    // spec "none" has no word in a label: when it is all that sets a group apart, say so
    out.set(
      g.key,
      groupLabel(kept) || (kept.spec === "none" ? "no spec decoding" : groupLabel(g.dims)),
    );
  }
  return out;
}
