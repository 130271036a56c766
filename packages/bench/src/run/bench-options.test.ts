import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { AUTO_MAX_WORKERS, autoWorkers, STREAMS_PER_WORKER } from "./auto-workers.js";
import { type BenchOptions, DEFAULT_BENCH, resolveBenchOptions } from "./bench-options.js";

const base = { baseUrl: "http://127.0.0.1:8000", model: "m", isl: 64, osl: 8, concurrency: [1] };

describe("resolveBenchOptions --token-ids", () => {
  it("names the API when the chat API is the obstacle, not a backend that accepts token ids", () => {
    expect(() => resolveBenchOptions({ ...base, tokenIds: true, api: "chat" })).toThrow(
      "--token-ids needs --api completions, not chat",
    );
  });

  it("names the backends that accept token-id prompts when the backend does not", () => {
    expect(() => resolveBenchOptions({ ...base, tokenIds: true, backend: "ollama" })).toThrow(
      "--token-ids needs a backend that accepts token-id prompts (vllm, sglang, trtllm, llamacpp), not ollama",
    );
  });

  it("accepts token ids on the completions API of vllm, the default backend", () => {
    expect(resolveBenchOptions({ ...base, tokenIds: true }).tokenIds).toBe(true);
  });
});

describe("resolveBenchOptions credentials", () => {
  const messageOf = (o: Partial<BenchOptions>) => {
    try {
      resolveBenchOptions({ ...base, ...o });
    } catch (error) {
      return (error as Error).message;
    }
    return "resolved";
  };

  it("names a base URL that does not parse without the password in it", () => {
    // a port out of range, a `/` or `#` in a password that was not percent-encoded
    for (const [baseUrl, shown] of [
      ["http://me:pw-secret-1@127.0.0.1:99999", "http://***@127.0.0.1:99999"],
      ["http://me:pw/secret-1@gpu-1:8000/v1", "http://***@gpu-1:8000/v1"],
      ["http://me:pw#secret-1@gpu-1:8000", "http://***@gpu-1:8000"],
    ])
      expect(messageOf({ baseUrl })).toBe(
        `--base-url: "${shown}" is not a URL (e.g. http://localhost:8000)`,
      );
  });

  it("refuses a base URL with a query or fragment, which is never sent, without repeating it", () => {
    for (const baseUrl of [
      "http://gpu-1:8000/v1?api-key=key-secret-2",
      "http://gpu-1:8000/v1#key-secret-2",
    ])
      expect(messageOf({ baseUrl })).toBe(
        "--base-url: a query (?...) or fragment (#...) is never sent; give the server's root or API path (http://host:8000/v1), and credentials with --header or an API key (--api-key-env)",
      );
    expect(messageOf({ baseUrl: "http://gpu-1:8000/v1?" })).toBe("resolved");
  });

  it("refuses a header name that is none without repeating it: typed the wrong way round, it is the credential", () => {
    // before: `--header: "Bearer sk-secret-4" is not a header name`
    expect(messageOf({ headers: { "x-team": "t", "Bearer sk-secret-4": "authorization" } })).toBe(
      "--header: the name of header 2 has a space (a header name is one word, as Authorization) (the name is not shown: it may hold a credential)",
    );
    expect(messageOf({ headers: { "sk@secret-4": "x" } })).toBe(
      '--header: the name of header 1 holds "@", which no header name may (the name is not shown: it may hold a credential)',
    );
  });

  it("refuses a base URL that does not parse without a credential of its query", () => {
    expect(messageOf({ baseUrl: "http://gpu-1:99999/v1?api_key=key-secret-5" })).toBe(
      '--base-url: "http://gpu-1:99999/v1?api_key=***" is not a URL (e.g. http://localhost:8000)',
    );
  });

  it("refuses an API key with a line end in it, without repeating it", () => {
    for (const apiKey of ["sk-secret-3\n", "sk-secret-3\r\n", "sk-\0secret-3"])
      expect(messageOf({ apiKey })).toBe(
        "the API key holds CR, LF or NUL (a line end copied with it?): set its variable to the key alone",
      );
  });
});

describe("resolveBenchOptions --tokenizer server", () => {
  it("refuses a backend whose server has no tokenize endpoint when the options are resolved, before any request", () => {
    for (const backend of ["trtllm", "dynamo", "ollama", "openai"] as const)
      expect(() => resolveBenchOptions({ ...base, tokenizer: "server", backend })).toThrow(
        `--tokenizer server: the ${backend} backend's server has no tokenize endpoint; use --tokenizer builtin or a tokenizer.json path (servers with one: vllm, sglang, llamacpp)`,
      );
    for (const backend of ["vllm", "sglang", "llamacpp"] as const)
      expect(resolveBenchOptions({ ...base, tokenizer: "server", backend }).tokenizer).toBe(
        "server",
      );
  });
});

describe("resolveBenchOptions workers", () => {
  const cores = availableParallelism();
  const resolved = (o: Partial<BenchOptions>) => resolveBenchOptions({ ...base, ...o }).workers;

  it("keeps a whole number as given and refuses any other", () => {
    expect(resolved({ workers: 0, concurrency: [4096] })).toBe(0);
    expect(resolved({ workers: 3, concurrency: [1] })).toBe(3);
    expect(() => resolved({ workers: -1 })).toThrow(
      "--workers expects a whole number >= 0 or auto, got -1",
    );
    expect(() => resolved({ workers: 1.5 })).toThrow(
      "--workers expects a whole number >= 0 or auto, got 1.5",
    );
  });

  it("auto, the default, sizes the threads to the largest level's streams on this machine's cores", () => {
    expect(DEFAULT_BENCH.workers).toBe("auto");
    expect(resolved({ concurrency: [1, 64] })).toBe(0);
    expect(resolved({ concurrency: [1, 1024, 4] })).toBe(autoWorkers(1024, cores));
    // a capped rate holds at most its cap in flight; an uncapped one, or a trace, may hold any number
    expect(resolved({ concurrency: undefined, rate: [2], maxConcurrency: 32 })).toBe(0);
    expect(resolved({ concurrency: undefined, rate: [2], maxConcurrency: 512 })).toBe(
      autoWorkers(512, cores),
    );
    expect(resolved({ concurrency: undefined, rate: [2] })).toBe(autoWorkers(undefined, cores));
  });
});

describe("autoWorkers", () => {
  it("gives each thread at most 64 streams, none up to 64, at most cores - 2 and 32", () => {
    expect(autoWorkers(1, 16)).toBe(0);
    expect(autoWorkers(STREAMS_PER_WORKER, 16)).toBe(0);
    expect(autoWorkers(STREAMS_PER_WORKER + 1, 16)).toBe(2);
    expect(autoWorkers(256, 16)).toBe(4);
    expect(autoWorkers(1024, 16)).toBe(14);
    expect(autoWorkers(4096, 192)).toBe(AUTO_MAX_WORKERS);
    expect(autoWorkers(4096, 4)).toBe(2);
    // a machine of 1-3 cores stamps on its one thread: a worker's hops cost more there than they give
    for (const cores of [1, 2, 3]) expect(autoWorkers(4096, cores)).toBe(0);
    // an unbounded peak takes what it may
    expect(autoWorkers(undefined, 16)).toBe(14);
    expect(autoWorkers(undefined, 2)).toBe(0);
  });
});

describe("resolveBenchOptions levels and request body", () => {
  it("refuses a level given twice: both would write one point file, the second over the first", () => {
    expect(() => resolveBenchOptions({ ...base, concurrency: [1, 2, 2] })).toThrow(
      "--concurrency gives 2 twice: each level is written to point-c2.json, so the second would replace the first",
    );
    expect(() =>
      resolveBenchOptions({ ...base, concurrency: undefined, rate: [0.5, 1, 0.5] }),
    ).toThrow(
      "--rate gives 0.5 twice: each level is written to point-r0.5.json, so the second would replace the first",
    );
    expect(resolveBenchOptions({ ...base, concurrency: [1, 2, 4] }).levels).toEqual([1, 2, 4]);
  });

  it("refuses --extra-body fields the run sets itself and measures by, naming the flag that sets each", () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { stream: false },
        `--extra-body sets "stream", which infermark sets itself: use --no-stream`,
      ],
      [{ model: "x" }, `--extra-body sets "model", which infermark sets itself: use --model`],
      [
        { max_tokens: 5 },
        `--extra-body sets "max_tokens", which infermark sets itself: use --osl (each request's own length is recorded and checked against what the server returned)`,
      ],
      [
        { max_completion_tokens: 5 },
        `--extra-body sets "max_completion_tokens", which infermark sets itself: use --osl (each request's own length is recorded and checked against what the server returned)`,
      ],
      [
        { prompt: "hi" },
        `--extra-body sets "prompt", which infermark sets itself: the workload gives the prompts (--workload, --dataset)`,
      ],
      [
        { messages: [] },
        `--extra-body sets "messages", which infermark sets itself: the workload gives the prompts (--workload, --dataset)`,
      ],
    ];
    for (const [extraBody, message] of cases)
      expect(() => resolveBenchOptions({ ...base, extraBody })).toThrow(message);
    // sampling and engine fields are the user's to add
    const extraBody = { temperature: 0, ignore_eos: true, stream_options: { include_usage: true } };
    expect(resolveBenchOptions({ ...base, extraBody }).extraBody).toEqual(extraBody);
  });
});
