import { request } from "undici";
import { serverRootPath } from "../client/request-body.js";
import { TokenizerError } from "../errors.js";
import { redact } from "../redact.js";
import type { ChatMessage } from "../workload/types.js";
import type { Tokenizer } from "./types.js";

/** Where and how to reach a server's tokenize endpoint (vLLM / SGLang shape). */
export interface ServerTokenizerOptions {
  baseUrl: string;
  model: string;
  tokenizePath: string;
  detokenizePath?: string;
  headers?: Record<string, string>;
  secrets?: readonly string[];
  /**
   * Messages that `/tokenize` is asked to count once, before anything is sent (a chat run gives
   * them). When the server counts them, chat messages are counted as the server renders them with
   * its own chat template (`chatTemplate: "server"`); when it refuses them (HTTP 4xx), they are
   * counted from their prompt text and `chatFallbackReason` says why.
   */
  chatProbe?: readonly ChatMessage[];
}

/** A server's answer: its status, its JSON body (undefined when not JSON) and its text. */
interface Answer {
  status: number;
  json: Record<string, unknown> | undefined;
  text: string;
}

/**
 * The server's own tokenizer through `POST /tokenize {model, prompt}` -> `{tokens, count}`
 * (and `POST /detokenize {model, tokens}` -> `{prompt}` when given). With `chatProbe`, chat
 * messages are counted through `POST /tokenize {model, messages, add_generation_prompt: true}`,
 * vLLM's chat form, when the server accepts it.
 * @example const t = await serverTokenizer({ baseUrl: "http://h:8000", model: "m", tokenizePath: "/tokenize" })
 */
export async function serverTokenizer(o: ServerTokenizerOptions): Promise<Tokenizer> {
  const root = new URL(o.baseUrl);
  const prefix = serverRootPath(root.pathname);
  const url = (path: string) => `${root.origin}${prefix}${path}`;
  const post = async (path: string, body: unknown): Promise<Answer> => {
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
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, json, text };
  };
  /** The body of a successful answer; throws a one-line `TokenizerError` for any other. */
  const okJson = (path: string, answer: Answer): Record<string, unknown> => {
    if (answer.status >= 400) {
      throw new TokenizerError(
        `--tokenizer server: ${url(path)} answered HTTP ${answer.status}; use --tokenizer builtin or a tokenizer.json`,
      );
    }
    if (typeof answer.json !== "object" || answer.json === null)
      throw new TokenizerError(`--tokenizer server: ${url(path)} did not answer JSON`);
    return answer.json;
  };
  const encode = async (text: string): Promise<number[]> => {
    const json = okJson(
      o.tokenizePath,
      await post(o.tokenizePath, { model: o.model, prompt: text, add_special_tokens: false }),
    );
    if (!Array.isArray(json.tokens)) {
      throw new TokenizerError(
        `--tokenizer server: ${url(o.tokenizePath)} answered without "tokens"`,
      );
    }
    return json.tokens as number[];
  };
  /** The server's count of chat messages, or why it refused them (a 4xx answer). */
  const chatCount = async (
    messages: readonly ChatMessage[],
  ): Promise<number | { refused: string; reason: string }> => {
    const answer = await post(o.tokenizePath, {
      model: o.model,
      messages,
      // the assistant's turn opened, the template's own special tokens only: what a chat request is served with
      add_generation_prompt: true,
      add_special_tokens: false,
    });
    if (answer.status >= 400 && answer.status < 500) {
      const reason = `HTTP ${answer.status}: ${errorMessage(answer, o.secrets ?? [])}`;
      return {
        reason,
        refused: `--tokenizer server: ${url(o.tokenizePath)} refused chat messages (${reason})`,
      };
    }
    const json = okJson(o.tokenizePath, answer);
    if (typeof json.count === "number") return json.count;
    if (Array.isArray(json.tokens)) return json.tokens.length;
    throw new TokenizerError(
      `--tokenizer server: ${url(o.tokenizePath)} answered chat messages without "count" or "tokens"`,
    );
  };
  /** Asks once whether the server counts chat messages: the chat counting, or why not. */
  const chatSupport = async (
    probe: readonly ChatMessage[],
  ): Promise<Pick<Tokenizer, "chatTemplate" | "countChat" | "chatFallbackReason">> => {
    const probed = await chatCount(probe);
    if (typeof probed !== "number") return { chatFallbackReason: probed.refused };
    return {
      chatTemplate: "server",
      countChat: async (messages) => {
        const counted = await chatCount(messages);
        if (typeof counted === "number") return counted;
        throw new TokenizerError(counted.refused, { cause: new Error(counted.reason) });
      },
    };
  };
  const tokenizer: Tokenizer = {
    name: `server:${url(o.tokenizePath)}`,
    encode,
    count: async (text) => (await encode(text)).length,
    ...(o.chatProbe && (await chatSupport(o.chatProbe))),
  };
  const detok = o.detokenizePath;
  if (detok) {
    tokenizer.decode = async (ids) => {
      const json = okJson(detok, await post(detok, { model: o.model, tokens: ids }));
      if (typeof json.prompt !== "string") {
        throw new TokenizerError(`--tokenizer server: ${url(detok)} answered without "prompt"`);
      }
      return json.prompt;
    };
  }
  return tokenizer;
}

/**
 * The first line of a refusal's message (OpenAI, vLLM and FastAPI error shapes), at most 200 characters, `secrets`
 * redacted before the cut (so the cut never leaves a key's first characters).
 */
function errorMessage(answer: Answer, secrets: readonly string[]): string {
  const json = answer.json as
    | { error?: { message?: unknown } | string; message?: unknown; detail?: unknown }
    | undefined;
  const nested = typeof json?.error === "object" ? json.error?.message : json?.error;
  const message = [nested, json?.message, json?.detail].find((m) => m !== undefined);
  const text =
    message === undefined
      ? answer.text
      : typeof message === "string"
        ? message
        : JSON.stringify(message);
  const line = redact(text.split("\n")[0]!.trim(), secrets) || "no message";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
