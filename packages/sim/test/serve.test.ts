import { classifyEvent, runBench, SseParser } from "@infermark/bench";
import { describe, expect, it } from "vitest";
import { createSimServer, EngineSim, prometheusText, resolveSimConfig } from "../src/index.js";
import { serveDsr1 } from "./sim-server-fixture.js";

const sim = serveDsr1();

/** Splits an SSE body into its data payloads (a minimal parser, independent of the server). */
function dataPayloads(body: string): string[] {
  return body
    .split("\n\n")
    .filter((b) => b.length > 0)
    .map((b) => {
      expect(b.startsWith("data: ")).toBe(true);
      return b.slice("data: ".length);
    });
}

const post = (
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) =>
  fetch(`${sim.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal,
  });

describe("sim serve wire format", () => {
  it("streams completions as OpenAI chunks with a usage chunk, server stamps and [DONE]", async () => {
    // the server's stamps are this clock (ms since the epoch; the server runs in this process)
    const sent = performance.timeOrigin + performance.now();
    const res = await post(
      "/v1/completions",
      {
        model: "dsr1",
        prompt: "baba keko hello",
        max_tokens: 12,
        stream: true,
        stream_options: { include_usage: true },
      },
      { "x-infermark-server-timestamps": "1" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const payloads = dataPayloads(await res.text());
    expect(payloads.at(-1)).toBe("[DONE]");
    const chunks = payloads.slice(0, -1).map((p) => JSON.parse(p));
    const content = chunks.filter((c) => c.choices.length === 1 && c.choices[0].text !== "");
    const words = content
      .map((c) => c.choices[0].text as string)
      .join("")
      .trim()
      .split(" ");
    expect(words).toHaveLength(12);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("length");
    expect(chunks.at(-1)).toMatchObject({
      object: "text_completion",
      choices: [],
      usage: { prompt_tokens: 4, completion_tokens: 12, total_tokens: 16 },
    });
    const stamps = chunks.map((c) => c.infermark_server_t as number);
    expect(stamps.every((s) => typeof s === "number")).toBe(true);
    for (let i = 1; i < stamps.length; i++)
      expect(stamps[i]!).toBeGreaterThanOrEqual(stamps[i - 1]!);
    // tokens leave at their simulated times / speed, never before: the prefill and 11 decode steps (about 12 ms each,
    // at least 5) at speed 50 lie between the request and its last token. Measured from the request, not from the
    // first token: a loaded machine can send the first token late and the later ones on time, which shortened the
    // first-to-last span below the bound (0.80 ms in one CI run) without anything being early.
    const last = stamps[content.length - 1]!;
    expect(last - sent).toBeGreaterThan((11 * 5) / 50);
  });

  it("streams chat with a role chunk first, and the load generator's parser reads it", async () => {
    const res = await post("/v1/chat/completions", {
      model: "dsr1",
      messages: [{ role: "user", content: "kobe lumi" }],
      max_tokens: 5,
      stream: true,
      stream_options: { include_usage: true },
    });
    const parser = new SseParser();
    const payloads = [...parser.push(Buffer.from(await res.arrayBuffer())), ...parser.end()];
    const kinds = payloads.map((p) => classifyEvent(p).kind);
    expect(kinds[0]).toBe("role");
    expect(kinds.filter((k) => k === "content").length).toBeGreaterThanOrEqual(1);
    expect(kinds.at(-1)).toBe("done");
    const usage = payloads.map((p) => classifyEvent(p)).find((e) => e.kind === "usage");
    expect(usage?.usage).toMatchObject({ promptTokens: 2, completionTokens: 5 });
  });

  it("answers 400 for over-context, malformed JSON, n below 1 and a non-boolean stream, and keeps serving", async () => {
    const over = await post("/v1/completions", { prompt: "baba", max_tokens: 200000 });
    expect(over.status).toBe(400);
    expect((await over.json()).error.message).toMatch(/maximum context length is 163840 tokens/);
    const n0 = await post("/v1/completions", { prompt: "baba", max_tokens: 2, n: 0 });
    expect([n0.status, (await n0.json()).error.message]).toEqual([
      400,
      "n must be at least 1, got 0.",
    ]);
    const streamYes = await post("/v1/completions", {
      prompt: "baba",
      max_tokens: 2,
      stream: "yes",
    });
    expect(streamYes.status).toBe(400);
    expect((await streamYes.json()).error.message).toBe("stream must be a boolean");
    const bad = await post("/v1/completions", "{not json");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.type).toBe("BadRequestError");
    expect((await fetch(`${sim.base}/health`)).status).toBe(200);
  });

  it("reads a body that starts with a UTF-8 BOM, as vLLM does", async () => {
    // before, a 400: vLLM's FastAPI hands the body's bytes to Python's json.loads, which decodes a BOM'd body as
    // utf-8-sig
    const body = { model: "dsr1", prompt: "baba keko hello" };
    const plain = await post("/tokenize", body);
    const bom = await post("/tokenize", `\uFEFF${JSON.stringify(body)}`);
    expect([bom.status, await bom.json()]).toEqual([200, await plain.json()]);
  });

  it("answers a request for a model it does not serve with vLLM's 404", async () => {
    for (const path of ["/v1/completions", "/v1/chat/completions"]) {
      const wrong = await post(path, {
        model: "deepseek-ai/DeepSeek-R1",
        prompt: "baba",
        messages: [{ role: "user", content: "baba" }],
        max_tokens: 2,
      });
      expect(wrong.status).toBe(404);
      expect(await wrong.json()).toEqual({
        error: {
          message: "The model `deepseek-ai/DeepSeek-R1` does not exist.",
          type: "NotFoundError",
          param: "model",
          code: 404,
        },
      });
    }
    // a request that names no model is served by this one (the 400s above name none and get past this check)
  });

  it("stops tokenizing a prompt once it cannot fit, and answers 413 past the body limit", async () => {
    // 3,000,000 pieces outside the vocabulary, one token each: the server stops past the context
    const over = await post("/v1/completions", { prompt: "ab ".repeat(3_000_000), max_tokens: 1 });
    expect(over.status).toBe(400);
    expect((await over.json()).error.message).toMatch(
      /you requested at least 163842 tokens \(at least 163841 in the prompt, 1 in the completion\)/,
    );
    const huge = await post("/v1/completions", {
      prompt: "baba ".repeat(4_000_000),
      max_tokens: 1,
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.message).toBe("request body over 16 MiB");
    expect((await fetch(`${sim.base}/health`)).status).toBe(200);
  });

  it("reports the speed, the tokenizer, its version (vLLM's /version) and vLLM-style metrics", async () => {
    // no version given: the library says it is a development build
    expect(await (await fetch(`${sim.base}/version`)).json()).toEqual({ version: "dev" });
    const models = await (await fetch(`${sim.base}/v1/models`)).json();
    expect(models.data[0]).toMatchObject({
      id: "dsr1",
      speed: 50,
      max_model_len: 163840,
      tokenizer: "builtin",
    });
    const tok = await (await post("/tokenize", { prompt: "baba keko hello" })).json();
    expect(tok.count).toBe(4);
    const plain = await post("/v1/completions", { prompt: "baba", max_tokens: 3 });
    const json = await plain.json();
    expect(json.usage).toEqual({
      prompt_tokens: 1,
      completion_tokens: 3,
      total_tokens: 4,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    const metrics = await (await fetch(`${sim.base}/metrics`)).text();
    // 12 + 5 + 3 generated tokens so far
    expect(metrics).toContain('vllm:generation_tokens_total{model_name="dsr1"} 20');
    expect(metrics).toContain('vllm:num_requests_running{model_name="dsr1"} 0');
    expect(metrics).toContain("vllm:prefix_cache_hits_total");
    expect(metrics).toMatch(
      /vllm:request_success_total\{model_name="dsr1",finished_reason="length"\} [1-9]/,
    );
  });

  it("keeps the blocks of generated tokens cached, so a next chat turn finds its history", async () => {
    const counter = async (name: string) => {
      const text = await (await fetch(`${sim.base}/metrics`)).text();
      return Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, "m").exec(text)?.[1]);
    };
    // vocabulary words are one token each: a 200-token first turn that generates 100 tokens
    const user1 = Array.from({ length: 200 }, (_, i) => (i % 2 ? "keko" : "baba")).join(" ");
    const first = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: user1 }],
      max_tokens: 100,
    });
    const answer = (await first.json()).choices[0].message.content as string;
    const before = await counter("vllm:prefix_cache_hits_total");
    const second = await post("/v1/chat/completions", {
      messages: [
        { role: "user", content: user1 },
        { role: "assistant", content: answer },
        { role: "user", content: "baba ".repeat(100) },
      ],
      max_tokens: 1,
    });
    const usage = (await second.json()).usage;
    expect(usage.prompt_tokens).toBe(400);
    expect(usage.prompt_tokens_details).toEqual({ cached_tokens: 256 });
    // the 4 full 64-token blocks of the first turn's 300 tokens (prompt and answer); the prompt alone fills 3
    expect((await counter("vllm:prefix_cache_hits_total")) - before).toBe(256);
  });

  it("aborts a request whose client goes away, freeing its slot, and observes it in /metrics as vLLM V1 does", async () => {
    const gauge = async (name: string) => {
      const text = await (await fetch(`${sim.base}/metrics`)).text();
      return Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, "m").exec(text)?.[1]);
    };
    const success = async () => {
      const text = await (await fetch(`${sim.base}/metrics`)).text();
      return text.split("\n").filter((l) => l.startsWith("vllm:request_success_total{"));
    };
    const before = {
      success: await success(),
      prompt: await gauge("vllm:prompt_tokens_total"),
      generation: await gauge("vllm:generation_tokens_total"),
      ttft: await gauge("vllm:time_to_first_token_seconds_count"),
      e2e: await gauge("vllm:e2e_request_latency_seconds_count"),
      promptHist: await gauge("vllm:request_prompt_tokens_count"),
      n: await gauge("vllm:request_params_n_count"),
    };
    const abort = new AbortController();
    // 100,000 tokens would stream for minutes even at speed 50
    const res = await post(
      "/v1/completions",
      { prompt: "baba", max_tokens: 100_000, stream: true },
      {},
      abort.signal,
    );
    const reader = res.body!.getReader();
    await reader.read();
    expect(await gauge("vllm:num_requests_running")).toBe(1);
    abort.abort();
    let running = 1;
    for (let i = 0; i < 100 && running !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      running = await gauge("vllm:num_requests_running");
    }
    expect(running).toBe(0);
    // vLLM V1 (through 0.28, vllm-project/vllm#55634) never records an aborted request as finished: no
    // request_success_total of any reason (its abort series stays 0), none of the histograms observed at the finish;
    // its first token came out, so its TTFT and its prompt are counted (IterationStats.update_from_output), and the
    // tokens it generated
    expect(await success()).toEqual(before.success);
    expect(before.success).toContain(
      'vllm:request_success_total{model_name="dsr1",finished_reason="abort"} 0',
    );
    expect(await gauge("vllm:prompt_tokens_total")).toBe(before.prompt + 1);
    expect(await gauge("vllm:generation_tokens_total")).toBeGreaterThan(before.generation);
    expect({
      ttft: await gauge("vllm:time_to_first_token_seconds_count"),
      e2e: await gauge("vllm:e2e_request_latency_seconds_count"),
      promptHist: await gauge("vllm:request_prompt_tokens_count"),
      n: await gauge("vllm:request_params_n_count"),
    }).toEqual({
      ttft: before.ttft + 1,
      e2e: before.e2e,
      promptHist: before.promptHist,
      n: before.n,
    });
  });

  it("counts neither the prompt nor a TTFT of a request aborted before its first token, as vLLM V1", async () => {
    // at speed 1 the 8,000-token prefill takes about half a simulated second: the client leaves long before it ends
    const slow = createSimServer({ sim: { model: "dsr1", hardware: "h200", tp: 8 }, speed: 1 });
    const base = `http://127.0.0.1:${(await slow.listen(0)).port}`;
    try {
      const sample = async (name: string) => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, "m").exec(text)?.[1]);
      };
      const abort = new AbortController();
      const sent = fetch(`${base}/v1/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt: Array.from({ length: 8000 }, (_, i) => i), max_tokens: 4 }),
        signal: abort.signal,
      }).catch(() => undefined);
      let running = 0;
      for (let i = 0; i < 100 && running === 0; i++) {
        await new Promise((r) => setTimeout(r, 5));
        running = await sample("vllm:num_requests_running");
      }
      expect(running).toBe(1);
      abort.abort();
      await sent;
      for (let i = 0; i < 100 && running !== 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        running = await sample("vllm:num_requests_running");
      }
      expect({
        running,
        prompt: await sample("vllm:prompt_tokens_total"),
        ttft: await sample("vllm:time_to_first_token_seconds_count"),
        generation: await sample("vllm:generation_tokens_total"),
      }).toEqual({ running: 0, prompt: 0, ttft: 0, generation: 0 });
    } finally {
      await slow.close();
    }
  });

  it("refuses min_tokens and prompt token ids that vLLM refuses, and a chat of no tokens in vLLM's words", async () => {
    const error = async (path: string, body: unknown) => {
      const res = await post(path, body);
      return { status: res.status, error: (await res.json()).error };
    };
    // a pydantic int: "2.5" is no integer (where "2" reads as 2, served below)
    for (const min_tokens of [-3, 1.5, "2.5", 3])
      expect(
        await error("/v1/completions", { prompt: "baba", max_tokens: 2, min_tokens }),
      ).toMatchObject({
        status: 400,
        error: {
          param: "min_tokens",
          message: "min_tokens must be a whole number from 0 to max_tokens",
        },
      });
    expect(await error("/v1/completions", { prompt: [-1, 2.5], max_tokens: 2 })).toMatchObject({
      status: 400,
      error: { param: "prompt", message: "prompt token ids must be non-negative integers" },
    });
    expect(await error("/v1/chat/completions", { messages: [], max_tokens: 2 })).toMatchObject({
      status: 400,
      error: { param: "messages", message: "messages is empty: give at least one message" },
    });
    expect(
      await error("/v1/chat/completions", {
        messages: [{ role: "user", content: "" }],
        max_tokens: 2,
      }),
    ).toMatchObject({
      status: 400,
      error: { param: null, message: "The decoder prompt cannot be empty" },
    });
    for (const min_tokens of [2, "2", " 2 "]) {
      const ok = await post("/v1/completions", { prompt: [0, 7], max_tokens: 2, min_tokens });
      expect(ok.status).toBe(200);
      expect((await ok.json()).usage.completion_tokens).toBe(2);
    }
  });

  it("refuses an empty served model name, which no client can ask for", () => {
    expect(() =>
      createSimServer({ sim: { model: "dsr1", hardware: "h200", tp: 8 }, modelName: " " }),
    ).toThrow("the served model name is empty: give a name, or leave it out");
  });

  it("escapes the model name in /metrics labels as the Prometheus text format requires", () => {
    const counters = new EngineSim(resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 }))
      .counters;
    const text = prometheusText(
      'org\\my "model"\nv2',
      { running: 1, waiting: 0, kvUsage: 0 },
      counters,
    );
    expect(text).toContain(
      'vllm:num_requests_running{model_name="org\\\\my \\"model\\"\\nv2"} 1\n',
    );
  });

  it("refuses a layout whose weights do not fit instead of serving only 400s", () => {
    expect(() => createSimServer({ sim: { model: "dsr1", hardware: "h100", tp: 8 } })).toThrow(
      "dsr1 at fp8 on mixed workers of tp 8 x pp 1 h100: weights 84.1 GB + KV for 1 tokens 0.00 GB per GPU do not fit",
    );
  });
});

describe("sim serve /tokenize with chat messages (vLLM's chat form)", () => {
  const messages = [
    { role: "system", content: "baba" },
    { role: "user", content: "keko hello" },
  ];

  it("counts the messages as a chat request's usage does: contents joined, no chat template", async () => {
    const tok = await post("/tokenize", { model: "dsr1", messages, add_generation_prompt: true });
    expect(tok.status).toBe(200);
    // baba, keko: a token each; hello is not a vocabulary word: one per 4 bytes
    expect((await tok.json()).count).toBe(4);
    const chat = await post("/v1/chat/completions", { model: "dsr1", messages, max_tokens: 1 });
    expect((await chat.json()).usage.prompt_tokens).toBe(4);
  });

  it("refuses messages that are not a list, and a body that is not an object, with a 400 naming them", async () => {
    const bad = await post("/tokenize", { model: "dsr1", messages: "baba" });
    expect([bad.status, (await bad.json()).error]).toEqual([
      400,
      {
        message: "messages must be a list of messages",
        type: "BadRequestError",
        param: "messages",
        code: 400,
      },
    ]);
    const notObject = await post("/tokenize", "null");
    expect([notObject.status, (await notObject.json()).error.message]).toEqual([
      400,
      "malformed JSON body: not an object",
    ]);
  });

  it("lets infermark bench --tokenizer server count chat input tokens through it when the server gives no usage", async () => {
    const run = (extraBody?: Record<string, unknown>) =>
      runBench({
        baseUrl: sim.base,
        model: "dsr1",
        api: "chat",
        isl: 32,
        osl: 2,
        rangeRatio: 1,
        tokenizer: "server",
        concurrency: [1],
        numRequests: 2,
        warmup: 0,
        healthBounds: { eventLoopDelayP99Ms: 1e6, sendLagP99Ms: 1e6 },
        ...(extraBody ? { extraBody } : {}),
      });
    const counted = (await run({ stream_options: { include_usage: false } })).levels[0]!;
    expect(counted.point.extra?.chatTemplate).toBe("server");
    expect(counted.point.extra?.workloadWarnings).toBeUndefined();
    expect(counted.records.map((r) => [r.promptTokens, r.promptTokensSource])).toEqual([
      [32, "tokenizer"],
      [32, "tokenizer"],
    ]);
    // the same prompts with the server's usage: the same counts
    const used = (await run()).levels[0]!;
    expect(used.records.map((r) => [r.promptTokens, r.promptTokensSource])).toEqual([
      [32, "usage"],
      [32, "usage"],
    ]);
  });
});

describe("sim serve answers as vLLM's OpenAI server does", () => {
  /** The JSON chunks of a streamed response, [DONE] left out. */
  const chunksOf = async (res: Response) => {
    expect(res.status).toBe(200);
    const payloads = dataPayloads(await res.text());
    expect(payloads.at(-1)).toBe("[DONE]");
    return payloads.slice(0, -1).map((p) => JSON.parse(p));
  };
  const errorOf = async (res: Response) => [res.status, (await res.json()).error];

  it("sends finish_reason on the chunk of the last token, not on an empty chunk after it", async () => {
    const completion = await chunksOf(
      await post("/v1/completions", { prompt: "baba", max_tokens: 3, stream: true }),
    );
    expect(completion.map((c) => [c.choices[0].text !== "", c.choices[0].finish_reason])).toEqual([
      [true, null],
      [true, null],
      [true, "length"],
    ]);
    const chat = await chunksOf(
      await post("/v1/chat/completions", {
        messages: [{ role: "user", content: "baba" }],
        max_tokens: 2,
        stream: true,
      }),
    );
    expect(chat.map((c) => [c.choices[0].delta, c.choices[0].finish_reason])).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: expect.stringMatching(/^ \w+$/) }, null],
      [{ content: expect.stringMatching(/^ \w+$/) }, "length"],
    ]);
  });

  it("with stream_options.continuous_usage_stats, carries the usage so far in every chunk (it was ignored)", async () => {
    const chunks = await chunksOf(
      await post("/v1/chat/completions", {
        messages: [{ role: "user", content: "baba keko" }],
        max_tokens: 3,
        stream: true,
        stream_options: { include_usage: true, continuous_usage_stats: true },
      }),
    );
    expect(chunks.map((c) => [c.choices.length, c.usage])).toEqual([
      [1, { prompt_tokens: 2, completion_tokens: 0, total_tokens: 2 }],
      [1, { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 }],
      [1, { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 }],
      [1, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 }],
      [
        0,
        {
          prompt_tokens: 2,
          completion_tokens: 3,
          total_tokens: 5,
          prompt_tokens_details: { cached_tokens: 0 },
        },
      ],
    ]);
    // as in vLLM, only beside include_usage
    const alone = await chunksOf(
      await post("/v1/completions", {
        prompt: "baba",
        max_tokens: 2,
        stream: true,
        stream_options: { continuous_usage_stats: true },
      }),
    );
    expect(alone.map((c) => c.usage)).toEqual([undefined, undefined]);
  });

  it("refuses stream_options on a request that does not stream, and stream_options that are not an object", async () => {
    expect(
      await errorOf(
        await post("/v1/completions", {
          prompt: "baba",
          max_tokens: 2,
          stream_options: { include_usage: true },
        }),
      ),
    ).toEqual([
      400,
      {
        message: "Stream options can only be defined when `stream=True`.",
        type: "BadRequestError",
        param: "stream_options",
        code: 400,
      },
    ]);
    expect(
      await errorOf(
        await post("/v1/completions", {
          prompt: "baba",
          max_tokens: 2,
          stream: true,
          stream_options: "usage",
        }),
      ),
    ).toMatchObject([
      400,
      { param: "stream_options", message: "stream_options must be an object" },
    ]);
  });

  it("refuses a batch of prompts, which it joined into one prompt and answered with one choice", async () => {
    for (const prompt of [
      ["baba keko", "lumi"],
      [
        [1, 2],
        [3, 4],
      ],
    ])
      expect(await errorOf(await post("/v1/completions", { prompt, max_tokens: 2 }))).toMatchObject(
        [
          400,
          {
            param: "prompt",
            message:
              "a batch of 2 prompts: the simulator answers one prompt per request; send each as a request of its own",
          },
        ],
      );
    // a batch of one is that prompt
    for (const prompt of [["baba keko"], [[1, 2]]]) {
      const one = await post("/v1/completions", { prompt, max_tokens: 2 });
      expect([one.status, (await one.json()).usage.prompt_tokens]).toEqual([200, 2]);
    }
  });

  it("takes max_tokens as vLLM does: 16 by default for completions, max_completion_tokens first in chat", async () => {
    const plain = await post("/v1/completions", { prompt: "baba" });
    expect((await plain.json()).usage.completion_tokens).toBe(16);
    const chat = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "baba" }],
      max_tokens: 2,
      max_completion_tokens: 3,
    });
    expect((await chat.json()).usage.completion_tokens).toBe(3);
  });

  it("answers 405 for a route it has under another method, 404 for a route it has not", async () => {
    const get = await fetch(`${sim.base}/v1/completions`);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await errorOf(get)).toEqual([
      405,
      {
        message: "GET /v1/completions is not allowed: use POST",
        type: "Method Not Allowed",
        param: null,
        code: 405,
      },
    ]);
    expect(await errorOf(await post("/v1/models", {}))).toMatchObject([
      405,
      { message: "POST /v1/models is not allowed: use GET" },
    ]);
    expect(await errorOf(await fetch(`${sim.base}/v1/embeddings`))).toMatchObject([
      404,
      { message: "no route GET /v1/embeddings", type: "NotFoundError" },
    ]);
  });

  it("refuses /tokenize for a model it does not serve, and lists its model with a creation time", async () => {
    expect(await errorOf(await post("/tokenize", { model: "gpt-4", prompt: "baba" }))).toEqual([
      404,
      {
        message: "The model `gpt-4` does not exist.",
        type: "NotFoundError",
        param: "model",
        code: 404,
      },
    ]);
    const { data } = await (await fetch(`${sim.base}/v1/models`)).json();
    expect(data[0]).toMatchObject({ id: "dsr1", object: "model", parent: null });
    expect(Number.isInteger(data[0].created)).toBe(true);
    expect(Math.abs(data[0].created - Date.now() / 1000)).toBeLessThan(600);
  });
});
