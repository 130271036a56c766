import { request } from "undici";
import { TokenizerError } from "../errors.js";
import { redact } from "../redact.js";
import type { Tokenizer } from "./types.js";

/** Where and how to reach a server's tokenize endpoint (vLLM / SGLang shape). */
export interface ServerTokenizerOptions {
  baseUrl: string;
  model: string;
  tokenizePath: string;
  detokenizePath?: string;
  headers?: Record<string, string>;
  secrets?: readonly string[];
}

/**
 * The server's own tokenizer through `POST /tokenize {model, prompt}` -> `{tokens, count}`
 * (and `POST /detokenize {model, tokens}` -> `{prompt}` when given).
 * @example const t = serverTokenizer({ baseUrl: "http://h:8000", model: "m", tokenizePath: "/tokenize" })
 */
export function serverTokenizer(o: ServerTokenizerOptions): Tokenizer {
  const root = new URL(o.baseUrl);
  const prefix = root.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
  const url = (path: string) => `${root.origin}${prefix}${path}`;
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url(path), {
        method: "POST",
        headers: { "content-type": "application/json", ...o.headers },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new TokenizerError(
        redact(
          `--tokenizer server: cannot reach ${url(path)} (${(error as Error).message})`,
          o.secrets ?? [],
        ),
        { cause: error },
      );
    }
    const text = await res.body.text();
    if (res.statusCode >= 400) {
      throw new TokenizerError(
        `--tokenizer server: ${url(path)} answered HTTP ${res.statusCode}; use --tokenizer builtin or a tokenizer.json`,
      );
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new TokenizerError(`--tokenizer server: ${url(path)} did not answer JSON`);
    }
  };
  const encode = async (text: string): Promise<number[]> => {
    const json = await post(o.tokenizePath, {
      model: o.model,
      prompt: text,
      add_special_tokens: false,
    });
    if (!Array.isArray(json.tokens)) {
      throw new TokenizerError(
        `--tokenizer server: ${url(o.tokenizePath)} answered without "tokens"`,
      );
    }
    return json.tokens as number[];
  };
  const tokenizer: Tokenizer = {
    name: `server:${url(o.tokenizePath)}`,
    encode,
    count: async (text) => (await encode(text)).length,
  };
  const detok = o.detokenizePath;
  if (detok) {
    tokenizer.decode = async (ids) => {
      const json = await post(detok, { model: o.model, tokens: ids });
      if (typeof json.prompt !== "string") {
        throw new TokenizerError(`--tokenizer server: ${url(detok)} answered without "prompt"`);
      }
      return json.prompt;
    };
  }
  return tokenizer;
}
