import type { BackendPreset } from "./types.js";

/** llama.cpp `llama-server`: ignore_eos (no min_tokens), usage in the last chunk, token-id prompts. */
export const llamacpp: BackendPreset = {
  name: "llamacpp",
  ignoreEos: true,
  minTokens: false,
  continuousUsage: false,
  tokenIdPrompts: true,
  versionProbes: [{ path: "/props", field: "build_info" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
