import type { RequestRecord } from "@infermark/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBench, WorkerTransport } from "../src/index.js";
import { type ScriptedServer, sse, startScriptedServer } from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

let server: ScriptedServer;

// role-only delta, 5 one-token events 10 ms apart with continuous usage, usage-only event, [DONE]
beforeAll(async () => {
  server = await startScriptedServer(() => {
    const writes: (string | number)[] = [sse({ choices: [{ delta: { role: "assistant" } }] })];
    for (let i = 0; i < 5; i++) {
      if (i > 0) writes.push(10);
      writes.push(
        sse({
          choices: [{ delta: { content: `w${i}` }, finish_reason: i === 4 ? "length" : null }],
          usage: { prompt_tokens: 8, completion_tokens: i + 1 },
        }),
      );
    }
    writes.push(
      sse({ choices: [], usage: { prompt_tokens: 8, completion_tokens: 5 } }),
      sse("[DONE]"),
    );
    return { writes };
  });
});
afterAll(() => server.close());

const options = (workers: number) => ({
  baseUrl: server.url,
  model: "m",
  api: "chat" as const,
  isl: 8,
  osl: 5,
  rangeRatio: 1,
  concurrency: [4],
  numRequests: 8,
  warmup: 2,
  workers,
  healthBounds: RELAXED,
});

/** A record with its client times taken out (what must not depend on the thread that stamped). */
const timeless = (r: RequestRecord) => ({
  ...r,
  tSched: 0,
  tSend: 0,
  tEnd: 0,
  events: r.events.map((e) => ({ ...e, t: 0 })),
});

describe("client worker threads", () => {
  it("record exactly what the main-thread path records, on the main thread's clock", async () => {
    const main = await runBench(options(0));
    const from = server.received.length;
    const viaWorkers = await runBench(options(2));
    const arrivals = server.received
      .slice(from)
      .filter((r) => !r.path.endsWith("/models")) // the simulator check, not a measured request
      .map((r) => r.t)
      .sort((a, b) => a - b);
    const a = main.levels[0]!;
    const b = viaWorkers.levels[0]!;
    expect(b.records).toHaveLength(10);
    expect(b.records.map(timeless)).toEqual(a.records.map(timeless));
    expect(b.records[2]!.events.map((e) => [e.kind, e.tokens])).toEqual([
      ["role", undefined],
      ["content", 1],
      ["content", 1],
      ["content", 1],
      ["content", 1],
      ["content", 1],
      ["usage", undefined],
      ["done", undefined],
    ]);
    // the server (this thread) stamps each arrival with this thread's clock: the k-th send comes
    // before the k-th arrival and the k-th first event after it, and not long before (a missing
    // clock shift would be the worker threads' start-up time apart)
    const sends = b.records.map((r) => r.tSend).sort((x, y) => x - y);
    const firsts = b.records.map((r) => r.events[0]!.t).sort((x, y) => x - y);
    for (let k = 0; k < sends.length; k++) {
      expect(sends[k]!).toBeLessThanOrEqual(arrivals[k]! + 0.5);
      expect(sends[k]!).toBeGreaterThan(arrivals[k]! - 200);
      expect(firsts[k]!).toBeGreaterThanOrEqual(arrivals[k]! - 0.5);
    }
    for (const r of b.records) {
      const ts = [r.tSend!, ...r.events.map((e) => e.t), r.tEnd!];
      expect(ts).toEqual([...ts].sort((x, y) => x - y));
    }
    expect(b.point.metrics.completed).toBe(8);
    expect(b.point.metrics.outputTokens).toBe(40);
    expect(b.point.client?.workers).toBe(2);
    expect(a.point.client?.workers).toBe(1);
    expect(b.point.client?.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(0);
  });

  it("the undici transport, on the main thread or in workers, records what the native one does", async () => {
    const native = await runBench(options(0));
    const undiciMain = await runBench({ ...options(0), transport: "undici" });
    const undiciWorkers = await runBench({ ...options(2), transport: "undici" });
    const expected = native.levels[0]!.records.map(timeless);
    expect(expected).toHaveLength(10);
    expect(undiciMain.levels[0]!.records.map(timeless)).toEqual(expected);
    expect(undiciWorkers.levels[0]!.records.map(timeless)).toEqual(expected);
  });

  it("spread requests over the workers and cancel through them", async () => {
    const t = await WorkerTransport.start(2);
    try {
      expect(t.size).toBe(2);
      const input = {
        origin: server.url,
        path: "/v1/chat/completions",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", messages: [], stream: true }),
        stream: true,
        timeoutMs: 5000,
        secrets: [],
      };
      const r = t.send(input);
      r.cancel();
      const o = await r.outcome;
      expect(o.failure?.category).toBe("cancelled");
      const ok = await Promise.all([t.send(input), t.send(input)].map((x) => x.outcome));
      expect(ok.map((x) => x.text)).toEqual(["w0w1w2w3w4", "w0w1w2w3w4"]);
      expect(ok.map((x) => x.failure)).toEqual([undefined, undefined]);
    } finally {
      await t.close();
    }
  });
});
