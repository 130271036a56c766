import { logprobsLimitError, outputFields } from "./output-fields.js";
import { messagesError, promptBatchSize, promptText } from "./prompt-text.js";
import { keptTokens, truncationOf } from "./prompt-truncation.js";
import { samplingFieldError } from "./sampling-fields.js";
import { structuredOutputError } from "./structured-output-fields.js";
import { tokenIdFieldError } from "./token-id-fields.js";
import { outOfVocabulary, simTokenize } from "./tokenizer.js";
import { pyInt, vllmValidation } from "./vllm-words.js";

/** The most tokens the choices of one request may add up to (n x max_tokens). */
export const MAX_CHOICE_TOKENS = 4_194_304;

/** A completions or chat request the server accepts. */
export interface CompletionRequest {
  /** The prompt: its text as sent (a chat's messages joined), or the token ids kept (`truncate_prompt_tokens`). */
  prompt: string | number[];
  /** The prompt's token ids the engine runs: the last `truncate_prompt_tokens` of them when given. */
  ids: number[];
  /** `truncate_prompt_tokens` cut the prompt: a text prompt's tokens past the first `ids.length` are gone. */
  truncated: boolean;
  /** The tokens the engine generates for each choice (1 for `echo` with `max_tokens` 0, as vLLM runs it). */
  maxTokens: number;
  /** `n`: the choices generated for the prompt. */
  n: number;
  /** The top tokens asked for at each position (-1 is refused); null when no logprobs are asked for. */
  logprobs: number | null;
  /** Completions' `echo`: each choice's text starts with the prompt. */
  echo: boolean;
  /** `echo` with `max_tokens` 0: each choice is the prompt alone. */
  echoOnly: boolean;
  /** `temperature` 0: greedy sampling, so the n choices are the same. */
  greedy: boolean;
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk carries the usage. */
  usage: boolean;
  /** `stream_options.continuous_usage_stats` beside `include_usage`: every chunk carries the usage so far. */
  continuousUsage: boolean;
  /** The stop strings (`stop`), none when it gives none. */
  stop: string[];
  /** `min_tokens`: no stop string ends the completion before that many tokens. */
  minTokens: number;
  /** `include_stop_str_in_output`: the text sent ends after the stop string, not before it. */
  includeStopStr: boolean;
}

/** Why a request is refused (a 400), in OpenAI's terms. */
export interface RequestError {
  message: string;
  param: string | null;
}

/** What a request is checked against: the served model's limits and the server's default. */
export interface RequestLimits {
  /** The context length served (prompt + max_tokens). */
  maxContext: number;
  /** The model's vocabulary size: a prompt's token ids are below it. */
  vocab: number;
  /** max_tokens of a request that gives none. */
  defaultMaxTokens: number;
}

/**
 * Checks a completions (`chat` false) or chat completions body as vLLM does, in the same order, and
 * tokenizes its prompt. The first problem found is returned as a `RequestError`.
 * @example parseCompletionRequest({ prompt: "hi", max_tokens: 8 }, false, { maxContext: 4096, vocab: 129280, defaultMaxTokens: 256 }).maxTokens // 8
 */
export function parseCompletionRequest(
  body: Record<string, unknown>,
  chat: boolean,
  limits: RequestLimits,
): CompletionRequest | RequestError {
  const { maxContext, vocab, defaultMaxTokens } = limits;
  // vLLM's request model refuses a completions prompt that is absent or "" first of all
  if (!chat && (body.prompt === undefined || body.prompt === null || body.prompt === ""))
    return vllmValidation(
      "Either prompt or prompt_embeds must be provided and non-empty.",
      "prompt",
    );
  const batch = chat ? 1 : promptBatchSize(body);
  // it joined them into one prompt and answered one choice, where vLLM answers a choice per prompt
  if (batch > 1)
    return {
      message: `a batch of ${batch} prompts: the simulator answers one prompt per request; send each as a request of its own`,
      param: "prompt",
    };
  // vLLM's words, which fill-in-the-middle clients match to fall back to the prefix alone
  if (!chat && body.suffix !== undefined && body.suffix !== null)
    return { message: "suffix is not currently supported", param: null };
  const messages = chat ? messagesError(body.messages) : undefined;
  if (messages) return { message: messages, param: "messages" };
  const prompt = promptText(body, chat);
  if (prompt === undefined)
    return { message: "prompt must be a string or a list of token ids", param: "prompt" };
  // vLLM's chat takes max_completion_tokens over the deprecated max_tokens
  const given = (field: string) => body[field] !== undefined && body[field] !== null;
  const maxField =
    (chat ? ["max_completion_tokens", "max_tokens"] : ["max_tokens", "max_completion_tokens"]).find(
      given,
    ) ?? "max_tokens";
  const maxGiven = given(maxField);
  // a pydantic int, which reads true as 1 and "16" as 16
  const rawMax = pyInt(maxGiven ? body[maxField] : defaultMaxTokens);
  const output = outputFields(body, chat);
  if ("message" in output) return output;
  // vLLM's echo of the prompt alone: the engine still generates (and usage counts) one token
  const echoOnly = output.echo && rawMax === 0;
  if (typeof rawMax !== "number" || !Number.isInteger(rawMax) || (rawMax < 1 && !echoOnly))
    return { message: `${maxField} must be a positive integer`, param: maxField };
  // each choice's words are made before it runs: a bound on what one request holds in memory
  if (output.n * Math.max(1, rawMax) > MAX_CHOICE_TOKENS)
    return {
      message: `n x max_tokens is ${output.n * Math.max(1, rawMax)} tokens: the simulator holds at most ${MAX_CHOICE_TOKENS} per request; ask for fewer choices or tokens`,
      param: "n",
    };
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean")
    return { message: "stream must be a boolean", param: "stream" };
  const so = body.stream_options;
  if (so !== undefined && so !== null) {
    if (typeof so !== "object" || Array.isArray(so))
      return { message: "stream_options must be an object", param: "stream_options" };
    // vLLM's check and words: options of a stream on a request that does not stream
    if (Object.keys(so).length > 0 && body.stream !== true)
      return {
        message: "Stream options can only be defined when `stream=True`.",
        param: "stream_options",
      };
  }
  const truncate = truncationOf(body.truncate_prompt_tokens);
  if (typeof truncate === "object") return truncate;
  const sampling = samplingFieldError(body, chat) ?? structuredOutputError(body, chat);
  if (sampling) return sampling;
  // vLLM keeps the prompt within the context less the max tokens the request gives: completions' max_tokens is 16
  // when absent, chat's none, and none (null too) leaves the whole context
  const budget = maxGiven ? rawMax : !chat && body.max_tokens === undefined ? defaultMaxTokens : 0;
  const keep = keptTokens(truncate, maxContext - budget, maxField);
  if (typeof keep === "object") return keep;
  // stop tokenizing once the prompt cannot fit: an oversized prompt must not hold the event loop (and every
  // other stream's tokens) for seconds; a truncated one is read whole, as vLLM's tokenizer reads it, to keep its end
  const sent =
    typeof prompt === "string"
      ? simTokenize(prompt, keep === undefined ? maxContext : undefined)
      : prompt;
  const truncated = keep !== undefined && keep < sent.length;
  const ids = truncated ? sent.slice(sent.length - keep) : sent;
  // without a budget vLLM generates up to the end of the context: the default stands in for where a model would
  // stop, cut to the context the prompt leaves
  const generated = budget > 0 ? rawMax : Math.min(rawMax, Math.max(0, maxContext - ids.length));
  const min = pyInt(body.min_tokens);
  if (
    min !== undefined &&
    min !== null &&
    (typeof min !== "number" || !Number.isInteger(min) || min < 0 || min > generated)
  )
    return {
      message: "min_tokens must be a whole number from 0 to max_tokens",
      param: "min_tokens",
    };
  // vLLM's engine words for a prompt of no tokens (the simulator has no BOS token and no chat template to add any)
  if (ids.length === 0) return { message: "The decoder prompt cannot be empty", param: null };
  // a token id is an index into the vocabulary: -1 or 2.5 is a client's bug that vLLM's request model refuses too,
  // in every id sent, before any is cut
  if (typeof prompt !== "string" && !sent.every((id) => Number.isInteger(id) && id >= 0))
    return { message: "prompt token ids must be non-negative integers", param: "prompt" };
  if (ids.length + generated > maxContext) {
    const atLeast = ids.length > maxContext && typeof prompt === "string" ? "at least " : "";
    return {
      message: `This model's maximum context length is ${maxContext} tokens. However, you requested ${atLeast}${ids.length + generated} tokens (${atLeast}${ids.length} in the prompt, ${generated} in the completion). Please reduce the length of the prompt or completion.`,
      param: "max_tokens",
    };
  }
  // a prompt that fills the context leaves vLLM's derived max_tokens at 0, which its SamplingParams refuse
  if (generated === 0 && !echoOnly)
    return vllmValidation("max_tokens must be at least 1, got 0.", "max_tokens", "0");
  // vLLM's checks and words, once the prompt fits (its engine checks the sampling fields' ids, then the prompt's,
  // after the renderer checks length)
  const tokenIds = tokenIdFieldError(body, vocab) ?? logprobsLimitError(output.logprobs, vocab);
  if (tokenIds) return tokenIds;
  const outside = typeof prompt === "string" ? undefined : outOfVocabulary(ids, vocab);
  if (outside) return { message: outside, param: null };
  // vLLM's engine refuses a priority unless started with --scheduling-policy priority, which the simulator is not
  if (typeof body.priority === "number" && body.priority !== 0)
    return {
      message: `Got priority ${body.priority} but Priority scheduling is not enabled.`,
      param: null,
    };
  const options = (so ?? {}) as { include_usage?: unknown; continuous_usage_stats?: unknown };
  const usage = options.include_usage === true;
  const stop = body.stop ?? [];
  return {
    prompt: typeof prompt === "string" ? prompt : ids,
    ids,
    truncated,
    maxTokens: Math.max(1, generated),
    ...output,
    echoOnly,
    greedy: body.temperature === 0,
    stream: body.stream === true,
    usage,
    continuousUsage: usage && options.continuous_usage_stats === true,
    stop: typeof stop === "string" ? [stop] : (stop as string[]),
    minTokens: typeof min === "number" ? min : 0,
    includeStopStr: body.include_stop_str_in_output === true,
  };
}
