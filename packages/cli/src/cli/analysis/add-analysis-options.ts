import { PRICE_TIERS } from "@infermark/core";
import type { Command } from "commander";
import { addFilterOptions, isoDate } from "../filters.js";
import { positiveNumber } from "../parse.js";

const DB_HELP =
  "database: SQLite file or postgres:// URL (default $INFERMARK_DB, else infermark.db)";

/**
 * Adds the analysis flags. `pointSet: false` (trend, which reads every date) leaves out --latest, --date and
 * --all-dates rather than offering flags it would ignore.
 * @example addAnalysisOptions(program.command("cost"), { axes: false })
 */
export function addAnalysisOptions(
  command: Command,
  { axes = true, pricing = true, pointSet = true } = {},
): Command {
  addFilterOptions(command, { latest: false }).option("--db <url>", DB_HELP);
  if (pointSet)
    command
      .option(
        "--latest",
        "the latest point of each configuration and concurrency, as of --date or --to (the default)",
      )
      .option(
        "--date <day>",
        "the latest point of each configuration and concurrency as of this day",
        isoDate("--date"),
      )
      .option(
        "--all-dates",
        "pool the points of every date (default: the latest of each configuration and concurrency)",
      );
  command.option(
    "--group-by <dims>",
    "grouping: +tp / -framework to refine or pool, or a list such as hardware",
  );
  if (axes)
    command
      .option("--x <metric>", "x metric: intvty (default), intvty.p99, e2el, ttft, ...")
      .option(
        "--y <metric>",
        "y metric: tput (default), input-tput, output-tput, cost, input-cost, output-cost, tokens-per-dollar, j-per-token, provisioned-j, tokens-per-mw",
      );
  if (pricing)
    command
      .option("--tier <tier>", `GPU price tier: ${PRICE_TIERS.join(", ")} (default hyperscaler)`)
      .option("--price <usd>", "your own $ per GPU-hour, for every GPU", positiveNumber("--price"))
      .option("--catalog <file>", "catalog override file (YAML); also INFERMARK_CATALOG");
  return command.option("--json", "print JSON").option("--csv", "print CSV");
}
