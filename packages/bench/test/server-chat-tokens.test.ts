import { afterEach, describe, expect, it } from "vitest";
import { type BenchOptions, runBench, TokenizerError } from "../src/index.js";
import {
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
  twoEventChat,
} from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A chat server with no usage (the model "usage" adds a usage-only last event) and the given /tokenize. */
async function chatServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  server = await startScriptedServer(twoEventChat, options);
  return server;
}

const chatRun = (s: ScriptedServer, extra: Partial<BenchOptions> = {}) =>
  runBench({
    baseUrl: s.url,
    model: "m",
    api: "chat",
    isl: 8,
    osl: 2,
    rangeRatio: 1,
    tokenizer: "server",
    concurrency: [1],
    numRequests: 2,
    warmup: 0,
    healthBounds: RELAXED,
    ...extra,
  });

/** The /tokenize requests that carried chat messages. */
const chatTokenized = (s: ScriptedServer) => s.tokenized.filter((r) => r.body.messages);

describe("chat input tokens with --tokenizer server (METRICS.md: with chat template when chat is used)", () => {
  it("counts each request's messages with the server's template after the level, probed once before anything is sent", async () => {
    const s = await chatServer({ messages: "count" });
    const { levels } = await chatRun(s);
    const { point, records } = levels[0]!;
    // 8 prompt words + 3 for the user turn + 2 for the generation prompt, by the server's count
    expect(records.map((r) => [r.promptTokens, r.promptTokensSource])).toEqual([
      [13, "tokenizer"],
      [13, "tokenizer"],
    ]);
    expect(point.metrics.inputTokens).toBe(26);
    expect(point.extra?.chatTemplate).toBe("server");
    expect(point.extra?.workloadWarnings).toBeUndefined();
    // the workload's lengths stay those of the prompt text it fitted to the ISL
    expect(point.config.workload.achievedIsl?.mean).toBe(8);
    const [probe, ...counted] = chatTokenized(s);
    expect(probe!.body).toEqual({
      model: "m",
      messages: [
        { role: "user", content: "infermark checks that this server answers before it measures." },
      ],
      add_generation_prompt: true,
      add_special_tokens: false,
    });
    // the probe precedes the first request; the counting follows the level's last request
    const chats = s.received.filter((r) => r.path.endsWith("/chat/completions"));
    expect(chats).toHaveLength(2);
    expect(probe!.t).toBeLessThan(chats[0]!.t);
    expect(counted.map((r) => r.body.messages)).toEqual(chats.map((r) => r.body.messages));
    for (const r of counted) expect(r.t).toBeGreaterThan(chats.at(-1)!.t);
  });

  it("falls back to the prompt text, with one warning, when the server's /tokenize refuses messages (HTTP 400)", async () => {
    const s = await chatServer({ messages: 400 });
    const { levels } = await chatRun(s);
    const { point, records } = levels[0]!;
    expect(records.map((r) => [r.promptTokens, r.promptTokensSource])).toEqual([
      [8, "tokenizer"],
      [8, "tokenizer"],
    ]);
    expect(point.extra?.chatTemplate).toBe("none");
    expect(point.extra?.workloadWarnings).toEqual([
      `--tokenizer server: ${s.url}/tokenize refused chat messages (HTTP 400: prompt: Field required); the input tokens of 2 request(s) without usage count the prompt text alone, without the chat template`,
    ]);
    // asked once, at the start, never per request
    expect(chatTokenized(s)).toHaveLength(1);
    // with the server's usage, no count came from the prompt text: nothing to warn about
    const withUsage = await chatRun(s, { model: "usage" });
    expect(withUsage.levels[0]!.point.extra?.chatTemplate).toBe("none");
    expect(withUsage.levels[0]!.point.extra?.workloadWarnings).toBeUndefined();
  });

  it("a refusal that echoes the API key where its message is cut to 200 characters keeps no part of it", async () => {
    // the key starts at character 192 of the message: cut first and redacted after, "sk-secr" leaked
    const s = await chatServer({
      messages: 400,
      refusalMessage: (r) => `${"y".repeat(185)}${r.headers.authorization} is not allowed`,
    });
    const { levels } = await chatRun(s, { apiKey: "sk-secret-123" });
    // redacted, then cut to 199 characters and an ellipsis
    expect(levels[0]!.point.extra?.workloadWarnings).toEqual([
      `--tokenizer server: ${s.url}/tokenize refused chat messages (HTTP 400: ${"y".repeat(185)}Bearer *** is …); the input tokens of 2 request(s) without usage count the prompt text alone, without the chat template`,
    ]);
  });

  it("stops with one line before anything is sent when the probe fails otherwise (HTTP 500)", async () => {
    const s = await chatServer({ messages: 500 });
    const error = await chatRun(s).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenizerError);
    expect((error as Error).message).toBe(
      `--tokenizer server: ${s.url}/tokenize answered HTTP 500; use --tokenizer builtin or a tokenizer.json`,
    );
    expect(s.received).toEqual([]);
    // completions never ask for chat counting
    const { levels } = await chatRun(s, { api: "completions" });
    expect(levels[0]!.point.metrics.completed).toBe(2);
    expect(chatTokenized(s)).toHaveLength(1);
  });
});
