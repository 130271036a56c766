import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimServer, resolveSimConfig, type SimServer } from "../src/index.js";
import { simDetokenize } from "../src/serve/tokenizer.js";
import { serveDsr1 } from "./sim-server-fixture.js";

const sim = serveDsr1();

const sample = async (base: string, name: string) => {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = `${name}{model_name="dsr1"} `;
  return Number(
    text
      .split("\n")
      .find((l) => l.startsWith(line))
      ?.slice(line.length),
  );
};

describe("sim serve's truncate_prompt_tokens, as vLLM reads it", () => {
  it("keeps the last N prompt tokens: usage, the echoed prompt and the prefill the engine runs", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => 6100 + i);
    const before = await sample(sim.base, "vllm:prompt_tokens_total");
    const res = await sim.post("/v1/completions", {
      prompt: ids,
      max_tokens: 2,
      truncate_prompt_tokens: 4,
      echo: true,
    });
    const body = await res.json();
    expect(body.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
    expect(body.choices[0].text.startsWith(simDetokenize(ids.slice(-4)))).toBe(true);
    expect(body.choices[0].text.startsWith(simDetokenize(ids.slice(-5)))).toBe(false);
    // the engine prefilled the 4 tokens kept, not the 10 sent
    expect(await sample(sim.base, "vllm:prompt_tokens_total")).toBe(before + 4);
  });

  it("truncates a text prompt and a chat's messages from the left, and serves N past the prompt's length", async () => {
    const text = await sim.post("/v1/completions", {
      prompt: "baba keko hello",
      max_tokens: 1,
      truncate_prompt_tokens: 2,
      echo: true,
    });
    const body = await text.json();
    // "baba keko hello" is baba, keko, hell, o: the last two are "hello"
    expect(body.usage.prompt_tokens).toBe(2);
    expect(body.choices[0].text.startsWith("hello")).toBe(true);
    const chat = await sim.post("/v1/chat/completions", {
      messages: [{ role: "user", content: "baba keko lomu" }],
      max_tokens: 1,
      truncate_prompt_tokens: 1,
    });
    expect((await chat.json()).usage.prompt_tokens).toBe(1);
    const longer = await sim.post("/v1/completions", {
      prompt: "baba keko",
      max_tokens: 1,
      truncate_prompt_tokens: 50,
    });
    expect((await longer.json()).usage.prompt_tokens).toBe(2);
  });

  it("refuses a value that is no integer of at least -1, and 0 as vLLM's engine refuses an empty prompt", async () => {
    for (const value of [-2, 1.5, "x", [3]]) {
      const res = await sim.post("/v1/completions", {
        prompt: "baba",
        truncate_prompt_tokens: value,
      });
      expect([res.status, (await res.json()).error.param]).toEqual([400, "truncate_prompt_tokens"]);
    }
    const zero = await sim.post("/v1/completions", { prompt: "baba", truncate_prompt_tokens: 0 });
    expect([zero.status, (await zero.json()).error.message]).toEqual([
      400,
      "The decoder prompt cannot be empty",
    ]);
  });
});

describe("sim serve's truncate_prompt_tokens against a short context (--max-model-len 64)", () => {
  let server: SimServer;
  let base: string;
  beforeAll(async () => {
    const model = { ...resolveSimConfig({ model: "dsr1", hardware: "h200", tp: 8 }).model };
    server = createSimServer({
      sim: { model: { ...model, maxContext: 64 }, hardware: "h200", tp: 8 },
      speed: 50,
    });
    base = `http://127.0.0.1:${(await server.listen(0)).port}`;
  });
  afterAll(() => server.close());
  const post = (body: unknown) =>
    fetch(`${base}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const prompt = Array.from({ length: 100 }, (_, i) => i);

  it("serves a prompt longer than the context once truncated to fit, and -1 as the context less max_tokens", async () => {
    const fits = await post({ prompt, max_tokens: 10, truncate_prompt_tokens: 50 });
    expect([fits.status, (await fits.json()).usage.prompt_tokens]).toEqual([200, 50]);
    const all = await post({ prompt, max_tokens: 10, truncate_prompt_tokens: -1 });
    expect([all.status, (await all.json()).usage.prompt_tokens]).toEqual([200, 54]);
    const untruncated = await post({ prompt, max_tokens: 10 });
    expect(untruncated.status).toBe(400);
  });

  it("limits a chat that gives no max tokens by the whole context, as vLLM's chat (max tokens or 0)", async () => {
    const chat = (body: Record<string, unknown>) =>
      fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          messages: [{ role: "user", content: "baba ".repeat(100) }],
          ...body,
        }),
      });
    // 60 of the 64 tokens kept: the chat generates the 4 the context has left (vLLM: max_model_len - prompt)
    const kept = await chat({ truncate_prompt_tokens: 60 });
    expect([kept.status, (await kept.json()).usage]).toEqual([
      200,
      { prompt_tokens: 60, completion_tokens: 4, total_tokens: 64, prompt_tokens_details: null },
    ]);
    // -1 keeps the whole context, which leaves vLLM's derived max_tokens at 0: its SamplingParams refuse it
    const all = await chat({ truncate_prompt_tokens: -1 });
    expect([all.status, (await all.json()).error]).toEqual([
      400,
      {
        message: "max_tokens must be at least 1, got 0. (parameter=max_tokens, value=0)",
        type: "BadRequestError",
        param: "max_tokens",
        code: 400,
      },
    ]);
    // a max_completion_tokens given is the limit, named as vLLM names it
    const given = await chat({ truncate_prompt_tokens: 60, max_completion_tokens: 10 });
    expect((await given.json()).error.message).toBe(
      "truncate_prompt_tokens=60 cannot be greater than max_model_len - max_completion_tokens = 54. Please request a smaller truncation size. (parameter=truncate_prompt_tokens, value=60)",
    );
  });

  it("limits a completion by max_tokens' default of 16 when absent, and by the whole context when null", async () => {
    const absent = await post({ prompt, truncate_prompt_tokens: 50 });
    expect((await absent.json()).error.message).toBe(
      "truncate_prompt_tokens=50 cannot be greater than max_model_len - max_tokens = 48. Please request a smaller truncation size. (parameter=truncate_prompt_tokens, value=50)",
    );
    const defaulted = await post({ prompt, truncate_prompt_tokens: 48 });
    expect((await defaulted.json()).usage).toMatchObject({
      prompt_tokens: 48,
      completion_tokens: 16,
    });
    const none = await post({ prompt, max_tokens: null, truncate_prompt_tokens: 60 });
    expect((await none.json()).usage).toMatchObject({ prompt_tokens: 60, completion_tokens: 4 });
  });

  it("refuses more than the context less max_tokens in vLLM's words", async () => {
    const res = await post({ prompt, max_tokens: 10, truncate_prompt_tokens: 60 });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({
      message:
        "truncate_prompt_tokens=60 cannot be greater than max_model_len - max_tokens = 54. Please request a smaller truncation size. (parameter=truncate_prompt_tokens, value=60)",
      type: "BadRequestError",
      param: "truncate_prompt_tokens",
      code: 400,
    });
  });
});

describe("sim serve reads n and max_tokens as vLLM's pydantic int fields read them (lax mode)", () => {
  it("takes true as 1", async () => {
    const completion = await sim.post("/v1/completions", {
      prompt: "baba",
      n: true,
      max_tokens: true,
    });
    expect(completion.status).toBe(200);
    const body = await completion.json();
    expect([body.choices.length, body.usage.completion_tokens]).toEqual([1, 1]);
    const chat = await sim.post("/v1/chat/completions", {
      messages: [{ role: "user", content: "baba" }],
      max_completion_tokens: true,
    });
    expect((await chat.json()).usage.completion_tokens).toBe(1);
    const truncated = await sim.post("/v1/completions", {
      prompt: "baba keko",
      max_tokens: 1,
      truncate_prompt_tokens: true,
    });
    expect((await truncated.json()).usage.prompt_tokens).toBe(1);
  });

  it("takes an integer string as its integer, as pydantic's lax int does (whitespace, sign, underscores, .0)", async () => {
    const completion = await sim.post("/v1/completions", {
      prompt: "baba keko lomu",
      n: " 2 ",
      max_tokens: "+3",
      truncate_prompt_tokens: "2.0",
    });
    expect(completion.status).toBe(200);
    const body = await completion.json();
    expect([body.choices.length, body.usage]).toEqual([
      2,
      {
        prompt_tokens: 2,
        completion_tokens: 6,
        total_tokens: 8,
        prompt_tokens_details: expect.anything(),
      },
    ]);
    const chat = await sim.post("/v1/chat/completions", {
      messages: [{ role: "user", content: "baba" }],
      max_completion_tokens: "1_0",
    });
    expect((await chat.json()).usage.completion_tokens).toBe(10);
    // what pydantic refuses is named as before
    for (const [field, value] of [
      ["max_tokens", "2.5"],
      ["max_tokens", "1e3"],
      ["n", ""],
      ["n", "0x2"],
      ["truncate_prompt_tokens", "1__0"],
    ] as const) {
      const res = await sim.post("/v1/completions", { prompt: "baba", [field]: value });
      expect([field, res.status, (await res.json()).error.param]).toEqual([field, 400, field]);
    }
  });

  it("takes n: false as 0, which vLLM refuses in its words", async () => {
    const res = await sim.post("/v1/completions", { prompt: "baba", n: false });
    expect([res.status, (await res.json()).error.message]).toEqual([
      400,
      "n must be at least 1, got 0.",
    ]);
  });
});
