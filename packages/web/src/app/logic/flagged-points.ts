import { LITTLES_LAW_TOLERANCE, type PointResult, throughputConsistency } from "@infermark/core";
import type { FrontierSeries } from "./frontier-series.js";
import { plural } from "./plural.js";

// a point's check, once per point: the frontier series of every axes pair asks it again
const checked = new WeakMap<PointResult, string | null>();

/**
 * Why a point contradicts itself: its reported output throughput is more than 4x from Little's law's (core's
 * `throughputConsistency`, docs/metrics.md "Self-consistency"), as one line; undefined when it is consistent or cannot
 * be checked. Its figures are drawn as published; the dashboard marks it and says why. The overview's slim points
 * carry what the check reads (`infermark ui`'s `slimPoint`), so it judges them as their full points.
 *
 * An own (measured or simulated) point always records the output tokens it counted; one without them was not written
 * by `infermark bench` (a hand-made file), and the nominal output length would misjudge a run whose replies stop
 * early: it is not judged.
 * @example flagOf(atom512) // "reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (...): 0.021x"
 */
export function flagOf(point: PointResult): string | undefined {
  let detail = checked.get(point);
  if (detail === undefined) {
    const check = throughputConsistency(point);
    const nominalOwn = point.run.source !== "imported" && point.metrics.outputTokens === undefined;
    detail = check.kind === "checked" && check.flagged && !nominalOwn ? check.detail : null;
    checked.set(point, detail);
  }
  return detail ?? undefined;
}

/** What a flagged point is, for its tooltip and its run detail: the check, and that its figures are as published. */
export const FLAG_TITLE = `output throughput more than ${LITTLES_LAW_TOLERANCE}x from Little's law`;

/** A flagged point's tooltip row and run detail line: `flagOf`'s line, where it is explained, and what is kept. */
export const flagText = (detail: string) =>
  `${detail} (docs/metrics.md, "Self-consistency"); its figures are shown as published`;

/** A flagged point's line in its run detail, above its figures. */
export const flagSentence = (detail: string) =>
  `× Output throughput more than ${LITTLES_LAW_TOLERANCE}x from Little's law: this point ${flagText(detail)}.`;

/**
 * The frontier chart's note on flagged points: how many of the shown groups' points (those with both values) are
 * flagged, and how many of them lie on a frontier, and the mark the chart draws over them (`mark`: × or, on a large
 * chart, ■); undefined when none is. The frontiers are computed as published.
 * @example flaggedNote(series) // "1 of 36 points of the shown groups (1 on a frontier) has an output throughput ..."
 */
export function flaggedNote(
  series: Pick<FrontierSeries, "plotted" | "flagged">,
  mark = "×",
): string | undefined {
  const { points, onFrontier } = series.flagged;
  if (points === 0) return undefined;
  return `Self-consistency: ${points} of ${plural(series.plotted, "point")} of the shown groups (${onFrontier} on a frontier) ${points === 1 ? "reports" : "report"} an ${FLAG_TITLE} (docs/metrics.md), marked ${mark}; figures and frontiers as published.`;
}
