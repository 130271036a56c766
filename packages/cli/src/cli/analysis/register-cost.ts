import type { Command } from "commander";
import { costCommand } from "../../commands/cost.js";
import { numberList } from "../parse.js";
import { addAnalysisOptions } from "./add-analysis-options.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import { printMetricTable } from "./print-metric-table.js";
import { resolveAnalysis } from "./resolve-analysis.js";

/**
 * Registers `cost`: cost and energy figures for each group's frontier points, or at `--at` targets.
 * @example registerCost(program)
 */
export function registerCost(program: Command): void {
  addAnalysisOptions(
    program
      .command("cost")
      .description(
        "cost per million tokens, tokens per dollar, provisioned J/token and tokens/s per MW per group",
      )
      .option(
        "--at <targets>",
        "interpolate at these x values instead of listing frontier points",
        numberList("--at"),
      ),
    { axes: false },
  ).action(async (flags: AnalysisFlags & { at?: number[] }) => {
    const r = await costCommand({
      ...(await resolveAnalysis(flags)),
      ...(flags.at ? { targets: flags.at } : {}),
    });
    printMetricTable(flags, r, !!flags.at);
  });
}
