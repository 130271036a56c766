import { type Explanation, explainStep } from "@infermark/sim";
import { stepFlagError } from "./sim-flag-errors.js";
import { type SimFlags, simOptionsFromFlags } from "./sim-options.js";

/** Runs `sim explain`: the term-by-term breakdown of a decode step and a prefill. */
export async function simExplain(
  flags: SimFlags,
  batch: number,
  context: number,
  prefill: number,
): Promise<Explanation> {
  const sim = await simOptionsFromFlags(flags);
  if (typeof sim.model !== "string") {
    const error = stepFlagError({ context, prefill }, sim.model);
    if (error) throw error;
  }
  return explainStep(sim, batch, context, prefill);
}
