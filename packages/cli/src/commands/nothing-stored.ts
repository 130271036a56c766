import type { FileOutcome } from "./ingest.js";

/** How many reasons the line names; the rest are counted. */
const MAIN_REASONS = 3;

/** What a reason counts: skipped rows, or files left out whole. */
type Unit = "row(s)" | "file(s)" | "file(s) rejected";

/**
 * A reason without its explanation, so rows skipped for one cause group together: `unknown hardware "b300"`
 * of `unknown hardware "b300": the catalog has no GPU ...`, `failed benchmark` of `failed benchmark: OOM`. A
 * head without a space (a schema path such as `metrics.tputPerGpu`) says too little, and the reason stays whole.
 */
function reasonHead(reason: string): string {
  const cut = reason.indexOf(": ");
  return cut > 0 && reason.slice(0, cut).includes(" ") ? reason.slice(0, cut) : reason;
}

/**
 * The one line that says an ingest or import stored nothing at all, or undefined when some row or point of
 * the inputs is in the store (inserted, already stored, or merged into a stored copy of its measurement).
 * It counts what was read and names the main reasons, most frequent first, with their counts: skipped rows,
 * rejected files, failure records. Skipped rows beside stored ones are the importer's policy (InferenceX
 * dumps hold failed benchmarks) and are not this line's business.
 * @example nothingStored(outcomes, "import") // 'nothing imported: 12 row(s) read from 1 file(s), none imported; main reasons: 12 row(s): unknown hardware "b300"'
 */
export function nothingStored(
  outcomes: readonly FileOutcome[],
  command: "import" | "ingest",
): string | undefined {
  // an empty folder is most often a run that wrote nothing
  if (outcomes.length === 0) return "nothing to store: the paths given hold no result files";
  if (outcomes.some((o) => o.inserted + o.unchanged + (o.duplicates?.length ?? 0) > 0))
    return undefined;
  // counted per unit and reason, as "row(s): unknown hardware ..."
  const counts = new Map<string, number>();
  const count = (unit: Unit, reason: string) => {
    const key = `${unit}: ${reason}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const o of outcomes) {
    // a file's reason is kept whole: `point 2: config...` has no head to group by
    if (o.status === "rejected") count("file(s) rejected", o.reason ?? "");
    if (o.status === "skipped") count("file(s)", "a sweep's failure record, not a point");
    for (const s of o.skipped) count("row(s)", reasonHead(s.reason));
  }
  const ranked = [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([key, n]) => `${n} ${key}`);
  const more = ranked.length - MAIN_REASONS;
  const reasons = [
    ...ranked.slice(0, MAIN_REASONS),
    ...(more > 0 ? [`${more} other reason(s)`] : []),
  ].join("; ");
  const files = `${outcomes.length} file(s)`;
  const read =
    command === "import"
      ? `${outcomes.reduce((n, o) => n + o.skipped.length, 0)} row(s) read from ${files}, none imported`
      : `${files} read, no point stored`;
  return `nothing ${command === "import" ? "imported" : "ingested"}: ${read}; main reasons: ${reasons}`;
}
