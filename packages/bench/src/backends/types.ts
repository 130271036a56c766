/** The API a benchmark drives. */
export type ApiKind = "completions" | "chat";

/**
 * What one serving engine's OpenAI-compatible server does differently: which request fields it
 * honours and which stream shapes it sends. Presets live one per file in `backends/`.
 */
export interface BackendPreset {
  name: BackendName;
  /** Accepts `ignore_eos: true` (top-level), so output runs to `max_tokens`. */
  ignoreEos: boolean;
  /** Accepts `min_tokens`, the other way to force an exact output length. */
  minTokens: boolean;
  /** Accepts `stream_options.continuous_usage_stats` (usage in every chunk: per-event token counts). */
  continuousUsage: boolean;
  /** Accepts a completions prompt given as token ids. */
  tokenIdPrompts: boolean;
  /** The server's tokenize endpoint (what `--tokenizer server` asks), if it has one. */
  tokenize?: TokenizeEndpoint;
  /** Name of the output-length field for chat requests. @default "max_tokens" */
  chatMaxTokensField?: "max_tokens" | "max_completion_tokens";
  /**
   * Where the server says which engine version it is, tried in order: `GET path` answering JSON whose `field`
   * holds the version (vLLM and trtllm-serve `/version`, SGLang `/get_server_info`, llama.cpp `/props`'
   * `build_info`, Ollama `/api/version`). Empty for hosted APIs.
   */
  versionProbes: readonly VersionProbe[];
  /** Stream quirks tests and docs rely on: a role-only first delta, reasoning deltas, usage-only last event. */
  dialect: { roleFirstDelta: boolean; reasoningField?: "reasoning_content" | "reasoning" };
}

/**
 * A server's tokenize endpoint: `POST path`, in `shape`:
 * - `vllm`: `{model, prompt, add_special_tokens}` -> `{tokens, count}`, and chat messages in vLLM's form
 *   `{model, messages, add_generation_prompt}` (messages a server refuses with a 4xx are counted from their text);
 * - `llamacpp`: `{content, add_special}` -> `{tokens}`, text only (a body without `content` answers no tokens).
 *
 * `detokenize`, when the server has one: `POST {tokens}` to its path, the text in the answer's `field`.
 */
export interface TokenizeEndpoint {
  path: string;
  shape: "vllm" | "llamacpp";
  detokenize?: { path: string; field: "prompt" | "text" | "content" };
}

/** One place a server may give its version: the JSON member `field` of `GET path`. */
export interface VersionProbe {
  path: string;
  field: string;
}

export const BACKEND_NAMES = [
  "vllm",
  "sglang",
  "trtllm",
  "dynamo",
  "llamacpp",
  "ollama",
  "openai",
] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
