import type { PointResult } from "@infermark/core";

/** A number with about three significant digits, thousands grouped: 1,234 / 12.3 / 0.0123. */
export function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString("en-US");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return "0";
  return v.toPrecision(3);
}

/**
 * An axis tick: ticks are round numbers, so they are written as they are, without `fmt`'s padding to three digits
 * (an axis of 0, 50.0, 100, 150 reads unevenly); thousands grouped.
 * @example [0, 50, 100, 2500, 0.25].map(fmtTick) // ["0", "50", "100", "2,500", "0.25"]
 */
export function fmtTick(v: number): string {
  if (!Number.isFinite(v)) return "";
  // float noise of tick steps (0.30000000000000004) is not a digit
  return Number(v.toPrecision(10)).toLocaleString("en-US", { maximumFractionDigits: 10 });
}

/**
 * A point's load level in words: `concurrency 8` (`c8` short), `2.5 req/s` (with `, max 4` in flight when capped),
 * or a trace replay `trace x2` (its speedup), capped likewise.
 * @example loadText({ mode: "rate", rate: 2.5 }, undefined, false) // "2.5 req/s"
 */
export function loadText(
  load: PointResult["config"]["load"],
  workload: PointResult["config"]["workload"],
  short: boolean,
): string {
  const cap =
    load.mode !== "concurrency" && load.concurrency !== undefined
      ? `, max ${load.concurrency}`
      : "";
  if (load.mode === "trace") return `trace x${workload.trace?.speedup ?? 1}${cap}`;
  if (load.mode === "rate") return `${load.rate} req/s${cap}`;
  return short ? `c${load.concurrency ?? "?"}` : `concurrency ${load.concurrency ?? "?"}`;
}

/** Escapes text for HTML. */
export function esc(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
