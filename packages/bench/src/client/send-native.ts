import { now } from "../clock.js";
import type { NativePool } from "../http/native-pool.js";
import { type InFlightRequest, type RequestInput, RequestTracker } from "./request-tracker.js";

/** One HTTP request to send through the native transport. */
export interface NativeSendInput extends RequestInput {
  /** The connection pool of `origin`. */
  pool: NativePool;
}

/**
 * Sends one POST through the native HTTP/1.1 transport (`node:net` / `node:tls`): each read is
 * stamped first thing in its socket callback, framing and SSE are parsed later on the bytes.
 * `tSend` is taken just before the request is written.
 * @example const { outcome } = sendNative({ pool, origin, path: "/v1/completions", headers, body, stream: true, timeoutMs: 600_000, secrets: [] });
 */
export function sendNative(input: NativeSendInput): InFlightRequest {
  const tracker = new RequestTracker(input);
  try {
    const exchange = input.pool.request(
      { method: "POST", path: input.path, headers: input.headers, body: input.body },
      {
        onHead: (status, headers) => tracker.onStatus(status, headers.location),
        onBody: (bytes, t) => {
          tracker.onData(bytes, t);
        },
        onComplete: (t) => tracker.onEnd(t),
        onError: (error, t, responseStarted, connected) =>
          tracker.onError(error, t, responseStarted, connected),
      },
    );
    tracker.attach(() => exchange.abort());
  } catch (error) {
    tracker.onError(error as Error, now(), false);
  }
  return tracker;
}
