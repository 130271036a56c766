import type { LiveRequest } from "./live-request.js";
import type { Worker } from "./worker.js";

/** KV blocks that hold `tokens` tokens. @example blocksFor(17, 16) // 2 */
export function blocksFor(tokens: number, block: number): number {
  return Math.ceil(tokens / block);
}

/** Takes a request off a worker and frees its blocks without caching its prompt (preemption, abort). */
export function dropRunning(w: Worker, live: LiveRequest): void {
  w.running.splice(w.running.indexOf(live), 1);
  live.running = false;
  w.usedBlocks -= live.blocks - live.pinned;
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
  w.usedBlocks -= live.blocks - live.pinned - inserted;
  live.blocks = 0;
  live.pinned = 0;
}
