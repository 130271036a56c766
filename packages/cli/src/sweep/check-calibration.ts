import { resolve } from "node:path";
import { type Catalog, PlanError, type SweepPlan } from "@infermark/core";
import { calibrationKey, loadGpu } from "@infermark/sim";
import { readCalibration } from "../commands/sim-options.js";

/**
 * Checks that a simulator recipe's calibration file (`server.options.calibration`, relative to `cwd`) has factors
 * for every server configuration: `infermark sim serve` refuses a file without its `<GPU>/<framework>` key, so
 * one file given for several GPUs would otherwise fail each server it lacks only when that server starts. The file
 * is read once; GPU keys are looked up in `catalog` (what the servers load), a GPU spec file read for its key.
 * @example checkCalibration(plan, catalog, cwd) // throws PlanError('server.options.calibration: calib.yaml has no factors for b200/vllm (dsr1-b200-vllm-fp8-tp8-1k1k); it has h200/vllm: ...')
 */
export function checkCalibration(plan: SweepPlan, catalog: Catalog, cwd: string): void {
  const recipe = plan.spec.server;
  const options = recipe.kind === "simulator" ? recipe.options : undefined;
  const path = options?.calibration;
  if (typeof path !== "string") return;
  const factors = readCalibration(resolve(cwd, path));
  // the recipe's options are flags after the spec's --framework, so an options.framework is what a server uses
  const framework =
    typeof options?.framework === "string" ? options.framework : plan.spec.framework;
  const missing = new Map<string, string[]>();
  for (const server of plan.servers) {
    const ref = catalog.gpus[server.hardware.toLowerCase()]
      ? server.hardware
      : resolve(cwd, server.hardware);
    const key = calibrationKey(loadGpu(ref, catalog).key, framework);
    if (!factors[key]) missing.set(key, [...(missing.get(key) ?? []), server.name]);
  }
  if (missing.size === 0) return;
  const lacking = [...missing].map(([key, servers]) => `${key} (${servers.join(", ")})`);
  const keys = Object.keys(factors).sort();
  throw new PlanError(
    `server.options.calibration: ${path} has no factors for ${lacking.join(", ")}; it has ${keys.length ? keys.join(", ") : "none"}: fit factors for those GPUs with framework ${framework} (infermark sim calibrate), take them out of hardware, or leave out server.options.calibration`,
  );
}
