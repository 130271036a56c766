import { promptText } from "./prompt-text.js";
import { simTokenize } from "./tokenizer.js";

/** A completions or chat request the server accepts. */
export interface CompletionRequest {
  /** The prompt's token ids. */
  ids: number[];
  maxTokens: number;
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk carries the usage. */
  usage: boolean;
}

/** Why a request is refused (a 400), in OpenAI's terms. */
export interface RequestError {
  message: string;
  param: string | null;
}

/**
 * Checks a completions (`chat` false) or chat completions body as vLLM does, in the same order, and
 * tokenizes its prompt. The first problem found is returned as a `RequestError`.
 * @example parseCompletionRequest({ prompt: "hi", max_tokens: 8 }, false, 4096, 256).maxTokens // 8
 */
export function parseCompletionRequest(
  body: Record<string, unknown>,
  chat: boolean,
  maxContext: number,
  defaultMaxTokens: number,
): CompletionRequest | RequestError {
  const prompt = promptText(body, chat);
  if (prompt === undefined)
    return chat
      ? { message: "messages must be a list of messages", param: "messages" }
      : {
          message: "prompt must be a string, a list of strings or a list of token ids",
          param: "prompt",
        };
  const rawMax = body.max_tokens ?? body.max_completion_tokens ?? defaultMaxTokens;
  if (typeof rawMax !== "number" || !Number.isInteger(rawMax) || rawMax < 1)
    return { message: "max_tokens must be a positive integer", param: "max_tokens" };
  if (body.n !== undefined && body.n !== null && body.n !== 1)
    return { message: "n must be 1: the simulator generates one choice per request", param: "n" };
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean")
    return { message: "stream must be a boolean", param: "stream" };
  // stop tokenizing once the prompt cannot fit: an oversized prompt must not hold the event loop (and every
  // other stream's tokens) for seconds
  const ids = typeof prompt === "string" ? simTokenize(prompt, maxContext) : prompt;
  const min = body.min_tokens;
  if (
    min !== undefined &&
    min !== null &&
    (typeof min !== "number" || !Number.isInteger(min) || min < 0 || min > rawMax)
  )
    return {
      message: "min_tokens must be a whole number from 0 to max_tokens",
      param: "min_tokens",
    };
  if (ids.length === 0)
    return { message: "the prompt is empty", param: chat ? "messages" : "prompt" };
  // a token id is an index into the vocabulary: -1 or 2.5 is a client's bug that vLLM refuses too
  if (typeof prompt !== "string" && !ids.every((id) => Number.isInteger(id) && id >= 0))
    return { message: "prompt token ids must be non-negative integers", param: "prompt" };
  if (ids.length + rawMax > maxContext) {
    const atLeast = ids.length > maxContext && typeof prompt === "string" ? "at least " : "";
    return {
      message: `This model's maximum context length is ${maxContext} tokens. However, you requested ${atLeast}${ids.length + rawMax} tokens (${atLeast}${ids.length} in the prompt, ${rawMax} in the completion). Please reduce the length of the prompt or completion.`,
      param: "max_tokens",
    };
  }
  const so = body.stream_options as { include_usage?: unknown } | undefined;
  return {
    ids,
    maxTokens: rawMax,
    stream: body.stream === true,
    usage: so?.include_usage === true,
  };
}
