import { describe, expect, it } from "vitest";
import { BACKENDS } from "./index.js";

describe("backend presets", () => {
  it("ask for continuous usage only of the engines that give per-event token counts", () => {
    const asking = Object.values(BACKENDS)
      .filter((b) => b.continuousUsage)
      .map((b) => b.name);
    expect(asking).toEqual(["vllm", "sglang", "trtllm"]);
  });

  it("name each server's tokenize endpoint in its shape, and the member its detokenize answers with", () => {
    const endpoints = Object.values(BACKENDS).map((b) => [
      b.name,
      b.tokenize && `${b.tokenize.shape} ${b.tokenize.path} ${b.tokenize.detokenize?.field}`,
    ]);
    expect(endpoints).toEqual([
      ["vllm", "vllm /tokenize prompt"],
      // SGLang's /detokenize answers {text}
      ["sglang", "vllm /tokenize text"],
      ["trtllm", undefined],
      // Dynamo's frontend mounts none
      ["dynamo", undefined],
      ["llamacpp", "llamacpp /tokenize content"],
      ["ollama", undefined],
      ["openai", undefined],
    ]);
  });
});
