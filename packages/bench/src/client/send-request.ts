import type { Dispatcher } from "undici";
import { now } from "../clock.js";
import { withoutOwnHeaders } from "../http/request-head.js";
import { type InFlightRequest, type RequestInput, RequestTracker } from "./request-tracker.js";

export type { InFlightRequest, RequestInput, SendOutcome } from "./request-tracker.js";

/** One HTTP request to send through undici. */
export interface SendInput extends RequestInput {
  /** The transport: an undici Pool or Agent (only `dispatch` is used). */
  dispatcher: Pick<Dispatcher, "dispatch">;
}

/**
 * Sends one request through undici's low-level `dispatch` (the `undici` transport) and stamps
 * every body chunk with `now()` as the first thing its read callback does, before any parsing.
 * `tSend` is taken just before the request is handed to the dispatcher.
 * @example const { outcome } = sendRequest({ dispatcher: pool, origin, path: "/v1/completions", ... });
 */
export function sendRequest(input: SendInput): InFlightRequest {
  const tracker = new RequestTracker(input);
  let status = 0;
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      tracker.attach(() => c.abort(new Error("request stopped")));
    },
    onResponseStart(_c, statusCode) {
      status = statusCode;
      tracker.onStatus(statusCode);
    },
    onResponseData(_c, chunk) {
      tracker.onData(chunk, now());
    },
    onResponseEnd() {
      tracker.onEnd(now());
    },
    onResponseError(_c, error) {
      tracker.onError(error, now(), status > 0);
    },
  };
  try {
    input.dispatcher.dispatch(
      {
        origin: input.origin,
        path: input.path,
        method: "POST",
        // undici refuses framing headers (every request would fail as "connect"); native leaves them out too
        headers: withoutOwnHeaders(input.headers),
        body: input.body,
      },
      handler,
    );
  } catch (error) {
    tracker.onError(error as Error, now(), false);
  }
  return tracker;
}
