import { dirname, isAbsolute, resolve } from "node:path";
import {
  BenchOptionError,
  builtinTokenizer,
  type DatasetStats,
  fileSha256,
  fileWorkloadStats,
  loadHfTokenizer,
  type PromptTemplate,
  promptTemplate,
  shareGptSessionStats,
  type Tokenizer,
  traceStats,
  WorkloadFileError,
} from "@infermark/bench";
import { PlanError, type Scenario, type ScenarioDataset, type SweepSpec } from "@infermark/core";
import { asSpecKeys } from "./check-bench-options.js";

/**
 * Reads the file of every dataset scenario (`dataset`, relative to the spec file) and measures it with the load
 * generator's own parsing: its SHA-256, requests, longest request and mean lengths, by the spec's tokenizer when
 * `bench.tokenizer` is a tokenizer.json (relative to `cwd`, as the load generator reads it), else the builtin one
 * (a server's tokenizer is not there to ask at plan time). A file that is missing, unreadable or holds no usable
 * request fails with one line naming `scenarios[i].dataset` (a trace's bad line with its line and field).
 * @example const datasets = await readScenarioDatasets(spec, "sweeps/chat.yaml"); planSweep(spec, { datasets })
 */
export async function readScenarioDatasets(
  spec: SweepSpec,
  specPath: string,
  cwd = process.cwd(),
): Promise<(ScenarioDataset | undefined)[]> {
  if (!spec.scenarios.some((s) => s.dataset !== undefined))
    return spec.scenarios.map(() => undefined);
  const tokenizer = await planTokenizer(spec, cwd);
  const template = await planTemplate(spec, tokenizer);
  const folder = dirname(resolve(cwd, specPath));
  return Promise.all(
    spec.scenarios.map(async (scenario, i) => {
      if (scenario.dataset === undefined) return undefined;
      const field = `scenarios[${i}].dataset`;
      const path = isAbsolute(scenario.dataset)
        ? scenario.dataset
        : resolve(folder, scenario.dataset);
      let sha256: string;
      try {
        sha256 = await fileSha256(path);
      } catch (error) {
        const reason = ((error as Error).cause as Error | undefined)?.message;
        throw new PlanError(`${field}: cannot read ${scenario.dataset} (${reason})`, {
          cause: error,
        });
      }
      try {
        const stats = await datasetStats(scenario, path, tokenizer, spec.limits.requests, template);
        return { path, sha256, ...stats };
      } catch (error) {
        if (!(error instanceof WorkloadFileError)) throw error;
        // the load generator names the file by the path it read, and its flags; the spec names the file as
        // written, and its fields
        const message = error.message
          .replace(path, scenario.dataset)
          .replace("--trace-block-size", `scenarios[${i}].blockSize`);
        throw new PlanError(`${field}: ${message}`, { cause: error });
      }
    }),
  );
}

/**
 * The file measured as the scenario's workload reads it: entries (sharegpt, jsonl), conversations (multi-turn),
 * or a trace's records (with the block size it was read with and its span; the mean lengths of the first
 * `requests`, which its points replay).
 */
function datasetStats(
  scenario: Scenario,
  path: string,
  tokenizer: Tokenizer,
  requests: number | undefined,
  template: PromptTemplate | undefined,
): Promise<DatasetStats & Pick<ScenarioDataset, "blockSize" | "spanMs">> {
  if (scenario.workload === "trace")
    return traceStats({
      path,
      tokenizer,
      ...(scenario.blockSize !== undefined ? { blockSize: scenario.blockSize } : {}),
      // the lengths of the records a point replays
      ...(requests !== undefined ? { count: requests } : {}),
    });
  const osl = scenario.osl !== undefined ? { osl: scenario.osl } : {};
  if (scenario.workload === "multi-turn")
    return shareGptSessionStats({
      path,
      tokenizer,
      ...osl,
      ...(scenario.turns !== undefined ? { turns: scenario.turns } : {}),
    });
  return fileWorkloadStats({
    path,
    format: scenario.workload === "jsonl" ? "jsonl" : "sharegpt",
    tokenizer,
    ...osl,
    // the lengths the server is sent: each prompt wrapped in the chat template (bench.useChatTemplate)
    ...(template ? { template } : {}),
  });
}

/**
 * The chat template that wraps each sharegpt or jsonl prompt when the spec asks for it (`bench.useChatTemplate`),
 * as the load generator builds it, so that the planned lengths (`maxModelLen`) count its tokens as it sends them;
 * undefined without it, or without a tokenizer.json to render it (`checkBenchOptions` then refuses the spec in one
 * line). A tokenizer.json without a template, or a template that cannot render a user message, fails with the load
 * generator's line, naming the spec's keys.
 */
async function planTemplate(
  spec: SweepSpec,
  tokenizer: Tokenizer,
): Promise<PromptTemplate | undefined> {
  if (spec.bench?.useChatTemplate !== true || !tokenizer.name.startsWith("hf:")) return undefined;
  try {
    return await promptTemplate(tokenizer);
  } catch (error) {
    if (!(error instanceof BenchOptionError)) throw error;
    throw new PlanError(asSpecKeys(error.message), { cause: error });
  }
}

/** The spec's tokenizer.json when it names one, else the builtin tokenizer. */
async function planTokenizer(spec: SweepSpec, cwd: string): Promise<Tokenizer> {
  const name = spec.bench?.tokenizer;
  if (typeof name !== "string" || name === "builtin" || name === "server")
    return builtinTokenizer();
  try {
    return await loadHfTokenizer(name, { cwd });
  } catch (error) {
    throw new PlanError(`bench.tokenizer: ${(error as Error).message}`, { cause: error });
  }
}
