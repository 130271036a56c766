import type { BackendPreset } from "./types.js";

/** vLLM `vllm serve`: honours ignore_eos and min_tokens, continuous usage stats, token-id prompts, /tokenize. */
export const vllm: BackendPreset = {
  name: "vllm",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: true,
  tokenIdPrompts: true,
  tokenizePath: "/tokenize",
  detokenizePath: "/detokenize",
  versionProbes: [{ path: "/version", field: "version" }],
  // `reasoning`; `reasoning_content` is its deprecated copy
  dialect: { roleFirstDelta: true, reasoningField: "reasoning" },
};
