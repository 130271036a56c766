import { AnalysisError, parseFilterExpression } from "@infermark/core";
import type { Command } from "commander";
import { compareCommand } from "../../commands/compare.js";
import { UsageError } from "../../errors.js";
import { numberList } from "../parse.js";
import { addAnalysisOptions } from "./add-analysis-options.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import {
  noPointMatches,
  printAnalysis,
  printWarnings,
  requireSomeValue,
} from "./print-analysis.js";
import { resolveAnalysis } from "./resolve-analysis.js";

/**
 * Registers `compare`: the ratio of the `--a` groups to the `--b` groups at each `--at` target, per workload.
 * @example registerCompare(program)
 */
export function registerCompare(program: Command): void {
  addAnalysisOptions(
    program
      .command("compare")
      .description(
        "the ratio of A to B at target interactivities (A and B: key=value filter expressions)",
      )
      .requiredOption("--a <filter>", "A, e.g. hardware=gb200,precision=fp4,spec=mtp")
      .requiredOption("--b <filter>", "B, e.g. hardware=h100")
      .requiredOption(
        "--at <targets>",
        "x values to compare at, e.g. 40,75,116 (required)",
        numberList("--at"),
      ),
  ).action(async (flags: AnalysisFlags & { a: string; b: string; at: number[] }) => {
    // each side is pooled into one frontier per workload: a grouping would be read by nothing
    if (flags.groupBy !== undefined)
      throw new UsageError(
        "--group-by does not apply to compare: each side is pooled into one frontier per workload (narrow a side with --a/--b)",
      );
    for (const [flag, expression] of [
      ["--a", flags.a],
      ["--b", flags.b],
    ] as const) {
      try {
        parseFilterExpression(expression);
      } catch (error) {
        throw new UsageError(`${flag}: ${(error as Error).message}`);
      }
    }
    const r = await compareCommand({
      ...(await resolveAnalysis(flags)),
      a: flags.a,
      b: flags.b,
      targets: flags.at,
    });
    // a side that selects nothing (a typo: hardware=b2000) compares nothing: its column was all "-", exit 0
    if (r.points.selected === 0) throw new AnalysisError(noPointMatches(flags));
    for (const [flag, expression, n] of [
      ["--a", r.a, r.points.a],
      ["--b", r.b, r.points.b],
    ] as const)
      if (n === 0)
        throw new AnalysisError(
          `${flag} ${expression} matches none of the ${r.points.selected} stored point(s) the filters select`,
        );
    // one side's values without a ratio still say something (B never reaches 116 tok/s/user): only nothing at all
    // is refused
    requireSomeValue(
      r.rows.map((row) => ({
        value: row.ratio ?? row.a ?? row.b,
        about: `${row.workload} at ${row.target}`,
        ...(row.reason ? { reason: row.reason } : {}),
      })),
      flags.at,
    );
    printAnalysis(
      flags,
      r,
      ["workload", "target", `A ${r.y}`, `B ${r.y}`, "A/B"],
      r.rows.map((row) => [row.workload, row.target, row.a, row.b, row.ratio]),
      [`A: ${r.a}  B: ${r.b}`, ...firstReasons(r.rows)],
    );
    printWarnings(r.warnings);
  });
}

/** The reasons of the rows without a ratio, each with its workload and target (at most 4 lines, then a count). */
function firstReasons(
  rows: readonly { workload: string; target: number; reason?: string }[],
): string[] {
  const reasons = [
    ...new Set(
      rows.flatMap((row) =>
        row.reason ? [`${row.workload} at ${row.target}: ${row.reason}`] : [],
      ),
    ),
  ];
  return reasons.length > 4
    ? [...reasons.slice(0, 4), `... (${reasons.length} in all; --json lists every one)`]
    : reasons;
}
