import type { BackendPreset } from "./types.js";

/**
 * vLLM `vllm serve`: honours ignore_eos and min_tokens, continuous usage stats, token-id prompts, /tokenize. Read in
 * vllm/entrypoints/openai/completion/protocol.py (prompt as token ids, ignore_eos, min_tokens), engine/protocol.py
 * (StreamOptions, DeltaMessage), serve/tokenize/protocol.py and serve/instrumentator/basic.py (`/version`).
 */
export const vllm: BackendPreset = {
  name: "vllm",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: true,
  tokenIdPrompts: true,
  tokenize: {
    path: "/tokenize",
    shape: "vllm",
    detokenize: { path: "/detokenize", field: "prompt" },
  },
  versionProbes: [{ path: "/version", field: "version" }],
  // `reasoning` since vllm#27752 (November 2025), with `reasoning_content` a copy until vllm#33402 (January 2026) removed
  // it; older releases send `reasoning_content` alone. Either is read (classifyEvent)
  dialect: { roleFirstDelta: true, reasoningField: "reasoning" },
};
