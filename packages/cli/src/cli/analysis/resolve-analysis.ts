import {
  PRICE_TIERS,
  type PriceTier,
  type Pricing,
  parseGroupBy,
  resolveMetric,
} from "@infermark/core";
import { loadCatalog } from "../../commands/catalog.js";
import type { AnalysisCommandOptions } from "../../commands/frontier.js";
import { UsageError } from "../../errors.js";
import { toPointFilter } from "../filters.js";
import type { AnalysisFlags } from "./analysis-flags.js";

/** The axes of a frontier when --x and --y are not given (core's defaults). */
const DEFAULT_X = "intvty";
const DEFAULT_Y = "tput";

/**
 * Checks the analysis flags that exclude each other and turns them into the options every analysis command takes:
 * the point filter, the point set, the axes, the grouping, the pricing and the loaded catalog.
 * @example const options = await resolveAnalysis(flags)
 */
export async function resolveAnalysis(flags: AnalysisFlags): Promise<AnalysisCommandOptions> {
  if (flags.json && flags.csv) throw new UsageError("--json and --csv exclude each other");
  if (flags.tier !== undefined && flags.price !== undefined)
    throw new UsageError("--tier and --price exclude each other");
  if (flags.tier !== undefined && !PRICE_TIERS.includes(flags.tier as PriceTier))
    throw new UsageError(`--tier expects ${PRICE_TIERS.join(", ")}, got "${flags.tier}"`);
  if (flags.allDates && flags.date)
    throw new UsageError("--date and --all-dates exclude each other");
  if (flags.allDates && flags.latest)
    throw new UsageError("--latest and --all-dates exclude each other");
  const pricing: Pricing | undefined =
    flags.price !== undefined
      ? { usdPerGpuHour: flags.price }
      : flags.tier
        ? { tier: flags.tier as PriceTier }
        : undefined;
  // a metric or grouping the analysis does not know is a bad flag: name it, exit 2 (core says what is known)
  const flagged = <T>(flag: string, read: () => T): T => {
    try {
      return read();
    } catch (error) {
      throw new UsageError(`${flag}: ${(error as Error).message}`);
    }
  };
  const axes = [
    ["--x", flags.x, DEFAULT_X],
    ["--y", flags.y, DEFAULT_Y],
  ] as const;
  const [x, y] = axes.map(([flag, id, byDefault]) => {
    const metric = flagged(flag, () => resolveMetric(id ?? byDefault));
    // no command that takes --x or --y takes a provider's prices: only `margin` does
    if (metric.needsProviderPrices)
      throw new UsageError(
        `${flag}: ${metric.id} needs a provider's prices per million tokens: use infermark margin --price-in X --price-out Y`,
      );
    return metric;
  });
  // a frontier of a metric against itself is its one best point (`--x tput`, with tput the default y)
  if (x!.id === y!.id)
    throw new UsageError(
      `${axes.map(([flag, id, byDefault]) => `${flag} ${id ?? `${byDefault} (the default)`}`).join(" and ")} are one metric, ${x!.id}: a frontier of a metric against itself is a single point; choose another for one of them`,
    );
  const groupBy = flagged("--group-by", () => parseGroupBy(flags.groupBy));
  // the point set is chosen by `date` and `allDates` (loadAnalysisPoints), not by the filter
  const { latest: _latest, ...filterFlags } = flags;
  return {
    filter: toPointFilter(filterFlags),
    // an empty --db is refused by the store, not taken for the default database
    ...(flags.db !== undefined ? { db: flags.db } : {}),
    ...(flags.date ? { date: flags.date } : {}),
    ...(flags.allDates ? { allDates: true } : {}),
    ...(flags.x ? { x: flags.x } : {}),
    ...(flags.y ? { y: flags.y } : {}),
    groupBy,
    ...(pricing ? { pricing } : {}),
    catalog: await loadCatalog(flags.catalog),
  };
}
