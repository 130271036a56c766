import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import {
  fromVllmBenchResult,
  isVllmBenchResult,
  nominalLengths,
  normalizeHardware,
  type VllmBenchContext,
} from "@infermark/core";
import { openStore } from "@infermark/store";
import { UsageError } from "../errors.js";
import { loadCatalog } from "./catalog.js";
import { collect, type MappedFile, withoutDuplicates } from "./import.js";
import {
  expandEach,
  type FileOutcome,
  ingestInOrder,
  isPointResult as isPoint,
  printable,
  reasonOf,
  rejected,
} from "./ingest.js";

/** Options of `importVllm`: the store, the catalog, and what the results do not say about their deployment. */
export interface ImportVllmOptions
  extends Omit<
    VllmBenchContext,
    "catalog" | "importedFrom" | "hardware" | "framework" | "precision"
  > {
  /** Database URL or SQLite path. @default INFERMARK_DB, else infermark.db */
  db?: string;
  /** A catalog override file: `hardware` and the model may name what it declares. @default INFERMARK_CATALOG */
  catalog?: string;
  hardware?: string;
  framework?: string;
  precision?: string;
}

/** The `run.importedFrom` prefix of vLLM results: `vllm:<file name>`. */
export const VLLM_LABEL = "vllm";

const EXTENSIONS = new Set([".json", ".jsonl"]);

/** A JSON string, or one of the bare tokens Python's `json.dump` writes for floats JSON has no word for. */
const PYTHON_FLOATS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

/**
 * Python's JSON: `json.dump` writes an infinite float as `Infinity` (`--burstiness inf`) and a NaN as `NaN`, which
 * JSON.parse refuses. They are read as the strings "inf" and "-inf" (what vLLM itself writes for an infinite
 * `request_rate`) and null.
 */
const parsePython = (text: string): unknown =>
  JSON.parse(
    text.replace(PYTHON_FLOATS, (token) =>
      token.startsWith('"')
        ? token
        : token === "NaN"
          ? "null"
          : `"${token.replace("Infinity", "inf")}"`,
    ),
  );

/**
 * The results of one file: one JSON object (`--save-result`), or one per line (`--append-result` appends each run's
 * result on a line of its own to the same file).
 */
async function readResults(path: string): Promise<unknown[]> {
  const text = await readFile(path, "utf8");
  try {
    const doc = parsePython(text);
    return Array.isArray(doc) ? doc : [doc];
  } catch (error) {
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    if (lines.length > 1)
      try {
        return lines.map(parsePython);
      } catch {
        // not one result a line either: the whole file's error says more
      }
    throw new Error(`malformed JSON (${(error as Error).message})`);
  }
}

/**
 * Refuses options that cannot make a point, in one line, before any file is read: the deployment a vLLM result does
 * not record (GPU, GPU count, framework, precision) must be given, and the GPU must be one of the catalog's.
 */
function checkDeployment(
  options: ImportVllmOptions,
  knows: (gpu: string) => boolean,
): asserts options is ImportVllmOptions &
  Pick<VllmBenchContext, "hardware" | "framework" | "precision"> {
  const missing = [
    options.hardware ? "" : "--hardware",
    options.gpus !== undefined || options.prefillGpus !== undefined ? "" : "--gpus",
    options.framework ? "" : "--framework",
    options.precision ? "" : "--precision",
  ].filter(Boolean);
  if (missing.length > 0)
    throw new UsageError(
      `import vllm needs ${missing.join(", ")}: a vllm bench serve result does not record the GPU, GPU count, framework or precision it ran with`,
    );
  if (!knows(options.hardware!))
    throw new UsageError(
      `--hardware ${options.hardware}: the catalog has no such GPU (infermark catalog gpus lists them; a catalog override file declares more: --catalog FILE)`,
    );
}

/** The warning of a file whose nominal ISL/OSL were derived from its token totals, not given. */
function derivedLengths(docs: readonly unknown[], options: ImportVllmOptions): string[] {
  const derived = docs.filter(isVllmBenchResult).flatMap((doc) => {
    const n = nominalLengths(doc as Record<string, unknown>, options);
    return n.islFrom === "mean" || n.oslFrom === "mean" ? [`${n.isl}/${n.osl}`] : [];
  });
  if (derived.length === 0) return [];
  const pairs = [...new Set(derived)].join(", ");
  return [
    `ISL/OSL ${pairs} derived from the results' tokens per completed request, rounded (give --isl and --osl for the nominal lengths)`,
  ];
}

/** Reads and maps one file; a file with no vLLM result is rejected, saying what it is. */
async function mapFile(
  path: string,
  context: VllmBenchContext,
  options: ImportVllmOptions,
): Promise<MappedFile | FileOutcome> {
  let docs: unknown[];
  try {
    docs = await readResults(path);
  } catch (error) {
    return rejected(path, reasonOf(error, path));
  }
  if (!docs.some(isVllmBenchResult))
    return rejected(
      path,
      `not a vllm bench serve result (expected model_id, completed, total_token_throughput)${docs.some(isPoint) ? ": PointResults, which infermark ingest stores" : ""}`,
    );
  const importedFrom = `${VLLM_LABEL}:${basename(path)}`;
  const mapped = collect(
    docs,
    (doc) => fromVllmBenchResult(doc, { ...context, importedFrom }),
    context.catalog!,
  );
  mapped.warnings.push(...derivedLengths(docs, options).map(printable));
  return mapped;
}

/**
 * Imports `vllm bench serve --save-result` results (with or without `--save-detailed`; also the older
 * `benchmarks/benchmark_serving.py` format, which InferenceX's raw results have): one point per result, with the
 * deployment the results do not record taken from `options`. Each point is `imported`, `run.importedFrom`
 * `vllm:<file name>`, dated by the result's `date`. A point's id is its content, so importing a file again stores
 * nothing new (`unchanged`); results given twice in one call, or stored before with the same run link, are merged as
 * `import inferencex` merges rows. One transaction per file.
 * @example await importVllm(["runs/"], { hardware: "h200", gpus: 8, framework: "vllm", precision: "fp8" })
 */
export async function importVllm(
  paths: readonly string[],
  options: ImportVllmOptions,
): Promise<FileOutcome[]> {
  const catalog = await loadCatalog(options.catalog);
  checkDeployment(options, (gpu) => normalizeHardware(gpu, catalog) !== undefined);
  const { db: _db, catalog: _file, ...given } = options;
  const context: VllmBenchContext = { ...given, catalog };
  const store = await openStore(options.db);
  try {
    const { files, missing } = await expandEach(paths, EXTENSIONS);
    const outcomes: FileOutcome[] = [...missing];
    // vLLM writes a `<result>.pytorch.json` beside each result: another shape of the same figures
    const results = files.filter((f) => !f.toLowerCase().endsWith(".pytorch.json"));
    const mapped: (MappedFile | FileOutcome)[] = [];
    for (const path of results)
      mapped.push(
        await mapFile(path, context, options).catch((error) =>
          rejected(path, reasonOf(error, path)),
        ),
      );
    const prepared = withoutDuplicates(results, mapped);
    await ingestInOrder(
      store,
      "import",
      results,
      outcomes,
      async (_path, index) => prepared[index],
    );
    return outcomes;
  } finally {
    await store.close();
  }
}
