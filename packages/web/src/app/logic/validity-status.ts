import type { PointGroup } from "@infermark/core";
import { plural } from "./plural.js";
import type { Item } from "./types.js";

/** How many of the groups' points are marked invalid (metrics.md, Validity: `point.validity.valid` false). */
export const invalidCount = (groups: readonly PointGroup<Item>[]): number =>
  groups.reduce((n, g) => n + g.items.filter((i) => !i.point.validity.valid).length, 0);

/**
 * The status line's part on validity: with "Valid points only" on, how many invalid points of the groups the other
 * filters keep it leaves out (`invalid` undefined: not counted yet, the set with them still loading); off, how many
 * invalid points the view includes, when it does (they enter the frontiers like valid ones).
 * @example validityStatus(3, true) // "valid points only: 3 invalid points left out"
 * @example validityStatus(2, false) // "2 invalid points included (their reasons in the tooltip)"
 */
export function validityStatus(
  invalid: number | undefined,
  validOnly: boolean,
): string | undefined {
  if (validOnly) {
    if (invalid === undefined) return "valid points only";
    return invalid === 0
      ? "valid points only: no invalid point left out"
      : `valid points only: ${plural(invalid, "invalid point")} left out`;
  }
  return invalid
    ? `${plural(invalid, "invalid point")} included (their reasons in the tooltip)`
    : undefined;
}

/** A view's status line with the validity part after it (`; `), or as it is without one. */
export const withValidity = (status: string, part: string | undefined): string =>
  part ? `${status}; ${part}` : status;
