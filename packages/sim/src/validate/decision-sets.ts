import { runInstant } from "@infermark/core";
import { type CurvePoint, paretoFrontier } from "./frontier-at.js";
import { topologyLabel, type ValidationCase } from "./read-rows.js";

/**
 * Which configurations a planner weighs against each other: `framework`, one framework label (TP/EP/DP attention,
 * worker split, MTP); `engine`, one engine with every serving stack that runs it (`dynamo-sglang` and `mori-sglang`
 * with `sglang`, `dynamo-trt` with `trt`: adds aggregated against disaggregated, as `sim search --disagg` ranks
 * them); `all`, every framework (adds the choice of engine).
 */
export type RankingScope = "framework" | "engine" | "all";

export const RANKING_SCOPES: readonly RankingScope[] = ["framework", "engine", "all"];

/** One measured configuration (one measured curve) of a decision set. */
export interface DecisionConfiguration {
  /** `sglang 1x(tp8/ep8) mtp`, `dynamo-trt P1x(tp4) D2x(tp8/ep8/dpa) none`. */
  label: string;
  /** Its measured points, the latest of each concurrency. */
  measured: CurvePoint[];
  /** Its predicted curve: the union of the predicted curves of its points (one, or one per MTP depth). */
  predicted: CurvePoint[];
}

/** Configurations of one model, GPU, precision and ISL/OSL (and framework or engine, by scope). */
export interface DecisionSet {
  key: string;
  configurations: DecisionConfiguration[];
}

/**
 * The engine a framework label runs: its last dash-separated word (`dynamo-sglang` and `mori-sglang` run `sglang`,
 * `dynamo-trt` runs `trt`).
 * @example engineOf("dynamo-trt") // "trt"
 */
export function engineOf(framework: string): string {
  return framework.toLowerCase().split("-").at(-1) ?? framework;
}

/**
 * Groups measured cases into the decision sets of `scope`. A configuration is one measured curve (`curveKey`); of
 * points measured at one concurrency on several dates (a history file) the latest counts, as the InferenceX frontier
 * shows it. `predictedOf` gives the predicted curve of a case's `configKey` (undefined: it could not be predicted,
 * and its configuration is left out). Sets keep their configurations in first-seen order.
 */
export function decisionSets(
  cases: readonly ValidationCase[],
  scope: RankingScope,
  predictedOf: (configKey: string) => readonly CurvePoint[] | undefined,
): DecisionSet[] {
  const sets = new Map<string, Map<string, ValidationCase[]>>();
  for (const c of cases) {
    if (!predictedOf(c.configKey)) continue;
    const o = c.options;
    const by =
      scope === "framework"
        ? ` ${c.framework}`
        : scope === "engine"
          ? ` ${engineOf(c.framework)}`
          : "";
    const key = `${o.model} ${c.hardware} ${o.precision ?? "?"} ${c.isl}/${c.osl}${by}`;
    const configs = sets.get(key) ?? new Map<string, ValidationCase[]>();
    configs.set(c.curveKey, [...(configs.get(c.curveKey) ?? []), c]);
    sets.set(key, configs);
  }
  return [...sets].map(([key, configs]) => ({
    key,
    configurations: [...configs.values()].map((list) => configuration(list, predictedOf)),
  }));
}

function configuration(
  list: readonly ValidationCase[],
  predictedOf: (configKey: string) => readonly CurvePoint[] | undefined,
): DecisionConfiguration {
  const first = list[0]!;
  // the latest in time: a date's offset, separator or fractions do not reorder it (`runInstant`)
  const latest = new Map<number, { c: ValidationCase; instant: string }>();
  for (const c of list) {
    const kept = latest.get(c.concurrency);
    const instant = runInstant(c.date);
    if (!kept || instant >= kept.instant) latest.set(c.concurrency, { c, instant });
  }
  const configKeys = new Set(list.map((c) => c.configKey));
  return {
    // the group's last word is its speculative decoding, as the curve key names it
    label: `${first.framework} ${topologyLabel(first.options)} ${first.group.split(" ").at(-1)}`,
    measured: [...latest.values()].map(({ c }) => ({ ...c.measured })),
    predicted: paretoFrontier([...configKeys].flatMap((k) => [...(predictedOf(k) ?? [])])),
  };
}
