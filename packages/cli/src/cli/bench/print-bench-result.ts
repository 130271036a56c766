import { STREAMS_PER_WORKER } from "@infermark/bench";
import type { PointResult } from "@infermark/core";
import type { BenchCommandResult } from "../../commands/bench.js";
import { curveTable } from "../curve-table.js";
import { log } from "./log.js";

/**
 * Prints a finished run: with `json`, whether it was interrupted, the levels not run (and why, when the server
 * stopped answering) and every level's label, files and point as one JSON object on stdout; else the files written,
 * one line each on stderr (the summaries were printed as the levels ended).
 * @example printBenchResult(result, false) // "wrote bench-results/point-c4.json"
 */
export function printBenchResult(result: BenchCommandResult, json: boolean | undefined): void {
  if (json) {
    console.log(
      JSON.stringify(
        {
          interrupted: result.interrupted,
          notRun: result.notRun,
          ...(result.stopReason ? { stopReason: result.stopReason } : {}),
          levels: result.levels.map((l, i) => ({
            label: l.label,
            files: result.files[i],
            point: l.point,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    // the levels' summaries were printed as they ended: the curve they make, in one table
    if (result.levels.length > 1) console.log(`== curve ==\n${curveTable(result.levels, true)}`);
    for (const f of result.files) log(`wrote ${f.point}${f.requests ? ` and ${f.requests}` : ""}`);
  }
}

/**
 * The line that says which levels a run stopped before, and why when it was not a Ctrl-C or SIGTERM (a server that
 * stopped answering). Undefined when every level ran.
 * @example notRunLine({ notRun: ["c8"], stopReason: undefined }) // "infermark: stopped before c8 (not run)"
 */
export function notRunLine(result: {
  notRun: readonly string[];
  stopReason?: string;
}): string | undefined {
  if (result.notRun.length === 0) return undefined;
  const levels = `${result.notRun.join(", ")} (not run)`;
  return result.stopReason
    ? `infermark: ${result.stopReason}; stopped before ${levels}`
    : `infermark: stopped before ${levels}`;
}

/**
 * One line of advice when the client was saturated at some level (the point is invalid: it could not stamp every
 * event on time): more client threads when this machine has cores to spare (`--workers N`, up to cores - 1),
 * else another machine or fewer streams per process. Undefined when no level was saturated.
 * @example saturationHint([{ label: "c1024", point }], 16) // "infermark: hint: the client was saturated at c1024 ..."
 */
export function saturationHint(
  levels: readonly { label: string; point: PointResult }[],
  cores: number,
): string | undefined {
  const saturated = levels.filter((l) => l.point.client?.saturated);
  if (saturated.length === 0) return undefined;
  const at = saturated.map((l) => l.label).join(", ");
  const threads = Math.max(...saturated.map((l) => l.point.client?.workers ?? 1));
  const spare = Math.max(1, cores - 1);
  const stamped = `${threads} thread${threads === 1 ? "" : "s"}`;
  return threads < spare
    ? `infermark: hint: the client was saturated at ${at}, stamping on ${stamped}: --workers ${spare} spreads the streams over ${spare} threads on this machine's ${cores} cores`
    : `infermark: hint: the client was saturated at ${at}, stamping on ${stamped} of this machine's ${cores} cores: run the load generator on a machine of its own (not beside the server), or split the streams over several bench processes`;
}

/**
 * A warning when the configuration a point records is left to its defaults: without `--gpus` (or the two pools'),
 * throughput per GPU counts one GPU, which on an 8-GPU server is 8x what it is; without `--hardware` no cost or
 * energy can be computed; without `--precision` the groups read "unknown". Undefined when all were given.
 * @example unsetConfigWarning({}) // "infermark: warning: without --gpus, --hardware, --precision the points record ..."
 */
export function unsetConfigWarning(flags: {
  gpus?: number;
  prefillGpus?: number;
  decodeGpus?: number;
  hardware?: string;
  precision?: string;
}): string | undefined {
  const unset: [string, string][] = [];
  if (flags.gpus === undefined && flags.prefillGpus === undefined && flags.decodeGpus === undefined)
    unset.push(["--gpus", "1 GPU (throughput per GPU counts one)"]);
  if (flags.hardware === undefined)
    unset.push(["--hardware", "hardware unknown (no cost or energy)"]);
  if (flags.precision === undefined) unset.push(["--precision", "precision unknown"]);
  if (unset.length === 0) return undefined;
  return `infermark: warning: without ${unset.map(([f]) => f).join(", ")} the points record ${unset.map(([, what]) => what).join(", ")}`;
}

/**
 * The line that says how many client threads `--workers auto` took, when it took any (none: nothing to say).
 * @example autoWorkersLine("auto", 14, 16) // "infermark: sending and stamping on 14 client threads (--workers auto: ...)"
 */
export function autoWorkersLine(
  asked: number | "auto",
  threads: number,
  cores: number,
): string | undefined {
  if (asked !== "auto" || threads === 0) return undefined;
  return `infermark: sending and stamping on ${threads} client threads (--workers auto: one per ${STREAMS_PER_WORKER} streams of the largest level, on this machine's ${cores} cores; --workers 0 keeps them on the main thread)`;
}
