import { have, plural } from "./plural.js";

/** Why a view draws nothing: the groups lack its metric (an axis), or none has a value at the target. */
export type NothingDrawnCause =
  | { kind: "metric"; lacking: string }
  | { kind: "target"; lacking: string; span?: [number, number] };

/**
 * What a view says in place of a chart that would draw nothing, though its filters keep `groups` groups (no point
 * of them has the metric, or no frontier reaches the target): what they lack, as the status line names it, and what
 * to change. Empty axes, a legend of "Show all" and "Hide all" alone, said nothing of either.
 * @example nothingDrawnText(8, { kind: "metric", lacking: "J/token" }).text // "The 8 groups the filters keep have no J/token."
 */
export function nothingDrawnText(
  groups: number,
  cause: NothingDrawnCause,
  fmt: (v: number) => string = String,
): { text: string; hint: string } {
  const text = `The ${plural(groups, "group")} the filters keep ${have(groups)} no ${cause.lacking}`;
  if (cause.kind === "metric")
    return { text: `${text}.`, hint: "Choose another axis, or filters that keep groups with it." };
  const span = cause.span
    ? `: ${groups === 1 ? "its frontier spans" : "their frontiers span"} ${fmt(cause.span[0])}–${fmt(cause.span[1])} tok/s/user`
    : "";
  return {
    text: `${text}${span}.`,
    hint: `Move the target interactivity${span ? " into that range" : ""}, or choose other filters.`,
  };
}

/**
 * The interactivity a frontier covers (its points are sorted by x): from its first point's to its last's;
 * undefined for a frontier without a point.
 * @example frontierRange(frontierOf(points)) // [6.79, 84.2]
 */
export function frontierRange(frontier: {
  points: readonly { x: number }[];
}): [number, number] | undefined {
  const front = frontier.points;
  return front.length > 0 ? [front[0]!.x, front[front.length - 1]!.x] : undefined;
}

/**
 * The span of interactivity some frontier of the groups covers (the compare view's groups, or the trends view's
 * groups on each of their dates), from each one's range; undefined with none.
 */
export function frontierSpan(
  ranges: readonly ([number, number] | undefined)[],
): [number, number] | undefined {
  const known = ranges.filter((r): r is [number, number] => r !== undefined);
  if (known.length === 0) return undefined;
  return [Math.min(...known.map((r) => r[0])), Math.max(...known.map((r) => r[1]))];
}
