import type { Workload } from "../schemas/point-result.js";
import type { Scenario, SweepSpec } from "../schemas/sweep-spec.js";
import { datasetFileName } from "./dataset-scenario.js";
import type { ScenarioDataset } from "./types.js";

/**
 * What a scenario measures, as its points record it in `config.workload`: `random` requests, or `session`s with
 * their turns, think time (default 0 ms, fixed) and shared system prompt (the scenario's prefixLength, else the
 * spec's bench.prefixLength, else none); or, for a dataset scenario, requests from the file (`sharegpt`,
 * `jsonl`, `session`s of its conversations, or a `trace` with its file, records and block size at speedup 1), with
 * the file's mean lengths and the file as the spec names it.
 * @example scenarioWorkload(spec, { isl: 1024, osl: 256, workload: "multi-turn", turns: 4 }).kind // "session"
 */
export function scenarioWorkload(
  spec: Pick<SweepSpec, "bench">,
  scenario: Scenario,
  dataset?: ScenarioDataset,
): Workload {
  if (dataset) return datasetWorkload(scenario, dataset);
  const lengths = {
    // the schema refuses a synthetic scenario without them
    isl: scenario.isl!,
    osl: scenario.osl!,
    ...(scenario.rangeRatio !== undefined ? { rangeRatio: scenario.rangeRatio } : {}),
  };
  if (scenario.workload !== "multi-turn") return { kind: "random", ...lengths };
  const benchPrefix = spec.bench?.prefixLength;
  return {
    kind: "session",
    ...lengths,
    // the schema refuses a multi-turn scenario without turns
    turns: scenario.turns!,
    thinkTimeMs: scenario.thinkTimeMs ?? 0,
    thinkTime: scenario.thinkTime ?? "fixed",
    prefixLength: scenario.prefixLength ?? (typeof benchPrefix === "number" ? benchPrefix : 0),
  };
}

function datasetWorkload(scenario: Scenario, dataset: ScenarioDataset): Workload {
  const common = { isl: dataset.isl, osl: dataset.osl, dataset: scenario.dataset };
  if (scenario.workload === "trace")
    return {
      kind: "trace",
      ...common,
      // as the load generator records it; each point sets its own speedup
      trace: {
        file: datasetFileName(scenario),
        sha256: dataset.sha256,
        records: dataset.requests,
        blockSize: dataset.blockSize!,
        speedup: 1,
      },
    };
  if (scenario.workload !== "multi-turn")
    return { kind: scenario.workload ?? "sharegpt", ...common };
  return {
    kind: "session",
    ...common,
    ...(dataset.turns !== undefined ? { turns: dataset.turns } : {}),
    thinkTimeMs: scenario.thinkTimeMs ?? 0,
    thinkTime: scenario.thinkTime ?? "fixed",
  };
}

/**
 * The most tokens one request of a planned workload holds, prompt and reply: ISL + OSL, or for a session its last
 * turn, which carries the whole conversation: system prompt + turns x (ISL + OSL).
 * @example workloadContextLength({ kind: "session", isl: 1024, osl: 256, turns: 4, prefixLength: 512 }) // 5632
 */
export function workloadContextLength(workload: Workload): number {
  const turn = workload.isl + workload.osl;
  if (workload.kind !== "session") return turn;
  return (workload.prefixLength ?? 0) + (workload.turns ?? 1) * turn;
}
