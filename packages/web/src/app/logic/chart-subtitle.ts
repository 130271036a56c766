import type { GroupDimension } from "@infermark/core";
import { type LabelledGroup, sharedDimensions } from "./shared-dimensions.js";

/**
 * What every group on a chart shares, for the chart's subtitle: the short labels leave these dimensions out, so
 * the chart says them once. Empty when the groups share nothing (or there are none).
 * @example chartSubtitle(groups) // "dsr1 · ISL/OSL 1024/1024 · h200 · fp8 · agg"
 */
export function chartSubtitle(groups: readonly LabelledGroup[]): string {
  const parts: string[] = [];
  for (const [d, v] of Object.entries(sharedDimensions(groups)) as [GroupDimension, string][]) {
    if (d === "osl") continue;
    if (d === "isl") parts.push(`ISL/OSL ${v}/${groups[0]!.dims.osl}`);
    else if (d === "spec" && v === "none") parts.push("no spec decoding");
    else if (d === "workload" && v === "random") continue;
    else parts.push(v);
  }
  return parts.join(" · ");
}
