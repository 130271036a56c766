import {
  CONTRACTS,
  type ContractName,
  check,
  detectContract,
  type ValidationIssue,
} from "@infermark/core";
import { FileError } from "../errors.js";
import { expandPaths, readNumberedDocuments } from "../io.js";
import { isFailureRecordFile } from "../sweep/results-dir.js";

export interface ValidateOptions {
  /** Contract to check against; detected from each document when absent. */
  schema?: ContractName;
}

export interface ValidateFileResult {
  path: string;
  /** Index of the document inside the file (JSONL line order, array order), or -1 for the file as a whole. */
  document: number;
  /**
   * Where the document is in its file: `line N` in JSONL (blank lines counted), `point N` (or `item N`) for an
   * element of a top-level array; absent for a file of one document.
   */
  where?: string;
  contract?: ContractName;
  issues: ValidationIssue[];
}

/** A file's whole-file failure: it cannot be read or parsed, or a folder holds nothing to check. */
const fileIssue = (path: string, error: unknown): ValidateFileResult => ({
  path,
  document: -1,
  issues: [
    { path: "", message: error instanceof FileError ? error.reason : (error as Error).message },
  ],
});

/** Checks each document of one file. */
async function checkFile(path: string, options: ValidateOptions): Promise<ValidateFileResult[]> {
  let docs: unknown[];
  let lines: number[] | undefined;
  try {
    ({ docs, lines } = await readNumberedDocuments(path));
  } catch (error) {
    return [fileIssue(path, error)];
  }
  // a top-level array holds documents, as `infermark ingest` reads it (and `infermark export` writes it)
  const items = !lines && Array.isArray(docs[0]) ? (docs[0] as unknown[]) : undefined;
  if (items?.length === 0)
    return [fileIssue(path, new FileError(path, "an empty array: no documents"))];
  return (items ?? docs).map((doc, index) => {
    const contract = options.schema ?? detectContract(doc);
    const where = lines
      ? `line ${lines[index]}`
      : items && `${contract === "PointResult" ? "point" : "item"} ${index + 1}`;
    const at = { path, document: index, ...(where ? { where } : {}) };
    if (!contract)
      return {
        ...at,
        issues: [
          {
            path: "",
            message:
              'not a known document: expected a PointResult (schema: "infermark.point/v1") or a SweepSpec (name, scenarios, search, ...); use --schema to say which',
          },
        ],
      };
    const result = check(CONTRACTS[contract], doc);
    return { ...at, contract, issues: result.ok ? [] : result.issues };
  });
}

/**
 * Validates PointResult, SweepSpec and RequestRecord files (JSON, JSONL or YAML) and folders of them (their
 * JSON, JSONL and YAML files, recursively, as `infermark ingest` reads folders). Results keep the order of the
 * arguments.
 * @example await validateFiles(["results/c8.json", "results/sweep-1/"])
 */
export async function validateFiles(
  paths: readonly string[],
  options: ValidateOptions = {},
): Promise<ValidateFileResult[]> {
  const results: ValidateFileResult[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      // a folder's sweep failure records are not documents to check (ingest leaves them out too); a file named
      // on the command line is checked whatever it is
      files = (await expandPaths([path])).filter((f) => f === path || !isFailureRecordFile(f));
    } catch (error) {
      results.push(fileIssue(path, error));
      continue;
    }
    if (files.length === 0)
      results.push(
        fileIssue(path, new FileError(path, "no JSON, JSONL or YAML files in this folder")),
      );
    for (const file of files) results.push(...(await checkFile(file, options)));
  }
  return results;
}
