import { parseOrThrow, SweepSpec } from "@infermark/core";
import { FileError } from "../errors.js";
import { readDocuments } from "../io.js";

/**
 * Reads and validates a sweep spec (YAML or JSON). Every schema violation is reported with its path
 * (`search.tp[0]: ...`) before anything starts.
 * @example const spec = await loadSweepSpec("examples/quickstart.yaml")
 */
export async function loadSweepSpec(path: string): Promise<SweepSpec> {
  const docs = await readDocuments(path);
  if (docs.length !== 1)
    throw new FileError(path, `expected one sweep spec, found ${docs.length} documents`);
  return parseOrThrow(SweepSpec, docs[0], path);
}
