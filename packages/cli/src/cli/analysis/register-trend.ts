import { parseFilterExpression } from "@infermark/core";
import { type Command, InvalidArgumentError } from "commander";
import { trendCommand } from "../../commands/trend.js";
import { UsageError } from "../../errors.js";
import { positiveNumber } from "../parse.js";
import { addAnalysisOptions } from "./add-analysis-options.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import { type DayRange, dayRange } from "./day-range.js";
import {
  type Cell,
  noPointMatches,
  printAnalysis,
  printWarnings,
  requireSomeValue,
} from "./print-analysis.js";
import { gateLines, gateNote } from "./print-trend-gate.js";
import { resolveAnalysis } from "./resolve-analysis.js";

/**
 * A commander parser for `--fail-on-regression`: a percent >= 0, with or without its `%` (`5`, `5%`, `0.5`).
 * @example regressionPercent("5%") // 5
 */
export function regressionPercent(value: string): number {
  const digits = value.trim().replace(/%$/, "");
  const n = Number(digits);
  // Number("") is 0: a blank value is no percent; Infinity would let every regression pass
  if (digits.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(
      `--fail-on-regression expects a percent >= 0 (5 or 5%: fail a group more than 5% worse), got "${value}"`,
    );
  return n;
}

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
      .requiredOption("--at <target>", "the x target, one value (required)", positiveNumber("--at"))
      .option(
        "--between <from,to>",
        "the two days the factor compares: YYYY-MM-DD, first, previous or latest (default: first and last with a value; with --fail-on-regression previous,latest)",
        dayRange,
      )
      .option(
        "--fail-on-regression <percent>",
        "exit 1 when a group got more than this many percent worse between the two days (a drop of throughput, a rise of cost or J/token), or has no value on one of them",
        regressionPercent,
      )
      .option(
        "--allow-missing",
        "with --fail-on-regression: a group without a value on one of the days is reported but does not fail",
      ),
    { pointSet: false },
  ).action(async (flags: TrendFlags) => {
    if (flags.allowMissing && flags.failOnRegression === undefined)
      throw new UsageError("--allow-missing needs --fail-on-regression");
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
      ...(flags.failOnRegression === undefined
        ? {}
        : { failOnRegression: flags.failOnRegression, allowMissing: flags.allowMissing ?? false }),
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
        [
          g.factor ? `${g.factor.from} -> ${g.factor.to}` : "",
          g.check ? gateNote(r, g.check) : g.reason,
        ]
          .filter((n) => n)
          .join(": "),
      ],
    ]);
    printAnalysis(flags, r, ["group", "date", `${r.y}@${r.target}`, "software", "note"], rows, [], {
      error: noPointMatches(flags, flags.group ? `--group ${flags.group}` : undefined),
    });
    printWarnings(r.warnings);
    if (r.gate) {
      // on stderr, so JSON and CSV stay clean; a CI log shows what failed without reading the table
      for (const line of gateLines(r)) console.error(`infermark: ${line}`);
      if (!r.gate.passed) process.exitCode = 1;
    }
  });
}

type TrendFlags = AnalysisFlags & {
  group?: string;
  at: number;
  between?: DayRange;
  failOnRegression?: number;
  allowMissing?: boolean;
};
