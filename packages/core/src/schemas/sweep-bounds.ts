import { z } from "zod";

/**
 * The most requests (or sessions) in flight a load level may hold: far past what one client machine drives (a
 * typo such as `1e12` would otherwise plan a point of 10^13 requests).
 */
export const MAX_SWEEP_CONCURRENCY = 1_000_000;
/** The most measured (or warm-up) requests one point may send: the default 10 per request in flight at the top level. */
export const MAX_POINT_REQUESTS = 10 * MAX_SWEEP_CONCURRENCY;
/** The most seconds a time limit may hold: Node's timers hold at most 2^31 - 1 ms (24.8 days; past it they fire at once). */
export const MAX_LIMIT_S = 2_147_483;

/** A count as the user reads it: `1,000,000`. */
export const fmt = (n: number) => n.toLocaleString("en-US");
/** A bound's message: `at most 1,000,000 requests in flight, got 1000000000000`. */
export const atMost = (max: number, what: string) => ({
  error: (issue: { input?: unknown }) =>
    `at most ${fmt(max)} ${what}, got ${JSON.stringify(issue.input)}`,
});
/** One load level: a whole number of requests (or sessions) in flight, at most MAX_SWEEP_CONCURRENCY. */
export const concurrencyLevel = z
  .number()
  .int()
  .positive()
  .max(MAX_SWEEP_CONCURRENCY, atMost(MAX_SWEEP_CONCURRENCY, "requests in flight"));
/** Seconds of a time limit, bounded by what a timer holds. */
export const seconds = () => z.number().positive().max(MAX_LIMIT_S, atMost(MAX_LIMIT_S, "seconds"));

/**
 * What is wrong in a concurrency spec that neither form takes, from the form its value has (a list or a range), so
 * the user reads that `1.5` is not a whole number rather than zod's bare "Invalid input" for a failed union.
 */
function concurrencyProblem(issue: {
  input?: unknown;
  errors?: readonly (readonly ZodIssueLike[])[];
}) {
  const { input } = issue;
  if (Array.isArray(input)) {
    const at = issue.errors?.[0]?.[0]?.path?.[0];
    if (typeof at === "number")
      return `[${at}] expects a whole number from 1 to ${fmt(MAX_SWEEP_CONCURRENCY)}, got ${JSON.stringify(input[at])}`;
  } else if (typeof input === "object" && input !== null) {
    const first = issue.errors?.[1]?.[0];
    if (first)
      return `${first.path?.length ? `${first.path.join(".")}: ` : ""}${first.message} (a range is {from, to, factor})`;
  }
  return `expects a list [4, 16, 64] or a range {from, to, factor}, got ${JSON.stringify(input)}`;
}
interface ZodIssueLike {
  path?: readonly PropertyKey[];
  message: string;
}

/** Concurrency levels: a list, or a geometric range `{from, to, factor}` (from, from*factor, ... <= to). */
export const ConcurrencySpec = z.union(
  [
    z.array(concurrencyLevel).min(1),
    z
      .object({
        from: concurrencyLevel,
        to: concurrencyLevel,
        factor: z.number().gt(1).default(2),
      })
      .strict(),
  ],
  { error: concurrencyProblem },
);
export type ConcurrencySpec = z.infer<typeof ConcurrencySpec>;
