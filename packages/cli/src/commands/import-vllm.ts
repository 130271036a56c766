import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { BenchOptionError, checkPoolLayout } from "@infermark/bench";
import {
  dayOf,
  fromVllmBenchResult,
  isVllmBenchResult,
  nominalLengths,
  normalizeHardware,
  type PointResult,
  stableStringify,
  type VllmBenchContext,
} from "@infermark/core";
import { contentHash, type IngestDedupe, openStore, pointId } from "@infermark/store";
import { UsageError } from "../errors.js";
import { loadCatalog } from "./catalog.js";
import { collect, type MappedFile, withoutDuplicates } from "./import.js";
import {
  expandEach,
  type FileOutcome,
  ingestInOrder,
  isPointResult as isPoint,
  type PreparedFile,
  printable,
  reasonOf,
  rejected,
} from "./ingest.js";

/** Options of `importVllm`: the store, the catalog, and what the results do not say about their deployment. */
export interface ImportVllmOptions
  extends Omit<
    VllmBenchContext,
    "catalog" | "importedFrom" | "runId" | "hardware" | "framework" | "precision"
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

/** The layout `bench` takes: `--tp` splits each pool's GPUs into whole workers, `--ep` stays within a worker. */
function checkLayout(o: ImportVllmOptions): void {
  try {
    checkPoolLayout(o);
  } catch (error) {
    if (error instanceof BenchOptionError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Refuses options that cannot make a point, in one line, before any file is read: the deployment a vLLM result does
 * not record (GPU, GPU count, framework, precision) must be given, the GPU must be one of the catalog's, and the
 * layout must fit the GPUs (`checkLayout`).
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
  checkLayout(options);
}

/**
 * The identity of one vLLM result, whatever flags it is imported with: `vllm-` and a hash of its own fields (its
 * date, figures and per-request arrays), kept as the point's `run.runId`.
 * @example resultId({ date: "20251014-081500", model_id: "m", completed: 80 }) // "vllm-53b8ec94b97f1ee9"
 */
export const resultId = (result: unknown): string =>
  `vllm-${contentHash(stableStringify(result)).slice(0, 16)}`;

/**
 * A file's weighing against stored points (`withoutDuplicates`': a stored copy of a result under another file name
 * leaves the row out) with the result's identity added: a stored point of the same result (`run.runId`) that the
 * row is not, because the flags differed (GPUs, layout, `--utc-offset`, ...), is replaced by the row. The stored
 * points are found by the row's run link and by `run:<runId>` (a result first imported without `--run-url`).
 */
function replacingEarlierFlags(file: PreparedFile | undefined): PreparedFile | undefined {
  if (file === undefined || "status" in file || !file.meta.dedupe) return file;
  const points = file.points as readonly PointResult[];
  const base = file.meta.dedupe;
  const byResult = points.flatMap((p) =>
    p.run.runId ? [{ link: `run:${p.run.runId}`, day: dayOf(p.run.date) }] : [],
  );
  const dedupe: IngestDedupe = {
    runs: [...base.runs, ...byResult],
    decide(stored) {
      const decision = base.decide(stored);
      const leftOut = decision.leftOut ?? new Map();
      const ids = new Set(points.map(pointId));
      const results = new Set(
        points.flatMap((p, i) => (leftOut.has(i) || !p.run.runId ? [] : [p.run.runId])),
      );
      const replaces = new Set(decision.replaces);
      for (const s of stored)
        if (s.point.run.runId && results.has(s.point.run.runId) && !ids.has(s.id))
          replaces.add(s.id);
      return { leftOut, replaces: [...replaces] };
    },
  };
  return { ...file, meta: { ...file.meta, dedupe } };
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
    (doc) => fromVllmBenchResult(doc, { ...context, importedFrom, runId: resultId(doc) }),
    context.catalog!,
  );
  mapped.warnings.push(...derivedLengths(docs, options).map(printable));
  return mapped;
}

/**
 * Imports `vllm bench serve --save-result` results (with or without `--save-detailed`; also the older
 * `benchmarks/benchmark_serving.py` format, which InferenceX's raw results have): one point per result, with the
 * deployment the results do not record taken from `options` (a layout that does not fit the GPUs is refused). Each
 * point is `imported`, `run.importedFrom` `vllm:<file name>`, `run.runId` the result's identity (`resultId`), dated by
 * the result's `date`. Importing a file again with the same flags stores nothing new (`unchanged`); with other flags,
 * each result's point replaces the one stored before (`replaced`), as a richer InferenceX row replaces a stored one:
 * the flags are the user's account of the deployment, and the latest is the one meant. A result given twice in one
 * call, or stored before under another file name with the same flags, is stored once (`duplicates`). One transaction
 * per file.
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
    const prepared = withoutDuplicates(results, mapped).map(replacingEarlierFlags);
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
