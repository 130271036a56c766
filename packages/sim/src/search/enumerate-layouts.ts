import type { PoolOptions, SimOptions } from "../config/options.js";

/** What `enumerateLayouts` needs to know of the model and the GPU. */
export interface LayoutSpace {
  /** The GPUs to fill. */
  gpus: number;
  /** Whether the model has routed experts (EP and DP attention apply). */
  moe: boolean;
  /** Search disaggregated prefill/decode splits too. @default false */
  disaggregated?: boolean;
}

/** One layout to predict: the layout part of SimOptions. */
export type Layout = Pick<
  SimOptions,
  "gpus" | "tp" | "ep" | "dpAttention" | "workers" | "disaggregated" | "prefill" | "decode"
>;

/** Powers of two that divide `n`: the TP sizes of the search (1, 2, 4, ... up to n). */
export function tpSizes(n: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= n; t *= 2) if (n % t === 0) out.push(t);
  return out;
}

/**
 * The worker shapes of one TP size: for a MoE model EP 1 or EP = TP, each with DP attention off or on; a dense
 * model has one shape, plain TP. DP attention is a MoE layout (SGLang runs it for DeepSeek and Qwen MoE models, vLLM
 * with the experts sharded); for a dense model the engines run data parallelism as whole replicas, which the TP 1
 * workers already are. A worker of one GPU has nothing to split, so it has one shape.
 */
export function workerShapes(
  tp: number,
  moe: boolean,
): Required<Omit<PoolOptions, "workers" | "pp">>[] {
  if (tp === 1 || !moe) return [{ tp, ep: 1, dpAttention: false }];
  return [1, tp].flatMap((ep) => [
    { tp, ep, dpAttention: false },
    { tp, ep, dpAttention: true },
  ]);
}

/** A pool's options as the layout labels read them: EP 1 and DP attention off left out. */
function pool(
  shape: { tp: number; ep: number; dpAttention: boolean },
  workers: number,
): PoolOptions {
  return {
    tp: shape.tp,
    ...(shape.ep > 1 ? { ep: shape.ep } : {}),
    ...(shape.dpAttention ? { dpAttention: true } : {}),
    workers,
  };
}

/**
 * Every layout `sim search` tries on `gpus` GPUs, without pipeline stages: aggregated workers of TP t (t a power of two
 * dividing the GPUs) that fill them all, each in its `workerShapes` (EP and DP attention for a MoE model only); with
 * `disaggregated`, every prefill pool and decode pool (workers x TP t, t a power of two dividing the GPUs, each in its
 * shapes) whose GPUs sum to at most `gpus`. Layouts the simulator refuses are left for the caller to resolve and skip.
 * @example enumerateLayouts({ gpus: 2, moe: true }).length // 5: 2x(tp1), 1x(tp2), 1x(tp2/dpa), 1x(tp2/ep2), 1x(tp2/ep2/dpa)
 * @example enumerateLayouts({ gpus: 2, moe: false }).length // 2: 2x(tp1), 1x(tp2)
 */
export function enumerateLayouts(space: LayoutSpace): Layout[] {
  const sizes = tpSizes(space.gpus);
  const out: Layout[] = [];
  for (const t of sizes)
    for (const s of workerShapes(t, space.moe)) {
      const layout: Layout = { gpus: space.gpus, tp: s.tp, workers: space.gpus / t };
      if (s.ep > 1) layout.ep = s.ep;
      if (s.dpAttention) layout.dpAttention = true;
      out.push(layout);
    }
  if (!space.disaggregated) return out;
  const shapes = sizes.flatMap((t) => workerShapes(t, space.moe));
  for (const p of shapes)
    for (const d of shapes)
      for (let pw = 1; pw * p.tp + d.tp <= space.gpus; pw++)
        for (let dw = 1; pw * p.tp + dw * d.tp <= space.gpus; dw++)
          out.push({ disaggregated: true, prefill: pool(p, pw), decode: pool(d, dw) });
  return out;
}
