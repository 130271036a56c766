import type { ErrorCategory, StreamEvent } from "@infermark/core";
import { TOKEN_EVENT_KINDS } from "@infermark/core";
import {
  type ClassifiedEvent,
  classifyEvent,
  classifyObject,
  type Usage,
} from "../sse/classify-event.js";
import { scanSseEvents } from "../sse/sse-scanner.js";
import { deferWork } from "./deferred-work.js";
import { EventLog } from "./event-log.js";

/** Why a request failed. */
export interface RequestFailure {
  category: ErrorCategory;
  message: string;
  status?: number;
}

/**
 * Pending bytes past which a stream's buffered chunks are parsed (off the read callback, as
 * deferred work after the reads of the poll phase). Small enough that parsing is spread over the stream (about 20 events
 * at a time) rather than piled up at its end, where many streams ending together would delay the
 * last reads of the others.
 */
const FLUSH_BYTES = 4 * 1024;
/** A chunk holding this may carry an error object: parse at once so the request stops early. */
const ERROR_MARK = Buffer.from('"error"');

/**
 * Finish reasons of a request the server gave up on (`abort`, vLLM's and SGLang's: a disaggregated KV transfer that
 * failed, a request the scheduler dropped; `error`, vLLM's for a request that hit an engine error). The reply ends
 * like a normal one, short: a failure, not a success.
 */
const GAVE_UP = new Set(["abort", "error"]);
const gaveUp = (finishReason: string): RequestFailure => ({
  category: "server_error",
  message: `the server ended the request with finish_reason "${finishReason}"`,
});

/**
 * Turns one response's bytes into stamped stream events, generated text, usage and, when the
 * response is broken, a failure. The caller stamps each chunk when its socket read returns.
 *
 * The read path is deferred: `push` only keeps the chunk and its stamp (no decoding, no
 * JSON.parse, no per-event object), so the time between a socket read and the next one's stamp
 * stays short. Chunks are scanned and classified later: when the response ends, when 4 KiB are
 * pending (as deferred work: after the reads of that poll phase are stamped, in time-boxed slices
 * shared with every other stream of the thread, see `deferWork`), or at once when a
 * chunk contains `"error"` (an error object in the stream stops the request early). Every event
 * gets the stamp of the chunk that completed it, exactly as an eager parser would give it.
 */
export class ResponseRecorder {
  /** The events so far, packed (`events` gives them as objects). */
  readonly log = new EventLog();
  readonly usage: Usage = {};
  failure: RequestFailure | undefined;
  private readonly pieces: string[] = [];
  /** Chunks read and not yet scanned, and their stamps. */
  private chunks: Buffer[] = [];
  private stamps: number[] = [];
  private pendingBytes = 0;
  /** Bytes of an incomplete event left by the last scan. */
  private carry: Buffer | undefined;
  private flushScheduled = false;
  /** The completion count at the last token event (the count its share ran to). */
  private lastCompletionTokens: number | undefined;
  /** A token-carrying event came without a completion count: later counts are totals, not per-event shares. */
  private uncountedTokenEvents = false;
  private sawDone = false;
  private sawFinish = false;
  private lastT = 0;

  constructor(private readonly stream: boolean) {}

  /** Feeds one chunk read at `t`; returns false when the response is broken and reading should stop. */
  push(chunk: Buffer, t: number): boolean {
    if (this.failure) return false;
    this.chunks.push(chunk);
    this.stamps.push(t);
    this.lastT = t;
    if (!this.stream) return true;
    this.pendingBytes += chunk.length;
    if (chunk.indexOf(ERROR_MARK) >= 0) return this.flush(false);
    if (this.pendingBytes >= FLUSH_BYTES && !this.flushScheduled) {
      this.flushScheduled = true;
      deferWork(this.scheduledFlush);
    }
    return true;
  }

  private readonly scheduledFlush = () => {
    this.flushScheduled = false;
    if (!this.failure) this.flush(false);
  };

  /** Ends the response at `t` (its last byte arrived); decides stream_cut and empty_output. */
  end(t: number): void {
    if (this.failure) return;
    if (!this.stream) {
      this.endBody(this.chunks.length > 0 ? this.lastT : t);
      return;
    }
    if (!this.flush(true)) return;
    if (!this.sawDone && !this.sawFinish) {
      this.failure = {
        category: "stream_cut",
        message: "stream ended without [DONE] or a finish_reason",
      };
      return;
    }
    this.checkOutput();
  }

  /**
   * Marks the response failed (first failure wins). The complete events received so far are
   * still parsed and kept.
   */
  fail(failure: RequestFailure): void {
    if (this.failure) return;
    if (this.stream) this.flush(false);
    if (!this.failure) this.failure = failure;
  }

  /** Generated text so far (content, reasoning and tool-call arguments). */
  get text(): string {
    return this.pieces.join("");
  }

  /** The events so far as objects, made on each read. */
  get events(): StreamEvent[] {
    return this.log.toArray();
  }

  /** Whether any byte of a body arrived. */
  get started(): boolean {
    return this.log.length > 0 || this.chunks.length > 0 || this.carry !== undefined;
  }

  /**
   * Scans the pending chunks (after the carried incomplete event) and classifies every complete
   * event; `final` also takes an unterminated last event. Returns false when the stream broke.
   */
  private flush(final: boolean): boolean {
    const chunks = this.chunks;
    if (chunks.length === 0 && !(final && this.carry)) return !this.failure;
    const stamps = this.stamps;
    this.chunks = [];
    this.stamps = [];
    this.pendingBytes = 0;
    const carryLen = this.carry?.length ?? 0;
    const parts = this.carry ? [this.carry, ...chunks] : chunks;
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    // the stamp of an event is that of the chunk holding its last byte
    let c = 0;
    let chunkEnd = carryLen + (chunks[0]?.length ?? 0);
    const lastStamp = stamps.at(-1) ?? this.lastT;
    let ok = true;
    const pieces = this.pieces.length;
    const rest = scanSseEvents(buf, final, (data, end) => {
      if (!ok) return;
      while (end >= chunkEnd && c < chunks.length - 1) chunkEnd += chunks[++c]!.length;
      ok = this.accept(classifyEvent(data), stamps[c] ?? lastStamp);
    });
    // this scan's text pieces (one a token, about 32 bytes each) as one string: thousands of long streams in
    // flight would otherwise hold a string per token
    if (this.pieces.length - pieces > 1) this.pieces.push(this.pieces.splice(pieces).join(""));
    this.carry = rest < buf.length ? Buffer.from(buf.subarray(rest)) : undefined;
    return ok;
  }

  private accept(ev: ClassifiedEvent, t: number): boolean {
    let tokens: number | undefined;
    if (ev.usage) Object.assign(this.usage, ev.usage);
    const ct = ev.usage?.completionTokens;
    const carriesTokens = TOKEN_EVENT_KINDS.has(ev.kind);
    if (ct !== undefined) {
      // a count after token events that had none is the stream's total (usage in the finishing chunk only, as
      // llama.cpp sends it), not this event's share. The share is counted from the last token event, not the last
      // event: a token whose text the server held back came in an empty delta, inside this event's gap
      if (carriesTokens && !this.uncountedTokenEvents) {
        tokens = Math.max(0, ct - (this.lastCompletionTokens ?? 0));
        this.lastCompletionTokens = ct;
      }
    } else if (carriesTokens) this.uncountedTokenEvents = true;
    if (ev.text !== undefined) this.pieces.push(ev.text);
    if (ev.finishReason !== undefined) this.sawFinish = true;
    this.log.push(t, ev.kind, tokens, ev.serverT);
    if (ev.kind === "done") this.sawDone = true;
    if (ev.malformed) {
      this.failure = {
        category: "malformed_event",
        message: "stream carried a data line that is not a JSON object",
      };
      return false;
    }
    if (ev.kind === "error") {
      this.failure = {
        category: "server_error",
        message: `error in stream: ${ev.errorMessage ?? "unknown"}`,
      };
      return false;
    }
    if (ev.finishReason !== undefined && GAVE_UP.has(ev.finishReason)) {
      this.failure = gaveUp(ev.finishReason);
      return false;
    }
    return true;
  }

  private endBody(t: number): void {
    const raw = Buffer.concat(this.chunks).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      this.failure = { category: "malformed_event", message: "response body is not JSON" };
      return;
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      this.failure = { category: "malformed_event", message: "response body is not a JSON object" };
      return;
    }
    const ev = classifyObject(json as Record<string, unknown>);
    if (ev.kind === "error" && ev.errorMessage !== undefined) {
      this.failure = { category: "server_error", message: `error in response: ${ev.errorMessage}` };
      return;
    }
    let tokens: number | undefined;
    if (ev.usage) {
      Object.assign(this.usage, ev.usage);
      if (TOKEN_EVENT_KINDS.has(ev.kind) && ev.usage.completionTokens !== undefined) {
        tokens = ev.usage.completionTokens;
      }
    }
    if (ev.text !== undefined) this.pieces.push(ev.text);
    this.log.push(t, ev.kind, tokens);
    if (ev.finishReason !== undefined && GAVE_UP.has(ev.finishReason))
      this.failure = gaveUp(ev.finishReason);
    else this.checkOutput();
  }

  private checkOutput(): void {
    if (!this.log.hasTokenEvent()) {
      this.failure = {
        category: "empty_output",
        message: "the response carried no generated token",
      };
    }
  }
}
