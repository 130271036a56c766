import { request } from "undici";
import type { TokenizeEndpoint } from "../backends/types.js";
import { serverRootPath } from "../client/request-body.js";
import { TokenizerError } from "../errors.js";
import { redact } from "../redact.js";
import type { ChatMessage } from "../workload/types.js";
import type { Tokenizer } from "./types.js";

/** Tokenized once when the tokenizer is made, so that a server that cannot tokenize stops a run before it starts. */
const PROBE_TEXT = "infermark asks whether this server tokenizes";

/** Where and how to reach a server's tokenize endpoint. */
export interface ServerTokenizerOptions {
  baseUrl: string;
  model: string;
  /** The endpoint and the shape it speaks (a backend preset's `tokenize`). */
  endpoint: TokenizeEndpoint;
  headers?: Record<string, string>;
  secrets?: readonly string[];
  /**
   * Messages that `/tokenize` is asked to count once, before anything is sent (a chat run gives
   * them). When the server counts them, chat messages are counted as the server renders them with
   * its own chat template (`chatTemplate: "server"`); when it refuses them (HTTP 4xx), they are
   * counted from their prompt text and `chatFallbackReason` says why. An endpoint that counts text only (llama.cpp's)
   * is never sent messages: they are counted from their prompt text, and `chatFallbackReason` says so.
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
 * The server's own tokenizer through its tokenize endpoint, in the endpoint's shape (`TokenizeEndpoint`: vLLM's
 * `POST /tokenize {model, prompt}` -> `{tokens, count}`, llama.cpp's `{content}` -> `{tokens}`), and its detokenize
 * endpoint when it has one. A short text is tokenized once before it is returned: an endpoint that is missing (HTTP
 * 404) or answers otherwise than its shape throws a one-line `TokenizerError`. With `chatProbe`, chat messages are
 * counted through vLLM's chat form `POST /tokenize {model, messages, add_generation_prompt: true}` when the server
 * accepts it.
 * @example const t = await serverTokenizer({ baseUrl: "http://h:8000", model: "m", endpoint: BACKENDS.vllm.tokenize! })
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
  const { path, shape, detokenize } = o.endpoint;
  const encode = async (text: string): Promise<number[]> => {
    // the text's own tokens: no BOS or other special token added (a chat request's template writes its own)
    const body =
      shape === "llamacpp"
        ? { model: o.model, content: text, add_special: false }
        : { model: o.model, prompt: text, add_special_tokens: false };
    const json = okJson(path, await post(path, body));
    if (!Array.isArray(json.tokens) || json.tokens.some((t) => typeof t !== "number")) {
      throw new TokenizerError(
        `--tokenizer server: ${url(path)} answered without "tokens" (a list of token ids)`,
      );
    }
    return json.tokens as number[];
  };
  /** The server's count of chat messages, or why it refused them (a 4xx answer). */
  const chatCount = async (
    messages: readonly ChatMessage[],
  ): Promise<number | { refused: string; reason: string }> => {
    const answer = await post(path, {
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
        refused: `--tokenizer server: ${url(path)} refused chat messages (${reason})`,
      };
    }
    const json = okJson(path, answer);
    if (typeof json.count === "number") return json.count;
    if (Array.isArray(json.tokens)) return json.tokens.length;
    throw new TokenizerError(
      `--tokenizer server: ${url(path)} answered chat messages without "count" or "tokens"`,
    );
  };
  /** Asks once whether the server counts chat messages: the chat counting, or why not. */
  const chatSupport = async (
    probe: readonly ChatMessage[],
  ): Promise<Pick<Tokenizer, "chatTemplate" | "countChat" | "chatFallbackReason">> => {
    // llama.cpp's /tokenize answers a body without `content` with no tokens: messages would count as none
    if (shape === "llamacpp")
      return {
        chatFallbackReason: `--tokenizer server: ${url(path)} (llama.cpp's) counts text, not chat messages`,
      };
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
  await encode(PROBE_TEXT);
  const tokenizer: Tokenizer = {
    name: `server:${url(path)}`,
    encode,
    count: async (text) => (await encode(text)).length,
    ...(o.chatProbe && (await chatSupport(o.chatProbe))),
  };
  if (detokenize) {
    tokenizer.decode = async (ids) => {
      const json = okJson(
        detokenize.path,
        await post(detokenize.path, { model: o.model, tokens: ids }),
      );
      const text = json[detokenize.field];
      if (typeof text !== "string") {
        throw new TokenizerError(
          `--tokenizer server: ${url(detokenize.path)} answered without "${detokenize.field}"`,
        );
      }
      return text;
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
