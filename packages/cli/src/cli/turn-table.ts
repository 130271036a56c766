import type { SessionReport } from "@infermark/bench";
import type { PointResult } from "@infermark/core";
import { renderTable } from "./output.js";

const ms = (s: number | undefined) => (s === undefined ? "-" : (s * 1000).toFixed(1));
const tokens = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(0));

/**
 * The console lines of a session point's `extra.session`: sessions, TTFT of first and later turns, and a row per
 * turn (requests, TTFT, input tokens with the history, cached tokens when the server reports them). Empty for
 * other points.
 * @example turnTable(point) // "Sessions 12 (0 ended by a failed turn); TTFT median turn 1 ..."
 */
export function turnTable(point: PointResult): string {
  const report = point.extra?.session as SessionReport | undefined;
  if (!report) return "";
  const cached = report.turns.some((t) => t.cachedTokensMedian !== undefined);
  const header = ["turn", "requests", "TTFT median (ms)", "input tokens median"];
  if (cached) header.push("cached tokens median");
  const rows = report.turns.map((t) => {
    const row = [
      String(t.turn),
      `${t.completed}/${t.requests}`,
      ms(t.ttftMedianS),
      tokens(t.inputTokensMedian),
    ];
    if (cached) row.push(tokens(t.cachedTokensMedian));
    return row;
  });
  return [
    `Sessions ${report.sessions} (${report.endedByFailure} ended by a failed turn); TTFT median turn 1 ${ms(report.ttftFirstTurnMedianS)} ms, ${report.ttftLaterTurnsMedianS === undefined ? "no later turns" : `later turns ${ms(report.ttftLaterTurnsMedianS)} ms`}`,
    renderTable(header, rows),
    "",
  ].join("\n");
}
