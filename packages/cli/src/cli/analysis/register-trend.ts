import { parseFilterExpression } from "@infermark/core";
import type { Command } from "commander";
import { trendCommand } from "../../commands/trend.js";
import { UsageError } from "../../errors.js";
import { positiveNumber } from "../parse.js";
import { addAnalysisOptions } from "./add-analysis-options.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import { type DayRange, dayRange } from "./day-range.js";
import { type Cell, noPointMatches, printAnalysis, requireSomeValue } from "./print-analysis.js";
import { resolveAnalysis } from "./resolve-analysis.js";

/**
 * Registers `trend`: each group's value at one `--at` target for every date, then the factor between two dates.
 * @example registerTrend(program)
 */
export function registerTrend(program: Command): void {
  addAnalysisOptions(
    program
      .command("trend")
      .description("a group's value at a target for each date, and the factor between two dates")
      .option("--group <filter>", "which groups, e.g. hardware=b200,framework=sglang,precision=fp8")
      .requiredOption("--at <target>", "the x target (one value)", positiveNumber("--at"))
      .option(
        "--between <from,to>",
        "the two days the factor compares (default: first and last with a value)",
        dayRange,
      ),
    { pointSet: false },
  ).action(async (flags: AnalysisFlags & { group?: string; at: number; between?: DayRange }) => {
    // a bad --group is a bad flag, named like compare's --a and --b (it was found deep in the command, exit 1)
    if (flags.group !== undefined)
      try {
        parseFilterExpression(flags.group);
      } catch (error) {
        throw new UsageError(`--group: ${(error as Error).message}`);
      }
    const { from, to } = flags.between ?? {};
    const r = await trendCommand({
      ...(await resolveAnalysis(flags)),
      ...(flags.group ? { group: flags.group } : {}),
      target: flags.at,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    requireSomeValue(
      r.groups.flatMap((g) =>
        g.dates.map((d) => ({
          value: d.value,
          about: `${g.group} on ${d.date}`,
          ...(d.reason ? { reason: d.reason } : {}),
        })),
      ),
      [flags.at],
    );
    const rows: Cell[][] = r.groups.flatMap((g) => [
      ...g.dates.map((d): Cell[] => [
        g.group,
        d.date,
        d.value,
        d.software.join(", "),
        // the date's own reason: outside its frontier's range, or no point with the metric (no energy)
        d.value === null ? (d.reason ?? "") : "",
      ]),
      [
        g.group,
        "factor",
        g.factor?.factor ?? null,
        "",
        g.factor ? `${g.factor.from} -> ${g.factor.to}` : (g.reason ?? ""),
      ],
    ]);
    printAnalysis(flags, r, ["group", "date", `${r.y}@${r.target}`, "software", "note"], rows, [], {
      error: noPointMatches(flags, flags.group ? `--group ${flags.group}` : undefined),
    });
  });
}
