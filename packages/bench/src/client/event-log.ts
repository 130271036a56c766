import { type StreamEvent, StreamEventKind, TOKEN_EVENT_KINDS } from "@infermark/core";

const KINDS = StreamEventKind.options;
const KIND_CODE = new Map(KINDS.map((k, i) => [k, i]));
const TOKEN_CODES = new Set([...TOKEN_EVENT_KINDS].map((k) => KIND_CODE.get(k)!));

/**
 * One response's stream events, packed in typed arrays: 13 bytes an event (21 with server stamps) where a
 * `StreamEvent` object costs about 75, and nothing for the garbage collector to trace. A level keeps every event of
 * every request until it is aggregated: InferenceX's 1k/8k points run 10 x concurrency requests of 8,192 streamed
 * tokens (at concurrency 1,024, 84 million events: 6 GB as objects, more than Node's default heap, 1.1 GB here).
 * Records and outcomes expose the events as a `StreamEvent[]` made on each read (`withEvents`).
 * @example const log = new EventLog(); log.push(performance.now(), "content", 1); log.toArray();
 */
export class EventLog {
  #t: Float64Array;
  #kind: Uint8Array;
  /** NaN where the event has no token count. */
  #tokens: Float32Array;
  /** NaN where the event has no server stamp; absent until one has. */
  #serverT: Float64Array | undefined;
  #length = 0;

  constructor(capacity = 16) {
    this.#t = new Float64Array(capacity);
    this.#kind = new Uint8Array(capacity);
    this.#tokens = new Float32Array(capacity);
  }

  /** A log of these events (server stamps kept). */
  static of(events: readonly StreamEvent[]): EventLog {
    const log = new EventLog(events.length);
    for (const e of events) log.push(e.t, e.kind, e.tokens, e.serverT);
    return log;
  }

  /** A log over packed arrays of one length (taken, not copied); `serverT` may be empty when no event has a stamp. */
  static fromPacked(p: PackedEvents): EventLog {
    const log = new EventLog(0);
    log.#t = p.t;
    log.#kind = p.kind;
    log.#tokens = p.tokens;
    if (p.serverT.length > 0) log.#serverT = p.serverT;
    log.#length = p.t.length;
    return log;
  }

  get length(): number {
    return this.#length;
  }

  push(t: number, kind: StreamEvent["kind"], tokens?: number, serverT?: number): void {
    if (this.#length === this.#t.length) this.#resize(Math.max(16, this.#length * 2));
    const i = this.#length++;
    this.#t[i] = t;
    this.#kind[i] = KIND_CODE.get(kind)!;
    this.#tokens[i] = tokens ?? Number.NaN;
    if (serverT !== undefined) {
      if (this.#serverT === undefined) {
        this.#serverT = new Float64Array(this.#t.length);
        this.#serverT.fill(Number.NaN, 0, i);
      }
      this.#serverT[i] = serverT;
    } else if (this.#serverT !== undefined) this.#serverT[i] = Number.NaN;
  }

  /** Event `i` as an object. */
  get(i: number): StreamEvent {
    const e: StreamEvent = { t: this.#t[i]!, kind: KINDS[this.#kind[i]!]! };
    const tokens = this.#tokens[i]!;
    if (!Number.isNaN(tokens)) e.tokens = tokens;
    const serverT = this.#serverT?.[i];
    if (serverT !== undefined && !Number.isNaN(serverT)) e.serverT = serverT;
    return e;
  }

  toArray(): StreamEvent[] {
    const out: StreamEvent[] = new Array(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.get(i);
    return out;
  }

  /** Whether any event carried generated tokens (content, reasoning or a tool call). */
  hasTokenEvent(): boolean {
    for (let i = 0; i < this.#length; i++) if (TOKEN_CODES.has(this.#kind[i]!)) return true;
    return false;
  }

  /** Tokens the token events carried (an event without a count is one token). */
  tokenCount(): number {
    let n = 0;
    for (let i = 0; i < this.#length; i++) {
      if (!TOKEN_CODES.has(this.#kind[i]!)) continue;
      const tokens = this.#tokens[i]!;
      n += Number.isNaN(tokens) ? 1 : tokens;
    }
    return n;
  }

  /**
   * Whether two token events or more came and all have one stamp: the whole reply came in one socket read, so its
   * per-token timing was not seen (its TPOT reads 0, its inter-token gaps 0).
   */
  tokensInOneRead(): boolean {
    let first = Number.NaN;
    let n = 0;
    for (let i = 0; i < this.#length; i++) {
      if (!TOKEN_CODES.has(this.#kind[i]!)) continue;
      const t = this.#t[i]!;
      if (n++ === 0) first = t;
      else if (t !== first) return false;
    }
    return n >= 2;
  }

  /** A copy with every client time mapped by `client`, and every server stamp by `server` (kept without it). */
  mapTimes(client: (t: number) => number, server?: (t: number) => number): EventLog {
    const p = this.packed();
    const map = (from: Float64Array, f: ((t: number) => number) | undefined) => {
      if (f === undefined) return from.slice();
      const to = new Float64Array(from.length);
      for (let i = 0; i < from.length; i++) to[i] = f(from[i]!); // NaN (no stamp) stays NaN
      return to;
    };
    return EventLog.fromPacked({
      t: map(p.t, client),
      kind: p.kind.slice(),
      tokens: p.tokens.slice(),
      serverT: map(p.serverT, server),
    });
  }

  /** Drops the spare capacity that growing left, so a finished response holds only its events. */
  compact(): this {
    if (this.#t.length !== this.#length) this.#resize(this.#length);
    return this;
  }

  /** The arrays, cut to the length (views, not copies, once compact); `serverT` empty when no event has a stamp. */
  packed(): PackedEvents {
    const n = this.#length;
    return {
      t: this.#t.subarray(0, n),
      kind: this.#kind.subarray(0, n),
      tokens: this.#tokens.subarray(0, n),
      serverT: this.#serverT?.subarray(0, n) ?? new Float64Array(0),
    };
  }

  #resize(capacity: number): void {
    const grow = <A extends Float64Array | Uint8Array | Float32Array>(
      from: A,
      make: (n: number) => A,
    ): A => {
      const to = make(capacity);
      to.set(from.subarray(0, Math.min(this.#length, capacity)));
      return to;
    };
    this.#t = grow(this.#t, (n) => new Float64Array(n));
    this.#kind = grow(this.#kind, (n) => new Uint8Array(n));
    this.#tokens = grow(this.#tokens, (n) => new Float32Array(n));
    if (this.#serverT) this.#serverT = grow(this.#serverT, (n) => new Float64Array(n));
  }
}

/** An event log's arrays, all of one length, as they cross between threads. */
export interface PackedEvents {
  t: Float64Array;
  kind: Uint8Array;
  /** NaN where the event has no token count. */
  tokens: Float32Array;
  /** NaN where the event has no server stamp; empty when no event has one. */
  serverT: Float64Array;
}

const LOGS = new WeakMap<object, EventLog>();

/**
 * Gives `target` an `events` property read from `log`: a fresh `StreamEvent[]` on each read (enumerable, so
 * `JSON.stringify` and spreading see it), while only the packed log is kept. `eventLogOf` finds the log again.
 * @example const record = withEvents({ index: 0, warmup: false, tSched, tSend }, log);
 */
export function withEvents<T extends object>(
  target: T,
  log: EventLog,
): T & { readonly events: StreamEvent[] } {
  Object.defineProperty(target, "events", {
    get: () => log.toArray(),
    enumerable: true,
    configurable: true,
  });
  LOGS.set(target, log);
  return target as T & { readonly events: StreamEvent[] };
}

/** The packed log behind an object made by `withEvents`, if it is one. */
export function eventLogOf(target: object): EventLog | undefined {
  return LOGS.get(target);
}

/** The packed log behind `target`'s events, or a log made from them when it has none (a hand-made object). */
export function eventLogFor(target: { readonly events: readonly StreamEvent[] }): EventLog {
  return eventLogOf(target) ?? EventLog.of(target.events);
}

/** `target`'s own fields but `events`, without reading `events` (which would make every event an object). */
export function withoutEvents<T extends object>(target: T): Omit<T, "events"> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(target))
    if (key !== "events") out[key] = (target as Record<string, unknown>)[key];
  return out as Omit<T, "events">;
}
