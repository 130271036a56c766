export { concurrencyLevels } from "./concurrency-levels.js";
export { datasetLabel } from "./dataset-scenario.js";
export { FINGERPRINT_LENGTH, fingerprint } from "./fingerprint.js";
export { DEFAULT_RUNS_ON, type GithubMatrixEntry, githubMatrix } from "./github-matrix.js";
export { PlanError } from "./plan-error.js";
export { DEFAULT_MAX_PLAN_POINTS } from "./plan-limits.js";
export { defaultPort, FINGERPRINT_VERSION, planSweep } from "./plan-sweep.js";
export {
  safeName,
  scenarioLabel,
  serverName,
  specDecodingLabel,
  tokenCountLabel,
  topologyLabel,
} from "./point-name.js";
export { renderTemplate, type TemplateVars, templateNames } from "./render-template.js";
export { scenarioWorkload, workloadContextLength } from "./scenario-workload.js";
export {
  containerName,
  renderServerCommand,
  renderServerEnv,
  type ServerAddress,
} from "./server-command.js";
export { serverVars } from "./server-vars.js";
export { sha256 } from "./sha256.js";
export type * from "./types.js";
