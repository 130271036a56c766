/**
 * The most points one sweep may plan. The shipped recipes plan at most 256; a grid past this many is a typo (a
 * range factor of 1.0001, a list pasted twice) or a campaign to split into several specs, and expanding it would
 * only exhaust memory or print a table nobody reads. `PlanOptions.maxPoints` overrides it.
 */
export const DEFAULT_MAX_PLAN_POINTS = 10_000;
