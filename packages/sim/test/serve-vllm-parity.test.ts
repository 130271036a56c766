import { describe, expect, it } from "vitest";
import { serveDsr1 } from "./sim-server-fixture.js";

const sim = serveDsr1();

const post = sim.post;

/** A response's status and error (or, for a 200, its first choice's text or message content). */
const answer = async (res: Response) => {
  const body = await res.json();
  if (res.status !== 200) return [res.status, body.error];
  const choice = body.choices[0];
  return [res.status, typeof choice.text === "string" ? "text" : choice.message.role];
};

const bad = (message: string, param: string | null) => ({
  message,
  type: "BadRequestError",
  param,
  code: 400,
});

const chat = (extra: Record<string, unknown>) => ({
  messages: [{ role: "user", content: "baba keko" }],
  max_tokens: 2,
  ...extra,
});

const WEATHER = [
  {
    type: "function",
    function: { name: "weather", parameters: { type: "object", properties: {} } },
  },
];

describe("sim serve refuses prompt token ids outside the model's vocabulary, as vLLM does", () => {
  it("answers vLLM's 400 naming the largest id past DeepSeek-R1's 129,280 tokens, and serves the last id", async () => {
    // before, a 200: any id was served
    expect(
      await answer(await post("/v1/completions", { prompt: [5, 129280, 200000], max_tokens: 2 })),
    ).toEqual([400, bad("Token id 200000 is out of vocabulary", null)]);
    expect(
      await answer(await post("/v1/completions", { prompt: [[129280]], max_tokens: 2 })),
    ).toEqual([400, bad("Token id 129280 is out of vocabulary", null)]);
    expect(
      await answer(await post("/v1/completions", { prompt: [0, 129279], max_tokens: 2 })),
    ).toEqual([200, "text"]);
  });

  it("still refuses negative and fractional ids", async () => {
    for (const prompt of [[-1], [2.5]])
      expect(await answer(await post("/v1/completions", { prompt, max_tokens: 2 }))).toEqual([
        400,
        bad("prompt token ids must be non-negative integers", "prompt"),
      ]);
  });
});

describe("sim serve refuses tool calling and structured output it cannot honour", () => {
  it("answers tools without tool_choice, or tool_choice auto, with vLLM's 400 for a server without tool parsing", async () => {
    // before, a 200 with free text: a client waiting for tool_calls read none
    const auto = bad(
      '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
      null,
    );
    expect(await answer(await post("/v1/chat/completions", chat({ tools: WEATHER })))).toEqual([
      400,
      auto,
    ]);
    expect(
      await answer(
        await post("/v1/chat/completions", chat({ tools: WEATHER, tool_choice: "auto" })),
      ),
    ).toEqual([400, auto]);
  });

  it("refuses tool_choice required or a named function, which vLLM answers with tool calls", async () => {
    const refused = bad(
      "tool_choice: the simulator generates text, never tool calls; leave tool_choice out with no tools, or send tool_choice none",
      "tool_choice",
    );
    for (const tool_choice of ["required", { type: "function", function: { name: "weather" } }])
      expect(
        await answer(await post("/v1/chat/completions", chat({ tools: WEATHER, tool_choice }))),
      ).toEqual([400, refused]);
  });

  it("refuses tool_choice without tools, an unknown tool_choice, a named tool not in tools, and tools not a list", async () => {
    expect(
      await answer(await post("/v1/chat/completions", chat({ tool_choice: "required" }))),
    ).toEqual([400, bad("When using `tool_choice`, `tools` must be set.", "tool_choice")]);
    expect(
      await answer(
        await post("/v1/chat/completions", chat({ tools: WEATHER, tool_choice: "any" })),
      ),
    ).toEqual([
      400,
      bad(
        'Invalid value for `tool_choice`: any! Only named tools, "none", "auto" or "required" are supported.',
        "tool_choice",
      ),
    ]);
    expect(
      await answer(
        await post(
          "/v1/chat/completions",
          chat({ tools: WEATHER, tool_choice: { type: "function", function: { name: "nope" } } }),
        ),
      ),
    ).toEqual([
      400,
      bad(
        "The tool specified in `tool_choice` does not match any of the specified `tools`",
        "tool_choice",
      ),
    ]);
    expect(
      await answer(await post("/v1/chat/completions", chat({ tools: { weather: {} } }))),
    ).toEqual([400, bad("tools must be a list of tools", "tools")]);
  });

  it("serves tool_choice none, an empty tools list and tool_choice required over no tools with text, as vLLM does", async () => {
    for (const extra of [
      { tools: WEATHER, tool_choice: "none" },
      { tools: [] },
      { tools: [], tool_choice: "required" },
      { tools: null, tool_choice: null },
    ])
      expect(await answer(await post("/v1/chat/completions", chat(extra)))).toEqual([
        200,
        "assistant",
      ]);
  });

  it("refuses response_format json_object, json_schema and structural_tag, and serves text", async () => {
    for (const [path, body] of [
      ["/v1/chat/completions", chat({})],
      ["/v1/completions", { prompt: "baba", max_tokens: 2 }],
    ] as const) {
      for (const type of ["json_object", "json_schema", "structural_tag"])
        expect(await answer(await post(path, { ...body, response_format: { type } }))).toEqual([
          400,
          bad(
            `response_format ${type}: the simulator generates free text, not structured output; leave response_format out, or give type text`,
            "response_format",
          ),
        ]);
      expect(
        await answer(await post(path, { ...body, response_format: { type: "yaml" } })),
      ).toEqual([
        400,
        bad(
          "response_format.type must be text, json_object, json_schema or structural_tag",
          "response_format",
        ),
      ]);
      expect((await post(path, { ...body, response_format: { type: "text" } })).status).toBe(200);
    }
  });

  it("refuses guided decoding fields and structured_outputs constraints, and serves their options alone", async () => {
    for (const [field, value] of [
      ["guided_json", { type: "object" }],
      ["guided_regex", "[a-z]+"],
      ["guided_choice", ["yes", "no"]],
      ["guided_grammar", "root ::= 'a'"],
      ["structured_outputs", { choice: ["yes", "no"] }],
    ] as const)
      expect(
        await answer(
          await post("/v1/completions", { prompt: "baba", max_tokens: 2, [field]: value }),
        ),
      ).toEqual([
        400,
        bad(
          `${field}: the simulator generates free text and cannot follow a guide; leave ${field} out`,
          field,
        ),
      ]);
    const options = await post("/v1/chat/completions", {
      ...chat({}),
      guided_decoding_backend: "xgrammar",
      structured_outputs: { disable_fallback: true },
    });
    expect(options.status).toBe(200);
  });
});

describe("sim serve answers in vLLM's shapes where a client reads them", () => {
  it("refuses suffix with vLLM's words, which fill-in-the-middle clients match to fall back", async () => {
    // before, a 200 that continued the prompt and dropped the suffix
    expect(
      await answer(
        await post("/v1/completions", { prompt: "baba", suffix: "keko", max_tokens: 2 }),
      ),
    ).toEqual([400, bad("suffix is not currently supported", null)]);
    expect(
      (await post("/v1/completions", { prompt: "baba", suffix: null, max_tokens: 2 })).status,
    ).toBe(200);
  });

  it("gives each whole choice a stop_reason and a chat message its empty tool_calls, as vLLM's model_dump writes them", async () => {
    // before, a JavaScript client reading message.tool_calls.length threw against the simulator alone
    const chatBody = await (await post("/v1/chat/completions", chat({}))).json();
    expect(chatBody.choices[0]).toMatchObject({
      finish_reason: "length",
      stop_reason: null,
      message: { role: "assistant", tool_calls: [] },
    });
    const completion = await (
      await post("/v1/completions", { prompt: "baba", max_tokens: 2 })
    ).json();
    expect(completion.choices[0]).toMatchObject({ finish_reason: "length", stop_reason: null });
  });

  it("streams as text/event-stream; charset=utf-8, Starlette's type for vLLM's streams, with stop_reason beside the finish", async () => {
    const res = await post("/v1/completions", { prompt: "baba", max_tokens: 2, stream: true });
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const chunks = (await res.text())
      .split("\n\n")
      .filter((b) => b.startsWith("data: {"))
      .map((b) => JSON.parse(b.slice(6)));
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) expect(c.choices[0]).toHaveProperty("stop_reason", null);
    const streamed = await post("/v1/chat/completions", chat({ stream: true }));
    const last = (await streamed.text())
      .split("\n\n")
      .filter((b) => b.startsWith("data: {"))
      .map((b) => JSON.parse(b.slice(6)))
      .at(-1);
    expect(last.choices[0]).toMatchObject({ finish_reason: "length", stop_reason: null });
  });
});

describe("sim serve /detokenize (vLLM's route)", () => {
  it("gives a prompt that tokenizes back to the same ids for words, and to as many tokens for any id", async () => {
    // before, a 404: a client that made prompts from token ids (as vLLM's random dataset does) could not
    const words = await (await post("/tokenize", { prompt: "baba keko lumi" })).json();
    const back = await post("/detokenize", { model: "dsr1", tokens: words.tokens });
    expect([back.status, await back.json()]).toEqual([200, { prompt: "baba keko lumi" }]);
    const ids = [5, 40_000, 129_279, 90_001];
    const { prompt } = await (await post("/detokenize", { tokens: ids })).json();
    const again = await (await post("/tokenize", { prompt })).json();
    expect(again.count).toBe(ids.length);
  });

  it("refuses ids that are not the model's, and a model it does not serve", async () => {
    expect(await answer(await post("/detokenize", { tokens: [1, 129280] }))).toEqual([
      400,
      bad("Token id 129280 is out of vocabulary", "tokens"),
    ]);
    for (const tokens of [[-1], [1.5], "baba", undefined])
      expect(await answer(await post("/detokenize", { tokens }))).toEqual([
        400,
        bad("tokens must be a list of token ids", "tokens"),
      ]);
    expect((await post("/detokenize", { model: "gpt-4", tokens: [1] })).status).toBe(404);
  });
});

describe("sim serve /tokenize return_token_strs (vLLM's field)", () => {
  it("gives each token's text in token_strs when asked, and token_strs null otherwise, as vLLM's response does", async () => {
    // before, token_strs was absent: a client that printed the tokens of a prompt read undefined
    const asked = await post("/tokenize", { prompt: "baba hello wörld", return_token_strs: true });
    const body = await asked.json();
    expect([asked.status, body.count, body.token_strs]).toEqual([
      200,
      5,
      ["baba", "hell", "o", "wör", "ld"],
    ]);
    expect(body.tokens.length).toBe(body.token_strs.length);
    const chat = await post("/tokenize", {
      messages: [{ role: "user", content: "keko" }],
      return_token_strs: true,
    });
    expect((await chat.json()).token_strs).toEqual(["keko"]);
    const plain = await (await post("/tokenize", { prompt: "baba" })).json();
    expect(plain).toEqual({
      count: 1,
      max_model_len: 163840,
      tokens: [0],
      token_strs: null,
      tokenizer: "builtin",
    });
  });

  it("refuses a return_token_strs that is not a boolean", async () => {
    expect(
      await answer(await post("/tokenize", { prompt: "baba", return_token_strs: "yes" })),
    ).toEqual([400, bad("return_token_strs must be a boolean", "return_token_strs")]);
  });
});

describe("sim serve's malformed JSON body", () => {
  it("says where the body breaks without quoting it back", async () => {
    // before: `Unexpected token 's', "{"api_key": sk-live-123}" is not valid JSON`, the body in the message (and logs)
    const res = await fetch(`${sim.base}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"api_key": sk-live-123}',
    });
    expect(await answer(res)).toEqual([
      400,
      bad("malformed JSON body: Unexpected token in JSON at position 12", null),
    ]);
  });
});
