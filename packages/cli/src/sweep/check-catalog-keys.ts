import { resolve } from "node:path";
import { type Catalog, inferencexModelKey, PlanError, type SweepSpec } from "@infermark/core";
import { SIM_PRECISIONS } from "@infermark/sim";
import { CATALOG_ENV, loadCatalog } from "../commands/catalog.js";
import { closeKeys } from "./close-keys.js";

/** What `infermark sim serve` reads as a file rather than a catalog key (a GPU spec, a config.json). */
const looksLikePath = (ref: string) => ref.includes("/") || /\.(json|ya?ml)$/i.test(ref);

/**
 * The catalog a sweep's keys are checked against: the built-in one with the user's override file applied, the
 * simulator recipe's `options.catalog` (what its servers load) or else INFERMARK_CATALOG.
 */
export function sweepCatalog(spec: SweepSpec, cwd: string): Promise<Catalog> {
  const recipe = spec.server;
  const own = recipe.kind === "simulator" ? recipe.options?.catalog : undefined;
  return loadCatalog(typeof own === "string" ? resolve(cwd, own) : undefined);
}

function unknownKey(field: string, kind: string, key: string, known: readonly string[]): PlanError {
  const close = closeKeys(key, known);
  const hint =
    close.length > 0 ? `did you mean ${close.join(", ")}?` : `known: ${known.join(", ")}`;
  return new PlanError(
    `${field}: unknown ${kind} "${key}" (${hint}); to measure a ${kind} the catalog lacks, declare it with its figures in a catalog override file (${CATALOG_ENV}=FILE; docs/catalog.md)`,
  );
}

const DECLARE = `declare its figures in a catalog override file, ${CATALOG_ENV}=FILE; docs/catalog.md`;

/**
 * Checks a GPU key given as `field` against the catalog (case-insensitively): a key close to a known one (`h2000`)
 * is a typo and throws, as does any unknown key when `strict` (the simulator needs the figures); a key unlike any
 * known one (`l40s`) returns the warning that its points will have no price or power.
 * @example checkGpuKey("--hardware", "l40s", DEFAULT_CATALOG, false) // 'hardware: GPU "l40s" is not in the catalog: ...'
 */
export function checkGpuKey(
  field: string,
  gpu: string,
  catalog: Catalog,
  strict: boolean,
): string | undefined {
  if (catalog.gpus[gpu.toLowerCase()]) return undefined;
  const gpus = Object.keys(catalog.gpus);
  if (strict || closeKeys(gpu, gpus).length > 0) throw unknownKey(field, "GPU", gpu, gpus);
  return `${field}: GPU "${gpu}" is not in the catalog: its points are measured and stored, but cost and energy have no price or power for it (${DECLARE})`;
}

/**
 * Checks a spec's `hardware` and `model` against the catalog (GPUs case-insensitively; a model by key or Hugging
 * Face id), so a typo fails at plan time rather than storing points no analysis can price or compare. A key the
 * catalog lacks is refused when it is close to a known one (`h2000`: a typo of `h200`) or when the recipe is the
 * simulator, which needs the figures; for a real engine, a key unlike any known one is a GPU or a model the catalog
 * does not hold (`l40s`, `Qwen/Qwen3-235B-A22B`): it is measured all the same, and the returned warnings say
 * what lacks figures. A key the user's catalog override declares is known; a simulator recipe may also name a GPU
 * spec file or a config.json, as `infermark sim serve` does.
 * @example checkCatalogKeys(spec, DEFAULT_CATALOG) // throws PlanError('hardware: unknown GPU "h2000" (did you mean h200?); ...')
 */
export function checkCatalogKeys(spec: SweepSpec, catalog: Catalog): string[] {
  const simulator = spec.server.kind === "simulator";
  const warnings: string[] = [];
  for (const gpu of Array.isArray(spec.hardware) ? spec.hardware : [spec.hardware]) {
    if (simulator && looksLikePath(gpu)) continue;
    const warning = checkGpuKey("hardware", gpu, catalog, simulator);
    if (warning) warnings.push(warning);
  }
  if (simulator) checkSimulatorPrecision(spec);
  const model = spec.model;
  const models = Object.keys(catalog.models);
  const known =
    catalog.models[model] ||
    Object.values(catalog.models).some((m) => m.hfId === model) ||
    (simulator && looksLikePath(model));
  if (!known) {
    if (simulator || closeKeys(model, models).length > 0)
      throw unknownKey("model", "model", model, models);
    // another checkpoint of a catalog model (deepseek-ai/DeepSeek-R1 for DeepSeek-R1-0528) is stored apart from it
    const like = inferencexModelKey(undefined, model, catalog);
    const alike = like && catalog.models[like];
    warnings.push(
      alike
        ? `model: "${model}" is not a catalog key: its points are stored under that name, apart from ${like} (${alike.hfId}) and InferenceX's ${like} results; write model: ${like} (and modelId: ${model}) to compare them`
        : `model: "${model}" is not in the catalog: its points are measured and stored under that name; the simulator has no figures for it (${DECLARE})`,
    );
  }
  return warnings;
}

/**
 * A simulator recipe's precision (the spec's, or its `options.precision`, which its servers are given after it) is
 * one the simulator models: `infermark sim serve` refuses any other, so each server would fail when it starts.
 */
function checkSimulatorPrecision(spec: SweepSpec): void {
  const own = spec.server.kind === "simulator" ? spec.server.options?.precision : undefined;
  const field = typeof own === "string" ? "server.options.precision" : "precision";
  const precision = typeof own === "string" ? own : spec.precision;
  const lower = precision.toLowerCase();
  const known = SIM_PRECISIONS as readonly string[];
  if (known.includes(lower) || lower === "nvfp4" || lower === "mxfp4") return;
  throw new PlanError(
    `${field}: the simulator knows no precision "${precision}" (known: ${known.join(", ")}; nvfp4 and mxfp4 are fp4)`,
  );
}
