import type { BackendPreset } from "./types.js";

/** NVIDIA Dynamo's OpenAI frontend: ignore_eos and min_tokens, usage in the last chunk only. */
export const dynamo: BackendPreset = {
  name: "dynamo",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: false,
  tokenIdPrompts: false,
  versionProbes: [{ path: "/version", field: "version" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
