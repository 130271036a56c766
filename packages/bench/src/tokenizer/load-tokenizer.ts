import type { BackendPreset } from "../backends/types.js";
import { TokenizerError } from "../errors.js";
import { builtinTokenizer } from "./builtin-tokenizer.js";
import { loadHfTokenizer } from "./hf-tokenizer.js";
import { serverTokenizer } from "./server-tokenizer.js";
import type { Tokenizer } from "./types.js";

/**
 * Resolves `--tokenizer`: `builtin` (default), `server` (the backend's /tokenize), or a path to a
 * Hugging Face tokenizer.json.
 */
export async function loadTokenizer(
  spec: string,
  server: {
    baseUrl: string;
    model: string;
    backend: BackendPreset;
    headers?: Record<string, string>;
    secrets?: readonly string[];
  },
): Promise<Tokenizer> {
  if (spec === "builtin") return builtinTokenizer();
  if (spec === "server") {
    const path = server.backend.tokenizePath;
    if (!path) {
      throw new TokenizerError(
        `--tokenizer server: backend ${server.backend.name} has no /tokenize endpoint; give a tokenizer.json path or builtin`,
      );
    }
    return serverTokenizer({
      baseUrl: server.baseUrl,
      model: server.model,
      tokenizePath: path,
      detokenizePath: server.backend.detokenizePath,
      headers: server.headers,
      secrets: server.secrets,
    });
  }
  return loadHfTokenizer(spec);
}
