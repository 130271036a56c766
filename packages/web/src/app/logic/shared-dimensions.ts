import type { GroupDimension } from "@infermark/core";

/** A group as the labels see it: its key and its value on each group dimension. */
export interface LabelledGroup {
  key: string;
  dims: Partial<Record<GroupDimension, string>>;
}

/**
 * The dimensions every group has the same value on, with that value (all of a single group's). ISL and OSL are
 * shared together or not at all: a workload is read as one "1024/1024".
 * @example sharedDimensions([{ key, dims: { model: "dsr1", hardware: "h200" } }, { key: k2, dims: { model: "dsr1", hardware: "b200" } }])
 * // { model: "dsr1" }
 */
export function sharedDimensions(
  groups: readonly LabelledGroup[],
): Partial<Record<GroupDimension, string>> {
  const shared: Partial<Record<GroupDimension, string>> = {};
  const first = groups[0];
  if (!first) return shared;
  for (const [d, v] of Object.entries(first.dims) as [GroupDimension, string][])
    if (groups.every((g) => g.dims[d] === v)) shared[d] = v;
  if (shared.isl === undefined || shared.osl === undefined) {
    delete shared.isl;
    delete shared.osl;
  }
  return shared;
}
