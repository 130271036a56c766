import { describe, expect, it } from "vitest";
import { serveDsr1, sseEvents } from "./sim-server-fixture.js";

const sim = serveDsr1();

const events = sseEvents;

interface CompletionLogprobs {
  text_offset: number[];
  token_logprobs: (number | null)[];
  tokens: string[];
  top_logprobs: (Record<string, number> | null)[];
}

/**
 * The invariants of a completions `logprobs` over `text` (from `offset`): its tokens make the text, each offset is
 * where its token starts, each top dict holds `top` entries (the token's own among them, the largest), and
 * every value is a log-probability (at most 0). Positions listed in `none` have no logprobs (a prompt's first).
 */
function expectCompletionLogprobs(
  lp: CompletionLogprobs,
  text: string,
  top: number,
  offset = 0,
  none: number[] = [],
) {
  expect(lp.tokens.join("")).toBe(text);
  let at = offset;
  lp.tokens.forEach((token, i) => {
    expect(lp.text_offset[i]).toBe(at);
    at += [...token].length;
    if (none.includes(i)) {
      expect([lp.token_logprobs[i], lp.top_logprobs[i]]).toEqual([null, null]);
      return;
    }
    const dict = lp.top_logprobs[i]!;
    const values = Object.values(dict);
    expect(Object.keys(dict)).toHaveLength(top);
    expect(dict[token]).toBe(lp.token_logprobs[i]);
    expect(Math.max(...values)).toBe(lp.token_logprobs[i]);
    expect(values.every((v) => v < 0)).toBe(true);
    expect(values.reduce((s, v) => s + Math.exp(v), 0)).toBeLessThan(1);
  });
}

describe("sim serve gives completions logprobs and echo as vLLM does (it refused them)", () => {
  it("gives each generated token's logprob, its top list and its text offset", async () => {
    const body = await (
      await sim.post("/v1/completions", { prompt: "baba", max_tokens: 5, logprobs: 3, n: 2 })
    ).json();
    for (const choice of body.choices) expectCompletionLogprobs(choice.logprobs, choice.text, 3);
    expect(body.choices[0].logprobs.tokens).toHaveLength(5);
    // logprobs 0: the sampled token alone, as vLLM always includes it
    const zero = await (
      await sim.post("/v1/completions", { prompt: "baba", max_tokens: 2, logprobs: 0 })
    ).json();
    expectCompletionLogprobs(zero.choices[0].logprobs, zero.choices[0].text, 1);
  });

  it("streams each chunk's logprobs, their offsets running on from the text sent before", async () => {
    const chunks = await events(
      await sim.post("/v1/completions", {
        prompt: "baba",
        max_tokens: 6,
        logprobs: 2,
        stream: true,
      }),
    );
    let text = "";
    for (const { choices } of chunks) {
      expectCompletionLogprobs(choices[0].logprobs, choices[0].text, 2, [...text].length);
      text += choices[0].text;
    }
    expect(text.trim().split(" ")).toHaveLength(6);
  });

  it("echoes the prompt before the text, its tokens' logprobs first, the first of them null", async () => {
    const prompt = "baba  keko hello";
    const body = await (
      await sim.post("/v1/completions", { prompt, max_tokens: 3, echo: true, logprobs: 2 })
    ).json();
    const [choice] = body.choices;
    expect(choice.text.startsWith(prompt)).toBe(true);
    expect(choice.text.slice(prompt.length).trim().split(" ")).toHaveLength(3);
    expectCompletionLogprobs(choice.logprobs, choice.text, 2, 0, [0]);
    expect(choice.logprobs.tokens.slice(0, 4)).toEqual(["baba", "  keko", " hell", "o"]);
    expect(body.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3 });
  });

  it("echoes the prompt alone with max_tokens 0, counting the one token vLLM's engine generates", async () => {
    const ask = () =>
      sim.post("/v1/completions", { prompt: [5, 9, 7], max_tokens: 0, echo: true, logprobs: 1 });
    const body = await (await ask()).json();
    const [choice] = body.choices;
    // token ids come back as their text, as /detokenize gives it
    const detok = await (await sim.post("/detokenize", { tokens: [5, 9, 7] })).json();
    expect([choice.text, choice.finish_reason]).toEqual([detok.prompt, "length"]);
    expectCompletionLogprobs(choice.logprobs, choice.text, 1, 0, [0]);
    expect(body.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 1 });
    // the same prompt gets the same logprobs again: they are reproducible
    expect((await (await ask()).json()).choices[0].logprobs).toEqual(choice.logprobs);
  });

  it("streams an echo's prompt in each choice's first chunk", async () => {
    const chunks = await events(
      await sim.post("/v1/completions", {
        prompt: "baba keko",
        max_tokens: 2,
        echo: true,
        n: 2,
        stream: true,
      }),
    );
    for (const index of [0, 1]) {
      const own = chunks.flatMap((c) => c.choices).filter((c) => c.index === index);
      expect(own[0].text.startsWith("baba keko ")).toBe(true);
      expect(
        own
          .map((c) => c.text)
          .join("")
          .split(" "),
      ).toHaveLength(4);
    }
  });
});

describe("sim serve gives chat logprobs as vLLM does (it refused them)", () => {
  const ask = (fields: Record<string, unknown>) =>
    sim.post("/v1/chat/completions", {
      messages: [{ role: "user", content: "baba" }],
      max_tokens: 4,
      logprobs: true,
      ...fields,
    });

  /** Chat logprobs' invariants: tokens make the content, top lists of `top`, the token first and largest. */
  function expectChatLogprobs(
    content: { token: string; logprob: number; bytes: number[]; top_logprobs: unknown[] }[],
    text: string,
    top: number,
  ) {
    expect(content.map((c) => c.token).join("")).toBe(text);
    for (const c of content) {
      expect(c.bytes).toEqual([...Buffer.from(c.token, "utf8")]);
      expect(c.logprob).toBeLessThan(0);
      const list = c.top_logprobs as { token: string; logprob: number; bytes: number[] }[];
      expect(list).toHaveLength(top);
      if (top === 0) continue;
      expect(list[0]).toEqual({ token: c.token, logprob: c.logprob, bytes: c.bytes });
      const values = list.map((t) => t.logprob);
      expect(values).toEqual([...values].sort((a, b) => b - a));
    }
  }

  it("gives content logprobs with top_logprobs, and empty top lists without them", async () => {
    const body = await (await ask({ top_logprobs: 3 })).json();
    const [choice] = body.choices;
    expect(choice.logprobs.content).toHaveLength(4);
    expectChatLogprobs(choice.logprobs.content, choice.message.content, 3);
    const bare = (await (await ask({})).json()).choices[0];
    expectChatLogprobs(bare.logprobs.content, bare.message.content, 0);
  });

  it("streams each chunk's content logprobs, the role chunk's null", async () => {
    const chunks = await events(await ask({ top_logprobs: 2, stream: true }));
    const [role, ...rest] = chunks.flatMap((c) => c.choices);
    expect(role.logprobs).toBeNull();
    for (const c of rest) expectChatLogprobs(c.logprobs.content, c.delta.content, 2);
    expect(rest.flatMap((c) => c.logprobs.content)).toHaveLength(4);
  });
});

describe("sim serve refuses logprobs and prompts as vLLM refuses them", () => {
  const refusal = async (path: string, body: Record<string, unknown>) => {
    const res = await sim.post(path, { max_tokens: 2, ...body });
    const { message, param } = (await res.json()).error;
    return [res.status, message, param];
  };
  const chat = { messages: [{ role: "user", content: "baba" }] };

  it("refuses more than 20 top tokens, top_logprobs without logprobs, and negative counts", async () => {
    expect(await refusal("/v1/completions", { prompt: "baba", logprobs: 21 })).toEqual([
      400,
      "Requested sample logprobs of 21, which is greater than max allowed: 20 (parameter=logprobs, value=21)",
      "logprobs",
    ]);
    expect(
      await refusal("/v1/chat/completions", { ...chat, logprobs: true, top_logprobs: 21 }),
    ).toEqual([
      400,
      "Requested sample logprobs of 21, which is greater than max allowed: 20 (parameter=logprobs, value=21)",
      "logprobs",
    ]);
    expect(await refusal("/v1/chat/completions", { ...chat, top_logprobs: 2 })).toEqual([
      400,
      "when using `top_logprobs`, `logprobs` must be set to true. (parameter=top_logprobs)",
      "top_logprobs",
    ]);
    expect(await refusal("/v1/completions", { prompt: "baba", logprobs: -2 })).toEqual([
      400,
      "`logprobs` must be a positive value or -1. (parameter=logprobs, value=-2)",
      "logprobs",
    ]);
  });

  it("refuses an empty prompt and a prompt of no tokens in vLLM's words", async () => {
    expect(await refusal("/v1/completions", { prompt: "" })).toEqual([
      400,
      "Either prompt or prompt_embeds must be provided and non-empty. (parameter=prompt)",
      "prompt",
    ]);
    expect(await refusal("/v1/completions", { prompt: [] })).toEqual([
      400,
      "The decoder prompt cannot be empty",
      null,
    ]);
  });
});
