import type { BackendPreset } from "./types.js";

/** Hosted OpenAI-compatible APIs: no ignore_eos or min_tokens; chat uses max_completion_tokens. */
export const openai: BackendPreset = {
  name: "openai",
  ignoreEos: false,
  minTokens: false,
  continuousUsage: false,
  tokenIdPrompts: false,
  chatMaxTokensField: "max_completion_tokens",
  versionProbes: [],
  dialect: { roleFirstDelta: true },
};
