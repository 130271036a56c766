import {
  CONTRACTS,
  type ContractName,
  check,
  detectContract,
  type ValidationIssue,
} from "@infermark/core";
import { FileError } from "../errors.js";
import { readDocuments } from "../io.js";

export interface ValidateOptions {
  /** Contract to check against; detected from each document when absent. */
  schema?: ContractName;
}

export interface ValidateFileResult {
  path: string;
  /** Index of the document inside the file (JSONL line order), or -1 for the file as a whole. */
  document: number;
  contract?: ContractName;
  issues: ValidationIssue[];
}

/**
 * Validates PointResult, SweepSpec and RequestRecord files (JSON, JSONL or YAML).
 * @example await validateFiles(["results/c8.json"])
 */
export async function validateFiles(
  paths: readonly string[],
  options: ValidateOptions = {},
): Promise<ValidateFileResult[]> {
  const results: ValidateFileResult[] = [];
  for (const path of paths) {
    let docs: unknown[];
    try {
      docs = await readDocuments(path);
    } catch (error) {
      results.push({
        path,
        document: -1,
        issues: [
          {
            path: "",
            message: error instanceof FileError ? error.reason : (error as Error).message,
          },
        ],
      });
      continue;
    }
    docs.forEach((doc, index) => {
      const contract = options.schema ?? detectContract(doc);
      if (!contract) {
        results.push({
          path,
          document: index,
          issues: [
            {
              path: "",
              message:
                'not a known document: expected a PointResult (schema: "infermark.point/v1") or a SweepSpec (name, scenarios, search, ...); use --schema to say which',
            },
          ],
        });
        return;
      }
      const result = check(CONTRACTS[contract], doc);
      results.push({ path, document: index, contract, issues: result.ok ? [] : result.issues });
    });
  }
  return results;
}
