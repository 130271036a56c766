import type { BackendPreset } from "./types.js";

/**
 * NVIDIA Dynamo's OpenAI frontend: ignore_eos and min_tokens at the root of the request
 * (lib/llm/src/protocols/openai/common_ext.rs), usage in the last chunk only. It refuses fields it does not know
 * (completions.rs `validate_no_unsupported_fields`), so nothing else is sent. No tokenize endpoint: the frontend
 * mounts metrics, models, health, live, busy threshold, its OpenAPI docs and the inference endpoints, nothing else
 * (lib/llm/src/http/service/service_v2.rs `build` and `get_endpoints_router`, read at ai-dynamo/dynamo 00287ef and
 * a21a0c7). The vLLM-shaped `/tokenize` and `/detokenize` of lib/llm/src/http/service/tokenize.rs (029ba6c) come
 * with ai-dynamo/dynamo#9012, still open (issue #9009), and no service_v2.rs read mounts them. So `--tokenizer
 * server` is refused in one line, as for trtllm-serve, instead of failing on a 404.
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
