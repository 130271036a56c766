import type { BenchCommandResult } from "../../commands/bench.js";
import { log } from "./log.js";

/**
 * Prints a finished run: with `json`, every level's label, files and point as one JSON object on stdout; else the
 * files written, one line each on stderr (the summaries were printed as the levels ended).
 * @example printBenchResult(result, false) // "wrote bench-results/point-c4.json"
 */
export function printBenchResult(result: BenchCommandResult, json: boolean | undefined): void {
  if (json) {
    console.log(
      JSON.stringify(
        {
          interrupted: result.interrupted,
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
    for (const f of result.files) log(`wrote ${f.point}${f.requests ? ` and ${f.requests}` : ""}`);
  }
}
