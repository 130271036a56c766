import { join } from "node:path";
import { type PointResult, safeName } from "@infermark/core";
import { type PredictOptions, predictSweep, type ResolvedSimConfig } from "@infermark/sim";
import { FileError } from "../errors.js";
import { writeExport } from "./export.js";
import { makeFolder } from "./make-folder.js";
import { workloadFlagError } from "./sim-flag-errors.js";
import { type SimFlags, simOptionsFromFlags } from "./sim-options.js";

/** Runs `sim predict`: the simulated sweep, written to `outputDir` (one PointResult file per level) when given. */
export async function simPredict(
  flags: SimFlags,
  workload: PredictOptions,
  outputDir?: string,
): Promise<{ points: PointResult[]; files: string[]; config: ResolvedSimConfig }> {
  // the folder first: one that cannot be made fails in one line, before the simulation
  if (outputDir !== undefined) {
    const failure = await makeFolder(outputDir);
    if (failure)
      throw new FileError(`--output-dir ${outputDir}`, `cannot make the folder (${failure})`);
  }
  const sim = await simOptionsFromFlags(flags);
  if (typeof sim.model !== "string") {
    const error = workloadFlagError(workload, sim.model);
    if (error) throw error;
  }
  const { points, config } = predictSweep(sim, workload);
  const files: string[] = [];
  if (outputDir !== undefined) {
    for (const p of points) {
      const level =
        p.config.load.mode === "rate"
          ? `rate-${p.config.load.rate}`
          : `conc-${p.config.load.concurrency}`;
      // a model name can be a Hugging Face id (org/name), which must not make folders here
      const file = join(
        outputDir,
        `sim-${safeName(p.config.model)}-${safeName(p.config.hardware)}-${p.config.workload.isl}-${p.config.workload.osl}-${level}.json`,
      );
      // whole or not at all, as bench writes its points: ingest never reads half of one
      await writeExport(file, `${JSON.stringify(p, null, 2)}\n`);
      files.push(file);
    }
  }
  return { points, files, config };
}
