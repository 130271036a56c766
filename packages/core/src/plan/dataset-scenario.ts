import type { Scenario } from "../schemas/sweep-spec.js";
import { PlanError } from "./plan-error.js";
import { safeName } from "./point-name.js";
import type { PlanOptions, ScenarioDataset } from "./types.js";

/** Hex digits of the dataset's SHA-256 kept in a point's definition. */
const DATASET_HASH_LENGTH = 16;

/** Characters of the file's name kept in a server name. */
const TAG_LENGTH = 32;

/**
 * The dataset a scenario reads, as the caller measured it; undefined for a synthetic scenario. A dataset scenario
 * the caller did not measure is a programming error of the caller, named by the field.
 */
export function scenarioDataset(
  options: PlanOptions,
  index: number,
  scenario: Scenario,
): ScenarioDataset | undefined {
  if (scenario.dataset === undefined) return undefined;
  const dataset = options.datasets?.[index];
  if (!dataset)
    throw new PlanError(
      `scenarios[${index}].dataset: ${scenario.dataset} was not read before planning (planSweep needs options.datasets; the CLI's planSpecFile reads them)`,
    );
  return dataset;
}

/**
 * What defines a dataset scenario in its points' fingerprints: the workload, the file's content (a short SHA-256,
 * not its path: a moved file is the same point, a changed one a new point), and the options that shape its
 * requests, defaults filled in.
 */
export function datasetDefinition(scenario: Scenario, dataset: ScenarioDataset): unknown {
  const sessions = scenario.workload === "multi-turn";
  return {
    kind: scenario.workload,
    dataset: dataset.sha256.slice(0, DATASET_HASH_LENGTH),
    osl: scenario.osl,
    ...(sessions
      ? {
          turns: scenario.turns,
          thinkTimeMs: scenario.thinkTimeMs ?? 0,
          thinkTime: scenario.thinkTime ?? "fixed",
        }
      : {}),
  };
}

/**
 * A dataset scenario's part of a server name, in place of `<isl><osl>`: the format, the file's name without its
 * extension, `-mt` (`-mt<turns>` with a turn limit) for sessions, `-o<osl>` for a fixed output length.
 * @example datasetLabel({ workload: "multi-turn", dataset: "data/ShareGPT_small.json", turns: 4 }) // "sharegpt-sharegpt-small-mt4"
 */
export function datasetLabel(scenario: Scenario): string {
  const file = (scenario.dataset ?? "").split(/[\\/]/).pop() ?? "";
  const tag = safeName(file.replace(/\.[^.]*$/, ""))
    .slice(0, TAG_LENGTH)
    .replace(/-+$/, "");
  const format = scenario.workload === "jsonl" ? "jsonl" : "sharegpt";
  return [
    format,
    tag || "data",
    scenario.workload === "multi-turn" ? `mt${scenario.turns ?? ""}` : "",
    scenario.osl !== undefined ? `o${scenario.osl}` : "",
  ]
    .filter(Boolean)
    .join("-");
}
