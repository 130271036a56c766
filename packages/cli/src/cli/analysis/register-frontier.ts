import type { Command } from "commander";
import {
  type FrontierCommandResult,
  frontierCommand,
  leadersCommand,
  rangesCommand,
} from "../../commands/frontier.js";
import { UsageError } from "../../errors.js";
import { numberList } from "../parse.js";
import { addAnalysisOptions } from "./add-analysis-options.js";
import type { AnalysisFlags } from "./analysis-flags.js";
import { printAnalysis, printWarnings, requireSomeValue } from "./print-analysis.js";
import { firstOf } from "./print-metric-table.js";
import { resolveAnalysis } from "./resolve-analysis.js";

/**
 * Says how many points had no value on an axis and were left out, so an empty frontier is explained (a
 * `--no-stream` point has no TPOT, hence no interactivity; a point without valid energy has no J/token).
 */
function leftOutNote(r: FrontierCommandResult): string[] {
  const skipped = r.groups.reduce((n, g) => n + g.skipped, 0);
  // the likely cause on each axis: only the interactivity axis is lost to --no-stream, only J/token to energy
  const hints = [
    ...(r.x.id.startsWith("intvty")
      ? ["a point measured with --no-stream has no TPOT, so no interactivity"]
      : []),
    ...(r.y.id.startsWith("jPer")
      ? ["J/token comes only from valid measured or reported energy"]
      : []),
  ];
  return skipped === 0
    ? []
    : [
        `${skipped} point(s) without ${r.x.id} or ${r.y.id} left out${hints.length ? ` (${hints.join("; ")})` : ""}`,
      ];
}

/**
 * Why values at the targets are missing, each with its group and target: outside the frontier's range is one
 * reason, a group whose points lack the metric (no reported energy) another.
 */
function missingNote(r: FrontierCommandResult): string[] {
  const reasons = new Set(
    r.groups.flatMap((g) =>
      (g.values ?? []).flatMap((v) => (v.reason ? [`${g.group} at ${v.target}: ${v.reason}`] : [])),
    ),
  );
  return reasons.size === 0 ? [] : [`no value (-): ${firstOf(reasons, 3)}`];
}

/**
 * Registers `frontier`: each group's frontier points, its values at `--at` targets, its measured `--ranges`, or
 * the `--leaders` / `--best-per-gpu` at each target.
 * @example registerFrontier(program)
 */
export function registerFrontier(program: Command): void {
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
      // one mode per run: --ranges printed its table and dropped the others (and --at) unsaid
      const modes = [flags.ranges, flags.leaders, flags.bestPerGpu].filter(Boolean).length;
      // --ranges reads the throughput frontier's x range: a target or another y would be read by nothing
      if (modes > 1 || (flags.ranges && (flags.at || flags.y !== undefined)))
        throw new UsageError(
          "--ranges, --leaders and --best-per-gpu exclude each other, and --ranges takes no --at or --y",
        );
      const options = await resolveAnalysis(flags);
      if (flags.ranges) {
        const r = await rangesCommand(options);
        printAnalysis(
          flags,
          r,
          ["group", "min", "max", "frontier min", "frontier max", "points"],
          r.groups.map((g) => [g.group, g.min, g.max, g.frontierMin, g.frontierMax, g.points]),
          [],
          // points were selected, but none has an x value: a result, as the plain frontier's (not a typo)
          ...(r.skipped > 0 ? [{ note: `every matching point lacks ${r.x.id}` }] : []),
        );
        return printWarnings(r.warnings);
      }
      if (flags.leaders || flags.bestPerGpu) {
        if (!flags.at) throw new UsageError("--leaders and --best-per-gpu need --at");
        const r = await leadersCommand({
          ...options,
          targets: flags.at,
          perGpu: !!flags.bestPerGpu,
        });
        requireSomeValue(
          r.rows.map((row) => ({
            value: row.value,
            about: `${row.partition} at ${row.target}`,
            reason: `none of its ${row.without} group(s) has a value there`,
          })),
          flags.at,
        );
        printAnalysis(
          flags,
          r,
          ["within", "target", "leader", "value", "runner-up", "value", "lead", "no value"],
          r.rows.map((row) => [
            row.partition,
            row.target,
            row.leader,
            row.value,
            row.runnerUp,
            row.runnerUpValue,
            row.lead,
            row.without,
          ]),
        );
        return printWarnings(r.warnings);
      }
      const r = await frontierCommand({ ...options, ...(flags.at ? { targets: flags.at } : {}) });
      if (flags.at) {
        requireSomeValue(
          r.groups.flatMap((g) =>
            (g.values ?? []).map((v) => ({
              value: v.value,
              about: `${g.group} at ${v.target}`,
              ...(v.reason ? { reason: v.reason } : {}),
            })),
          ),
          flags.at,
        );
        const header = ["group", ...flags.at.map((t) => `${r.y.id}@${t}`)];
        printAnalysis(
          flags,
          r,
          header,
          r.groups.map((g) => [g.group, ...(g.values ?? []).map((v) => v.value)]),
          [
            `${r.y.id} in ${r.y.unit} at ${r.x.id} targets (Steffen interpolation on each frontier, never extrapolated)`,
            ...missingNote(r),
          ],
        );
        return printWarnings(r.warnings);
      }
      printAnalysis(
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
          ? [{ note: `every matching point lacks ${r.x.id} or ${r.y.id}` }]
          : []),
      );
      printWarnings(r.warnings);
    },
  );
}
