import {
  csvCell,
  isIsoDay,
  PRICE_TIERS,
  type PriceTier,
  type Pricing,
  parseGroupBy,
} from "@infermark/core";
import { type Command, InvalidArgumentError } from "commander";
import { loadCatalog } from "../commands/catalog.js";
import { compareCommand } from "../commands/compare.js";
import { costCommand, type MetricTableResult } from "../commands/cost.js";
import {
  type AnalysisCommandOptions,
  type FrontierCommandResult,
  frontierCommand,
  leadersCommand,
  rangesCommand,
} from "../commands/frontier.js";
import { marginCommand } from "../commands/margin.js";
import { trendCommand } from "../commands/trend.js";
import { UsageError } from "../errors.js";
import { addFilterOptions, type FilterFlags, isoDate, toPointFilter } from "./filters.js";
import { renderTable } from "./output.js";
import { numberList, positiveNumber } from "./parse.js";

const DB_HELP =
  "database: SQLite file or postgres:// URL (default $INFERMARK_DB, else infermark.db)";

/** Flags every analysis command takes. */
interface AnalysisFlags extends FilterFlags {
  db?: string;
  date?: string;
  allDates?: boolean;
  x?: string;
  y?: string;
  groupBy?: string;
  tier?: string;
  price?: number;
  catalog?: string;
  json?: boolean;
  csv?: boolean;
}

type DayRange = { from?: string; to?: string };

/**
 * A commander parser for `--between D1,D2`: two days YYYY-MM-DD, either left out (`,D2`, `D1,`, `D1`). The days
 * are compared with run days as text, so anything else would silently select other dates or none.
 */
function dayRange(value: string): DayRange {
  const parts = value.split(",").map((s) => s.trim());
  const [from = "", to = ""] = parts;
  if (
    parts.length > 2 ||
    (from === "" && to === "") ||
    [from, to].some((d) => d !== "" && !isIsoDay(d))
  )
    throw new InvalidArgumentError(
      `--between expects D1,D2 (days YYYY-MM-DD; either may be left out), got "${value}"`,
    );
  if (from !== "" && to !== "" && from > to)
    throw new InvalidArgumentError(`--between: ${from} is after ${to}`);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/**
 * Adds the analysis flags. `pointSet: false` (trend, which reads every date) leaves out --latest, --date and
 * --all-dates rather than offering flags it would ignore.
 */
function addAnalysisOptions(
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

async function resolveAnalysis(flags: AnalysisFlags): Promise<AnalysisCommandOptions> {
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
  // the point set is chosen by `date` and `allDates` (loadAnalysisPoints), not by the filter
  const { latest: _latest, ...filterFlags } = flags;
  return {
    filter: toPointFilter(filterFlags),
    ...(flags.db ? { db: flags.db } : {}),
    ...(flags.date ? { date: flags.date } : {}),
    ...(flags.allDates ? { allDates: true } : {}),
    ...(flags.x ? { x: flags.x } : {}),
    ...(flags.y ? { y: flags.y } : {}),
    groupBy: parseGroupBy(flags.groupBy),
    ...(pricing ? { pricing } : {}),
    catalog: await loadCatalog(flags.catalog),
  };
}

/** A number for a table: 4 significant digits, no exponent for ordinary magnitudes. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "-";
  const a = Math.abs(v);
  if (a >= 1e7 || (a > 0 && a < 1e-4)) return v.toExponential(3);
  if (a >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(4)));
}

type Cell = string | number | null | undefined;

/** Prints a result as JSON, CSV (raw numbers) or an aligned table (rounded numbers). */
function print(
  flags: AnalysisFlags,
  json: unknown,
  header: string[],
  rows: Cell[][],
  notes: string[] = [],
  emptyReason = "no stored points match the filters and workload",
): void {
  // on stderr, so JSON and CSV output stay clean
  if (rows.length === 0) console.error(`infermark: no rows: ${emptyReason}`);
  if (flags.json) {
    console.log(JSON.stringify(json, null, 2));
    return;
  }
  if (flags.csv) {
    console.log([header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n"));
    return;
  }
  const cells = rows.map((r) =>
    r.map((c) => (typeof c === "number" ? formatNumber(c) : (c ?? "-"))),
  );
  console.log(renderTable(header, cells));
  for (const n of notes) console.log(n);
}

function printMetricTable(flags: AnalysisFlags, r: MetricTableResult, atTargets: boolean): void {
  const header = atTargets
    ? ["group", `${r.x} target`, ...r.metrics]
    : ["group", r.x, "conc", "tputPerGpu", ...r.metrics];
  const rows = r.rows.map((row) =>
    atTargets
      ? [row.group, row.x, ...r.metrics.map((m) => row.values[m])]
      : [row.group, row.x, row.concurrency, row.tputPerGpu, ...r.metrics.map((m) => row.values[m])],
  );
  const notes = [
    `pricing: ${r.pricing}; provisioned figures use the catalog's all-in kW per GPU, not a measurement`,
  ];
  const reasons = new Set(r.rows.flatMap((row) => Object.values(row.reasons ?? {})));
  if (reasons.size > 0)
    notes.push(
      `no value (-): ${[...reasons].slice(0, 3).join("; ")}${reasons.size > 3 ? "; ..." : ""}`,
    );
  print(flags, r, header, rows, notes);
}

/**
 * Says how many points had no value on an axis and were left out, so an empty frontier is explained (a
 * `--no-stream` point has no TPOT, hence no interactivity).
 */
function leftOutNote(r: FrontierCommandResult): string[] {
  const skipped = r.groups.reduce((n, g) => n + g.skipped, 0);
  return skipped === 0
    ? []
    : [
        `${skipped} point(s) without ${r.x.id} or ${r.y.id} left out (a point measured with --no-stream has no TPOT, so no interactivity)`,
      ];
}

/** Registers `frontier`, `compare`, `cost`, `trend` and `margin`. */
export function registerAnalysis(program: Command): void {
  addAnalysisOptions(
    program
      .command("frontier")
      .description(
        "the frontier of each group on a metric pair; values at targets, ranges, leaders",
      )
      .option("--at <targets>", "x values to interpolate at (40,75,116)", numberList("--at"))
      .option("--ranges", "print each group's measured range on x instead")
      .option("--leaders", "print which group leads at each --at target, per workload")
      .option("--best-per-gpu", "print the best group of each GPU at each --at target"),
  ).action(
    async (
      flags: AnalysisFlags & {
        at?: number[];
        ranges?: boolean;
        leaders?: boolean;
        bestPerGpu?: boolean;
      },
    ) => {
      const options = await resolveAnalysis(flags);
      if (flags.ranges) {
        const rows = await rangesCommand(options);
        return print(
          flags,
          rows,
          ["group", "min", "max", "frontier min", "frontier max", "points"],
          rows.map((r) => [r.group, r.min, r.max, r.frontierMin, r.frontierMax, r.points]),
        );
      }
      if (flags.leaders || flags.bestPerGpu) {
        if (!flags.at) throw new UsageError("--leaders and --best-per-gpu need --at");
        const rows = await leadersCommand({
          ...options,
          targets: flags.at,
          perGpu: !!flags.bestPerGpu,
        });
        return print(
          flags,
          rows,
          ["within", "target", "leader", "value", "runner-up", "value", "lead", "no value"],
          rows.map((r) => [
            r.partition,
            r.target,
            r.leader,
            r.value,
            r.runnerUp,
            r.runnerUpValue,
            r.lead,
            r.without,
          ]),
        );
      }
      const r = await frontierCommand({ ...options, ...(flags.at ? { targets: flags.at } : {}) });
      if (flags.at) {
        const header = ["group", ...flags.at.map((t) => `${r.y.id}@${t}`)];
        return print(
          flags,
          r,
          header,
          r.groups.map((g) => [g.group, ...(g.values ?? []).map((v) => v.value)]),
          [
            `${r.y.id} in ${r.y.unit} at ${r.x.id} targets (Steffen interpolation on each frontier; - = outside its range)`,
          ],
        );
      }
      print(
        flags,
        r,
        ["group", r.x.id, r.y.id, "conc", "framework", "tp", "date"],
        r.groups.flatMap((g) =>
          g.frontier.map((p) => [
            g.group,
            p.x,
            p.y,
            p.concurrency,
            p.framework,
            p.tp,
            p.date.slice(0, 10),
          ]),
        ),
        leftOutNote(r),
        ...(r.groups.some((g) => g.skipped > 0)
          ? [`every matching point lacks ${r.x.id} or ${r.y.id}`]
          : []),
      );
    },
  );

  addAnalysisOptions(
    program
      .command("compare")
      .description(
        "the ratio of A to B at target interactivities (A and B: key=value filter expressions)",
      )
      .requiredOption("--a <filter>", "A, e.g. hardware=gb200,precision=fp4,spec=mtp")
      .requiredOption("--b <filter>", "B, e.g. hardware=h100")
      .requiredOption("--at <targets>", "x values (40,75,116)", numberList("--at")),
  ).action(async (flags: AnalysisFlags & { a: string; b: string; at: number[] }) => {
    const r = await compareCommand({
      ...(await resolveAnalysis(flags)),
      a: flags.a,
      b: flags.b,
      targets: flags.at,
    });
    print(
      flags,
      r,
      ["workload", "target", `A ${r.y}`, `B ${r.y}`, "A/B"],
      r.rows.map((row) => [row.workload, row.target, row.a, row.b, row.ratio]),
      [
        `A: ${r.a}  B: ${r.b}`,
        ...[...new Set(r.rows.flatMap((row) => (row.reason ? [row.reason] : [])))].slice(0, 4),
      ],
    );
  });

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
    const { from, to } = flags.between ?? {};
    const r = await trendCommand({
      ...(await resolveAnalysis(flags)),
      ...(flags.group ? { group: flags.group } : {}),
      target: flags.at,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    const rows: Cell[][] = r.groups.flatMap((g) => [
      ...g.dates.map((d): Cell[] => [
        g.group,
        d.date,
        d.value,
        d.value === null ? "outside the frontier" : "",
      ]),
      [
        g.group,
        "factor",
        g.factor?.factor ?? null,
        g.factor ? `${g.factor.from} -> ${g.factor.to}` : (g.reason ?? ""),
      ],
    ]);
    print(flags, r, ["group", "date", `${r.y}@${r.target}`, "note"], rows);
  });

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
      .requiredOption("--at <targets>", "x values (35,75)", numberList("--at")),
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
