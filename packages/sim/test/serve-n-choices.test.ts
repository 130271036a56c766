import { describe, expect, it } from "vitest";
import { serveDsr1, sseEvents } from "./sim-server-fixture.js";

const sim = serveDsr1();

const events = sseEvents;

/** A counter of the server's `/metrics`. */
const counter = async (name: string) => {
  const text = await (await fetch(`${sim.base}/metrics`)).text();
  return Number(new RegExp(`^${name}\\{model_name="dsr1"\\} (\\d+)`, "m").exec(text)?.[1]);
};

const words = (text: string) => text.trim().split(" ");

describe("sim serve answers n choices as vLLM does (it refused n > 1)", () => {
  it("gives n choices, each indexed, usage counting the prompt once and every choice's tokens", async () => {
    const res = await sim.post("/v1/completions", { prompt: "baba keko", max_tokens: 4, n: 3 });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2]);
    for (const c of body.choices) {
      expect(words(c.text)).toHaveLength(4);
      expect([c.finish_reason, c.stop_reason, c.logprobs]).toEqual(["length", null, null]);
    }
    // sampled (vLLM's default temperature is not 0): the choices differ
    expect(new Set(body.choices.map((c: { text: string }) => c.text)).size).toBe(3);
    expect(body.usage).toEqual({
      prompt_tokens: 2,
      completion_tokens: 12,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it("gives n equal choices under greedy sampling (temperature 0), as vLLM's argmax does", async () => {
    const body = await (
      await sim.post("/v1/chat/completions", {
        messages: [{ role: "user", content: "baba" }],
        max_tokens: 5,
        n: 2,
        temperature: 0,
      })
    ).json();
    const [a, b] = body.choices;
    expect([a.index, b.index]).toEqual([0, 1]);
    expect(words(a.message.content)).toHaveLength(5);
    expect(b.message).toEqual(a.message);
    expect(body.usage.completion_tokens).toBe(10);
  });

  it("streams each choice's chunks with its index, a chat role chunk per choice, and the summed usage last", async () => {
    const chunks = await events(
      await sim.post("/v1/chat/completions", {
        messages: [{ role: "user", content: "baba keko" }],
        max_tokens: 3,
        n: 3,
        stop: ["zzz"],
        stream: true,
        stream_options: { include_usage: true, continuous_usage_stats: true },
      }),
    );
    const choices = chunks.flatMap((c) => c.choices);
    // vLLM sends a role chunk for each choice before any text
    expect(choices.slice(0, 3)).toEqual(
      [0, 1, 2].map((index) => ({
        index,
        delta: { role: "assistant", content: "" },
        logprobs: null,
        finish_reason: null,
      })),
    );
    for (const index of [0, 1, 2]) {
      const own = choices.filter((c) => c.index === index).slice(1);
      expect(words(own.map((c) => c.delta.content).join(""))).toHaveLength(3);
      expect(own.at(-1)).toMatchObject({ finish_reason: "length", stop_reason: null });
      expect(own.slice(0, -1).every((c) => c.finish_reason === null)).toBe(true);
    }
    // continuous usage counts the chunk's own choice, as vLLM's does
    const last = chunks.filter((c) => c.choices.length > 0).at(-1);
    expect(last.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 2, completion_tokens: 9, total_tokens: 11 },
    });
  });

  it("prefills the prompt once and decodes n sequences, as vLLM's choices share the prompt's KV blocks", async () => {
    // 200 token ids: three full 64-token blocks that the other choices share, and 8 tokens each recomputes
    const prompt = Array.from({ length: 200 }, (_, i) => i + 1);
    const [prefilled, hits, generated] = [
      await counter("vllm:prompt_tokens_total"),
      await counter("vllm:prefix_cache_hits_total"),
      await counter("vllm:generation_tokens_total"),
    ];
    const res = await sim.post("/v1/completions", { prompt, max_tokens: 6, n: 4 });
    expect((await res.json()).usage).toMatchObject({ prompt_tokens: 200, completion_tokens: 24 });
    // vLLM's four child requests each count the whole prompt, and the other three find its full blocks cached
    expect(await counter("vllm:prompt_tokens_total")).toBe(prefilled + 4 * 200);
    expect(await counter("vllm:prefix_cache_hits_total")).toBe(hits + 3 * 192);
    expect(await counter("vllm:generation_tokens_total")).toBe(generated + 24);
  });

  it("refuses n below 1 and past vLLM's VLLM_MAX_N_SEQUENCES in vLLM's words", async () => {
    const refusal = async (n: unknown) => {
      const res = await sim.post("/v1/completions", { prompt: "baba", max_tokens: 1, n });
      return [res.status, (await res.json()).error];
    };
    expect(await refusal(0)).toEqual([
      400,
      { message: "n must be at least 1, got 0.", type: "BadRequestError", param: null, code: 400 },
    ]);
    expect(await refusal(16385)).toEqual([
      400,
      {
        message:
          "n must be at most 16384, got 16385. To increase this limit, set the VLLM_MAX_N_SEQUENCES environment variable.",
        type: "BadRequestError",
        param: null,
        code: 400,
      },
    ]);
    expect(await refusal(1.5)).toEqual([
      400,
      { message: "n must be an integer, got 1.5", type: "BadRequestError", param: "n", code: 400 },
    ]);
  });
});
