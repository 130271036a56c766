import type { StreamEvent } from "@infermark/core";
import type { Dispatcher } from "undici";
import { now } from "../clock.js";
import { redact } from "../redact.js";
import type { Usage } from "../sse/classify-event.js";
import { type RequestFailure, ResponseRecorder } from "./response-recorder.js";

/** One HTTP request to send. */
export interface SendInput {
  /** The transport: an undici Pool or Agent (only `dispatch` is used). */
  dispatcher: Pick<Dispatcher, "dispatch">;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  stream: boolean;
  /** Whole-request limit; past it the request fails as `timeout`. */
  timeoutMs: number;
  /** Strings (API keys) that must never appear in a message. */
  secrets: readonly string[];
}

/** How one request went. Times are ms on the run clock. */
export interface SendOutcome {
  tSend: number;
  tEnd: number;
  events: StreamEvent[];
  usage: Usage;
  text: string;
  failure?: RequestFailure;
}

/** A request in flight. */
export interface InFlightRequest {
  /** When the request was handed to the transport (ms, run clock). */
  readonly tSend: number;
  readonly outcome: Promise<SendOutcome>;
  /** Stops the request now; it fails as `cancelled` unless it already ended. */
  cancel(): void;
}

const MAX_ERROR_BODY = 300;

/**
 * Sends one request through undici's low-level `dispatch` and stamps every body chunk with
 * `now()` as the first thing its socket read callback does, before any parsing.
 * `tSend` is taken just before the request is handed to the dispatcher.
 * @example const { outcome } = sendRequest({ dispatcher: pool, origin, path: "/v1/completions", ... });
 */
export function sendRequest(input: SendInput): InFlightRequest {
  const recorder = new ResponseRecorder(input.stream);
  let controller: Dispatcher.DispatchController | undefined;
  let stopReason: "timeout" | "cancelled" | "broken" | undefined;
  let status = 0;
  let errorBody = "";
  let settled = false;
  let resolveOutcome!: (o: SendOutcome) => void;
  const outcome = new Promise<SendOutcome>((resolve) => {
    resolveOutcome = resolve;
  });
  const tSend = now();
  const finish = (t: number) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    const out: SendOutcome = {
      tSend,
      tEnd: t,
      events: recorder.events,
      usage: recorder.usage,
      text: recorder.text,
    };
    if (recorder.failure) {
      out.failure = {
        ...recorder.failure,
        message: redact(recorder.failure.message, input.secrets),
      };
    }
    resolveOutcome(out);
  };
  const stop = (reason: "timeout" | "cancelled") => {
    if (settled || stopReason) return;
    stopReason = reason;
    recorder.fail(
      reason === "timeout"
        ? {
            category: "timeout",
            message: `no complete response within ${input.timeoutMs / 1000} s`,
          }
        : { category: "cancelled", message: "cancelled before the response ended" },
    );
    if (controller) controller.abort(new Error(reason));
    else finish(now());
  };
  const timer = setTimeout(() => stop("timeout"), input.timeoutMs);
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (stopReason) c.abort(new Error(stopReason));
    },
    onResponseStart(_c, statusCode) {
      status = statusCode;
    },
    onResponseData(c, chunk) {
      const t = now();
      if (status >= 400) {
        if (errorBody.length < MAX_ERROR_BODY) errorBody += chunk.toString("utf8");
        return;
      }
      if (!recorder.push(chunk, t)) {
        stopReason = "broken";
        c.abort(new Error("broken response"));
      }
    },
    onResponseEnd() {
      const t = now();
      if (status >= 400) recorder.fail(httpFailure(status, errorBody));
      else recorder.end(t);
      finish(t);
    },
    onResponseError(_c, error) {
      const t = now();
      if (status >= 400) recorder.fail(httpFailure(status, errorBody));
      else if (!stopReason) recorder.fail(transportFailure(error, status > 0, input.origin));
      finish(t);
    },
  };
  try {
    input.dispatcher.dispatch(
      {
        origin: input.origin,
        path: input.path,
        method: "POST",
        headers: input.headers,
        body: input.body,
      },
      handler,
    );
  } catch (error) {
    recorder.fail(transportFailure(error as Error, false, input.origin));
    finish(now());
  }
  return { tSend, outcome, cancel: () => stop("cancelled") };
}

function httpFailure(status: number, body: string): RequestFailure {
  const snippet = body.replace(/\s+/g, " ").trim().slice(0, 200);
  return {
    category: "http_status",
    status,
    message: `HTTP ${status}${snippet ? `: ${snippet}` : ""}`,
  };
}

function transportFailure(error: Error, responseStarted: boolean, origin: string): RequestFailure {
  const code = (error as { code?: string }).code;
  const detail = code ? `${code}: ${error.message}` : error.message;
  if (responseStarted) {
    return { category: "stream_cut", message: `connection closed mid-response (${detail})` };
  }
  return { category: "connect", message: `cannot reach ${origin} (${detail})` };
}
