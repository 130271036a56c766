import type { Command } from "commander";
import { marginCommand } from "../../commands/margin.js";
import { numberList, positiveNumber } from "../parse.js";
import { addAnalysisOptions } from "./add-analysis-options.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import { printMetricTable } from "./print-metric-table.js";
import { resolveAnalysis } from "./resolve-analysis.js";

/**
 * Registers `margin`: gross margin at a provider's `--price-in` / `--price-out` per million tokens, at `--at` targets.
 * @example registerMargin(program)
 */
export function registerMargin(program: Command): void {
  addAnalysisOptions(
    program
      .command("margin")
      .description(
        "gross margin at a provider's prices per million input and output tokens, at targets",
      )
      .requiredOption(
        "--price-in <usd>",
        "provider's $ per million input tokens",
        positiveNumber("--price-in"),
      )
      .requiredOption(
        "--price-out <usd>",
        "provider's $ per million output tokens",
        positiveNumber("--price-out"),
      )
      .requiredOption(
        "--at <targets>",
        "x values to price at, e.g. 35,75 (required)",
        numberList("--at"),
      ),
    { axes: false },
  ).action(async (flags: AnalysisFlags & { priceIn: number; priceOut: number; at: number[] }) => {
    const r = await marginCommand({
      ...(await resolveAnalysis(flags)),
      prices: { inputPerMillion: flags.priceIn, outputPerMillion: flags.priceOut },
      targets: flags.at,
    });
    printMetricTable(flags, r, true);
  });
}
