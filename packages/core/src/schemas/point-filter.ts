import { z } from "zod";
import { softwareOf, versionMatches } from "../analysis/software.js";
import { isIsoDay } from "./iso-day.js";
import type { PointResult } from "./point-result.js";
import { PointSource } from "./point-result.js";

const list = z.array(z.string().min(1)).min(1);

/** A day as run days are filtered: YYYY-MM-DD (another form would compare as text with the days and match none). */
const isoDay = z.string().refine(isIsoDay, "expected a day written YYYY-MM-DD (2026-07-01)");

/**
 * Which points a query selects. Every field narrows; list fields match any of their values.
 * Shared by the store's query layer, the analysis CLI and the dashboard API.
 */
export const PointFilter = z
  .object({
    model: list.optional(),
    isl: z.number().int().nonnegative().optional(),
    osl: z.number().int().nonnegative().optional(),
    workload: list
      .optional()
      .describe(
        "workload kinds as groups name them (random, sharegpt, jsonl, session x4, ...); a bare kind (session) matches all of it",
      ),
    hardware: list.optional(),
    framework: list.optional(),
    precision: list.optional(),
    spec: list.optional().describe("speculative-decoding methods (none, mtp, ...)"),
    disaggregated: z.boolean().optional(),
    image: list
      .optional()
      .describe(
        "container images of the server as recorded (case kept): two software releases of one configuration apart",
      ),
    version: list
      .optional()
      .describe(
        "serving-software releases (the engine's version, else the image's tag): 0.11.0 matches v0.11.0 and v0.11.0-cu129, 0.11 every 0.11.x",
      ),
    source: z.array(PointSource).min(1).optional(),
    dateFrom: isoDay.optional().describe("inclusive, ISO date"),
    dateTo: isoDay.optional().describe("inclusive, ISO date"),
    latest: z
      .boolean()
      .optional()
      .describe("only the latest point of each configuration and concurrency (as of dateTo)"),
    validOnly: z.boolean().optional(),
  })
  .strict();
export type PointFilter = z.infer<typeof PointFilter>;

/**
 * What kind of workload a point measured, as a group sees it: `random` (the InferenceX fixed-length workload), a
 * dataset file by its name (`sharegpt chat.json`, `jsonl prompts.jsonl`), sessions with their file if any, turns and
 * think time (`session x4`, `session chat.json x4 think 2000 ms`), or a replayed trace with its file (`trace
 * agent.jsonl`): the same ISL/OSL means other requests under each, so their points never share a frontier. Before
 * 2026-11-28 a dataset's file was not part of it, and two ShareGPT-format files shared one.
 * @example workloadKind({ kind: "sharegpt", isl: 300, osl: 200, dataset: "data/chat.json" }) // "sharegpt chat.json"
 */
export function workloadKind(w: PointResult["config"]["workload"]): string {
  if (w.kind === "trace" && w.trace) return `trace ${w.trace.file}`;
  const name = datasetName(w);
  const file = name !== undefined ? ` ${name}` : "";
  if (w.kind !== "session") return `${w.kind}${file}`;
  const think = w.thinkTimeMs ? ` think ${w.thinkTimeMs} ms` : "";
  return `session${file}${w.turns ? ` x${w.turns}` : ""}${think}`;
}

/**
 * The dataset file a workload was read from, by its name (the last part of its path, so one file stored under other
 * folders is one dataset): ShareGPT, JSONL and session files; none for the random workload, or for a trace (which
 * names its file and sha256 in `trace`).
 * @example datasetName({ kind: "sharegpt", isl: 300, osl: 200, dataset: "/data/chat.json" }) // "chat.json"
 */
export function datasetName(w: PointResult["config"]["workload"]): string | undefined {
  if (w.dataset === undefined || w.kind === "random" || w.kind === "trace") return undefined;
  // split by hand: the browser has no node:path, and a Windows path uses backslashes
  return w.dataset.split(/[\\/]/).filter(Boolean).at(-1) ?? w.dataset;
}

/**
 * Whether a workload kind (`workloadKind`) is one a filter asks for: the same, or of the bare kind asked for
 * (`session` takes `session x4 think 2000 ms`; `session x4` takes only itself).
 * @example workloadMatches("session x4", ["session"]) // true
 */
export function workloadMatches(kind: string, wanted: readonly string[] | undefined): boolean {
  return (
    !wanted || wanted.some((w) => kind === w || (!w.includes(" ") && kind.startsWith(`${w} `)))
  );
}

/** Whether some software (`softwareOf`) is any of the wanted releases (`versionMatches`). */
const versionIn = (software: string | undefined, wanted: readonly string[]) =>
  wanted.some((v) => versionMatches(software, v));

const inList = (list: readonly string[] | undefined, value: string) =>
  !list || list.includes(value);

/** The date part (YYYY-MM-DD) of a run date. */
export const dayOf = (date: string) => date.slice(0, 10);

/**
 * Whether a point passes a filter's per-point conditions (everything except `latest`, which needs the whole set).
 */
export function matchesFilter(point: PointResult, filter: PointFilter): boolean {
  const c = point.config;
  const day = dayOf(point.run.date);
  return (
    inList(filter.model, c.model) &&
    (filter.isl === undefined || c.workload.isl === filter.isl) &&
    (filter.osl === undefined || c.workload.osl === filter.osl) &&
    workloadMatches(workloadKind(c.workload), filter.workload) &&
    inList(filter.hardware, c.hardware) &&
    inList(filter.framework, c.framework) &&
    inList(filter.precision, c.precision) &&
    inList(filter.spec, c.specDecoding.method) &&
    (filter.disaggregated === undefined || c.topology.disaggregated === filter.disaggregated) &&
    (!filter.image || (c.image !== undefined && filter.image.includes(c.image))) &&
    (!filter.version || versionIn(softwareOf(point), filter.version)) &&
    (!filter.source || filter.source.includes(point.run.source)) &&
    (!filter.dateFrom || day >= filter.dateFrom) &&
    (!filter.dateTo || day <= filter.dateTo) &&
    (!filter.validOnly || point.validity.valid)
  );
}
