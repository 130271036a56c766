import type { ResolvedSimConfig } from "../config/options.js";
import { type WorkerModel, workerModel } from "../perf/worker-model.js";
import type { LiveRequest } from "./live-request.js";
import { PrefixCache } from "./prefix-cache.js";

/** One engine instance (TP x PP GPUs) of a pool: its queues, KV blocks, prefix cache and step in flight. */
export interface Worker {
  model: WorkerModel;
  role: "mixed" | "prefill" | "decode";
  waiting: LiveRequest[];
  running: LiveRequest[];
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

/** Idle workers of every pool, in pool order, their KV capacity in blocks of `cfg.engine.blockSize` tokens. */
export function createWorkers(cfg: ResolvedSimConfig): Worker[] {
  const workers: Worker[] = [];
  for (const pool of cfg.pools) {
    const model = workerModel(cfg, pool);
    for (let i = 0; i < pool.workers; i++) {
      workers.push({
        model,
        role: pool.role,
        waiting: [],
        running: [],
        capacityBlocks: Math.max(0, Math.floor(model.kvCapacityTokens / cfg.engine.blockSize)),
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
