import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_VERSION } from "../src/version.js";
import { REPO_ROOT, runCli, simServing } from "./helpers.js";

/** A config.json of meta-llama/Llama-3.1-8B's sizes, in a folder named after the model. */
const LLAMA_CONFIG = join(REPO_ROOT, "packages/cli/test/fixtures/sim/Llama-3.1-8B/config.json");

/** A GPU spec file without a key or name field. */
const GPU_SPEC = join(REPO_ROOT, "packages/cli/test/fixtures/sim/rtx-6000.yaml");

/** Starts `sim serve` on a free port and returns its startup line (the port as PORT), then stops it. */
function startupLine(flags: readonly string[]): Promise<string> {
  return simServing(flags, (line) => line.replace(/:\d+\/v1/, ":PORT/v1"));
}

describe("infermark sim serve", () => {
  it("names the model id it serves and its GPU on its startup line, with the files they came from (it printed their paths)", async () => {
    const lines = await Promise.all([
      startupLine(["--model", LLAMA_CONFIG, "--hardware", "h100"]),
      startupLine(["--model", LLAMA_CONFIG, "--hardware", "h100", "--served-model-name", "llama"]),
      startupLine(["--model", "dsr1", "--hardware", "h200", "--tp", "8"]),
      startupLine(["--model", "llama70b", "--hardware", GPU_SPEC, "--tp", "8"]),
    ]);
    const tail = "at http://127.0.0.1:PORT/v1 (speed 1x); Ctrl-C to stop";
    expect(lines).toEqual([
      `infermark sim serving Llama-3.1-8B (${LLAMA_CONFIG}) on h100 ${tail}`,
      `infermark sim serving llama (${LLAMA_CONFIG}) on h100 ${tail}`,
      `infermark sim serving dsr1 on h200 ${tail}`,
      `infermark sim serving llama70b on rtx-6000 (${GPU_SPEC}) ${tail}`,
    ]);
  }, 60_000);

  /** DeepSeek-R1 on 8 simulated H200. */
  const DSR1 = ["--model", "dsr1", "--hardware", "h200", "--tp", "8"];
  /** The context length a server reports in /v1/models. */
  const reportedContext = async (baseUrl: string) => {
    const list = (await (await fetch(`${baseUrl}/v1/models`)).json()) as {
      data: { max_model_len: number }[];
    };
    return list.data[0]!.max_model_len;
  };

  it("with --max-model-len, serves a request of exactly that many tokens, refuses one more with its 400, reports it in /v1/models and its version at /version", async () => {
    const fast = [...DSR1, "--speed", "50"];
    const [models, atLimit, over, version] = await simServing(
      [...fast, "--max-model-len", "300"],
      async (_line, baseUrl) => {
        // a prompt of 10 token ids: exactly 10 tokens, with 290 or 291 to generate
        const complete = (maxTokens: number) =>
          fetch(`${baseUrl}/v1/completions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              model: "dsr1",
              prompt: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
              max_tokens: maxTokens,
            }),
          });
        const ok = await complete(290);
        const refused = await complete(291);
        return [
          await reportedContext(baseUrl),
          [ok.status, ((await ok.json()) as { usage: unknown }).usage],
          [refused.status, await refused.json()],
          await (await fetch(`${baseUrl}/version`)).json(),
        ];
      },
    );
    expect(models).toBe(300);
    // vLLM's /version, with infermark's version: what a client records as the engine's
    expect(version).toEqual({ version: TOOL_VERSION });
    expect(atLimit).toEqual([
      200,
      {
        prompt_tokens: 10,
        completion_tokens: 290,
        total_tokens: 300,
        // as a vLLM started without --enable-prompt-tokens-details sends it
        prompt_tokens_details: null,
      },
    ]);
    expect(over).toEqual([
      400,
      {
        error: {
          message:
            "This model's maximum context length is 300 tokens. However, you requested 301 tokens (10 in the prompt, 291 in the completion). Please reduce the length of the prompt or completion.",
          type: "BadRequestError",
          param: "max_tokens",
          code: 400,
        },
      },
    ]);
    // without it, the model's own context length (the catalog's), as before
    expect(await simServing(fast, (_line, baseUrl) => reportedContext(baseUrl))).toBe(163840);
  }, 60_000);

  it("answers an lm-evaluation-harness loglikelihood request (echo, max_tokens 0, logprobs) and n samples (it refused both)", async () => {
    const post = (baseUrl: string, body: Record<string, unknown>) =>
      fetch(`${baseUrl}/v1/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "dsr1", ...body }),
      }).then(async (r) => [r.status, await r.json()] as const);
    const [scored, sampled] = await simServing(
      [...DSR1, "--speed", "50"],
      async (_line, baseUrl) => [
        await post(baseUrl, { prompt: "baba keko", max_tokens: 0, echo: true, logprobs: 1 }),
        await post(baseUrl, { prompt: "baba", max_tokens: 2, n: 2 }),
      ],
    );
    // the context's first token has no logprob; the continuation's is a log-probability, its own the top one
    const { logprobs } = scored[1].choices[0];
    expect([scored[0], scored[1].choices[0].text, logprobs.tokens]).toEqual([
      200,
      "baba keko",
      ["baba", " keko"],
    ]);
    expect([logprobs.token_logprobs[0], logprobs.top_logprobs[0]]).toEqual([null, null]);
    expect(logprobs.token_logprobs[1]).toBeLessThan(0);
    expect(logprobs.top_logprobs[1]).toEqual({ " keko": logprobs.token_logprobs[1] });
    expect([sampled[0], sampled[1].choices.length, sampled[1].usage.completion_tokens]).toEqual([
      200, 2, 4,
    ]);
  }, 60_000);

  it("refuses a --max-model-len beyond the model's context length, as vLLM does, with one line and exit 2", async () => {
    const r = await runCli(["sim", "serve", ...DSR1, "--max-model-len", "163841"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      "",
      "infermark: --max-model-len 163841 exceeds the context length of dsr1, 163840 tokens: give at most 163840, or leave it out\n",
    ]);
  }, 60_000);

  it("refuses a --port in use and a --host it cannot bind with one line naming the flag (Node's error named neither)", async () => {
    const taken = await simServing(DSR1, async (_line, baseUrl) => {
      const port = new URL(baseUrl).port;
      return [port, await runCli(["sim", "serve", ...DSR1, "--port", port])] as const;
    });
    const [port, inUse] = taken;
    expect([inUse.code, inUse.stdout, inUse.stderr]).toEqual([
      2,
      "",
      `infermark: --port ${port} is in use on 127.0.0.1: give another port, or --port 0 for a free one\n`,
    ]);
    const host = await runCli(["sim", "serve", ...DSR1, "--port", "0", "--host", "192.0.2.1"]);
    expect([host.code, host.stdout, host.stderr]).toEqual([
      2,
      "",
      "infermark: --host 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL): give one of its addresses, 127.0.0.1, or 0.0.0.0 for all\n",
    ]);
  }, 60_000);
});
