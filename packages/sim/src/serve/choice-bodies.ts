import {
  chatLogprobs,
  completionLogprobs,
  type PositionLogprobs,
  positionLogprobs,
} from "./logprobs.js";

/** One choice of a request (of its `n`) as the engine generates it, and what has been sent of it. */
export interface ChoiceState {
  /** The text of each token it generates (a generated word; the last cut at a stop string). */
  pieces: string[];
  /** The stop string that ends it (its `stop_reason`, `finish_reason` "stop"); null when it ends on length. */
  stopReason: string | null;
  /** The text before its first token (the prompt's last token's): the context of that token's logprobs. */
  context: string;
  /** Tokens generated so far. */
  sent: number;
  /** Code points of text streamed so far: the `text_offset` of the next token. */
  textSent: number;
  /** A chunk has carried the finish_reason (the last token's, as vLLM sends it). */
  finished: boolean;
  /** The engine has finished it. */
  done: boolean;
}

/** What a choice's body is built from: the request's shape. */
export interface ChoiceShape {
  chat: boolean;
  /** The top tokens asked for per position; null when the request asks for no logprobs. */
  logprobs: number | null;
  /** The server's seed: the logprobs' too. */
  seed: number;
  /** `echo`: the prompt's token pieces (they join to the prompt's text); null without echo. */
  echo: { pieces: string[] } | null;
  /** `echo` with `max_tokens` 0: a choice is the prompt alone (its one generated token is not sent). */
  echoOnly: boolean;
}

/** Why a choice ends, as vLLM's choices say it: a stop string, else its length. */
export const finishReason = (c: ChoiceState) => (c.stopReason === null ? "length" : "stop");

/**
 * The logprobs of `pieces[from..to)`, each after the piece before it (`first` before the first piece), computed
 * when sent: a long completion's top lists are never all held at once. The prompt's first token has none (`none`).
 */
function positionsOf(
  shape: ChoiceShape,
  pieces: readonly string[],
  from: number,
  to: number,
  first: string,
  none = false,
): PositionLogprobs[] {
  const top = Math.max(1, shape.logprobs ?? 0);
  const out: PositionLogprobs[] = [];
  for (let i = from; i < to; i++)
    out.push(
      none && i === 0
        ? null
        : positionLogprobs(shape.seed, i === 0 ? first : pieces[i - 1]!, pieces[i]!, top),
    );
  return out;
}

/**
 * A choice's tokens from `from` to `to` with their logprobs (when asked), the prompt's before them when `from` is
 * 0 and the request echoes it (the prompt alone when it asks for no generated text), as vLLM's first chunk of an
 * echo holds them.
 */
function tokensOf(
  shape: ChoiceShape,
  c: ChoiceState,
  from: number,
  to: number,
): { pieces: string[]; positions: PositionLogprobs[] } {
  const end = shape.echoOnly ? from : to;
  const asked = shape.logprobs !== null;
  const own = {
    pieces: c.pieces.slice(from, end),
    positions: asked ? positionsOf(shape, c.pieces, from, end, c.context) : [],
  };
  if (!shape.echo || from > 0) return own;
  const prompt = shape.echo.pieces;
  return {
    pieces: [...prompt, ...own.pieces],
    positions: asked
      ? [...positionsOf(shape, prompt, 0, prompt.length, "", true), ...own.positions]
      : [],
  };
}

/** A choice's `logprobs` over `tokens` in the route's shape, the completions offsets from `offset`; null when not asked. */
function logprobsOf(
  shape: ChoiceShape,
  tokens: { pieces: string[]; positions: PositionLogprobs[] },
  offset: number,
): unknown {
  if (shape.logprobs === null) return null;
  return shape.chat
    ? chatLogprobs(tokens.pieces, tokens.positions, shape.logprobs)
    : completionLogprobs(tokens.pieces, tokens.positions, shape.logprobs, offset);
}

/**
 * The stream chunk's choice for tokens `from` to `to` of choice `index`, with the finish on its last token's
 * chunk; it moves the choice's text offset on.
 */
export function streamChoice(
  shape: ChoiceShape,
  c: ChoiceState,
  index: number,
  from: number,
  to: number,
  finish: string | null,
): Record<string, unknown> {
  const tokens = tokensOf(shape, c, from, to);
  const text = tokens.pieces.join("");
  const logprobs = logprobsOf(shape, tokens, c.textSent);
  for (const _ of text) c.textSent++;
  return shape.chat
    ? {
        index,
        delta: { content: text },
        logprobs,
        finish_reason: finish,
        // vLLM's chat chunks carry it with the finish only; its completions chunks, every one
        ...(finish ? { stop_reason: c.stopReason } : {}),
      }
    : { index, text, logprobs, finish_reason: finish, stop_reason: finish ? c.stopReason : null };
}

/** A stream's chunk that only finishes choice `index` (its last token's chunk did not). */
export function finishOnlyChoice(shape: ChoiceShape, c: ChoiceState, index: number) {
  const finish = finishReason(c);
  return shape.chat
    ? { index, delta: {}, logprobs: null, finish_reason: finish, stop_reason: c.stopReason }
    : { index, text: "", logprobs: null, finish_reason: finish, stop_reason: c.stopReason };
}

/** Choice `index` of a whole (non-streamed) response, with its logprobs when asked. */
export function wholeChoice(
  shape: ChoiceShape,
  c: ChoiceState,
  index: number,
): Record<string, unknown> {
  const tokens = tokensOf(shape, c, 0, c.pieces.length);
  const text = tokens.pieces.join("");
  const logprobs = logprobsOf(shape, tokens, 0);
  return shape.chat
    ? {
        index,
        // vLLM's message writes its tool calls, none here, as an empty list
        message: { role: "assistant", content: text, tool_calls: [] },
        logprobs,
        finish_reason: finishReason(c),
        stop_reason: c.stopReason,
      }
    : { index, text, logprobs, finish_reason: finishReason(c), stop_reason: c.stopReason };
}

/** A choice's state before it runs: its pieces, after the prompt's last piece `context`. */
export function choiceState(
  pieces: string[],
  stopReason: string | null,
  context: string,
): ChoiceState {
  return { pieces, stopReason, context, sent: 0, textSent: 0, finished: false, done: false };
}
