import { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { pointJson } from "../../test/helpers.js";
import { curveTable } from "./curve-table.js";

const point = (concurrency: number, metrics: Record<string, unknown>, reasons: string[] = []) =>
  PointResult.parse(
    pointJson(concurrency, {
      metrics,
      errors: { total: reasons.length, requests: 40, rate: reasons.length / 40 },
      validity: { valid: reasons.length === 0, reasons },
    }),
  );

describe("curveTable", () => {
  it("gives a row per level: the frontier's axes and median latencies, then errors and validity", () => {
    const levels = [
      {
        label: "c4",
        point: point(4, {
          tputPerGpu: 412.345,
          outputTputPerGpu: 201.2,
          intvty: { median: 62.94 },
          ttft: { median: 0.1246 },
          tpot: { median: 0.01589 },
        }),
      },
      // a level with no completed request has no figures: shown as dashes, not zeros
      { label: "c64", point: point(64, { completed: 0 }, ["no request completed", "x"]) },
    ];
    expect(curveTable(levels, true).split("\n")).toEqual([
      "level  tput/GPU  out tput/GPU  intvty  TTFT ms  TPOT ms  errors  valid",
      "-----  --------  ------------  ------  -------  -------  ------  -----",
      "c4        412.3         201.2    62.9      125     15.9    0.0%    yes",
      "c64           –             –       –        –        –    5.0%     no",
      // each invalid level's reasons under the table, all of them, so the rows keep their width
      "c64 invalid: no request completed; x",
    ]);
    // sim predict's table: no errors or validity to show
    expect(curveTable(levels, false).split("\n")[0]).toBe(
      "level  tput/GPU  out tput/GPU  intvty  TTFT ms  TPOT ms",
    );
  });
});
