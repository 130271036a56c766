import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { serveDsr1 } from "./sim-server-fixture.js";

const sim = serveDsr1();

const JSON_TYPE = { "content-type": "application/json" };

const post = (path: string, body: unknown, headers: Record<string, string> = JSON_TYPE) =>
  fetch(`${sim.base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });

/** A refused request's status and error body. */
const refusal = async (res: Response) => [res.status, (await res.json()).error];

/** What the server writes back on one connection for `raw` bytes, until it closes or `ms` pass. */
function rawExchange(raw: string, ms = 1000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(sim.port, "127.0.0.1", () => socket.write(raw));
    let out = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    };
    const timer = setTimeout(done, ms);
    socket.on("data", (d) => {
      out += d;
    });
    socket.on("close", done);
    socket.on("error", done);
  });
}

describe("sim serve answers what real clients send as vLLM does", () => {
  it("refuses a body that is not sent as application/json, as vLLM does (curl -d without -H was served)", async () => {
    const body = { prompt: "baba", max_tokens: 2 };
    const expected = [
      400,
      {
        message: "Unsupported Media Type: Only 'application/json' is allowed",
        type: "BadRequestError",
        param: null,
        code: 400,
      },
    ];
    // curl -d's default, and what fetch sends for a string body
    for (const type of ["application/x-www-form-urlencoded", "text/plain;charset=UTF-8"])
      expect(await refusal(await post("/v1/completions", body, { "content-type": type }))).toEqual(
        expected,
      );
    expect(await refusal(await post("/tokenize", { prompt: "baba" }, {}))).toEqual(expected);
    // parameters and case do not matter
    const ok = await post("/v1/completions", body, {
      "content-type": "Application/JSON; charset=utf-8",
    });
    expect([ok.status, (await ok.json()).usage.completion_tokens]).toEqual([200, 2]);
  });

  it("refuses sampling fields vLLM refuses, and takes the ones benchmark clients send", async () => {
    const refused: [Record<string, unknown>, string | null, string][] = [
      [{ temperature: "hot" }, "temperature", 'temperature must be a number, got "hot"'],
      [
        { temperature: -1 },
        "temperature",
        "temperature must be non-negative, got -1.0. (parameter=temperature, value=-1.0)",
      ],
      [{ top_p: 0 }, "top_p", "top_p must be in (0, 1], got 0.0. (parameter=top_p, value=0.0)"],
      [{ top_k: 2.5 }, "top_k", "top_k must be an integer, -1 or 0 for no limit, got 2.5"],
      [{ stop: 5 }, "stop", "stop must be a string or a list of strings, got 5"],
      [{ ignore_eos: "yes" }, "ignore_eos", 'ignore_eos must be a boolean, got "yes"'],
      [{ presence_penalty: 3 }, null, "presence_penalty must be in [-2, 2], got 3.0."],
    ];
    for (const [fields, param, message] of refused)
      expect(
        await refusal(await post("/v1/completions", { prompt: "baba", max_tokens: 2, ...fields })),
      ).toEqual([400, { message, type: "BadRequestError", param, code: 400 }]);
    // vllm bench serve's completions body
    const bench = await post("/v1/completions", {
      model: "dsr1",
      prompt: "baba keko",
      temperature: 0.0,
      repetition_penalty: 1.0,
      max_tokens: 3,
      logprobs: null,
      stream: false,
      ignore_eos: true,
      stop: ["\n"],
      seed: 7,
    });
    expect([bench.status, (await bench.json()).usage.completion_tokens]).toEqual([200, 3]);
  });

  it("refuses prompt_logprobs and a chat echo, which it cannot give, rather than answering without them", async () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      [
        "/v1/completions",
        { prompt: "baba", prompt_logprobs: 1 },
        "prompt_logprobs",
        "prompt_logprobs: the simulator gives no prompt_logprobs; leave it out (or null), or use echo with logprobs on /v1/completions",
      ],
      [
        "/v1/chat/completions",
        { messages: [{ role: "user", content: "baba" }], echo: true },
        "echo",
        "echo: the simulator does not send a chat's last message back; leave echo out (or false)",
      ],
    ];
    for (const [path, body, param, message] of cases)
      expect(await refusal(await post(path, { max_tokens: 2, ...body }))).toEqual([
        400,
        { message, type: "BadRequestError", param, code: 400 },
      ]);
    // not asked for: served, each choice with logprobs null as vLLM writes it
    const chat = await post("/v1/chat/completions", {
      messages: [{ role: "user", content: "baba" }],
      max_tokens: 2,
      logprobs: false,
      top_logprobs: 0,
    });
    const choice = (await chat.json()).choices[0];
    expect([choice.logprobs, choice.finish_reason]).toEqual([null, "length"]);
    const completion = await post("/v1/completions", { prompt: "baba", max_tokens: 2 });
    expect((await completion.json()).choices[0].logprobs).toBeNull();
  });

  it("refuses chat messages vLLM refuses, naming the message, and the field a bad max_completion_tokens came in", async () => {
    const cases: [unknown, string][] = [
      [[{ content: "baba" }], "messages[0].role must be a string: user, assistant, system, ..."],
      [["baba"], "messages[0] must be an object with a role and a content"],
      [
        [
          { role: "system", content: "baba" },
          { role: "user", content: 5 },
        ],
        "messages[1].content must be a string, a list of content parts, or null",
      ],
    ];
    for (const [messages, message] of cases) {
      for (const path of ["/v1/chat/completions", "/tokenize"])
        expect(await refusal(await post(path, { messages, max_tokens: 2 }))).toEqual([
          400,
          { message, type: "BadRequestError", param: "messages", code: 400 },
        ]);
    }
    // an assistant's turn without content (a tool call) and text parts are messages
    const served = await post("/v1/chat/completions", {
      messages: [
        { role: "user", content: [{ type: "text", text: "baba keko" }] },
        { role: "assistant", content: null },
      ],
      max_tokens: 2,
    });
    expect([served.status, (await served.json()).usage.prompt_tokens]).toEqual([200, 2]);
    expect(
      await refusal(
        await post("/v1/chat/completions", {
          messages: [{ role: "user", content: "baba" }],
          max_completion_tokens: 0,
        }),
      ),
    ).toMatchObject([
      400,
      {
        message: "max_completion_tokens must be a positive integer",
        param: "max_completion_tokens",
      },
    ]);
  });

  it("serves a request whose model is empty, as vLLM does, and refuses one that is not a string", async () => {
    const empty = await post("/v1/completions", { model: "", prompt: "baba", max_tokens: 2 });
    expect([empty.status, (await empty.json()).model]).toEqual([200, "dsr1"]);
    expect(
      await refusal(await post("/v1/completions", { model: 5, prompt: "baba", max_tokens: 2 })),
    ).toEqual([
      400,
      { message: "model must be a string", type: "BadRequestError", param: "model", code: 400 },
    ]);
  });

  it("answers a browser's CORS preflight and marks its requests as allowed from any origin, as vLLM's defaults do", async () => {
    const preflight = await fetch(`${sim.base}/v1/chat/completions`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      },
    });
    expect([
      preflight.status,
      preflight.headers.get("access-control-allow-origin"),
      preflight.headers.get("access-control-allow-methods"),
      preflight.headers.get("access-control-allow-headers"),
    ]).toEqual([
      200,
      "*",
      "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
      "content-type,authorization",
    ]);
    const stream = await post(
      "/v1/completions",
      { prompt: "baba", max_tokens: 1, stream: true },
      { ...JSON_TYPE, origin: "http://localhost:5173" },
    );
    expect(stream.headers.get("access-control-allow-origin")).toBe("*");
    expect((await stream.text()).endsWith("data: [DONE]\n\n")).toBe(true);
    // without an Origin, nothing is added: an OPTIONS is a method the route does not take
    const plain = await fetch(`${sim.base}/v1/models`);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
    await plain.body?.cancel();
    const options = await fetch(`${sim.base}/v1/completions`, { method: "OPTIONS" });
    expect(options.status).toBe(405);
    await options.body?.cancel();
  });

  it("answers /health with an empty body of known length, and a request that is not HTTP with a 400 (it closed the socket without a word)", async () => {
    const health = await rawExchange(
      "GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    expect(health).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(health).toMatch(/\r\ncontent-length: 0\r\n/i);
    expect(health).not.toMatch(/transfer-encoding/i);
    expect(await rawExchange("GARBAGE\r\n\r\n")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect((await fetch(`${sim.base}/health`)).status).toBe(200);
  });
});
