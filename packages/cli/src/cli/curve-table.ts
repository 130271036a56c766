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
 * whether it is valid (the first reason when it is not).
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
    if (validity)
      row.push(
        `${(p.errors.rate * 100).toFixed(1)}%`,
        p.validity.valid ? "yes" : `no: ${p.validity.reasons[0] ?? "?"}`,
      );
    return row;
  });
  return renderTable(validity ? [...header, "errors", "valid"] : header, rows);
}
