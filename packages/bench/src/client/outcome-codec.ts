import { type StreamEvent, StreamEventKind } from "@infermark/core";
import type { Usage } from "../sse/classify-event.js";
import type { RequestFailure } from "./response-recorder.js";
import type { SendOutcome } from "./send-request.js";

const KINDS = StreamEventKind.options;
const KIND_CODE = new Map(KINDS.map((k, i) => [k, i]));

/**
 * A SendOutcome packed for `postMessage` between threads: the events as four typed arrays
 * (transferred, not copied), everything else as plain values.
 */
export interface PackedOutcome {
  tSend: number;
  tEnd: number;
  t: Float64Array;
  kind: Uint8Array;
  /** NaN where the event has no token count. */
  tokens: Float64Array;
  /** NaN where the event has no server stamp. */
  serverT: Float64Array;
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
  const n = o.events.length;
  const t = new Float64Array(n);
  const kind = new Uint8Array(n);
  const tokens = new Float64Array(n);
  const serverT = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = o.events[i]!;
    t[i] = e.t + shiftMs;
    kind[i] = KIND_CODE.get(e.kind)!;
    tokens[i] = e.tokens ?? Number.NaN;
    serverT[i] = e.serverT ?? Number.NaN;
  }
  const packed: PackedOutcome = {
    tSend: o.tSend + shiftMs,
    tEnd: o.tEnd + shiftMs,
    t,
    kind,
    tokens,
    serverT,
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

/** Unpacks an outcome into the exact shape the main-thread path produces. */
export function unpackOutcome(p: PackedOutcome): SendOutcome {
  const events: StreamEvent[] = new Array(p.t.length);
  for (let i = 0; i < p.t.length; i++) {
    const e: StreamEvent = { t: p.t[i]!, kind: KINDS[p.kind[i]!]! };
    if (!Number.isNaN(p.tokens[i]!)) e.tokens = p.tokens[i]!;
    if (!Number.isNaN(p.serverT[i]!)) e.serverT = p.serverT[i]!;
    events[i] = e;
  }
  const o: SendOutcome = {
    tSend: p.tSend,
    tEnd: p.tEnd,
    events,
    usage: p.usage,
    text: p.text,
  };
  if (p.failure) o.failure = p.failure;
  return o;
}
