import { basename } from "node:path";
import { applyCatalogOverrides, type Catalog, DEFAULT_CATALOG } from "@infermark/core";
import { type CatalogFigures, catalogFigures } from "@infermark/web";
import { FileError } from "../errors.js";
import { readYamlFile } from "../io.js";

/** The environment variable naming a catalog override file. */
export const CATALOG_ENV = "INFERMARK_CATALOG";

/**
 * Loads the catalog with the user's override file (YAML or JSON) applied, if one is given
 * (argument, else INFERMARK_CATALOG).
 */
export async function loadCatalog(
  path: string | undefined = process.env[CATALOG_ENV],
): Promise<Catalog> {
  if (!path) return DEFAULT_CATALOG;
  const raw = readYamlFile(path, "catalog override file");
  try {
    return applyCatalogOverrides(DEFAULT_CATALOG, raw);
  } catch (error) {
    throw new FileError(path, (error as Error).message, { cause: error });
  }
}

/**
 * The catalog figures the dashboard and the report compute cost and energy with: loadCatalog's catalog (same
 * argument and variable), naming the override file (its name, not its path) where one is given.
 * @example startUiServer({ store, catalog: await loadCatalogFigures("ours.yaml") })
 */
export async function loadCatalogFigures(
  path: string | undefined = process.env[CATALOG_ENV],
): Promise<CatalogFigures> {
  return catalogFigures(await loadCatalog(path), path ? basename(path) : undefined);
}
