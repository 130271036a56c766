import { describe, expect, it } from "vitest";
import { serveDsr1 } from "./sim-server-fixture.js";

const sim = serveDsr1();

const post = sim.post;

/** A response's status and error, or for a 200 the completion tokens it gave. */
const answer = async (res: Response) => {
  const body = await res.json();
  return res.status === 200 ? [200, body.usage.completion_tokens] : [res.status, body.error];
};

const bad = (message: string, param: string | null) => ({
  message,
  type: "BadRequestError",
  param,
  code: 400,
});

const completion = (fields: Record<string, unknown>) =>
  post("/v1/completions", { prompt: "baba keko", max_tokens: 2, ...fields });
const chat = (fields: Record<string, unknown>) =>
  post("/v1/chat/completions", {
    messages: [{ role: "user", content: "baba keko" }],
    max_tokens: 2,
    ...fields,
  });

describe("sim serve refuses sampling token ids outside DeepSeek-R1's 129,280-token vocabulary, as vLLM does", () => {
  it("refuses allowed_token_ids past the vocabulary, negative or empty, in vLLM's words, on both routes", async () => {
    // before, each was served: a client built its id list from another model's tokenizer and never knew
    for (const send of [completion, chat]) {
      expect(await answer(await send({ allowed_token_ids: [5, 129280, -1] }))).toEqual([
        400,
        bad(
          "allowed_token_ids contains out-of-vocab token id! (parameter=allowed_token_ids, value=[129280, -1])",
          "allowed_token_ids",
        ),
      ]);
      expect(await answer(await send({ allowed_token_ids: [] }))).toEqual([
        400,
        bad(
          "allowed_token_ids is not None and empty! (parameter=allowed_token_ids, value=[])",
          "allowed_token_ids",
        ),
      ]);
      expect(await answer(await send({ allowed_token_ids: [0, 129279] }))).toEqual([200, 2]);
    }
  });

  it("refuses logit_bias keys past the vocabulary or not integers, and serves biases of any size, which vLLM clamps", async () => {
    for (const send of [completion, chat]) {
      expect(await answer(await send({ logit_bias: { "7": 5, "129280": -100, "-3": 1 } }))).toEqual(
        [
          400,
          bad(
            "token_id(s) [129280, -3] in logit_bias contain out-of-vocab token ids. Vocabulary size: 129280 (parameter=logit_bias, value=[129280, -3])",
            "logit_bias",
          ),
        ],
      );
      expect(await answer(await send({ logit_bias: { "50256": 1, "it's": 1, "1.5": 2 } }))).toEqual(
        [
          400,
          bad(
            `logit_bias contains key(s) that cannot be converted to integer token IDs: ["it's", '1.5'] (parameter=logit_bias, value=["it's", '1.5'])`,
            "logit_bias",
          ),
        ],
      );
      // Python's int() reads " 12 " and "1_0"; a bias past +-100 is clamped, not refused
      expect(
        await answer(await send({ logit_bias: { " 12 ": 500, "1_0": -500, "129279": 0 } })),
      ).toEqual([200, 2]);
    }
    expect(await answer(await completion({ logit_bias: { "5": "up" } }))).toEqual([
      400,
      bad('logit_bias must be an object of token ids to numbers, got {"5":"up"}', "logit_bias"),
    ]);
  });

  it("refuses stop_token_ids past the vocabulary or negative in vLLM's words, each id once", async () => {
    // before, served (negative ids got the simulator's own words)
    expect(await answer(await completion({ stop_token_ids: [129281, 1, 129281, -2] }))).toEqual([
      400,
      bad(
        "token_id(s) [129281, -2] in stop_token_ids contain out-of-vocab token ids. Vocabulary size: 129280 (parameter=stop_token_ids, value=[129281, -2])",
        "stop_token_ids",
      ),
    ]);
    expect(await answer(await completion({ stop_token_ids: [1, 2.5] }))).toEqual([
      400,
      bad("stop_token_ids must be a list of integers, got [1,2.5]", "stop_token_ids"),
    ]);
  });

  it("checks the fields' ids once the prompt fits the context, as vLLM's engine does, and before the prompt's", async () => {
    const tooLong = await answer(
      await post("/v1/completions", {
        prompt: [1, 2],
        max_tokens: 163_840,
        allowed_token_ids: [200_000],
      }),
    );
    expect(tooLong[1].message).toMatch(/^This model's maximum context length is 163840 tokens/);
    expect(
      await answer(
        await post("/v1/completions", { prompt: [200_000], max_tokens: 2, allowed_token_ids: [] }),
      ),
    ).toEqual([
      400,
      bad(
        "allowed_token_ids is not None and empty! (parameter=allowed_token_ids, value=[])",
        "allowed_token_ids",
      ),
    ]);
  });
});

describe("sim serve refuses sampling values vLLM's SamplingParams refuses, in its words", () => {
  it("refuses a temperature over 2 (it was served), and a negative one, naming temperature", async () => {
    expect(await answer(await chat({ temperature: 3 }))).toEqual([
      400,
      bad(
        "temperature must be in [0, 2], got 3.0. (parameter=temperature, value=3.0)",
        "temperature",
      ),
    ]);
    expect(await answer(await completion({ temperature: -0.5 }))).toEqual([
      400,
      bad(
        "temperature must be non-negative, got -0.5. (parameter=temperature, value=-0.5)",
        "temperature",
      ),
    ]);
    expect(await answer(await completion({ temperature: 2 }))).toEqual([200, 2]);
  });

  it("refuses top_k below -1 and the other ranges with vLLM's messages, and takes top_k past the vocabulary, which vLLM clamps", async () => {
    const cases: [Record<string, unknown>, string, string | null][] = [
      [{ top_k: -2 }, "top_k must be 0 (disable), or at least 1, got -2.", null],
      [{ top_p: 0 }, "top_p must be in (0, 1], got 0.0. (parameter=top_p, value=0.0)", "top_p"],
      [{ min_p: 1.5 }, "min_p must be in [0, 1], got 1.5.", null],
      [{ presence_penalty: 3 }, "presence_penalty must be in [-2, 2], got 3.0.", null],
      [{ frequency_penalty: -2.5 }, "frequency_penalty must be in [-2, 2], got -2.5.", null],
      [{ repetition_penalty: 0 }, "repetition_penalty must be greater than zero, got 0.0.", null],
      [{ stop: ["\n", ""] }, "stop cannot contain an empty string.", null],
      [{ stop: "" }, "stop cannot contain an empty string.", null],
    ];
    for (const [fields, message, param] of cases)
      expect(await answer(await completion(fields))).toEqual([400, bad(message, param)]);
    for (const top_k of [-1, 0, 1, 1_000_000])
      expect(await answer(await completion({ top_k }))).toEqual([200, 2]);
  });
});
