import { BACKENDS } from "../backends/index.js";
import type { BackendPreset, TokenizeEndpoint } from "../backends/types.js";
import { TokenizerError } from "../errors.js";
import type { ChatMessage } from "../workload/types.js";
import { builtinTokenizer } from "./builtin-tokenizer.js";
import { loadHfTokenizer } from "./hf-tokenizer.js";
import { serverTokenizer } from "./server-tokenizer.js";
import type { Tokenizer } from "./types.js";

/** What `loadTokenizer` needs besides `--tokenizer`: the server, and for a chat run the probe messages. */
export interface TokenizerContext {
  baseUrl: string;
  model: string;
  backend: BackendPreset;
  headers?: Record<string, string>;
  secrets?: readonly string[];
  /**
   * For a chat run: messages that chat counting is tried on once, before anything is sent. A
   * tokenizer.json's chat template that cannot render them throws; a server that refuses them
   * leaves chat messages counted from their prompt text (`chatFallbackReason`).
   */
  chatProbe?: readonly ChatMessage[];
}

/**
 * Resolves `--tokenizer`: `builtin` (default), `server` (the backend's tokenize endpoint, in its shape; asked once
 * before it is returned), or a Hugging Face tokenizer.json read from disk: its path, a model's folder holding it, or
 * a model id `org/name` in the local Hugging Face cache (`findTokenizerFile`).
 */
export async function loadTokenizer(spec: string, ctx: TokenizerContext): Promise<Tokenizer> {
  if (spec === "builtin") return builtinTokenizer();
  if (spec === "server") {
    return serverTokenizer({
      baseUrl: ctx.baseUrl,
      model: ctx.model,
      endpoint: checkServerTokenizer(ctx.backend),
      headers: ctx.headers,
      secrets: ctx.secrets,
      chatProbe: ctx.chatProbe,
    });
  }
  const tokenizer = await loadHfTokenizer(spec);
  if (ctx.chatProbe && tokenizer.countChat) await tokenizer.countChat(ctx.chatProbe);
  return tokenizer;
}

/**
 * The tokenize endpoint `--tokenizer server` asks of `backend`'s server, or a one-line `TokenizerError` for a backend
 * whose server has none (trtllm-serve, Ollama, hosted APIs): pure, so options can be checked before any server is
 * waited for.
 * @example checkServerTokenizer(BACKENDS.llamacpp).shape // "llamacpp"
 */
export function checkServerTokenizer(backend: BackendPreset): TokenizeEndpoint {
  if (backend.tokenize) return backend.tokenize;
  const having = Object.values(BACKENDS)
    .filter((b) => b.tokenize)
    .map((b) => b.name);
  throw new TokenizerError(
    `--tokenizer server: the ${backend.name} backend's server has no tokenize endpoint; use --tokenizer builtin or a tokenizer.json path (servers with one: ${having.join(", ")})`,
  );
}
