import type { BackendPreset } from "../backends/types.js";
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
 * Resolves `--tokenizer`: `builtin` (default), `server` (the backend's /tokenize), or a path to a
 * Hugging Face tokenizer.json.
 */
export async function loadTokenizer(spec: string, ctx: TokenizerContext): Promise<Tokenizer> {
  if (spec === "builtin") return builtinTokenizer();
  if (spec === "server") {
    const path = ctx.backend.tokenizePath;
    if (!path) {
      throw new TokenizerError(
        `--tokenizer server: backend ${ctx.backend.name} has no /tokenize endpoint; give a tokenizer.json path or builtin`,
      );
    }
    return serverTokenizer({
      baseUrl: ctx.baseUrl,
      model: ctx.model,
      tokenizePath: path,
      detokenizePath: ctx.backend.detokenizePath,
      headers: ctx.headers,
      secrets: ctx.secrets,
      chatProbe: ctx.chatProbe,
    });
  }
  const tokenizer = await loadHfTokenizer(spec);
  if (ctx.chatProbe && tokenizer.countChat) await tokenizer.countChat(ctx.chatProbe);
  return tokenizer;
}
