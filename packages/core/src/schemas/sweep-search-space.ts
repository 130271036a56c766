import { z } from "zod";
import { ConcurrencySpec } from "./sweep-bounds.js";

const intList = z.array(z.number().int().positive()).min(1);

const PoolSpace = z
  .object({
    workers: intList.default([1]),
    tp: intList.default([1]),
    ep: intList.default([1]),
    dpAttention: z.array(z.boolean()).min(1).default([false]),
    gpuIds: z
      .array(z.number().int().nonnegative())
      .min(1, "names no GPU: give one id per GPU of the pool, or leave gpuIds out")
      .optional()
      .describe(
        "the GPUs this pool's servers run on (the recipe pins them, e.g. CUDA_VISIBLE_DEVICES), as the power sampler numbers them (nvidia-smi index, amd-smi gpu, DCGM gpu label); one per GPU of the pool (workers x tp). Given for both pools, measured energy is integrated over these GPUs only and split by role: J per input token on the prefill GPUs, per output token on the decode GPUs",
      ),
  })
  .strict();
export type PoolSpace = z.infer<typeof PoolSpace>;

/**
 * What is wrong with the disaggregated pools' `gpuIds`, if anything: they are given for both pools or neither, name
 * no GPU twice, and hold one id per GPU of every pool size the search holds (fixed ids cannot pin pools of
 * several sizes).
 */
function gpuIdsProblem(pools: {
  prefill: PoolSpace;
  decode: PoolSpace;
}): { path: string[]; message: string } | undefined {
  const sides = ["prefill", "decode"] as const;
  const given = sides.filter((side) => pools[side].gpuIds !== undefined);
  if (given.length === 1) {
    const other = sides.find((side) => side !== given[0])!;
    return {
      path: ["disaggregated", other, "gpuIds"],
      message: `${given[0]}.gpuIds is given: give ${other}.gpuIds too (energy is split by role only when both pools name their GPUs)`,
    };
  }
  const owner = new Map<number, string>();
  for (const side of given) {
    const { gpuIds = [], workers, tp } = pools[side];
    const path = ["disaggregated", side, "gpuIds"];
    for (const id of gpuIds) {
      const first = owner.get(id);
      if (first !== undefined) {
        const where =
          first === side ? `twice in ${side}.gpuIds` : "in both prefill.gpuIds and decode.gpuIds";
        return { path, message: `GPU ${id} is named ${where}; each GPU serves one pool` };
      }
      owner.set(id, side);
    }
    const n = gpuIds.length;
    // an empty list is refused by itself
    if (n === 0) continue;
    for (const w of workers)
      for (const t of tp)
        if (w * t !== n)
          return {
            path,
            message: `${n} GPU id${n === 1 ? "" : "s"}, but ${w} worker${w === 1 ? "" : "s"} x tp ${t} is ${w * t} GPUs; give one id per GPU of the pool (fixed ids cannot pin pools of several sizes: split the search into specs)`,
          };
  }
  return undefined;
}

export const SpecDecodingOption = z
  .object({
    method: z.string().min(1).default("none"),
    draftTokens: z.number().int().nonnegative().optional(),
    acceptanceLength: z.number().positive().optional(),
  })
  .strict();

/** The search space: every combination is one server configuration; concurrency levels share a server. */
export const SearchSpace = z
  .object({
    tp: intList.default([1]),
    ep: intList.default([1]),
    dpAttention: z.array(z.boolean()).min(1).default([false]),
    disaggregated: z
      .object({ prefill: PoolSpace, decode: PoolSpace })
      .strict()
      .optional()
      .describe("when set, points are disaggregated and tp/ep/dpAttention above are ignored"),
    specDecoding: z
      .array(SpecDecodingOption)
      .min(1)
      .default([{ method: "none" }]),
    concurrency: ConcurrencySpec.optional().describe(
      "the load levels of every scenario but a trace (whose levels are its speedups); required unless every scenario is a trace",
    ),
  })
  .strict()
  .superRefine((space, ctx) => {
    const problem = space.disaggregated && gpuIdsProblem(space.disaggregated);
    if (problem) ctx.addIssue({ code: "custom", ...problem });
  });
export type SearchSpace = z.infer<typeof SearchSpace>;
