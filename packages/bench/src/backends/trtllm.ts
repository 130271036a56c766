import type { BackendPreset } from "./types.js";

/**
 * TensorRT-LLM `trtllm-serve`: ignore_eos and min_tokens, continuous usage stats (asked for: off by default since
 * TensorRT-LLM#10644), token-id prompts. Its request models forbid unknown fields (HTTP 400).
 */
export const trtllm: BackendPreset = {
  name: "trtllm",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: true,
  tokenIdPrompts: true,
  versionProbes: [{ path: "/version", field: "version" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
