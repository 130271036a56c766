import type { BackendPreset } from "./types.js";

/**
 * TensorRT-LLM `trtllm-serve`: ignore_eos and min_tokens, continuous usage stats (asked for: off by default since
 * TensorRT-LLM#10644), token-id prompts. Its request models forbid unknown fields (HTTP 400). No `/tokenize`; its
 * `/metrics` is JSON iteration statistics, not Prometheus text. Read in tensorrt_llm/serve/openai_protocol.py,
 * openai_server.py and postprocess_handlers.py.
 */
export const trtllm: BackendPreset = {
  name: "trtllm",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: true,
  tokenIdPrompts: true,
  versionProbes: [{ path: "/version", field: "version" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
