import type { BackendPreset } from "./types.js";

/** Ollama's `/v1` compatibility API: honours max_tokens only (output may stop early at EOS). */
export const ollama: BackendPreset = {
  name: "ollama",
  ignoreEos: false,
  minTokens: false,
  continuousUsage: false,
  tokenIdPrompts: false,
  versionProbes: [{ path: "/api/version", field: "version" }],
  dialect: { roleFirstDelta: false, reasoningField: "reasoning" },
};
