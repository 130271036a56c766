import type { BackendPreset } from "./types.js";

/**
 * Ollama's `/v1` compatibility API: honours max_tokens only (output may stop early at EOS); usage in streams
 * when asked (0.5.2 on), reasoning deltas as `reasoning` (0.11 on), role in the first delta beside its content.
 * Read in openai/openai.go (requests: a string prompt, max_tokens as num_predict) and middleware/openai.go.
 */
export const ollama: BackendPreset = {
  name: "ollama",
  ignoreEos: false,
  minTokens: false,
  continuousUsage: false,
  tokenIdPrompts: false,
  versionProbes: [{ path: "/api/version", field: "version" }],
  dialect: { roleFirstDelta: false, reasoningField: "reasoning" },
};
