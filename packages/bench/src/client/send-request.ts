import type { Dispatcher } from "undici";
import { now } from "../clock.js";
import { HttpProtocolError } from "../errors.js";
import { withoutOwnHeaders } from "../http/request-head.js";
import { type InFlightRequest, type RequestInput, RequestTracker } from "./request-tracker.js";
import type { UndiciPool } from "./undici-pool.js";
import { unansweredOnReusedConnection, watchConnectionReuse } from "./undici-reuse.js";

export type { InFlightRequest, RequestInput, SendOutcome } from "./request-tracker.js";

/** One HTTP request to send through undici. */
export interface SendInput extends RequestInput {
  /**
   * The transport: the `undici` transport's UndiciPool, or any undici dispatcher (a Pool, an Agent: only `dispatch`
   * is used).
   */
  dispatcher: Pick<Dispatcher, "dispatch"> | Pick<UndiciPool, "dispatch" | "resend">;
}

/** The stamp of the socket read being handled, taken by its first body chunk; cleared when that read's callback is over. */
let currentRead: number | undefined;
const readOver = () => {
  currentRead = undefined;
};

/**
 * The stamp of the socket read whose bytes undici is handing over now. undici parses a read in one synchronous run
 * and hands each HTTP chunk of it to `onResponseData` in turn, microseconds apart; they share one stamp, as the
 * events of one read do on the native transport (METRICS.md). Node runs the microtask queue after every I/O
 * callback, so the next read, on this connection or another, takes a stamp of its own.
 */
function readStamp(): number {
  if (currentRead === undefined) {
    currentRead = now();
    queueMicrotask(readOver);
  }
  return currentRead;
}

/**
 * Sends one request through undici's low-level `dispatch` (the `undici` transport) and stamps
 * every body chunk with the time its socket read was handed over (`readStamp`), before any parsing.
 * `tSend` is taken just before the request is handed to the dispatcher. A request that a kept-alive
 * connection closed under before any byte of the answer (the server dropped the idle connection as
 * the request arrived) is sent once more, as the native transport does (undici itself fails it): an UndiciPool
 * sends it on a new connection that it then keeps; another dispatcher sends it where it chooses.
 * @example const { outcome } = sendRequest({ dispatcher: pool, origin, path: "/v1/completions", ... });
 */
export function sendRequest(input: SendInput): InFlightRequest {
  watchConnectionReuse();
  const tracker = new RequestTracker(input);
  const options: Dispatcher.DispatchOptions = {
    origin: input.origin,
    path: input.path,
    method: "POST",
    // undici refuses framing headers (every request would fail as "connect"); native leaves them out too
    headers: withoutOwnHeaders(input.headers),
    body: input.body,
  };
  let status = 0;
  let connected = false;
  let retried = false;
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      // undici starts a request as it writes it on an open connection
      connected = true;
      tracker.attach(() => c.abort(new Error("request stopped")));
    },
    onResponseStart(_c, statusCode, headers) {
      status = statusCode;
      const { location } = headers;
      tracker.onStatus(statusCode, Array.isArray(location) ? location[0] : location);
    },
    onResponseData(_c, chunk) {
      tracker.onData(chunk, readStamp());
    },
    onResponseEnd() {
      tracker.onEnd(readStamp());
    },
    onResponseError(_c, error) {
      if (status === 0 && !retried && !tracker.done && unansweredOnReusedConnection(error)) {
        retried = true;
        const { dispatcher } = input;
        if (!("resend" in dispatcher)) {
          connected = false;
          // after undici's own handling of the closed connection has run
          queueMicrotask(() => dispatch(dispatcher));
          return;
        }
        if (dispatcher.resend(options, handler)) {
          connected = false;
          return;
        }
      }
      tracker.onError(protocolError(error) ?? error, now(), status > 0, connected);
    },
  };
  const dispatch = (dispatcher: SendInput["dispatcher"]) => {
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      tracker.onError(error as Error, now(), false);
    }
  };
  dispatch(input.dispatcher);
  return tracker;
}

/** undici's errors for a response that breaks HTTP/1.1, as the native transport names them (`malformed_event`). */
function protocolError(error: Error): HttpProtocolError | undefined {
  const code = (error as { code?: string }).code ?? "";
  // llhttp's errors (undici leaves their `code` unset)
  if (error.name === "HTTPParserError" || code.startsWith("HPE_")) {
    return new HttpProtocolError(error.message);
  }
  if (code === "UND_ERR_HEADERS_OVERFLOW") {
    return new HttpProtocolError(
      "response head over undici's size limit; --transport native reads heads up to 64 KiB",
    );
  }
  if (code === "UND_ERR_SOCKET" && /^bad (response|upgrade)$/.test(error.message)) {
    return new HttpProtocolError(
      "undici refused it: an interim 100 Continue that was not asked for, or bytes that answer no request; --transport native reads past a 100 Continue",
    );
  }
  return undefined;
}
