import type { BackendPreset } from "./types.js";

/** TensorRT-LLM `trtllm-serve`: ignore_eos and min_tokens, usage in the last chunk only, token-id prompts. */
export const trtllm: BackendPreset = {
  name: "trtllm",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: false,
  tokenIdPrompts: true,
  versionProbes: [{ path: "/version", field: "version" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
