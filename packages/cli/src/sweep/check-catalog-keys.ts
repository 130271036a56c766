import { resolve } from "node:path";
import { type Catalog, PlanError, type SweepSpec } from "@infermark/core";
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
    `${field}: unknown ${kind} "${key}" (${hint}); to sweep a ${kind} the catalog lacks, declare it with its figures in a catalog override file (${CATALOG_ENV}=FILE; docs/catalog.md)`,
  );
}

/**
 * Checks that a spec's `hardware` and `model` are catalog keys (GPUs case-insensitively; a model by key or Hugging
 * Face id), so a typo fails at plan time rather than storing points no analysis can price or compare. A key
 * the built-in catalog lacks is accepted when the user's catalog override declares it; a simulator recipe may
 * also name a GPU spec file or a config.json, as `infermark sim serve` does.
 * @example checkCatalogKeys(spec, DEFAULT_CATALOG) // throws PlanError('hardware: unknown GPU "h2000" (did you mean h200?); ...')
 */
export function checkCatalogKeys(spec: SweepSpec, catalog: Catalog): void {
  const files = spec.server.kind === "simulator";
  const gpus = Object.keys(catalog.gpus);
  for (const gpu of Array.isArray(spec.hardware) ? spec.hardware : [spec.hardware]) {
    if (catalog.gpus[gpu.toLowerCase()] || (files && looksLikePath(gpu))) continue;
    throw unknownKey("hardware", "GPU", gpu, gpus);
  }
  const model = spec.model;
  const known =
    catalog.models[model] ||
    Object.values(catalog.models).some((m) => m.hfId === model) ||
    (files && looksLikePath(model));
  if (!known) throw unknownKey("model", "model", model, Object.keys(catalog.models));
}
