import { describe, expect, it } from "vitest";
import { loadTokenizer } from "../tokenizer/load-tokenizer.js";
import { BACKENDS } from "./index.js";

describe("backend presets", () => {
  it("ask for continuous usage only of the engines that give per-event counts", () => {
    const asking = Object.values(BACKENDS)
      .filter((b) => b.continuousUsage)
      .map((b) => b.name);
    expect(asking).toEqual(["vllm", "sglang", "trtllm"]);
  });

  it("give the server tokenizer no decode for SGLang, whose /detokenize answers {text}, not {prompt}", async () => {
    // nothing is asked of the server until a text is encoded: the address is never reached
    const base = { baseUrl: "http://127.0.0.1:9", model: "m" };
    const sglang = await loadTokenizer("server", { ...base, backend: BACKENDS.sglang });
    const vllm = await loadTokenizer("server", { ...base, backend: BACKENDS.vllm });
    expect(sglang.decode).toBeUndefined();
    expect(typeof vllm.decode).toBe("function");
  });
});
