import { basename } from "node:path";
import { applyCatalogOverrides, type Catalog, DEFAULT_CATALOG } from "@infermark/core";
import { type CatalogFigures, catalogFigures } from "@infermark/web";
import { FileError } from "../errors.js";
import { readYamlFile } from "../io.js";

/** The environment variable naming a catalog override file. */
export const CATALOG_ENV = "INFERMARK_CATALOG";

/**
 * Loads the catalog with the user's override file (YAML or JSON) applied, if one is given
 * (argument, else INFERMARK_CATALOG, which a message about the file then names: the user may not know it is set).
 */
export async function loadCatalog(given?: string): Promise<Catalog> {
  const path = given ?? process.env[CATALOG_ENV];
  if (!path) return DEFAULT_CATALOG;
  const what =
    given === undefined ? `catalog override file (from ${CATALOG_ENV})` : "catalog override file";
  const raw = readYamlFile(path, what);
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
export async function loadCatalogFigures(given?: string): Promise<CatalogFigures> {
  const path = given ?? process.env[CATALOG_ENV];
  return catalogFigures(await loadCatalog(given), path ? basename(path) : undefined);
}
