import { fileLines } from "@infermark/bench";
import {
  applyCatalogOverrides,
  CONTRACTS,
  type ContractName,
  check,
  DEFAULT_CATALOG,
  detectContract,
  jsonError,
  PointResult,
  throughputConsistency,
  ValidationError,
  type ValidationIssue,
} from "@infermark/core";
import { FileError } from "../errors.js";
import { expandPaths, readNumberedDocuments } from "../io.js";
import { isFailureRecordFile } from "../sweep/results-dir.js";
import { withoutPasswords } from "./without-passwords.js";

/** What `validate` checks a document as: a contract of core, or a catalog override file (docs/catalog.md). */
export type DocumentKind = ContractName | "CatalogOverrides";

/** The kinds `validate --schema` takes. */
export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  ...(Object.keys(CONTRACTS) as ContractName[]),
  "CatalogOverrides",
];

export interface ValidateOptions {
  /** Kind to check against; detected from each document when absent. */
  schema?: DocumentKind;
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
  /** What the document was checked as (detected, or `--schema`); absent when it could not be read or told. */
  contract?: DocumentKind;
  issues: ValidationIssue[];
  /**
   * What is wrong with a valid document's figures without making it invalid: a PointResult whose output throughput
   * contradicts its own concurrency, output length and E2EL (core's `throughputConsistency`, Little's law).
   */
  warnings?: string[];
}

/** A file's whole-file failure: it cannot be read or parsed, or a folder holds nothing to check. */
const fileIssue = (path: string, error: unknown): ValidateFileResult => ({
  path,
  document: -1,
  issues: [
    { path: "", message: error instanceof FileError ? error.reason : (error as Error).message },
  ],
});

const UNKNOWN_DOCUMENT =
  'not a known document: expected a PointResult (schema: "infermark.point/v1"), a SweepSpec (name, scenarios, search, ...), a RequestRecord (index, tSend, events, ...) or a catalog override file (gpus, models); use --schema to say which';

/**
 * The kind a document claims to be: core's detection, else a kind whose own keys it has, so that a document missing
 * a required part gets that kind's errors rather than "not a known document" (a SweepSpec without `search`, a
 * RequestRecord without `events`, which its schema defaults), and a catalog override file (gpus and/or models).
 */
function detectKind(doc: unknown): DocumentKind | undefined {
  const contract = detectContract(doc);
  if (contract || typeof doc !== "object" || doc === null || Array.isArray(doc)) return contract;
  const has = (...keys: string[]) => keys.some((k) => k in doc);
  if (has("config") && has("metrics")) return "PointResult";
  if (has("scenarios", "search")) return "SweepSpec";
  if (has("tSend", "tSched")) return "RequestRecord";
  if (has("gpus", "models")) return "CatalogOverrides";
  return undefined;
}

/** The problems of a document of a kind; a catalog override file is checked as the commands read it. */
function issuesOf(kind: DocumentKind, doc: unknown): ValidationIssue[] {
  if (kind !== "CatalogOverrides") {
    const result = check(CONTRACTS[kind], doc);
    return result.ok ? [] : result.issues;
  }
  try {
    // an empty file changes nothing, as the commands read it; validate says so rather than "ok"
    if (doc === null || doc === undefined)
      return [{ path: "", message: "empty: a catalog override file needs gpus and/or models" }];
    applyCatalogOverrides(DEFAULT_CATALOG, doc);
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
}

/** The warnings of a valid document: a PointResult's figures that contradict each other. */
function warningsOf(kind: DocumentKind, doc: unknown): string[] {
  if (kind !== "PointResult") return [];
  const parsed = check(PointResult, doc);
  if (!parsed.ok) return [];
  const consistency = throughputConsistency(parsed.value);
  return consistency.kind === "checked" && consistency.flagged
    ? [`inconsistent point: ${consistency.detail} (Little's law; docs/metrics.md)`]
    : [];
}

/** A file's documents with their lines (JSONL), and why a line is not one (by the document's index). */
interface ReadDocuments {
  docs: unknown[];
  lines?: number[];
  malformed?: Map<number, string>;
}

/**
 * The documents of a file with their lines (JSONL). A JSONL file with malformed lines is read on past them, so that
 * every other line still gets its check: each malformed line takes a document's place, with why it is not JSON.
 */
async function readForCheck(path: string): Promise<ReadDocuments> {
  try {
    return await readNumberedDocuments(path);
  } catch (error) {
    if (!(error instanceof FileError && /^line \d+: malformed JSON/.test(error.reason)))
      throw error;
  }
  const read: Required<ReadDocuments> = { docs: [], lines: [], malformed: new Map() };
  for await (const { line, text } of fileLines(path)) {
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, "") : text).trim();
    if (!trimmed) continue;
    read.lines.push(line);
    try {
      read.docs.push(JSON.parse(trimmed));
    } catch (error) {
      // V8's message may quote the line, which may hold anything (a key among it)
      read.malformed.set(read.docs.length, `malformed JSON (${jsonError(error, trimmed).what})`);
      read.docs.push(undefined);
    }
  }
  return read;
}

/** Checks each document of one file. */
async function checkFile(path: string, options: ValidateOptions): Promise<ValidateFileResult[]> {
  let read: ReadDocuments;
  try {
    read = await readForCheck(path);
  } catch (error) {
    return [fileIssue(path, error)];
  }
  const { docs, lines, malformed } = read;
  // a top-level array holds documents, as `infermark ingest` reads it (and `infermark export` writes it)
  const items = !lines && Array.isArray(docs[0]) ? (docs[0] as unknown[]) : undefined;
  if (items?.length === 0)
    return [fileIssue(path, new FileError(path, "an empty array: no documents"))];
  // a JSONL file of no line (or blank lines only) checked nothing: "0 valid, 0 invalid" and exit 0 read as a pass
  if (docs.length === 0) return [fileIssue(path, new FileError(path, "empty: no documents"))];
  return (items ?? docs).map((doc, index) => {
    const notJson = malformed?.get(index);
    const contract = notJson ? undefined : (options.schema ?? detectKind(doc));
    const where = lines
      ? `line ${lines[index]}`
      : items && `${contract === "PointResult" ? "point" : "item"} ${index + 1}`;
    const at = { path, document: index, ...(where ? { where } : {}) };
    if (notJson) return { ...at, issues: [{ path: "", message: notJson }] };
    if (!contract) return { ...at, issues: [{ path: "", message: UNKNOWN_DOCUMENT }] };
    const issues = issuesOf(contract, doc);
    const warnings = issues.length === 0 ? warningsOf(contract, doc) : [];
    return { ...at, contract, issues, ...(warnings.length > 0 ? { warnings } : {}) };
  });
}

/**
 * Validates PointResult, SweepSpec and RequestRecord files and catalog override files (JSON, JSONL or YAML) and
 * folders of them (their JSON, JSONL and YAML files, recursively, as `infermark ingest` reads folders). Results keep
 * the order of the arguments; each document's result lists every problem with its place.
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
      // a URL given for a file is named without its password
      results.push(fileIssue(withoutPasswords(path), error));
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
