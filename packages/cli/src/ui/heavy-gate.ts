import type { ServerResponse } from "node:http";
import { HttpError } from "./http.js";

/** How many full-data answers the dashboard server makes or sends at once: 4. */
export const DEFAULT_MAX_HEAVY_REQUESTS = 4;

/** Seconds a client refused by the gate is told to wait (Retry-After). */
export const HEAVY_RETRY_AFTER_S = 2;

/** A request refused because the server is busy: the client's to retry, not a failure for the server's log. */
export class BusyError extends HttpError {}

/**
 * A request whose client went away before its answer was started: nothing to answer, nothing to log (its status is
 * never sent).
 */
export class ClientGoneError extends BusyError {}

/** A bound on the answers that hold a whole query's data in memory at once. */
export interface HeavyGate {
  /**
   * Takes a place for `res` until it is sent or its client goes away; throws a 503 with Retry-After when every
   * place is taken.
   */
  enter(res: ServerResponse, what: string): void;
}

/**
 * Bounds the full-data answers (`fields=full`, a point's request records) in flight. Each holds every row of its
 * query and the answer's text in memory until its client has read it, so a few scripts asking at once, or one
 * slow reader per place, could take the server's memory and CPU. Past the bound the request is refused with 503
 * and Retry-After rather than queued: a queue would hold the waiting sockets and needs a bound of its own, while a
 * refused client pays nothing to wait, and the dashboard itself never asks for these answers in bulk.
 * @example const gate = heavyGate(4); gate.enter(res, "fields=full")
 */
export function heavyGate(max: number): HeavyGate {
  let inFlight = 0;
  return {
    enter(res, what) {
      // a client gone before its turn: its "close" has fired already and would never give the place back
      if (res.destroyed)
        throw new ClientGoneError(499, `the client went away before its answer (${what}) was made`);
      if (inFlight >= max)
        throw new BusyError(
          503,
          `the server is already sending ${max} full-data answer${max === 1 ? "" : "s"} (${what}); retry in ${HEAVY_RETRY_AFTER_S} s`,
          { "retry-after": String(HEAVY_RETRY_AFTER_S) },
        );
      inFlight++;
      // "close" comes once, whether the answer was sent or the client went away mid-answer
      res.once("close", () => {
        inFlight--;
      });
    },
  };
}
