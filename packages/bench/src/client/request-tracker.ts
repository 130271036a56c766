import type { StreamEvent } from "@infermark/core";
import { now } from "../clock.js";
import { HttpProtocolError } from "../errors.js";
import { redact, redactClipped, redactionReach } from "../redact.js";
import type { Usage } from "../sse/classify-event.js";
import { makeOutcome } from "./outcome-codec.js";
import { type RequestFailure, ResponseRecorder } from "./response-recorder.js";

/** What a request needs besides its transport (every transport takes these). */
export interface RequestInput {
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

/**
 * How one request went. Times are ms on the run clock. `events` is read from a packed EventLog (`eventLogOf`) and
 * made anew on each read.
 */
export interface SendOutcome {
  tSend: number;
  tEnd: number;
  readonly events: StreamEvent[];
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
/** The longest failure message kept (an error object in a stream may hold a whole traceback). */
const MAX_MESSAGE = 300;

/**
 * The transport-independent life of one request: the per-request timeout, cancel, the response
 * status, the body bytes fed to a ResponseRecorder (or kept for an HTTP error's message), and
 * the outcome with its failure category and redacted message. A transport calls `attach` once it
 * holds the request, then `onStatus`, `onData` (stamped reads), and `onEnd` or `onError`.
 * `tSend` is taken when the tracker is made, just before the request goes to the transport.
 * @example
 * const tracker = new RequestTracker(input);
 * tracker.attach(() => socket.destroy());
 * tracker.onStatus(200); tracker.onData(chunk, now()); tracker.onEnd(now());
 */
export class RequestTracker implements InFlightRequest {
  readonly tSend: number;
  readonly outcome: Promise<SendOutcome>;
  private readonly recorder: ResponseRecorder;
  private abortTransport: (() => void) | undefined;
  private stopReason: "timeout" | "cancelled" | "broken" | undefined;
  private status = 0;
  private location: string | undefined;
  private errorBody = "";
  /** Body pieces of an HTTP error were left unread past the kept length: its end may cut a secret short. */
  private errorBodyCut = false;
  private settled = false;
  private resolveOutcome!: (o: SendOutcome) => void;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly input: RequestInput) {
    this.recorder = new ResponseRecorder(input.stream);
    this.outcome = new Promise<SendOutcome>((resolve) => {
      this.resolveOutcome = resolve;
    });
    this.tSend = now();
    this.timer = setTimeout(() => this.stop("timeout"), input.timeoutMs);
  }

  /** Whether the request has ended (its outcome is settled or being settled). */
  get done(): boolean {
    return this.settled || this.stopReason !== undefined;
  }

  /** The transport took the request; `abort` stops it (called at once if already stopped). */
  attach(abort: () => void): void {
    this.abortTransport = abort;
    if (this.stopReason) abort();
  }

  /** The response head arrived with `status`; `location`: its Location header (where a redirect points). */
  onStatus(status: number, location?: string): void {
    this.status = status;
    this.location = location;
  }

  /** A body piece read at `t`. Returns false when the response is broken and the request stopped. */
  onData(chunk: Buffer, t: number): boolean {
    if (this.done) return false;
    if (this.failedStatus) {
      // read past the kept length by the longest secret (escaped, as a server may echo it), so that a key the kept
      // part ends in is whole to redact
      if (this.errorBody.length < MAX_ERROR_BODY + redactionReach(this.input.secrets))
        this.errorBody += chunk.toString("utf8");
      else this.errorBodyCut = true;
      return true;
    }
    if (this.recorder.push(chunk, t)) return true;
    this.stopReason = "broken";
    this.abortTransport?.();
    this.finish(t);
    return false;
  }

  /** The response ended; its last byte was read at `t`. */
  onEnd(t: number): void {
    if (this.done) return;
    if (this.failedStatus) this.recorder.fail(this.httpFailure());
    else this.recorder.end(t);
    this.finish(t);
  }

  /**
   * The transport failed at `t`. `responseStarted`: the response head had arrived; `connected`: the connection
   * was open (TLS set up) and the request went out on it, so the server closed it without answering.
   */
  onError(error: Error, t: number, responseStarted: boolean, connected = false): void {
    if (this.done) return;
    if (this.failedStatus) this.recorder.fail(this.httpFailure());
    else this.recorder.fail(transportFailure(error, responseStarted, connected, this.input.origin));
    this.finish(t);
  }

  /** Cancels the request (Ctrl-C path); safe to call detached from the tracker. */
  readonly cancel = (): void => this.stop("cancelled");

  private stop(reason: "timeout" | "cancelled"): void {
    if (this.done) return;
    this.stopReason = reason;
    this.recorder.fail(
      reason === "timeout"
        ? {
            category: "timeout",
            message: `no complete response within ${this.input.timeoutMs / 1000} s`,
          }
        : { category: "cancelled", message: "cancelled before the response ended" },
    );
    this.abortTransport?.();
    this.finish(now());
  }

  private finish(t: number): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const r = this.recorder;
    const failure = r.failure && {
      ...r.failure,
      message: redactClipped(r.failure.message, this.input.secrets, MAX_MESSAGE),
    };
    this.resolveOutcome(
      makeOutcome(
        { tSend: this.tSend, tEnd: t, usage: r.usage, ...(failure ? { failure } : {}) },
        r.log.compact(),
        r.text,
      ),
    );
  }

  /** A status that is no success: an error (4xx, 5xx) or a redirect, which is not followed. */
  private get failedStatus(): boolean {
    return this.status >= 300;
  }

  /** An HTTP error with the body's start, redacted before it is cut so no part of a key is left. */
  private httpFailure(): RequestFailure {
    return httpFailure(
      this.status,
      this.location,
      this.errorBody,
      this.errorBodyCut,
      this.input.secrets,
    );
  }
}

function httpFailure(
  status: number,
  location: string | undefined,
  body: string,
  cut: boolean,
  secrets: readonly string[],
): RequestFailure {
  if (status < 400 && location !== undefined) {
    // following it could measure another server; the user says which one answers
    return {
      category: "http_status",
      status,
      message: `HTTP ${status}: a redirect to ${location}, not followed (use the address that answers as --base-url)`,
    };
  }
  let shown = redact(body.replace(/\s+/g, " ").trim(), secrets);
  // a body read in part may end in the start of a secret, which no redaction sees: its last characters, as many as
  // a secret can take, are dropped (collapsed whitespace can bring that end within the 200 characters shown)
  if (cut) shown = shown.slice(0, Math.max(0, shown.length - redactionReach(secrets)));
  const snippet = shown.slice(0, 200);
  return {
    category: "http_status",
    status,
    message: `HTTP ${status}${snippet ? `: ${snippet}` : ""}`,
  };
}

function transportFailure(
  error: Error,
  responseStarted: boolean,
  connected: boolean,
  origin: string,
): RequestFailure {
  if (error instanceof HttpProtocolError) {
    return { category: "malformed_event", message: `malformed HTTP response (${error.message})` };
  }
  const code = (error as { code?: string }).code;
  // OpenSSL's messages end in a newline; a failure's message is one line
  const text = error.message.replace(/\s+/g, " ").trim();
  const detail = code ? `${code}: ${text}` : text;
  if (responseStarted) {
    return { category: "stream_cut", message: `connection closed mid-response (${detail})` };
  }
  if (connected) {
    return {
      category: "connect",
      message: `${origin} closed the connection without answering (${detail})`,
    };
  }
  return {
    category: "connect",
    message: `cannot reach ${origin} (${detail})${tlsHint(code, text)}`,
  };
}

/** TLS verification failures a user fixes by trusting the server's own CA (a self-signed or private one). */
const UNTRUSTED_CERT = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);

/** How to get past a TLS failure, after the message: Node reads extra trusted CAs from NODE_EXTRA_CA_CERTS at start. */
function tlsHint(code: string | undefined, message: string): string {
  if (code !== undefined && UNTRUSTED_CERT.has(code)) {
    return "; to trust the server's certificate, run with NODE_EXTRA_CA_CERTS=<its CA certificate, PEM file>";
  }
  // a TLS hello answered with plain HTTP
  if (/wrong version number/i.test(message)) {
    return "; the server may speak plain HTTP: try http:// in --base-url";
  }
  return "";
}
