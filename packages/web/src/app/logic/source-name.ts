import type { Item } from "./types.js";

/** The names a point's source reads by on the dashboard, in the order subtitles list them and split groups follow. */
export const SOURCE_NAMES = ["InferenceX", "imported", "measured", "simulated"] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/**
 * How a point's source reads on the dashboard: InferenceX's imported rows by its name, other imported rows and your
 * own by their source. The one naming of subtitles (`provenance`) and of groups split by source (`dashboardGroups`).
 * @example sourceName(item) // "InferenceX" for a row imported from InferenceX, "measured" for your own run
 */
export function sourceName(item: Item): SourceName {
  const run = item.point.run;
  if (run.source !== "imported") return run.source;
  return run.importedFrom?.toLowerCase().startsWith("inferencex") ? "InferenceX" : "imported";
}
