import type { BackendPreset } from "./types.js";

/**
 * llama.cpp `llama-server`: ignore_eos (no min_tokens), usage and `timings` at the end (completions: in the finishing
 * chunk; chat: a usage-only chunk when asked), token-id prompts. Its `/tokenize` takes `{content, add_special}` (BOS
 * not added by default, special-token text parsed) and answers `{tokens}`; a body without `content` answers no tokens,
 * so chat messages are never sent there; `/detokenize` takes `{tokens}` and answers `{content}` (server-context.cpp
 * `post_tokenize`, `post_detokenize`, at ggml-org/llama.cpp 001d906a, 2026). Read in tools/server/server-task.cpp
 * (`params_from_json_cmpl`: max_tokens, ignore_eos, stream_options).
 */
export const llamacpp: BackendPreset = {
  name: "llamacpp",
  ignoreEos: true,
  minTokens: false,
  continuousUsage: false,
  tokenIdPrompts: true,
  tokenize: {
    path: "/tokenize",
    shape: "llamacpp",
    detokenize: { path: "/detokenize", field: "content" },
  },
  versionProbes: [{ path: "/props", field: "build_info" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
