import type { BackendPreset } from "./types.js";

/**
 * SGLang `sglang.launch_server`: ignore_eos and min_tokens, continuous usage stats (releases since
 * sglang#12241, October 2025; older ones ignore the field), token-id prompts. Its `/tokenize` takes vLLM's
 * `{model, prompt, add_special_tokens}` and answers `{tokens, count, max_model_len}`; it has no chat form (messages are
 * refused, so chat prompts are counted from their text); its `/detokenize` answers `{text}`, not vLLM's `{prompt}`
 * (serving_tokenize.py at sgl-project/sglang 0351c1f). Read in python/sglang/srt/entrypoints/openai/
 * serving_completions.py (min_new_tokens, ignore_eos, token-id prompts), serving_tokenize.py and http_server.py.
 */
export const sglang: BackendPreset = {
  name: "sglang",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: true,
  tokenIdPrompts: true,
  tokenize: {
    path: "/tokenize",
    shape: "vllm",
    detokenize: { path: "/detokenize", field: "text" },
  },
  versionProbes: [
    { path: "/get_server_info", field: "version" },
    { path: "/server_info", field: "version" },
  ],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
