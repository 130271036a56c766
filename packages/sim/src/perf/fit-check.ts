import type { ResolvedSimConfig } from "../config/options.js";
import { DoesNotFitError } from "../errors.js";
import { keptTokens } from "./sliding-window.js";
import { RESERVE_BYTES, workerModel } from "./worker-model.js";

const GB = 1e9;

/**
 * Refuses a layout whose weights plus the KV cache of one request of `minTokens` tokens do not fit
 * one GPU's usable memory, with the numbers. Under DP attention a request's KV lies whole on the one rank that
 * runs it (MLA's latent and all of GQA's KV heads alike), while `kvStoredBytesPerToken` is the worker's mean per
 * GPU (split over the `attnDp` ranks), so one request needs `attnDp` times that.
 */
export function assertFits(cfg: ResolvedSimConfig, minTokens: number): void {
  for (const pool of cfg.pools) {
    const w = workerModel(cfg, pool);
    const kvNeed = keptTokens(w.span, minTokens) * w.kvStoredBytesPerToken * w.attnDp;
    const have = w.usableBytesPerGpu;
    const kvRoom = (have - w.residentWeightBytesPerGpu) * cfg.engine.memoryFraction;
    if (kvNeed > kvRoom) {
      throw new DoesNotFitError(
        `${cfg.model.key} at ${cfg.precision} on ${pool.role} workers of tp ${pool.tp} x pp ${pool.pp} ${cfg.gpu.key}: ` +
          `weights ${(w.residentWeightBytesPerGpu / GB).toFixed(1)} GB + KV for ${minTokens} tokens ${(kvNeed / GB).toFixed(2)} GB per GPU ` +
          `do not fit: ${(have / GB).toFixed(1)} GB (${cfg.gpu.hbmGb} GB - ${RESERVE_BYTES / GB} GB reserve) less the weights leaves ${(kvRoom / GB).toFixed(2)} GB for KV at memory fraction ${cfg.engine.memoryFraction}; ` +
          "use more GPUs per worker (tp/pp) or a lower precision",
      );
    }
  }
}
