import { describe, expect, it } from "vitest";
import { resolveBenchOptions } from "./bench-options.js";

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
