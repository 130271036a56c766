import type { PointResult } from "@infermark/core";
import { renderTable } from "./output.js";

/** A level of a run (bench) or a prediction (sim predict): its label and its point. */
export interface CurveLevel {
  label: string;
  point: PointResult;
}

const num = (x: number | undefined, digits: number) => (x === undefined ? "–" : x.toFixed(digits));
const ms = (s: number | undefined, digits: number) =>
  s === undefined ? "–" : (s * 1000).toFixed(digits);

/**
 * A run's levels as one table, a row each: the frontier's axes (throughput per GPU, median interactivity) and the
 * median latencies, the throughput-interactivity curve at a glance. With `validity`, each level's error rate and
 * whether it is valid, and under the table each invalid level's reasons (in the column, a reason such as "client
 * saturated (event-loop delay p99 20.6 ms, ...)" made every row 150 characters wide).
 * @example console.log(curveTable(levels, true))
 */
export function curveTable(levels: readonly CurveLevel[], validity: boolean): string {
  const header = ["level", "tput/GPU", "out tput/GPU", "intvty", "TTFT ms", "TPOT ms"];
  const rows = levels.map(({ label, point: p }) => {
    const m = p.metrics;
    const row = [
      label,
      num(m.tputPerGpu, 1),
      num(m.outputTputPerGpu, 1),
      num(m.intvty?.median, 1),
      ms(m.ttft?.median, 0),
      ms(m.tpot?.median, 1),
    ];
    if (validity) row.push(`${(p.errors.rate * 100).toFixed(1)}%`, p.validity.valid ? "yes" : "no");
    return row;
  });
  if (!validity) return renderTable(header, rows);
  const invalid = levels
    .filter((l) => !l.point.validity.valid)
    .map((l) => `${l.label} invalid: ${l.point.validity.reasons.join("; ") || "no reason given"}`);
  return [renderTable([...header, "errors", "valid"], rows), ...invalid].join("\n");
}
