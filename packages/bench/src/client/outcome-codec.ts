import type { Usage } from "../sse/classify-event.js";
import { EventLog, eventLogFor, type PackedEvents, withEvents } from "./event-log.js";
import type { RequestFailure } from "./response-recorder.js";
import type { SendOutcome } from "./send-request.js";

/**
 * A SendOutcome packed for `postMessage` between threads: the events as their log's typed arrays
 * (transferred, not copied), everything else as plain values.
 */
export interface PackedOutcome extends PackedEvents {
  tSend: number;
  tEnd: number;
  usage: Usage;
  text: string;
  failure?: RequestFailure;
}

/**
 * Packs an outcome, adding `shiftMs` to every client time (`tSend`, `tEnd`, event `t`) so they land
 * on the receiving thread's clock; server stamps are left as they are.
 * @example const p = packOutcome(outcome, 0); worker.postMessage(p, outcomeTransfer(p));
 */
export function packOutcome(o: SendOutcome, shiftMs: number): PackedOutcome {
  const log = eventLogFor(o);
  const events = shiftMs === 0 ? log.compact().packed() : log.mapTimes((t) => t + shiftMs).packed();
  const packed: PackedOutcome = {
    tSend: o.tSend + shiftMs,
    tEnd: o.tEnd + shiftMs,
    ...events,
    usage: o.usage,
    text: o.text,
  };
  if (o.failure) packed.failure = o.failure;
  return packed;
}

/** The buffers of a packed outcome, for `postMessage`'s transfer list. */
export function outcomeTransfer(p: PackedOutcome): ArrayBuffer[] {
  return [p.t.buffer, p.kind.buffer, p.tokens.buffer, p.serverT.buffer] as ArrayBuffer[];
}

/** Unpacks an outcome into the shape the main-thread path produces (its events read from the same packed log). */
export function unpackOutcome(p: PackedOutcome): SendOutcome {
  return makeOutcome(
    { tSend: p.tSend, tEnd: p.tEnd, usage: p.usage, ...(p.failure ? { failure: p.failure } : {}) },
    EventLog.fromPacked(p),
    p.text,
  );
}

/**
 * An outcome as the load generator keeps it until its level is aggregated: the events packed (`withEvents`), and
 * the generated text as UTF-8 bytes outside the JavaScript heap, made into a string when `text` is read (a level of
 * 8k-token outputs at concurrency 8,192 holds 82,000 texts of some 40 KB).
 */
export function makeOutcome(
  fields: Omit<SendOutcome, "events" | "text">,
  log: EventLog,
  text: string,
): SendOutcome {
  const bytes = Buffer.from(text, "utf8");
  Object.defineProperty(fields, "text", {
    get: () => bytes.toString("utf8"),
    enumerable: true,
    configurable: true,
  });
  return withEvents(fields as Omit<SendOutcome, "events">, log);
}
