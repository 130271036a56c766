import type { BackendPreset } from "./types.js";

/**
 * NVIDIA Dynamo's OpenAI frontend: ignore_eos and min_tokens at the root of the request
 * (lib/llm/src/protocols/openai/common_ext.rs), usage in the last chunk only. It refuses fields it does not know
 * (completions.rs `validate_no_unsupported_fields`), so nothing else is sent.
 */
export const dynamo: BackendPreset = {
  name: "dynamo",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: false,
  tokenIdPrompts: false,
  versionProbes: [{ path: "/version", field: "version" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
