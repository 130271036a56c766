import { levelKey, type PointResult, runLink, stableStringify } from "@infermark/core";

/** Where a point sits in one import: its file and its index among that file's points. */
export interface PointPlace {
  file: number;
  index: number;
}

/** A point that adds nothing to another point of the same import: the same measurement, every value of it there too. */
export interface Duplicate extends PointPlace {
  /** The point kept in its place (it holds at least as much). */
  of: PointPlace;
}

/**
 * What identifies one measurement: the configuration and load level (`levelKey`: no image), the source,
 * the date and the run link (`runLink`: the CI link, else the run id). Without one, two rows of a date may be two
 * runs, so they have no key.
 */
function measurementKey(point: PointResult): string | undefined {
  const link = runLink(point.run);
  if (!link) return undefined;
  return `${levelKey(point.config)}|${point.run.source}|${point.run.date}|${link}`;
}

/**
 * A point as copies are weighed against each other: without `run.importedFrom`, which says how the row reached
 * us (`inferencex:api`, `inferencex:agg`, ...), not what was measured (the same measurement read from the API
 * and from an exported `agg_bmk.json` are one), and without a `config.modelId` or `config.hardwareLabel` that only
 * repeats the model or GPU key (what the agg reader makes of infermark's own export, whose `model` and `hw` are the
 * keys): a value that says nothing the point does not say already. Everything else counts, other run fields included (tool version, host, run
 * id: which run measured it).
 */
function measured(point: PointResult): unknown {
  const { importedFrom: _provenance, ...run } = point.run;
  const { modelId, hardwareLabel, ...config } = point.config;
  return {
    ...point,
    run,
    config: {
      ...config,
      ...(modelId !== undefined && modelId !== config.model ? { modelId } : {}),
      ...(hardwareLabel !== undefined && hardwareLabel !== config.hardware
        ? { hardwareLabel }
        : {}),
    },
  };
}

/** How many values (leaves) a JSON value holds. */
function leaves(value: unknown): number {
  if (value === null || typeof value !== "object") return 1;
  let n = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value))
    if (v !== undefined) n += leaves(v);
  return n;
}

/** Whether `rich` holds every value `poor` holds (objects member by member; arrays and leaves equal). */
function covers(rich: unknown, poor: unknown): boolean {
  if (poor === undefined) return true;
  if (poor === null || typeof poor !== "object" || Array.isArray(poor))
    return stableStringify(rich) === stableStringify(poor);
  if (rich === null || typeof rich !== "object" || Array.isArray(rich)) return false;
  const r = rich as Record<string, unknown>;
  return Object.entries(poor).every(([k, v]) => covers(r[k], v));
}

/**
 * The points of one import (`files[f][i]`) that duplicate another of its points: the same measurement
 * (configuration, load level, source, date and run link) with nothing the other lacks, provenance aside
 * (`measured`: copies that differ only in how they reached us are copies). Of such copies the one with the
 * most values is kept (the first in file order among equals), whatever the files' order, so the stored point
 * of a measurement carries everything the import had about it. Copies whose values disagree are both kept.
 * @example findDuplicates([latestRows, historyRows]) // [{ file: 1, index: 7, of: { file: 0, index: 3 } }]
 */
export function findDuplicates(files: readonly (readonly PointResult[])[]): Duplicate[] {
  const byKey = new Map<string, PointPlace[]>();
  files.forEach((points, file) => {
    points.forEach((point, index) => {
      const key = measurementKey(point);
      if (key === undefined) return;
      const places = byKey.get(key);
      if (places) places.push({ file, index });
      else byKey.set(key, [{ file, index }]);
    });
  });
  const duplicates: Duplicate[] = [];
  const pointAt = (p: PointPlace) => files[p.file]![p.index]!;
  for (const places of byKey.values()) {
    if (places.length < 2) continue;
    const weighed = new Map(places.map((p) => [p, measured(pointAt(p))]));
    const size = new Map(places.map((p) => [p, leaves(weighed.get(p))]));
    // richest first; places are already in file order, and the sort is stable
    places.sort((a, b) => size.get(b)! - size.get(a)!);
    const kept: PointPlace[] = [];
    for (const place of places) {
      const of = kept.find((k) => covers(weighed.get(k), weighed.get(place)));
      if (of) duplicates.push({ ...place, of });
      else kept.push(place);
    }
  }
  return duplicates.sort((a, b) => a.file - b.file || a.index - b.index);
}
