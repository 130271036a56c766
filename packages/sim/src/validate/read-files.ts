import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { type Catalog, jsonError, jsonErrorReason, PointResult } from "@infermark/core";
import { SimConfigError } from "../errors.js";
import {
  caseFromInferencexRow,
  caseFromPointResult,
  inconsistentPoint,
  isInferencexApiRow,
  type SkippedRow,
  type ValidationCase,
} from "./read-rows.js";

function expand(path: string): string[] {
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(path);
  } catch (error) {
    throw new SimConfigError(`${path}: no such file or folder`, { cause: error });
  }
  if (!info.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const p = join(path, name);
      return statSync(p).isDirectory() || [".json", ".jsonl"].includes(extname(name))
        ? expand(p)
        : [];
    });
}

/**
 * The documents of a JSON or JSONL file. A malformed one is a SimConfigError that says where (line and column) and
 * never quotes the text, as V8's message would (`Unexpected token 's', "...sk-live-1..." is not valid JSON`).
 */
function documents(path: string): unknown[] {
  const text = readFileSync(path, "utf8");
  if (extname(path) !== ".jsonl") {
    try {
      const doc = JSON.parse(text);
      return Array.isArray(doc) ? doc : [doc];
    } catch (error) {
      throw new SimConfigError(`${path}: ${jsonErrorReason(error, text)}`, { cause: error });
    }
  }
  return text.split("\n").flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line)];
    } catch (error) {
      const { what, at } = jsonError(error, line);
      throw new SimConfigError(
        `${path}: malformed JSON (${what}; line ${i + 1}, column ${at + 1})`,
        { cause: error },
      );
    }
  });
}

/**
 * Reads measured points for validation from files or folders: PointResults (JSON, arrays, JSONL),
 * InferenceX API rows, and flat InferenceX result rows (`hw` instead of `hardware`, as in agg_bmk.json).
 * Simulated PointResults, those their run marked invalid and points whose output throughput contradicts their own
 * concurrency, output length and E2EL (`inconsistentPoint`) are skipped, with the reason. InferenceX rows must name
 * a GPU of `options.catalog` (default: the built-in one), the catalog the cases are then predicted with.
 */
export function readValidationFiles(
  paths: readonly string[],
  options: { catalog?: Catalog } = {},
): {
  cases: ValidationCase[];
  skipped: SkippedRow[];
} {
  const cases: ValidationCase[] = [];
  const skipped: SkippedRow[] = [];
  for (const file of paths.flatMap(expand)) {
    for (const doc of documents(file)) {
      let out: ValidationCase | SkippedRow;
      if (
        typeof doc === "object" &&
        doc !== null &&
        (doc as { schema?: string }).schema === "infermark.point/v1"
      ) {
        const parsed = PointResult.safeParse(doc);
        out = !parsed.success
          ? { reason: "invalid PointResult", label: file }
          : parsed.data.run.source === "simulated"
            ? { reason: "a simulated point (validation compares with measurements)", label: file }
            : !parsed.data.validity.valid
              ? { reason: "a point its run marked invalid", label: file }
              : (inconsistentPoint(parsed.data) ?? caseFromPointResult(parsed.data));
      } else if (isInferencexApiRow(doc)) {
        out = caseFromInferencexRow(doc, options.catalog);
      } else if (typeof doc === "object" && doc !== null && "hw" in doc && "tput_per_gpu" in doc) {
        const flat = doc as Record<string, unknown>;
        out = caseFromInferencexRow(
          { ...flat, hardware: flat.hw, metrics: flat as Record<string, number> },
          options.catalog,
        );
      } else {
        out = { reason: "not a PointResult or an InferenceX row", label: file };
      }
      if ("reason" in out) skipped.push(out);
      else cases.push(out);
    }
  }
  return { cases, skipped };
}
