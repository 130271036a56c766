import { readFile } from "node:fs/promises";
import { applyCatalogOverrides, type Catalog, DEFAULT_CATALOG } from "@infermark/core";
import { parse as parseYaml } from "yaml";
import { FileError } from "../errors.js";
import { yamlErrorReason } from "../yaml-error-reason.js";

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
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FileError(path, "cannot read the catalog override file", { cause: error });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new FileError(path, yamlErrorReason(error, text), { cause: error });
  }
  try {
    return applyCatalogOverrides(DEFAULT_CATALOG, raw);
  } catch (error) {
    throw new FileError(path, (error as Error).message, { cause: error });
  }
}
