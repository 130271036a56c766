import type { ModelSpec } from "@infermark/core";
import type { LiveRequest } from "./live-request.js";
import type { Worker } from "./worker.js";

/** KV blocks that hold `tokens` tokens. @example blocksFor(17, 16) // 2 */
export function blocksFor(tokens: number, block: number): number {
  return Math.ceil(tokens / block);
}

/**
 * How a worker counts its KV cache. A unit is a block of tokens in a group of layers, the largest that divides both
 * the full-attention and the sliding-window layers (as vLLM groups them): a block of context takes `full` units in
 * the full-attention layers, and `sliding` units in the sliding-window layers while it is in the window. Without
 * sliding-window layers a unit is a block in every layer.
 */
export interface KvLayout {
  full: number;
  sliding: number;
  /** Tokens a sliding-window layer keeps (Infinity without sliding-window layers). */
  window: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The KV layout of a model's layers.
 * @example kvLayout(gemma2).full // 1 (21 full, 21 sliding layers: one unit each per block)
 */
export function kvLayout(model: ModelSpec): KvLayout {
  const a = model.attention;
  const sliding =
    a.kind === "gqa" && a.slidingWindow && a.slidingLayers
      ? Math.min(a.slidingLayers, model.layers)
      : 0;
  if (a.kind !== "gqa" || !a.slidingWindow || sliding === 0)
    return { full: 1, sliding: 0, window: Number.POSITIVE_INFINITY };
  const full = model.layers - sliding;
  const g = gcd(full, sliding);
  return { full: full / g, sliding: sliding / g, window: a.slidingWindow };
}

/**
 * KV units a request of `tokens` tokens holds: every block in full-attention layers, those of the last `window`
 * tokens in sliding-window layers (vLLM frees the blocks that leave the window).
 * @example unitsFor({ full: 0, sliding: 1, window: 4096 }, 10_000, 64) // 64
 */
export function unitsFor(kv: KvLayout, tokens: number, block: number): number {
  const blocks = blocksFor(tokens, block);
  if (kv.sliding === 0) return blocks;
  return kv.full * blocks + kv.sliding * blocksFor(Math.min(tokens, kv.window), block);
}

/** Takes a request off a worker and frees its blocks without caching its prompt (preemption, abort). */
export function dropRunning(w: Worker, live: LiveRequest): void {
  w.running.splice(w.running.indexOf(live), 1);
  live.running = false;
  // the cached prompt blocks it pinned stay cached: their full-attention layers' units stay held
  w.usedBlocks -= live.blocks - live.pinned * w.kv.full;
  if (live.pinned > 0 && live.req.prefixHashes) {
    w.cache.release(live.req.prefixHashes.slice(0, live.pinned), live.pinned);
  }
  live.blocks = 0;
  live.pinned = 0;
}

/** Frees the blocks of a request that leaves a worker done: finished, or handed on from prefill to decode. */
export function releaseBlocks(w: Worker, live: LiveRequest, block: number): void {
  const hashes = live.req.prefixHashes ?? [];
  // the blocks this worker filled: the prompt's, and on a mixed worker the generated tokens' too (a prefill
  // worker hands the request on after its first token, whose KV the decode side holds)
  const filled = live.req.isl + (w.role === "mixed" ? live.generated : 0);
  const usable = Math.min(hashes.length, Math.floor(filled / block));
  // full blocks with a known hash pass to the cache (they stay allocated); the rest are freed
  const inserted = w.role === "decode" ? 0 : w.cache.release(hashes.slice(0, usable), live.pinned);
  w.usedBlocks -= live.blocks - (live.pinned + inserted) * w.kv.full;
  live.blocks = 0;
  live.pinned = 0;
}
