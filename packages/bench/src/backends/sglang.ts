import type { BackendPreset } from "./types.js";

/** SGLang `sglang.launch_server`: ignore_eos and min_tokens, continuous usage stats, token-id prompts. */
export const sglang: BackendPreset = {
  name: "sglang",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: true,
  tokenIdPrompts: true,
  tokenizePath: "/tokenize",
  detokenizePath: "/detokenize",
  versionProbes: [
    { path: "/get_server_info", field: "version" },
    { path: "/server_info", field: "version" },
  ],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
