import type { PointResult } from "@infermark/core";
import { esc } from "./format.js";

/** The most metrics the table lists (vLLM exports about a hundred series; the busiest come first by name). */
export const MAX_SERVER_METRICS = 60;

const num = (v: number | undefined) =>
  v === undefined
    ? "–"
    : Math.abs(v) >= 1000 || Number.isInteger(v)
      ? v.toLocaleString("en-US", { maximumFractionDigits: 0 })
      : v.toPrecision(4);

/**
 * The server's own metrics over the level (`serverMetrics`, read from its Prometheus `/metrics` before and after):
 * each metric's value before and after and their difference, the derived ones (prefix-cache hit rate, draft
 * acceptance) first, in a collapsed `<details>`; empty when the point has none (imports, servers without metrics).
 * @example main.insertAdjacentHTML("beforeend", serverMetricsTable(point))
 */
export function serverMetricsTable(point: PointResult): string {
  const m = point.serverMetrics;
  if (!m?.delta) return "";
  const names = [...new Set([...Object.keys(m.delta), ...Object.keys(m.after ?? {})])].sort(
    (a, b) =>
      Number(b.startsWith("derived:")) - Number(a.startsWith("derived:")) || (a < b ? -1 : 1),
  );
  const shown = names.slice(0, MAX_SERVER_METRICS);
  const rows = shown
    .map(
      (n) =>
        `<tr><th scope="row">${esc(n)}</th><td>${num(m.before?.[n])}</td><td>${num(m.after?.[n])}</td><td>${num(m.delta?.[n])}</td></tr>`,
    )
    .join("");
  const more = names.length > shown.length ? ` (first ${shown.length} of ${names.length})` : "";
  return `<details class="server-metrics"><summary>Server metrics over the level${more}</summary><table><thead><tr><th scope="col">metric</th><th scope="col">before</th><th scope="col">after</th><th scope="col">change</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}
