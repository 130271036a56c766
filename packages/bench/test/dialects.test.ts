import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHttpClient,
  type SendOutcome,
  TRANSPORT_KINDS,
  type TransportKind,
} from "../src/index.js";
import { type Script, type ScriptedServer, sse, startScriptedServer } from "./scripted-server.js";

const scripts = new Map<string, Script>();
let server: ScriptedServer;
const clients = { native: createHttpClient("native"), undici: createHttpClient("undici") };
/** The transport of the describe block running now (blocks of a file run one after another). */
let transport: TransportKind = "native";

beforeAll(async () => {
  server = await startScriptedServer((r) => scripts.get(String(r.body.model))!);
});
afterAll(async () => {
  await Promise.all(Object.values(clients).map((c) => c.close()));
  await server.close();
});

async function run(name: string, script: Script, stream = true): Promise<SendOutcome> {
  scripts.set(name, script);
  const { outcome } = clients[transport].send({
    origin: server.url,
    path: "/v1/chat/completions",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: name }),
    stream,
    timeoutMs: 5000,
    secrets: [],
  });
  return outcome;
}

const chat = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  sse({ choices: [{ index: 0, delta, finish_reason: null }], ...extra });
const usage = (p: number, c: number) => ({ usage: { prompt_tokens: p, completion_tokens: c } });

describe.each(TRANSPORT_KINDS)("SSE dialects (%s transport)", (kind) => {
  beforeAll(() => {
    transport = kind;
  });

  it("vLLM chat: role-only first delta, reasoning then content, continuous usage, usage-only last event", async () => {
    const o = await run("vllm", {
      writes: [
        chat({ role: "assistant", content: "" }, usage(12, 0)) +
          chat({ reasoning_content: "think" }, usage(12, 1)),
        20,
        chat({ content: "Hi" }, usage(12, 2)),
        20,
        sse({
          choices: [{ index: 0, delta: { content: " there" }, finish_reason: "length" }],
          ...usage(12, 3),
        }),
        sse({ choices: [], ...usage(12, 3) }),
        sse("[DONE]"),
      ],
    });
    expect(o.failure).toBeUndefined();
    expect(o.events.map((e) => e.kind)).toEqual([
      "role",
      "reasoning",
      "content",
      "content",
      "usage",
      "done",
    ]);
    expect(o.events.map((e) => e.tokens)).toEqual([undefined, 1, 1, 1, undefined, undefined]);
    expect(o.text).toBe("thinkHi there");
    expect(o.usage).toEqual({ promptTokens: 12, completionTokens: 3 });
    // stamps never go backwards; exact per-read sharing is tested on the recorder itself
    for (let i = 1; i < o.events.length; i++) {
      expect(o.events[i]!.t).toBeGreaterThanOrEqual(o.events[i - 1]!.t);
    }
    expect(o.events[1]!.t).toBeGreaterThan(o.tSend);
    expect(o.tEnd).toBeGreaterThanOrEqual(o.events.at(-1)!.t);
  });

  it("SGLang: several tokens per event from continuous usage", async () => {
    const o = await run("sglang", {
      writes: [
        chat({ role: "assistant" }, usage(5, 0)),
        chat({ content: "abc" }, usage(5, 3)),
        chat({ content: "de" }, usage(5, 5)),
        sse({ choices: [{ index: 0, delta: {}, finish_reason: "length" }], ...usage(5, 5) }),
        sse("[DONE]"),
      ],
    });
    expect(o.events.map((e) => [e.kind, e.tokens])).toEqual([
      ["role", undefined],
      ["content", 3],
      ["content", 2],
      ["empty", undefined],
      ["done", undefined],
    ]);
  });

  it("TensorRT-LLM / Dynamo: usage only in the last chunk, tokens per event unknown", async () => {
    const o = await run("trtllm", {
      writes: [
        chat({ role: "assistant" }),
        chat({ content: "a" }),
        chat({ content: "b" }),
        sse({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
        sse({
          choices: [],
          usage: {
            prompt_tokens: 9,
            completion_tokens: 2,
            prompt_tokens_details: { cached_tokens: 8 },
          },
        }),
        sse("[DONE]"),
      ],
    });
    expect(o.events.map((e) => e.kind)).toEqual([
      "role",
      "content",
      "content",
      "empty",
      "usage",
      "done",
    ]);
    expect(o.events.every((e) => e.tokens === undefined)).toBe(true);
    expect(o.usage).toEqual({ promptTokens: 9, completionTokens: 2, cachedTokens: 8 });
  });

  it("TensorRT-LLM with continuous usage: role chunk first, several tokens per event (MTP), a space before the blank line", async () => {
    // trtllm-serve writes its first chunk as `data: {...} \n\n` (tensorrt_llm/serve/postprocess_handlers.py)
    const line = (obj: unknown) => `data: ${JSON.stringify(obj)} \n\n`;
    const o = await run("trtllm-mtp", {
      writes: [
        line({ choices: [{ index: 0, delta: { role: "assistant" } }], ...usage(9, 0) }),
        20,
        chat({ content: "a", reasoning_content: "" }, usage(9, 1)),
        20,
        chat({ content: "bcd", reasoning_content: "" }, usage(9, 4)),
        sse({
          choices: [{ index: 0, delta: { content: "" }, finish_reason: "length" }],
          ...usage(9, 4),
        }),
        sse({ choices: [], ...usage(9, 4) }),
        sse("[DONE]"),
      ],
    });
    expect(o.failure).toBeUndefined();
    expect(o.events.map((e) => [e.kind, e.tokens])).toEqual([
      ["role", undefined],
      ["content", 1],
      ["content", 3],
      ["empty", undefined],
      ["usage", undefined],
      ["done", undefined],
    ]);
    expect(o.usage).toEqual({ promptTokens: 9, completionTokens: 4 });
  });

  it("Ollama completions with include_usage: the zero usage of every chunk counts no token, the last one counts", async () => {
    // middleware/openai.go (Ollama 0.5.2 on) sets `usage` to zeros on each text chunk, then sends the real one alone
    const zero = { usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } };
    const o = await run("ollama-completions", {
      writes: [
        sse({ choices: [{ text: "Hel", index: 0, finish_reason: null }], ...zero }),
        sse({ choices: [{ text: "lo", index: 0, finish_reason: null }], ...zero }),
        sse({ choices: [{ text: "", index: 0, finish_reason: "length" }], ...zero }),
        sse({ choices: [], ...usage(6, 2) }),
        sse("[DONE]"),
      ],
    });
    expect(o.failure).toBeUndefined();
    expect(o.events.map((e) => [e.kind, e.tokens])).toEqual([
      ["content", undefined],
      ["content", undefined],
      ["empty", undefined],
      ["usage", undefined],
      ["done", undefined],
    ]);
    expect(o.usage).toEqual({ promptTokens: 6, completionTokens: 2 });
  });

  it("Mistral's hosted reasoning models: delta.content as lists of thinking and text parts", async () => {
    const thinking = (text: string) => [{ type: "thinking", thinking: [{ type: "text", text }] }];
    const o = await run("mistral", {
      writes: [
        chat({ role: "assistant", content: "" }),
        chat({ content: thinking("Let me") }),
        chat({ content: thinking(" see.") }),
        chat({ content: [{ type: "text", text: "Yes" }] }),
        sse({
          choices: [{ index: 0, delta: { content: "" }, finish_reason: "stop" }],
          ...usage(5, 4),
        }),
        sse("[DONE]"),
      ],
    });
    expect(o.failure).toBeUndefined();
    expect(o.events.map((e) => e.kind)).toEqual([
      "role",
      "reasoning",
      "reasoning",
      "content",
      "empty",
      "done",
    ]);
    expect(o.text).toBe("Let me see.Yes");
  });

  it("llama.cpp completions: usage in the finishing chunk, CRLF line ends", async () => {
    const o = await run("llamacpp", {
      writes: [
        'data: {"choices":[{"text":"x","index":0}]}\r\n\r\n',
        'data: {"choices":[{"text":"","index":0,"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}\r\n\r\n',
        "data: [DONE]\r\n\r\n",
      ],
    });
    expect(o.events.map((e) => e.kind)).toEqual(["content", "empty", "done"]);
    expect(o.usage.completionTokens).toBe(1);
  });

  it("Ollama: `reasoning` deltas, no role-only delta, tool-call arguments", async () => {
    const o = await run("ollama", {
      writes: [
        chat({ role: "assistant", reasoning: "hmm" }),
        chat({
          role: "assistant",
          tool_calls: [{ index: 0, function: { name: "f", arguments: '{"q":1}' } }],
        }),
        sse({
          choices: [
            { index: 0, delta: { role: "assistant", content: "" }, finish_reason: "tool_calls" },
          ],
        }),
        sse("[DONE]"),
      ],
    });
    expect(o.events.map((e) => e.kind)).toEqual(["reasoning", "tool_call", "role", "done"]);
    expect(o.text).toBe('hmm{"q":1}');
  });

  it("non-streaming fallback: one content event at the body's last read, usage counted", async () => {
    const o = await run(
      "openai",
      {
        contentType: "application/json",
        writes: [
          JSON.stringify({
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: "hello" },
                finish_reason: "length",
              },
            ],
            usage: { prompt_tokens: 4, completion_tokens: 2 },
          }),
        ],
      },
      false,
    );
    expect(o.failure).toBeUndefined();
    expect(o.events).toHaveLength(1);
    expect(o.events[0]!.kind).toBe("content");
    expect(o.events[0]!.tokens).toBe(2);
    expect(o.text).toBe("hello");
  });

  it("Dynamo: `event: error` with its message as a comment, then [DONE], fails the request as server_error", async () => {
    // ai-dynamo/dynamo lib/llm/src/http/service/disconnect.rs `monitor_for_disconnects`: a failed chunk becomes
    // `Event::default().event("error").comment(message)` and the stream goes on to `data: [DONE]`
    const o = await run("dynamo-error", {
      writes: [
        chat({ role: "assistant", content: "" }),
        chat({ content: "a" }),
        ": keep-alive\n\n",
        "event: error\n: worker lost: decode worker 3 stopped answering\n\n",
        sse("[DONE]"),
      ],
    });
    expect(o.failure).toEqual({
      category: "server_error",
      message: "error in stream: worker lost: decode worker 3 stopped answering",
    });
    expect(o.events.map((e) => e.kind)).toEqual(["role", "content", "error"]);
  });

  it("llama.cpp before late 2025: an `error:` line then [DONE] fails the request as server_error with its message", async () => {
    // ggml-org/llama.cpp tools/server/server.cpp (older builds): `server_sent_event(sink, "error", error_data)`
    // writes `error: {...}`, then the OpenAI-compatible stream still ends with `data: [DONE]`
    const error = {
      code: 500,
      message: "the request exceeds the available context size, try increasing it",
      type: "server_error",
    };
    const o = await run("llamacpp-error", {
      writes: [
        'data: {"choices":[{"text":"x","index":0}]}\n\n',
        `error: ${JSON.stringify(error)}\n\n`,
        "data: [DONE]\n\n",
      ],
    });
    expect(o.failure).toEqual({
      category: "server_error",
      message: `error in stream: ${error.message}`,
    });
    expect(o.events.map((e) => e.kind)).toEqual(["content", "error"]);
  });

  it("an error object mid-stream fails the request as server_error with its message", async () => {
    const o = await run("err", {
      writes: [
        chat({ content: "a" }),
        sse({ error: { message: "KV cache exhausted", code: 500 } }),
        chat({ content: "b" }),
      ],
    });
    expect(o.failure).toEqual({
      category: "server_error",
      message: "error in stream: KV cache exhausted",
    });
    expect(o.events.map((e) => e.kind)).toEqual(["content", "error"]);
  });
});
