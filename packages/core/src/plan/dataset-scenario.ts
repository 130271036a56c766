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
  if (scenario.workload === "trace" && dataset.blockSize === undefined)
    throw new PlanError(
      `scenarios[${index}].dataset: ${scenario.dataset} was read without its block size (a trace's options.datasets entry needs blockSize)`,
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
  const content = dataset.sha256.slice(0, DATASET_HASH_LENGTH);
  // a trace's speedup is its points' level, not part of the configuration
  if (scenario.workload === "trace")
    return {
      kind: "trace",
      dataset: content,
      blockSize: dataset.blockSize,
      maxConcurrency: scenario.maxConcurrency,
    };
  return {
    kind: scenario.workload,
    dataset: content,
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
 * extension, `-mt` (`-mt<turns>` with a turn limit) for sessions, `-o<osl>` for a fixed output length, `-cap<N>`
 * for a trace's cap on requests in flight.
 * @example datasetLabel({ workload: "multi-turn", dataset: "data/ShareGPT_small.json", turns: 4 }) // "sharegpt-sharegpt-small-mt4"
 * @example datasetLabel({ workload: "trace", dataset: "traces/agent.jsonl", maxConcurrency: 64 }) // "trace-agent-cap64"
 */
export function datasetLabel(scenario: Scenario): string {
  const tag = safeName(datasetFileName(scenario).replace(/\.[^.]*$/, ""))
    .slice(0, TAG_LENGTH)
    .replace(/-+$/, "");
  const format =
    scenario.workload === "jsonl" || scenario.workload === "trace" ? scenario.workload : "sharegpt";
  return [
    format,
    tag || "data",
    scenario.workload === "multi-turn" ? `mt${scenario.turns ?? ""}` : "",
    scenario.osl !== undefined ? `o${scenario.osl}` : "",
    scenario.maxConcurrency !== undefined ? `cap${scenario.maxConcurrency}` : "",
  ]
    .filter(Boolean)
    .join("-");
}

/** The name of a dataset scenario's file, without its folders. */
export function datasetFileName(scenario: Scenario): string {
  return (scenario.dataset ?? "").split(/[\\/]/).pop() ?? "";
}
