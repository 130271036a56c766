import type { ResolvedSimConfig } from "../config/options.js";
import { schedulerPool, type WorkerModel, workerModel } from "../perf/worker-model.js";
import { type KvLayout, kvLayout } from "./kv-blocks.js";
import type { LiveRequest } from "./live-request.js";
import { PrefixCache } from "./prefix-cache.js";

/** One engine instance (TP x PP GPUs) of a pool: its queues, KV blocks, prefix cache and step in flight. */
export interface Worker {
  model: WorkerModel;
  role: "mixed" | "prefill" | "decode";
  waiting: LiveRequest[];
  running: LiveRequest[];
  /** How its KV units divide between full-attention and sliding-window layers. */
  kv: KvLayout;
  /** KV units (`KvLayout`) it holds, and those in use by requests and the prefix cache. */
  capacityBlocks: number;
  usedBlocks: number;
  cache: PrefixCache;
  /** End of the step in flight, or Infinity when idle. */
  stepEnd: number;
  /** True while the results of a step are being applied. */
  applying: boolean;
  /** The step in flight's decoding requests and prefill chunks (reused from step to step). */
  decoding: LiveRequest[];
  prefilling: { live: LiveRequest; tokens: number }[];
}

/**
 * Idle workers of every pool, in pool order, their KV capacity in units of blocks of `cfg.engine.blockSize` tokens;
 * a dense model's DP-attention worker is its `tp` TP-1 replicas, each a worker of its own (`schedulerPool`).
 */
export function createWorkers(cfg: ResolvedSimConfig): Worker[] {
  const workers: Worker[] = [];
  for (const configured of cfg.pools) {
    const pool = schedulerPool(cfg, configured);
    const model = workerModel(cfg, pool);
    const kv = kvLayout(cfg.model);
    // a block of KV in every layer is full + sliding units
    const blocks = Math.max(0, Math.floor(model.kvCapacityTokens / cfg.engine.blockSize));
    for (let i = 0; i < pool.workers; i++) {
      workers.push({
        model,
        role: pool.role,
        waiting: [],
        running: [],
        kv,
        capacityBlocks: blocks * (kv.full + kv.sliding),
        usedBlocks: 0,
        cache: new PrefixCache(),
        stepEnd: Number.POSITIVE_INFINITY,
        applying: false,
        decoding: [],
        prefilling: [],
      });
    }
  }
  return workers;
}
