import type { ModelSpec } from "@infermark/core";

/** How a model's layers attend: the share of layers that see the whole context, and the window of the rest. */
export interface AttentionSpan {
  /** Share of the layers with full attention (1 without sliding-window layers). */
  fullShare: number;
  /** Share of the layers that attend to the last `window` tokens only. */
  slidingShare: number;
  /** Tokens a sliding-window layer attends to (Infinity without sliding-window layers). */
  window: number;
}

/** The attention span of a model (gpt-oss: half its layers with a 128-token window). */
export function attentionSpan(model: ModelSpec): AttentionSpan {
  const a = model.attention;
  if (a.kind !== "gqa" || !a.slidingWindow || !a.slidingLayers)
    return { fullShare: 1, slidingShare: 0, window: Number.POSITIVE_INFINITY };
  const slidingShare = Math.min(1, a.slidingLayers / model.layers);
  return { fullShare: 1 - slidingShare, slidingShare, window: a.slidingWindow };
}

/**
 * Tokens of context that `requests` requests of `context` tokens each read per layer on average: all of
 * it in full-attention layers, at most the window in sliding-window layers.
 * @example attendedContext({ fullShare: 0.5, slidingShare: 0.5, window: 128 }, 2, 1000) // 2 x (500 + 64) = 1128
 */
export function attendedContext(span: AttentionSpan, requests: number, context: number): number {
  if (span.slidingShare === 0) return requests * context;
  return requests * (span.fullShare * context + span.slidingShare * Math.min(context, span.window));
}

/**
 * Tokens of KV a request of `context` tokens keeps, each counted as a token's KV in every layer: all of the context
 * in full-attention layers, the last `window` tokens in sliding-window layers (vLLM frees their blocks that leave
 * the window). A worker's KV capacity is counted in the same tokens.
 * @example keptTokens({ fullShare: 0, slidingShare: 1, window: 4096 }, 10_000) // 4096
 */
export function keptTokens(span: AttentionSpan, context: number): number {
  return attendedContext(span, 1, context);
}

/**
 * Query-key pairs a prefill chunk computes, of `pairs` under full attention for `tokens` new tokens:
 * sliding-window layers see at most the window per token.
 */
export function attendedPairs(span: AttentionSpan, tokens: number, pairs: number): number {
  if (span.slidingShare === 0) return pairs;
  return span.fullShare * pairs + span.slidingShare * Math.min(pairs, tokens * span.window);
}
