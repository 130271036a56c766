import type { BackendPreset } from "./types.js";

/**
 * SGLang `sglang.launch_server`: ignore_eos and min_tokens, continuous usage stats (releases since
 * sglang#12241, October 2025; older ones ignore the field), token-id prompts, `/tokenize`. Its `/detokenize`
 * answers `{text}`, not vLLM's `{prompt}`, so it is not used.
 */
export const sglang: BackendPreset = {
  name: "sglang",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: true,
  tokenIdPrompts: true,
  tokenizePath: "/tokenize",
  versionProbes: [
    { path: "/get_server_info", field: "version" },
    { path: "/server_info", field: "version" },
  ],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
