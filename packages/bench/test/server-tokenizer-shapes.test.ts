import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS, loadTokenizer, runBench, TokenizerError } from "../src/index.js";
import { checkServerTokenizer } from "../src/tokenizer/load-tokenizer.js";
import {
  completionStream,
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from "./scripted-server.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that streams two tokens per request and tokenizes as `options` say. */
async function start(options: ScriptedServerOptions): Promise<ScriptedServer> {
  server = await startScriptedServer(() => ({ writes: completionStream(2, 0) }), options);
  return server;
}

const USER = [{ role: "user" as const, content: "one two three" }];
const context = (s: ScriptedServer, backend: keyof typeof BACKENDS) => ({
  baseUrl: s.url,
  model: "m",
  backend: BACKENDS[backend],
});

describe("--tokenizer server in each engine's shape", () => {
  it("llama.cpp: counts with /tokenize {content} -> {tokens} and decodes with /detokenize {tokens} -> {content}", async () => {
    const s = await start({ tokenize: "llamacpp" });
    const tokenizer = await loadTokenizer("server", context(s, "llamacpp"));
    expect(await tokenizer.encode("ab cde")).toEqual([2, 3]);
    expect(await tokenizer.count("one two three four")).toBe(4);
    expect(s.tokenized.at(-1)!.body).toEqual({
      model: "m",
      content: "one two three four",
      add_special: false,
    });
    expect(await tokenizer.decode!([4, 2])).toBe("4 2");
    expect(s.detokenized.map((r) => r.body)).toEqual([{ model: "m", tokens: [4, 2] }]);
  });

  it("llama.cpp: never sends chat messages to a /tokenize that would count them as none; the prompt text is counted", async () => {
    const s = await start({ tokenize: "llamacpp" });
    const tokenizer = await loadTokenizer("server", { ...context(s, "llamacpp"), chatProbe: USER });
    expect(tokenizer.countChat).toBeUndefined();
    expect(tokenizer.chatTemplate).toBeUndefined();
    expect(tokenizer.chatFallbackReason).toBe(
      `--tokenizer server: ${s.url}/tokenize (llama.cpp's) counts text, not chat messages`,
    );
    expect(s.tokenized.filter((r) => "messages" in r.body)).toEqual([]);
  });

  it("SGLang: decodes with its /detokenize, which answers {text}", async () => {
    const s = await start({ tokenize: "sglang" });
    const tokenizer = await loadTokenizer("server", context(s, "sglang"));
    expect(await tokenizer.decode!([1, 2, 3])).toBe("1 2 3");
  });

  it("vLLM: its /tokenize counts chat messages with the server's template, its /detokenize answers {prompt}", async () => {
    const s = await start({ messages: "count" });
    const tokenizer = await loadTokenizer("server", { ...context(s, "vllm"), chatProbe: USER });
    expect(tokenizer.chatTemplate).toBe("server");
    // 3 words + 3 for the user turn + 2 for the generation prompt
    expect(await tokenizer.countChat!(USER)).toBe(8);
    expect(await tokenizer.decode!([7])).toBe("7");
  });

  it("a server without the endpoint (HTTP 404) stops the run in one line before any request is sent", async () => {
    const s = await start({ tokenize: "none" });
    const error = await runBench({
      baseUrl: s.url,
      model: "m",
      backend: "vllm",
      tokenizer: "server",
      isl: 8,
      osl: 2,
      concurrency: [1],
      numRequests: 1,
      warmup: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenizerError);
    expect((error as Error).message).toBe(
      `--tokenizer server: ${s.url}/tokenize answered HTTP 404; use --tokenizer builtin or a tokenizer.json`,
    );
    expect(s.received).toEqual([]);
  });

  // Dynamo's frontend mounts no /tokenize (service_v2.rs; ai-dynamo/dynamo#9012, which adds one, is open)
  it.each(["trtllm", "dynamo", "ollama", "openai"] as const)(
    "%s: refused in one line, the server never asked",
    async (name) => {
      const s = await start({});
      const line = `--tokenizer server: the ${name} backend's server has no tokenize endpoint; use --tokenizer builtin or a tokenizer.json path (servers with one: vllm, sglang, llamacpp)`;
      expect(() => checkServerTokenizer(BACKENDS[name])).toThrow(line);
      await expect(loadTokenizer("server", context(s, name))).rejects.toThrow(line);
      expect([...s.tokenized, ...s.received]).toEqual([]);
    },
  );
});
