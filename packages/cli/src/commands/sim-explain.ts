import { type Explanation, explainStep } from "@infermark/sim";
import { type SimFlags, simOptionsFromFlags } from "./sim-options.js";

/** Runs `sim explain`: the term-by-term breakdown of a decode step and a prefill. */
export async function simExplain(
  flags: SimFlags,
  batch: number,
  context: number,
  prefill: number,
): Promise<Explanation> {
  return explainStep(await simOptionsFromFlags(flags), batch, context, prefill);
}
