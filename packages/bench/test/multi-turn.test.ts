import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestRecord } from "@infermark/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  type BenchOptions,
  builtinTokenizer,
  resolveBenchOptions,
  runBench,
  sessionWorkload,
} from "../src/index.js";
import { type Received, type ScriptedServer, sse, startScriptedServer } from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

type Message = { role: string; content: string };

/**
 * A server that answers every generation with a reply naming the request (`reply-<n>`, one event, usage) after
 * `delayMs`, lists its model with `max_model_len` when given, and fails the requests `fail` picks with HTTP 500.
 */
function serve(
  o: { delayMs?: number; maxModelLen?: number; fail?: (r: Received) => boolean } = {},
): Promise<ScriptedServer> {
  let n = 0;
  return startScriptedServer((r) => {
    if (r.path.endsWith("/models")) {
      const entry = { id: "m", object: "model", max_model_len: o.maxModelLen };
      return {
        contentType: "application/json",
        writes: [JSON.stringify({ object: "list", data: [entry] })],
      };
    }
    if (o.fail?.(r)) return { status: 500, contentType: "application/json", writes: ["{}"] };
    const reply = `reply-${n++}`;
    const chat = r.path.endsWith("/chat/completions");
    const piece = chat ? { delta: { content: reply } } : { text: reply };
    return {
      writes: [
        ...(o.delayMs ? [o.delayMs] : []),
        sse({ choices: [{ index: 0, ...piece, finish_reason: "length" }] }),
        sse({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 1 } }),
        sse("[DONE]"),
      ],
    };
  });
}

const generations = (s: ScriptedServer) => s.received.filter((r) => !r.path.endsWith("/models"));
const messagesOf = (r: Received) => r.body.messages as Message[];
/** The records of each session, in turn order. */
const bySession = (records: readonly RequestRecord[]) => {
  const out = new Map<string, RequestRecord[]>();
  for (const r of records) out.set(r.session!, [...(out.get(r.session!) ?? []), r]);
  for (const rs of out.values()) rs.sort((a, b) => a.turn! - b.turn!);
  return out;
};

const base = (url: string): BenchOptions => ({
  baseUrl: url,
  model: "m",
  workload: "multi-turn",
  isl: 6,
  osl: 1,
  rangeRatio: 1,
  turns: 3,
  concurrency: [2],
  numRequests: 12,
  warmup: 0,
  healthBounds: RELAXED,
});

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("the multi-turn workload", () => {
  it("sends each chat turn with the whole history: the system prompt, earlier user turns and the actual replies", async () => {
    server = await serve();
    const { levels } = await runBench({ ...base(server.url), api: "chat", prefixLength: 4 });
    const sent = generations(server);
    expect(sent).toHaveLength(12);
    const { point, records } = levels[0]!;
    expect(point.config.workload).toMatchObject({
      kind: "session",
      isl: 6,
      osl: 1,
      turns: 3,
      prefixLength: 4,
      thinkTimeMs: 0,
      thinkTime: "fixed",
    });
    // the reply the server sent to each request, by record index (requests and records share the order of sending)
    const replyTo = new Map<string, string>();
    for (const [i, r] of sent.entries()) replyTo.set(JSON.stringify(messagesOf(r)), `reply-${i}`);
    const sessions = bySession(records);
    expect([...sessions.keys()].sort()).toEqual(["s0", "s1", "s2", "s3"]);
    const system = messagesOf(sent[0]!)[0]!;
    expect(system.role).toBe("system");
    expect(system.content.split(" ")).toHaveLength(4);
    for (const rs of sessions.values()) {
      expect(rs.map((r) => r.turn)).toEqual([1, 2, 3]);
      const msgs = rs.map((r) => messagesOf(sent[r.index]!));
      for (let k = 0; k < 3; k++) {
        // turn k+1: system, (user, assistant) x k, user
        expect(msgs[k]!.map((m) => m.role)).toEqual([
          "system",
          ...Array.from({ length: k }, () => ["user", "assistant"]).flat(),
          "user",
        ]);
        expect(msgs[k]![0]).toEqual(system);
        if (k === 0) continue;
        const previous = msgs[k - 1]!;
        // the earlier turns exactly, then the reply the server actually sent to the previous turn
        expect(msgs[k]!.slice(0, previous.length)).toEqual(previous);
        expect(msgs[k]![previous.length]).toEqual({
          role: "assistant",
          content: replyTo.get(JSON.stringify(previous)),
        });
        expect(msgs[k]!.at(-1)!.content.split(" ")).toHaveLength(6);
      }
    }
    expect(point.extra?.session).toMatchObject({ sessions: 4, endedByFailure: 0 });
  });

  it("sends completions the concatenated history, counted after the level when there is no usage", async () => {
    server = await serve();
    const { levels } = await runBench({ ...base(server.url), turns: 2, numRequests: 4 });
    const sent = generations(server);
    const { records } = levels[0]!;
    for (const rs of bySession(records).values()) {
      const [first, second] = rs.map((r) => String(sent[r.index]!.body.prompt));
      const reply = `reply-${rs[0]!.index}`;
      expect(second!.startsWith(`${first}\n${reply}\n`)).toBe(true);
      expect(second!.split(/\s+/)).toHaveLength(6 + 1 + 6);
    }
  });

  it("holds each turn until its think time has passed since the previous reply, without counting it as queue delay", async () => {
    server = await serve({ delayMs: 5 });
    const { levels } = await runBench({ ...base(server.url), thinkTimeMs: 80 });
    const { records, point } = levels[0]!;
    for (const rs of bySession(records).values()) {
      for (let k = 1; k < rs.length; k++) {
        expect(rs[k]!.tSched - rs[k - 1]!.tEnd!).toBeGreaterThanOrEqual(80);
        expect(rs[k]!.tSend - rs[k - 1]!.tEnd!).toBeGreaterThanOrEqual(80);
      }
    }
    expect(point.metrics.queueDelay!.p99).toBeLessThan(0.05);
  });

  it("lets more than 10 sessions think at once without Node's listener warning on stderr", async () => {
    server = await serve();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      // 16 sessions, each waiting out its think time on the level's stop signal at the same time
      await runBench({ ...base(server.url), concurrency: [16], numRequests: 48, thinkTimeMs: 50 });
      // the warning is emitted on the next tick
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });

  it("keeps C sessions going at once and replaces each finished one; the level counts turns", async () => {
    server = await serve({ delayMs: 10 });
    const { levels } = await runBench({ ...base(server.url), thinkTimeMs: 30, numRequests: 18 });
    const { records } = levels[0]!;
    expect(records).toHaveLength(18);
    const sessions = bySession(records);
    expect(sessions.size).toBe(6);
    // a session holds its slot from its first send to its last reply, think times included
    const spans = [...sessions.values()].map((rs) => [rs[0]!.tSched, rs.at(-1)!.tEnd!] as const);
    for (const [start] of spans) {
      const open = spans.filter(([s, e]) => s <= start && start < e).length;
      expect(open).toBeLessThanOrEqual(2);
    }
    // while a session thinks, no other request takes its slot
    expect(server.maxOpen).toBeLessThanOrEqual(2);
  });

  it("under --rate, starts sessions at the arrival times and runs each session's turns in order after its think time", async () => {
    server = await serve({ delayMs: 10 });
    const { levels } = await runBench({
      ...base(server.url),
      concurrency: undefined,
      rate: [20],
      arrival: "constant",
      thinkTimeMs: 40,
      numRequests: 12,
    });
    const { records, point } = levels[0]!;
    expect(point.config.load).toMatchObject({ mode: "rate", rate: 20 });
    expect(records).toHaveLength(12);
    const sessions = [...bySession(records).values()].sort((a, b) => a[0]!.tSched - b[0]!.tSched);
    // the arrivals start sessions, not requests: each session sends turns 1, 2, ... in order, and the first
    // ones all 3 (the level's 12 requests end the later ones early)
    for (const rs of sessions) expect(rs.map((r) => r.turn)).toEqual(rs.map((_, k) => k + 1));
    expect(sessions.slice(0, 3).map((rs) => rs.length)).toEqual([3, 3, 3]);
    expect(sessions.length).toBeGreaterThanOrEqual(4);
    // a new session every 50 ms (constant arrivals at 20/s), whatever the earlier ones are doing
    const starts = sessions.map((rs) => rs[0]!.tSched);
    for (let k = 1; k < starts.length; k++) expect(starts[k]! - starts[k - 1]!).toBeCloseTo(50, 0);
    for (const rs of sessions)
      for (let k = 1; k < rs.length; k++)
        expect(rs[k]!.tSend - rs[k - 1]!.tEnd!).toBeGreaterThanOrEqual(40);
    // sessions overlap: a later session's first turn goes out while an earlier one is still running
    expect(starts[1]!).toBeLessThan(sessions[0]!.at(-1)!.tEnd!);
    expect(point.metrics.queueDelay!.p99).toBeLessThan(0.05);
  });

  it("under --rate with --max-concurrency, caps sessions at once, think times included", async () => {
    server = await serve({ delayMs: 10 });
    const { levels } = await runBench({
      ...base(server.url),
      concurrency: undefined,
      rate: [200],
      maxConcurrency: 2,
      thinkTimeMs: 30,
      numRequests: 12,
    });
    const { records, point } = levels[0]!;
    expect(point.config.load).toMatchObject({ mode: "rate", rate: 200, concurrency: 2 });
    const spans = [...bySession(records).values()].map(
      (rs) => [rs[0]!.tSend, rs.at(-1)!.tEnd!] as const,
    );
    expect(spans).toHaveLength(4);
    for (const [start] of spans)
      expect(spans.filter(([s, e]) => s <= start && start < e).length).toBeLessThanOrEqual(2);
    // arrivals every 5 ms wait for a session's end: the wait is queue delay
    expect(point.metrics.queueDelay!.p99).toBeGreaterThan(0.05);
  });

  it("gives the same sessions for the same seed (texts, lengths, think times) and others for another", async () => {
    const run = async (seed: number) => {
      const s = await serve();
      try {
        const options = {
          ...base(s.url),
          api: "chat" as const,
          rangeRatio: 0.5,
          thinkTimeMs: 10,
          thinkTime: "exponential" as const,
          concurrency: [1],
          seed,
        };
        await runBench(options);
        return generations(s).map((r) =>
          messagesOf(r)
            .filter((m) => m.role === "user")
            .map((m) => m.content),
        );
      } finally {
        await s.close();
      }
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
    // turn lengths vary within [0.5 x 6, 6] words
    const lengths = new Set(a.flat().map((t) => t.split(" ").length));
    expect(lengths.size).toBeGreaterThan(1);
  });

  it("ends a session at a failed turn and starts a new one", async () => {
    // the first session's second turn fails
    let failed = false;
    server = await serve({
      fail: (r) => {
        const second = String(r.body.prompt).includes("reply-0");
        if (!second || failed) return false;
        failed = true;
        return true;
      },
    });
    const { levels } = await runBench({ ...base(server.url), concurrency: [1], numRequests: 6 });
    const { records, point } = levels[0]!;
    const sessions = bySession(records);
    expect(sessions.get("s0")!.map((r) => [r.turn, r.error?.category])).toEqual([
      [1, undefined],
      [2, "http_status"],
    ]);
    expect(sessions.get("s1")!.map((r) => r.turn)).toEqual([1, 2, 3]);
    expect(sessions.get("s2")!.map((r) => r.turn)).toEqual([1]);
    expect(point.extra?.session).toMatchObject({ sessions: 3, endedByFailure: 1 });
  });

  it("refuses, before sending anything, sessions whose last turn could exceed the server's max_model_len", async () => {
    server = await serve({ maxModelLen: 40 });
    await expect(
      runBench({ ...base(server.url), isl: 10, osl: 4, turns: 3, prefixLength: 0 }),
    ).rejects.toThrow(
      "--workload multi-turn: the last turn can need 42 tokens (--prefix-length 0 + --turns 3 x (--isl 10 + --osl 4)), over the model's context length 40 (max_model_len in /v1/models); lower --turns, --isl or --osl",
    );
    expect(generations(server)).toHaveLength(0);
    // 40 tokens fit
    await runBench({ ...base(server.url), isl: 10, osl: 4, turns: 2, numRequests: 2 });
    expect(generations(server)).toHaveLength(2);
  });

  it("replays ShareGPT conversations as sessions with the server's replies, max_tokens from the recorded ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "infermark-sessions-"));
    const file = join(dir, "conv.json");
    const talk = (name: string) => ({
      conversations: [
        { from: "system", value: `${name} system prompt` },
        { from: "human", value: `${name} one question here` },
        { from: "gpt", value: "a b c d e" },
        { from: "human", value: `${name} two question here` },
        { from: "gpt", value: "a b c" },
        { from: "human", value: `${name} three` },
        { from: "human", value: "broken alternation" },
      ],
    });
    await writeFile(file, JSON.stringify([talk("x"), { conversations: [] }, talk("y")]));
    server = await serve();
    try {
      const { levels } = await runBench({
        ...base(server.url),
        isl: undefined,
        osl: undefined,
        rangeRatio: undefined,
        turns: undefined,
        dataset: file,
        api: "chat",
        concurrency: [1],
        numRequests: 4,
      });
      const sent = generations(server);
      // the conversation's system message leads every turn
      expect(sent.map((r) => messagesOf(r).map((m) => `${m.role}: ${m.content}`))).toEqual([
        ["system: x system prompt", "user: x one question here"],
        [
          "system: x system prompt",
          "user: x one question here",
          "assistant: reply-0",
          "user: x two question here",
        ],
        ["system: y system prompt", "user: y one question here"],
        [
          "system: y system prompt",
          "user: y one question here",
          "assistant: reply-2",
          "user: y two question here",
        ],
      ]);
      expect(sent.map((r) => r.body.max_tokens)).toEqual([5, 3, 5, 3]);
      // the means of the sessions' user turns and replies by the run's tokenizer
      const tok = builtinTokenizer();
      const users = ["x one question here", "x two question here"];
      const isl = ((await tok.count(users[0]!)) + (await tok.count(users[1]!))) / 2;
      expect(levels[0]!.point.config.workload).toMatchObject({
        kind: "session",
        dataset: file,
        turns: 2,
        isl: Math.round(isl),
        osl: 4,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it("sends a ShareGPT system message as the completions prompt's head and counts it against max_model_len", async () => {
    const dir = await mkdtemp(join(tmpdir(), "infermark-sessions-"));
    const file = join(dir, "conv.json");
    const [system, q1, q2] = ["answer in one word please", "first question", "second question"];
    const conversations = [
      { from: "system", value: system },
      { from: "human", value: q1 },
      { from: "gpt", value: "x" },
      { from: "human", value: q2 },
      { from: "gpt", value: "y" },
    ];
    await writeFile(file, JSON.stringify([{ conversations }]));
    const tok = builtinTokenizer();
    const [s, u1, u2] = await Promise.all([system, q1, q2].map((t) => tok.count(t)));
    // the second turn (system, q1, a 3-token reply, q2, 3 more) is one token over; without the system it fits
    server = await serve({ maxModelLen: s! + u1! + u2! + 6 - 1 });
    try {
      await runBench({
        ...base(server.url),
        isl: undefined,
        rangeRatio: undefined,
        turns: undefined,
        osl: 3,
        dataset: file,
        concurrency: [1],
        numRequests: 2,
      });
      // so each session is its first turn only, the system message first
      expect(generations(server).map((r) => r.body.prompt)).toEqual([
        `${system}\n${q1}`,
        `${system}\n${q1}`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("session workload", () => {
  it("builds the next session's script while one starts, so an arrival does not wait for it", async () => {
    const built: number[] = [];
    const w = sessionWorkload({
      info: { kind: "session", isl: 1, osl: 1 },
      script: async (index) => {
        built.push(index);
        return { turns: [{ user: `u${index}`, maxTokens: 1 }] };
      },
    });
    const first = await w.startSession!();
    expect(first.session).toBe("s0");
    await Promise.resolve();
    expect(built).toEqual([0, 1]);
    // session 1 takes the script built ahead: built once
    expect((await w.startSession!()).messages).toEqual([{ role: "user", content: "u1" }]);
    await Promise.resolve();
    expect(built).toEqual([0, 1, 2]);
  });

  it("a script that fails ahead of time fails that session's start, not the process", async () => {
    const w = sessionWorkload({
      info: { kind: "session", isl: 1, osl: 1 },
      script: async (index) => {
        if (index === 1) throw new Error("no script 1");
        return { turns: [{ user: "u", maxTokens: 1 }] };
      },
    });
    await w.startSession!();
    await new Promise((r) => setTimeout(r, 10));
    await expect(Promise.resolve(w.startSession!())).rejects.toThrow("no script 1");
  });
});

describe("multi-turn options", () => {
  const ok = { baseUrl: "http://h:1", model: "m", isl: 8, osl: 4, concurrency: [1] };
  it("refuses flags that do not apply", () => {
    expect(() => resolveBenchOptions({ ...ok, turns: 3 })).toThrow(
      "--turns applies to --workload multi-turn only, not random",
    );
    expect(() => resolveBenchOptions({ ...ok, thinkTimeMs: 5 })).toThrow(
      "--think-time applies to --workload multi-turn only, not random",
    );
    expect(() => resolveBenchOptions({ ...ok, workload: "multi-turn", tokenIds: true })).toThrow(
      "--token-ids: the multi-turn workload sends text",
    );
  });
  it("takes 5 turns by default, and a system prompt longer than --isl", () => {
    const o = resolveBenchOptions({ ...ok, workload: "multi-turn", prefixLength: 100 });
    expect([o.turns, o.thinkTimeMs, o.thinkTime, o.prefixLength]).toEqual([5, 0, "fixed", 100]);
  });
});
