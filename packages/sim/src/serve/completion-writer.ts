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
  stamps: boolean;
  res: ServerResponse;
  promptTokens: number;
  maxTokens: number;
  words: string[];
  sent: number;
  started: boolean;
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
  if (usage) body.usage = usage;
  if (p.stamps) body[SERVER_STAMP_FIELD] = wallMs();
  return `data: ${JSON.stringify(body)}\n\n`;
}

// the prompt tokens the prefix cache served, as OpenAI (and vLLM with --enable-prompt-tokens-details) report them
const usageOf = (p: PendingCompletion, cachedTokens: number) => ({
  prompt_tokens: p.promptTokens,
  completion_tokens: p.sent,
  total_tokens: p.promptTokens + p.sent,
  prompt_tokens_details: { cached_tokens: cachedTokens },
});

/** Takes `count` more generated words; a stream sends them as a chunk (after the headers, on its first). */
export function writeTokens(p: PendingCompletion, count: number, modelName: string): void {
  const text = p.words
    .slice(p.sent, p.sent + count)
    .map((w) => ` ${w}`)
    .join("");
  p.sent += count;
  if (!p.stream || p.res.destroyed) return;
  if (!p.started) {
    p.started = true;
    p.res.writeHead(200, {
      "content-type": "text/event-stream",
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
  p.res.write(
    chunk(
      p,
      modelName,
      p.chat
        ? { index: 0, delta: { content: text }, logprobs: null, finish_reason: null }
        : { index: 0, text, logprobs: null, finish_reason: null },
    ),
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
): void {
  if (timeline.rejected) {
    openAiError(p.res, 400, "the prompt does not fit the KV cache of one worker", "prompt");
    return;
  }
  if (p.res.destroyed) return;
  if (!p.stream) {
    const text = p.words.map((w) => ` ${w}`).join("");
    sendJson(p.res, 200, {
      id: p.requestId,
      object: p.chat ? "chat.completion" : "text_completion",
      created: p.created,
      model: modelName,
      choices: [
        p.chat
          ? { index: 0, message: { role: "assistant", content: text }, finish_reason: "length" }
          : { index: 0, text, finish_reason: "length" },
      ],
      usage: usageOf(p, timeline.cachedTokens),
    });
    return;
  }
  p.res.write(
    chunk(
      p,
      modelName,
      p.chat
        ? { index: 0, delta: {}, logprobs: null, finish_reason: "length" }
        : { index: 0, text: "", logprobs: null, finish_reason: "length" },
    ),
  );
  if (p.usage) p.res.write(chunk(p, modelName, null, usageOf(p, timeline.cachedTokens)));
  p.res.end("data: [DONE]\n\n");
}
