export { addFilterOptions, type FilterFlags, toPointFilter } from "./cli/filters.js";
export { buildProgram, main } from "./cli.js";
export { type AggregateCommandOptions, aggregateRecordsFile } from "./commands/aggregate.js";
export {
  type BenchCommandOptions,
  type BenchCommandResult,
  benchCommand,
} from "./commands/bench.js";
export { CATALOG_ENV, loadCatalog, loadCatalogFigures } from "./commands/catalog.js";
export { type CompareCommandResult, type CompareRow, compareCommand } from "./commands/compare.js";
export {
  COST_METRICS,
  costCommand,
  type MetricRow,
  type MetricTableResult,
  metricTable,
} from "./commands/cost.js";
export { type DedupeStoreOptions, dedupeStore } from "./commands/dedupe-store.js";
export {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  exportPoints,
  pointsToCsv,
  renderPoints,
} from "./commands/export.js";
export {
  type AnalysisCommandOptions,
  type AnalysisSourceOptions,
  type FrontierCommandResult,
  frontierCommand,
  leadersCommand,
  loadAnalysisPoints,
  rangesCommand,
} from "./commands/frontier.js";
export { type ImportInferencexOptions, importInferencex } from "./commands/import.js";
export { type FileOutcome, type IngestFilesOptions, ingestFiles } from "./commands/ingest.js";
export { MARGIN_METRICS, marginCommand } from "./commands/margin.js";
export { githubMatrixOfSpecFile, planSpecFile, type SpecFilePlan } from "./commands/plan.js";
export { buildReport, type ReportOptions, type ReportResult } from "./commands/report.js";
export { simExplain } from "./commands/sim-explain.js";
export { type SimFlags, simOptionsFromFlags } from "./commands/sim-options.js";
export { simPredict } from "./commands/sim-predict.js";
export { simServe } from "./commands/sim-serve.js";
export {
  type SimCalibrateOptions,
  type SimCalibrateResult,
  type SimValidateOptions,
  simCalibrate,
  simValidate,
} from "./commands/sim-validate.js";
export {
  type TrendCommandOptions,
  type TrendCommandResult,
  type TrendRow,
  trendCommand,
} from "./commands/trend.js";
export type { GateCheck, TrendGate } from "./commands/trend-gate.js";
export {
  type DocumentKind,
  type ValidateFileResult,
  type ValidateOptions,
  validateFiles,
} from "./commands/validate.js";
export { expandPaths, parseDocuments, readDocuments } from "./io.js";
export { loadSweepSpec } from "./sweep/load-spec.js";
export { runSweep, selectServers } from "./sweep/run-sweep.js";
export type { PointOutcome, SweepEvent, SweepOptions, SweepResult } from "./sweep/types.js";
export {
  createUiHandler,
  startUiServer,
  UI_TOKEN_ENV,
  type UiServer,
  type UiServerOptions,
} from "./ui/api-server.js";
export { type ParsedPointQuery, PointQuery, parsePointQuery } from "./ui/query-params.js";
export { TOOL_VERSION } from "./version.js";
