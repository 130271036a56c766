import type { BackendPreset } from "./types.js";

/**
 * llama.cpp `llama-server`: ignore_eos (no min_tokens), usage and `timings` at the end (completions: in the finishing
 * chunk; chat: a usage-only chunk when asked), token-id prompts. Its `/tokenize` takes `{content}`, not vLLM's shape.
 * Read in tools/server/server-task.cpp (`params_from_json_cmpl`: max_tokens, ignore_eos, stream_options).
 */
export const llamacpp: BackendPreset = {
  name: "llamacpp",
  ignoreEos: true,
  minTokens: false,
  continuousUsage: false,
  tokenIdPrompts: true,
  versionProbes: [{ path: "/props", field: "build_info" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
