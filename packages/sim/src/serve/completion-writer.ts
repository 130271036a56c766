import type { ServerResponse } from "node:http";
import type { RequestTimeline } from "../engine/types.js";
import {
  type ChoiceShape,
  type ChoiceState,
  finishOnlyChoice,
  finishReason,
  streamChoice,
  wholeChoice,
} from "./choice-bodies.js";
import { openAiError, sendJson } from "./openai-error.js";
import { SERVER_STAMP_FIELD } from "./server-timestamps.js";

/** A request the engine is generating for (its `n` choices), and what has been sent back of it. */
export interface PendingCompletion extends ChoiceShape {
  stream: boolean;
  usage: boolean;
  /** Every chunk carries the usage so far (`stream_options.continuous_usage_stats`). */
  continuousUsage: boolean;
  stamps: boolean;
  res: ServerResponse;
  promptTokens: number;
  /** Its choices, by `index`. */
  choices: ChoiceState[];
  /** The stream's headers (and a chat stream's role chunks) are sent. */
  started: boolean;
  /** The prompt tokens the prefix cache served (choice 0's, which prefilled the prompt). */
  cachedTokens: number;
  created: number;
  requestId: string;
}

const wallMs = () => performance.timeOrigin + performance.now();

function chunk(
  p: PendingCompletion,
  modelName: string,
  choice: Record<string, unknown> | null,
  usage?: Record<string, unknown>,
): string {
  const body: Record<string, unknown> = {
    id: p.requestId,
    object: p.chat ? "chat.completion.chunk" : "text_completion",
    created: p.created,
    model: modelName,
    choices: choice ? [choice] : [],
  };
  const counts =
    usage ?? (p.continuousUsage && choice ? usageSoFar(p, choice.index as number) : undefined);
  if (counts) body.usage = counts;
  if (p.stamps) body[SERVER_STAMP_FIELD] = wallMs();
  return `data: ${JSON.stringify(body)}\n\n`;
}

// what vLLM's continuous usage stats put in each chunk: the tokens of its choice generated up to and with it
function usageSoFar(p: PendingCompletion, index: number) {
  const sent = p.choices[index]!.sent;
  return {
    prompt_tokens: p.promptTokens,
    completion_tokens: sent,
    total_tokens: p.promptTokens + sent,
  };
}

// the prompt counted once, the completion tokens of every choice summed, as vLLM counts them; the prompt tokens
// the prefix cache served as OpenAI (and vLLM with --enable-prompt-tokens-details) report them, null without that
// flag, as a default vLLM sends it
function usageOf(p: PendingCompletion, promptTokensDetails: boolean) {
  const completion = p.choices.reduce((sum, c) => sum + c.sent, 0);
  return {
    prompt_tokens: p.promptTokens,
    completion_tokens: completion,
    total_tokens: p.promptTokens + completion,
    prompt_tokens_details: promptTokensDetails ? { cached_tokens: p.cachedTokens } : null,
  };
}

/**
 * Takes `count` more generated tokens of choice `index`; a stream sends their text as a chunk (after the headers,
 * on the first), the last of them with the finish_reason and stop_reason, as vLLM sends it.
 */
export function writeTokens(
  p: PendingCompletion,
  index: number,
  count: number,
  modelName: string,
): void {
  const c = p.choices[index]!;
  const streaming = p.stream && !p.res.destroyed;
  // the role chunks go before these tokens: their usage so far counts none of them
  if (streaming && !p.started) startStream(p, modelName);
  const from = c.sent;
  c.sent += count;
  if (!streaming) return;
  const finish = c.sent >= c.pieces.length ? finishReason(c) : null;
  c.finished = finish !== null;
  p.res.write(chunk(p, modelName, streamChoice(p, c, index, from, c.sent, finish)));
}

/** The headers of a stream, and a chat stream's role chunk for each choice, as vLLM sends them. */
function startStream(p: PendingCompletion, modelName: string): void {
  p.started = true;
  p.res.writeHead(200, {
    // Starlette's type for vLLM's streams: it adds the charset to every text/ type
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  if (p.chat)
    for (const index of p.choices.keys())
      p.res.write(
        chunk(p, modelName, {
          index,
          delta: { role: "assistant", content: "" },
          logprobs: null,
          finish_reason: null,
        }),
      );
}

/**
 * Takes the end of choice `index`: a stream whose last chunk did not carry its finish gets a chunk that does;
 * once every choice has ended, the whole completion, or a stream's usage (when asked) and `data: [DONE]`. A 400
 * when the prompt could never fit.
 */
export function writeFinish(
  p: PendingCompletion,
  index: number,
  timeline: RequestTimeline,
  modelName: string,
  promptTokensDetails: boolean,
): void {
  if (timeline.rejected) {
    openAiError(p.res, 400, "the prompt does not fit the KV cache of one worker", "prompt");
    if (!p.res.writableEnded) p.res.end();
    return;
  }
  const c = p.choices[index]!;
  c.done = true;
  if (index === 0) p.cachedTokens = timeline.cachedTokens;
  if (p.res.destroyed) return;
  if (p.stream && !c.finished) {
    c.finished = true;
    if (!p.started) startStream(p, modelName);
    p.res.write(chunk(p, modelName, finishOnlyChoice(p, c, index)));
  }
  if (!p.choices.every((x) => x.done)) return;
  if (!p.stream) {
    sendJson(p.res, 200, {
      id: p.requestId,
      object: p.chat ? "chat.completion" : "text_completion",
      created: p.created,
      model: modelName,
      choices: p.choices.map((x, i) => wholeChoice(p, x, i)),
      usage: usageOf(p, promptTokensDetails),
    });
    return;
  }
  if (p.usage) p.res.write(chunk(p, modelName, null, usageOf(p, promptTokensDetails)));
  p.res.end("data: [DONE]\n\n");
}
