import type { ErrorCategory, StreamEvent } from "@infermark/core";
import { TOKEN_EVENT_KINDS } from "@infermark/core";
import {
  type ClassifiedEvent,
  classifyEvent,
  classifyObject,
  type Usage,
} from "../sse/classify-event.js";
import { SseParser } from "../sse/sse-parser.js";

/** Why a request failed. */
export interface RequestFailure {
  category: ErrorCategory;
  message: string;
  status?: number;
}

/**
 * Turns one response's bytes into stamped stream events, generated text, usage and, when the
 * response is broken, a failure. The caller stamps each chunk when its socket read returns.
 */
export class ResponseRecorder {
  readonly events: StreamEvent[] = [];
  readonly usage: Usage = {};
  failure: RequestFailure | undefined;
  private readonly parser = new SseParser();
  private readonly pieces: string[] = [];
  private readonly body: Buffer[] = [];
  private lastCompletionTokens: number | undefined;
  private sawDone = false;
  private sawFinish = false;

  constructor(private readonly stream: boolean) {}

  /** Feeds one chunk read at `t`; returns false when the response is broken and reading should stop. */
  push(chunk: Buffer, t: number): boolean {
    if (this.failure) return false;
    if (!this.stream) {
      this.body.push(chunk);
      this.lastT = t;
      return true;
    }
    const payloads = this.parser.push(chunk);
    for (let i = 0; i < payloads.length; i++) {
      if (!this.accept(classifyEvent(payloads[i]!), t)) return false;
    }
    return true;
  }

  private lastT = 0;

  /** Ends the response at `t` (its last byte arrived); decides stream_cut and empty_output. */
  end(t: number): void {
    if (this.failure) return;
    if (!this.stream) {
      this.endBody(this.body.length > 0 ? this.lastT : t);
      return;
    }
    for (const payload of this.parser.end()) if (!this.accept(classifyEvent(payload), t)) return;
    if (!this.sawDone && !this.sawFinish) {
      this.failure = {
        category: "stream_cut",
        message: "stream ended without [DONE] or a finish_reason",
      };
      return;
    }
    this.checkOutput();
  }

  /** Marks the response failed (first failure wins). */
  fail(failure: RequestFailure): void {
    if (!this.failure) this.failure = failure;
  }

  /** Generated text so far (content, reasoning and tool-call arguments). */
  get text(): string {
    return this.pieces.join("");
  }

  /** Whether any byte of a body arrived. */
  get started(): boolean {
    return this.events.length > 0 || this.body.length > 0 || this.parser.pending > 0;
  }

  private accept(ev: ClassifiedEvent, t: number): boolean {
    const event: StreamEvent = { t, kind: ev.kind };
    if (ev.serverT !== undefined) event.serverT = ev.serverT;
    if (ev.usage) {
      Object.assign(this.usage, ev.usage);
      const ct = ev.usage.completionTokens;
      if (ct !== undefined) {
        if (TOKEN_EVENT_KINDS.has(ev.kind))
          event.tokens = Math.max(0, ct - (this.lastCompletionTokens ?? 0));
        this.lastCompletionTokens = ct;
      }
    }
    if (ev.text !== undefined) this.pieces.push(ev.text);
    if (ev.finishReason !== undefined) this.sawFinish = true;
    this.events.push(event);
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
    return true;
  }

  private endBody(t: number): void {
    const raw = Buffer.concat(this.body).toString("utf8");
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
    const event: StreamEvent = { t, kind: ev.kind };
    if (ev.usage) {
      Object.assign(this.usage, ev.usage);
      if (TOKEN_EVENT_KINDS.has(ev.kind) && ev.usage.completionTokens !== undefined) {
        event.tokens = ev.usage.completionTokens;
      }
    }
    if (ev.text !== undefined) this.pieces.push(ev.text);
    this.events.push(event);
    this.checkOutput();
  }

  private checkOutput(): void {
    if (!this.events.some((e) => TOKEN_EVENT_KINDS.has(e.kind))) {
      this.failure = {
        category: "empty_output",
        message: "the response carried no generated token",
      };
    }
  }
}
