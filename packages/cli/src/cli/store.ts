import { shownUrl } from "@infermark/bench";
import { InfermarkError, isIsoDay, UTC_OFFSET } from "@infermark/core";
import type { DuplicatesRemoved } from "@infermark/store";
import type { Command } from "commander";
import { dedupeStore } from "../commands/dedupe-store.js";
import {
  EXPORT_FORMATS,
  type ExportFormat,
  exportPoints,
  refuseStoreAsOutput,
  writeExport,
} from "../commands/export.js";
import { importInferencex } from "../commands/import.js";
import { type ImportVllmOptions, importVllm } from "../commands/import-vllm.js";
import { type FileOutcome, ingestFiles, printable } from "../commands/ingest.js";
import { nothingStored } from "../commands/nothing-stored.js";
import { UsageError } from "../errors.js";
import { noPointMatches } from "./analysis/print-analysis.js";
import { addFilterOptions, type FilterFlags, toPointFilter } from "./filters.js";
import { checkGpuFlags, positiveInt } from "./parse.js";

const DB_HELP =
  "database: SQLite file or postgres://user:pass@host:port/db (default $INFERMARK_DB, else infermark.db)";

/**
 * Prints one line per file (and per skipped row), then the totals (with the duplicate rows an import
 * merged and the stored points it replaced, when there were any); sets exit code 1 when a file was rejected,
 * or when nothing of the inputs is in the store (with one line on stderr that says why: `nothingStored`).
 */
function report(
  outcomes: readonly FileOutcome[],
  json: boolean | undefined,
  command: "import" | "ingest",
): void {
  const rejected = outcomes.filter((o) => o.status === "rejected");
  if (json) {
    console.log(JSON.stringify(outcomes, null, 2));
  } else {
    for (const o of outcomes) {
      // a file name may hold a newline or a terminal escape
      const path = printable(o.path);
      if (o.status === "ok") {
        const skipped = o.skipped.length > 0 ? `, ${o.skipped.length} skipped` : "";
        const repeated = o.repeated ? `, ${o.repeated} repeated` : "";
        const duplicates = o.duplicates?.length
          ? `, ${o.duplicates.length} duplicate(s) merged`
          : "";
        const replaced = o.replaced ? `, ${o.replaced} stored point(s) replaced` : "";
        const requests =
          o.requestsFile !== undefined
            ? `, ${o.requests ?? 0} request records from ${o.requestsFile}`
            : "";
        console.log(
          `ok       ${path}: ${o.inserted} inserted, ${o.unchanged} unchanged${repeated}${skipped}${duplicates}${replaced}${requests}`,
        );
      } else if (o.status === "skipped") console.log(`skipped  ${path}: ${o.reason}`);
      else console.log(`rejected ${path}: ${o.reason}`);
      for (const s of o.skipped) console.log(`  skipped row ${s.row}: ${s.reason}`);
      for (const w of o.warnings ?? []) console.log(`  warning: ${w}`);
    }
    const sum = (k: "inserted" | "unchanged") => outcomes.reduce((n, o) => n + o[k], 0);
    const skipped = outcomes.reduce((n, o) => n + o.skipped.length, 0);
    const repeated = outcomes.reduce((n, o) => n + (o.repeated ?? 0), 0);
    const duplicates = outcomes.reduce((n, o) => n + (o.duplicates?.length ?? 0), 0);
    const replaced = outcomes.reduce((n, o) => n + (o.replaced ?? 0), 0);
    const notPoints = outcomes.filter((o) => o.status === "skipped").length;
    console.log(
      `${outcomes.length} file(s): ${sum("inserted")} inserted, ${sum("unchanged")} unchanged${repeated > 0 ? `, ${repeated} repeated` : ""}, ${rejected.length} rejected, ${skipped} row(s) skipped${duplicates > 0 ? `, ${duplicates} duplicate row(s) merged` : ""}${replaced > 0 ? `, ${replaced} stored point(s) replaced` : ""}${notPoints > 0 ? `, ${notPoints} failure record(s) left out` : ""}`,
    );
  }
  if (rejected.length > 0) process.exitCode = 1;
  // nothing in the store from all the inputs: say so in one line and fail, so a pipeline notices
  const nothing = nothingStored(outcomes, command);
  if (nothing) {
    console.error(`infermark: ${nothing}`);
    process.exitCode = 1;
  }
}

const isoDay = (value: string) => {
  if (!isIsoDay(value)) throw new UsageError(`--date expects YYYY-MM-DD, got "${value}"`);
  return value;
};

/** `--run-url`: stored as each row's run link, so it must be a link one can open. Shown without a password. */
const runUrl = (value: string) => {
  const protocol = URL.canParse(value) ? new URL(value).protocol : "";
  if (protocol !== "http:" && protocol !== "https:")
    throw new UsageError(
      `--run-url expects an http or https URL (https://github.com/OWNER/REPO/actions/runs/ID), got "${shownUrl(value)}"`,
    );
  return value;
};

/** Prints what `db dedupe` removed (or would remove): one line per point, then the totals. */
function reportDedupe(r: DuplicatesRemoved, dryRun: boolean, json: boolean | undefined): void {
  if (json) {
    console.log(JSON.stringify({ dryRun, ...r }, null, 2));
    return;
  }
  const verb = dryRun ? "would remove" : "removed";
  for (const c of r.removed) console.log(`${verb} ${c.id} (duplicate of ${c.keptId})`);
  const measurements = new Set(r.removed.map((c) => c.keptId)).size;
  console.log(
    r.removed.length === 0
      ? "no duplicate points: nothing to remove"
      : `${r.removed.length} duplicate point(s) of ${measurements} measurement(s) ${dryRun ? "would be " : ""}removed, the richer copy of each kept; ${r.runs} run(s) and ${r.configurations} configuration(s) left without points ${dryRun ? "would be " : ""}removed${dryRun ? " (dry run: nothing written)" : ""}`,
  );
}

/** Registers `ingest`, `import inferencex`, `import vllm`, `export` and `db dedupe`. */
export function registerStore(program: Command): void {
  program
    .command("ingest")
    .description(
      "store PointResult files (JSON, JSONL, YAML) and folders; re-ingesting changes nothing",
    )
    .argument("<paths...>", "files or folders")
    .option("--db <url>", DB_HELP)
    .option("--json", "print the per-file outcomes as JSON")
    .action(async (paths: string[], opts: { db?: string; json?: boolean }) => {
      report(await ingestFiles(paths, { db: opts.db }), opts.json, "ingest");
    });

  const imp = program.command("import").description("import results published by other projects");
  imp
    .command("inferencex")
    .description(
      "import InferenceX results: API rows, agg_bmk.json / agg_*.json artifacts, or the database dump (benchmark_results_raw.csv with configs.csv)",
    )
    .argument("<paths...>", "files or folders")
    .option("--db <url>", DB_HELP)
    .option(
      "--date <YYYY-MM-DD>",
      "date of rows that carry none (default: a date in the file's path)",
    )
    .option(
      "--run-url <url>",
      "run link of rows that carry none (default: a run id in the file's path)",
    )
    .option(
      "--catalog <file>",
      "catalog override file (YAML): rows may name the GPUs it declares; also INFERMARK_CATALOG",
    )
    .option("--json", "print the per-file outcomes as JSON")
    .action(
      async (
        paths: string[],
        opts: { db?: string; date?: string; runUrl?: string; catalog?: string; json?: boolean },
      ) => {
        const outcomes = await importInferencex(paths, {
          db: opts.db,
          ...(opts.catalog ? { catalog: opts.catalog } : {}),
          ...(opts.date !== undefined ? { date: isoDay(opts.date) } : {}),
          ...(opts.runUrl !== undefined ? { runUrl: runUrl(opts.runUrl) } : {}),
        });
        report(outcomes, opts.json, "import");
      },
    );

  imp
    .command("vllm")
    .description(
      "import vllm bench serve --save-result files (with or without --save-detailed; also benchmark_serving.py's), one point per result; the flags give what the files do not record",
    )
    .argument("<paths...>", "result files (.json, one result or one per line) or folders")
    .option("--hardware <gpu>", "GPU catalog key (h200, b200, ...); required")
    .option(
      "--gpus <n>",
      "GPUs serving the endpoint; required (or --prefill-gpus and --decode-gpus)",
      positiveInt("--gpus"),
    )
    .option("--prefill-gpus <n>", "prefill GPUs (disaggregated)", positiveInt("--prefill-gpus"))
    .option("--decode-gpus <n>", "decode GPUs (disaggregated)", positiveInt("--decode-gpus"))
    .option("--tp <n>", "tensor-parallel GPUs per worker (both pools)", positiveInt("--tp"))
    .option("--ep <n>", "expert-parallel GPUs per worker (both pools)", positiveInt("--ep"))
    .option("--dp-attention", "data-parallel attention (both pools)")
    .option("--framework <name>", "serving framework (vllm, sglang, ...); required")
    .option("--framework-version <v>", "serving framework version")
    .option("--precision <p>", "precision (bf16, fp8, fp4); required")
    .option("--image <ref>", "container image of the server")
    .option(
      "--model-key <key>",
      "catalog model key (default: the catalog model the file's model_id names, else model_id)",
    )
    .option(
      "--isl <n>",
      "nominal input length (default: the file's input tokens per completed request)",
      positiveInt("--isl"),
    )
    .option(
      "--osl <n>",
      "nominal output length (default: the file's output tokens per completed request)",
      positiveInt("--osl"),
    )
    .option("--workload <kind>", "workload kind (random, sharegpt, ...; default random)")
    .option("--spec-decoding <method>", "speculative decoding method (default none)")
    .option("--run-url <url>", "run link of every point (an http or https URL)")
    .option(
      "--utc-offset <offset>",
      "UTC offset of the host that ran vllm bench serve (+02:00, -05:00, Z), appended to its local date (default: none, the time kept as written)",
    )
    .option("--db <url>", DB_HELP)
    .option(
      "--catalog <file>",
      "catalog override file (YAML): --hardware and the model may name what it declares; also INFERMARK_CATALOG",
    )
    .option("--json", "print the per-file outcomes as JSON")
    .action(
      async (
        paths: string[],
        opts: Omit<ImportVllmOptions, "model" | "specDecoding"> & {
          modelKey?: string;
          specDecoding?: string;
          json?: boolean;
        },
      ) => {
        checkGpuFlags(opts);
        if (opts.utcOffset !== undefined && !UTC_OFFSET.test(opts.utcOffset))
          throw new UsageError(`--utc-offset expects +HH:MM, -HH:MM or Z, got "${opts.utcOffset}"`);
        const { modelKey, json, runUrl: link, ...rest } = opts;
        const outcomes = await importVllm(paths, {
          ...rest,
          ...(modelKey ? { model: modelKey } : {}),
          ...(link !== undefined ? { runUrl: runUrl(link) } : {}),
        });
        report(outcomes, json, "import");
      },
    );

  program
    .command("db")
    .description("maintain the results store")
    .command("dedupe")
    .summary("remove stored copies of a measurement that a richer copy holds, keeping the richer")
    .description(
      "remove stored copies of one measurement (same configuration, load level, source, date and run link) that another stored copy holds every value of, keeping the richest, as import inferencex does for new rows; for databases written before imports merged duplicates. Runs and configurations left without points go too; one transaction",
    )
    .option("--db <url>", DB_HELP)
    .option("--dry-run", "print what would be removed, write nothing")
    .option("--json", "print the removed points (id and kept id) and counts as JSON")
    .action(async (opts: { db?: string; dryRun?: boolean; json?: boolean }) => {
      const dryRun = opts.dryRun ?? false;
      reportDedupe(await dedupeStore({ db: opts.db, dryRun }), dryRun, opts.json);
    });

  addFilterOptions(
    program
      .command("export")
      .description("write stored points as CSV, JSON (PointResults) or InferenceX rows")
      .option("--format <format>", `output format: ${EXPORT_FORMATS.join(", ")}`, "json")
      .option("-o, --output <file>", "write to a file instead of stdout (- for stdout)")
      .option("--db <url>", DB_HELP),
  ).action(async (opts: FilterFlags & { format: string; output?: string; db?: string }) => {
    if (!EXPORT_FORMATS.includes(opts.format as ExportFormat))
      throw new UsageError(`--format expects ${EXPORT_FORMATS.join(", ")}, got "${opts.format}"`);
    // `-o -` is stdout, as for most Unix tools (it wrote a file named "-")
    const output = opts.output === "-" ? undefined : opts.output;
    if (output) await refuseStoreAsOutput(output, opts.db);
    const { text, count } = await exportPoints({
      db: opts.db,
      format: opts.format as ExportFormat,
      filter: toPointFilter(opts),
    });
    // as the analyses: a filter that matches nothing is most often a typo, and an empty export written over the
    // last one (or read from stdout) would be taken for a result
    if (count === 0)
      throw new InfermarkError(
        "E_NO_POINTS",
        `${noPointMatches(opts, opts.latest ? "--latest" : undefined)}: nothing exported${output ? `, ${output} left as it was` : ""}`,
      );
    if (output) {
      await writeExport(output, text);
      console.error(`${count} point(s) written to ${output}`);
    } else process.stdout.write(text);
  });
}
