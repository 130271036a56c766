import type { StreamEvent } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { EventLog, eventLogFor, eventLogOf, withEvents, withoutEvents } from "./event-log.js";

const events: StreamEvent[] = [
  { t: 1.5, kind: "role" },
  { t: 2.25, kind: "reasoning", tokens: 2 },
  { t: 3, kind: "content" },
  { t: 4.125, kind: "content", tokens: 3, serverT: 1_000_000.0625 },
  { t: 5, kind: "tool_call", tokens: 1 },
  { t: 6, kind: "usage" },
  { t: 6, kind: "done" },
];

describe("EventLog", () => {
  it("gives back the events pushed, optional fields absent where they were, through growth", () => {
    const log = new EventLog(2);
    for (let round = 0; round < 100; round++)
      for (const e of events) log.push(e.t + round * 10, e.kind, e.tokens, e.serverT);
    expect(log.length).toBe(700);
    const all = log.toArray();
    expect(all.slice(0, 7)).toEqual(events);
    expect(all[696]).toEqual({ t: 994.125, kind: "content", tokens: 3, serverT: 1_000_000.0625 });
    // an event before the first server stamp has none (not NaN), nor a token count when it had none
    expect(Object.keys(all[2]!)).toEqual(["t", "kind"]);
    expect(EventLog.of(events).toArray()).toEqual(events);
  });

  it("counts token events as the aggregation does: a count when given, else one", () => {
    const log = EventLog.of(events);
    expect(log.hasTokenEvent()).toBe(true);
    expect(log.tokenCount()).toBe(2 + 1 + 3 + 1);
    expect(EventLog.of([events[0]!, events[5]!]).hasTokenEvent()).toBe(false);
    expect(new EventLog().tokenCount()).toBe(0);
  });

  it("tells a reply whose token events all came in one read (one stamp) from one spread over reads", () => {
    const of = (...ts: [number, StreamEvent["kind"]][]) =>
      EventLog.of(ts.map(([t, kind]) => ({ t, kind }))).tokensInOneRead();
    expect(of([1, "role"], [2, "content"], [2, "reasoning"], [2, "tool_call"], [3, "done"])).toBe(
      true,
    );
    expect(of([1, "role"], [2, "content"], [2, "content"], [2.001, "content"])).toBe(false);
    // one token event is a reply without per-token timing of its own kind (a non-streamed reply)
    expect(of([2, "content"], [2, "usage"], [2, "done"])).toBe(false);
    expect(EventLog.of(events).tokensInOneRead()).toBe(false);
  });

  it("packs into arrays of its length, and back", () => {
    const log = EventLog.of(events);
    log.push(7, "content", 1);
    const packed = log.compact().packed();
    expect(packed.t.length).toBe(8);
    expect(packed.t.buffer.byteLength).toBe(8 * 8); // no spare capacity once compact
    expect(EventLog.fromPacked(packed).toArray()).toEqual([
      ...events,
      { t: 7, kind: "content", tokens: 1 },
    ]);
    // no server stamp at all: an empty array, and none on the events
    const plain = EventLog.of([events[2]!]).packed();
    expect(plain.serverT.length).toBe(0);
    expect(EventLog.fromPacked(plain).toArray()).toEqual([events[2]]);
  });

  it("maps client times, and server stamps only when asked", () => {
    const log = EventLog.of(events);
    const shifted = log.mapTimes((t) => t + 100).toArray();
    expect(shifted[3]).toEqual({ t: 104.125, kind: "content", tokens: 3, serverT: 1_000_000.0625 });
    const scaled = log.mapTimes(
      (t) => t * 2,
      (t) => t * 2,
    );
    expect(scaled.get(3)).toEqual({ t: 8.25, kind: "content", tokens: 3, serverT: 2_000_000.125 });
    expect(scaled.get(0)).toEqual({ t: 3, kind: "role" });
    expect(log.toArray()).toEqual(events); // the original is untouched
  });
});

describe("withEvents", () => {
  it("reads the events from the log on each read, for JSON and spreading alike", () => {
    const log = EventLog.of(events);
    const record = withEvents({ index: 3, warmup: false, tSched: 1, tSend: 1 }, log);
    expect(record.events).toEqual(events);
    expect(record.events).not.toBe(record.events); // made anew: nothing but the log is kept
    expect(JSON.parse(JSON.stringify(record))).toEqual({
      index: 3,
      warmup: false,
      tSched: 1,
      tSend: 1,
      events,
    });
    expect({ ...record }.events).toEqual(events);
    expect(eventLogOf(record)).toBe(log);
    expect(eventLogFor(record)).toBe(log);
    expect(eventLogOf({ events })).toBeUndefined();
    expect(eventLogFor({ events }).toArray()).toEqual(events);
  });

  it("withoutEvents copies the other fields without reading the events", () => {
    let reads = 0;
    const target = { index: 1, tSend: 2 };
    Object.defineProperty(target, "events", {
      get: () => {
        reads++;
        return events;
      },
      enumerable: true,
    });
    expect(withoutEvents(target)).toEqual({ index: 1, tSend: 2 });
    expect(reads).toBe(0);
  });
});
