import type { ServerResponse } from "node:http";
import type { RequestTimeline } from "../engine/types.js";
import { openAiError, sendJson } from "./openai-error.js";
import { SERVER_STAMP_FIELD } from "./server-timestamps.js";

/** A request the engine is generating for, and what has been sent back of it. */
export interface PendingCompletion {
  id: number;
  chat: boolean;
  stream: boolean;
  usage: boolean;
  /** Every chunk carries the usage so far (`stream_options.continuous_usage_stats`). */
  continuousUsage: boolean;
  stamps: boolean;
  res: ServerResponse;
  promptTokens: number;
  /** The text of each token it generates (a generated word; the last cut at a stop string). */
  pieces: string[];
  /** The stop string that ends it (its `stop_reason`, `finish_reason` "stop"); null when it ends on length. */
  stopReason: string | null;
  sent: number;
  started: boolean;
  /** A chunk has carried the finish_reason (the last token's, as vLLM sends it). */
  finished: boolean;
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
  const counts = usage ?? (p.continuousUsage && choice ? usageSoFar(p) : undefined);
  if (counts) body.usage = counts;
  if (p.stamps) body[SERVER_STAMP_FIELD] = wallMs();
  return `data: ${JSON.stringify(body)}\n\n`;
}

// what vLLM's continuous usage stats put in each chunk: the tokens generated up to and with it
const usageSoFar = (p: PendingCompletion) => ({
  prompt_tokens: p.promptTokens,
  completion_tokens: p.sent,
  total_tokens: p.promptTokens + p.sent,
});

// the prompt tokens the prefix cache served, as OpenAI (and vLLM with --enable-prompt-tokens-details) report them;
// null without that flag, as a default vLLM sends it
const usageOf = (p: PendingCompletion, cachedTokens: number | null) => ({
  prompt_tokens: p.promptTokens,
  completion_tokens: p.sent,
  total_tokens: p.promptTokens + p.sent,
  prompt_tokens_details: cachedTokens === null ? null : { cached_tokens: cachedTokens },
});

/** Why a completion ends, as vLLM's choices say it: a stop string, else its length. */
const finishReason = (p: PendingCompletion) => (p.stopReason === null ? "length" : "stop");

/**
 * Takes `count` more generated tokens; a stream sends their text as a chunk (after the headers, on its first), the
 * last of them with the finish_reason and stop_reason, as vLLM sends it.
 */
export function writeTokens(p: PendingCompletion, count: number, modelName: string): void {
  const text = p.pieces.slice(p.sent, p.sent + count).join("");
  const streaming = p.stream && !p.res.destroyed;
  // the role chunk goes before these tokens: its usage so far counts none of them
  if (streaming && !p.started) startStream(p, modelName);
  p.sent += count;
  if (!streaming) return;
  const finish = p.sent >= p.pieces.length ? finishReason(p) : null;
  p.finished = finish !== null;
  p.res.write(
    chunk(
      p,
      modelName,
      p.chat
        ? {
            index: 0,
            delta: { content: text },
            logprobs: null,
            finish_reason: finish,
            // vLLM's chat chunks carry it with the finish only; its completions chunks, every one
            ...(finish ? { stop_reason: p.stopReason } : {}),
          }
        : {
            index: 0,
            text,
            logprobs: null,
            finish_reason: finish,
            stop_reason: finish ? p.stopReason : null,
          },
    ),
  );
}

/** The headers of a stream, and a chat stream's role chunk. */
function startStream(p: PendingCompletion, modelName: string): void {
  p.started = true;
  p.res.writeHead(200, {
    // Starlette's type for vLLM's streams: it adds the charset to every text/ type
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  if (p.chat)
    p.res.write(
      chunk(p, modelName, {
        index: 0,
        delta: { role: "assistant", content: "" },
        logprobs: null,
        finish_reason: null,
      }),
    );
}

/**
 * Answers a request the engine has finished: the whole completion, or a stream's last chunk (and its usage
 * when asked) and `data: [DONE]`; a 400 when the prompt could never fit.
 */
export function writeFinish(
  p: PendingCompletion,
  timeline: RequestTimeline,
  modelName: string,
  promptTokensDetails: boolean,
): void {
  const cached = promptTokensDetails ? timeline.cachedTokens : null;
  if (timeline.rejected) {
    openAiError(p.res, 400, "the prompt does not fit the KV cache of one worker", "prompt");
    return;
  }
  if (p.res.destroyed) return;
  if (!p.stream) {
    const text = p.pieces.join("");
    sendJson(p.res, 200, {
      id: p.requestId,
      object: p.chat ? "chat.completion" : "text_completion",
      created: p.created,
      model: modelName,
      choices: [
        p.chat
          ? {
              index: 0,
              // vLLM's message writes its tool calls, none here, as an empty list
              message: { role: "assistant", content: text, tool_calls: [] },
              logprobs: null,
              finish_reason: finishReason(p),
              stop_reason: p.stopReason,
            }
          : {
              index: 0,
              text,
              logprobs: null,
              finish_reason: finishReason(p),
              stop_reason: p.stopReason,
            },
      ],
      usage: usageOf(p, cached),
    });
    return;
  }
  // the last token's chunk carried it; a stream that ended otherwise gets its own
  if (!p.finished)
    p.res.write(
      chunk(
        p,
        modelName,
        p.chat
          ? {
              index: 0,
              delta: {},
              logprobs: null,
              finish_reason: finishReason(p),
              stop_reason: p.stopReason,
            }
          : {
              index: 0,
              text: "",
              logprobs: null,
              finish_reason: finishReason(p),
              stop_reason: p.stopReason,
            },
      ),
    );
  if (p.usage) p.res.write(chunk(p, modelName, null, usageOf(p, cached)));
  p.res.end("data: [DONE]\n\n");
}
