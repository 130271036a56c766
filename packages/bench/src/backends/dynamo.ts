import type { BackendPreset } from "./types.js";

/**
 * NVIDIA Dynamo's OpenAI frontend: ignore_eos and min_tokens at the root of the request
 * (lib/llm/src/protocols/openai/common_ext.rs), usage in the last chunk only. It refuses fields it does not know
 * (completions.rs `validate_no_unsupported_fields`), so nothing else is sent. Its `/tokenize` and `/detokenize` mirror
 * vLLM's shapes, chat form included (lib/llm/src/http/service/tokenize.rs at ai-dynamo/dynamo 029ba6c, a 2026 tree);
 * the service.rs (86163ba, 02b7496) and service_v2.rs (00287ef) read declare or mount no such route, so a frontend
 * built from them answers 404, which `--tokenizer server` reports in one line before anything is sent.
 */
export const dynamo: BackendPreset = {
  name: "dynamo",
  ignoreEos: true,
  minTokens: true,
  continuousUsage: false,
  tokenIdPrompts: false,
  tokenize: {
    path: "/tokenize",
    shape: "vllm",
    detokenize: { path: "/detokenize", field: "prompt" },
  },
  versionProbes: [{ path: "/version", field: "version" }],
  dialect: { roleFirstDelta: true, reasoningField: "reasoning_content" },
};
